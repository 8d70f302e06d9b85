package httptext

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestIsToken(t *testing.T) {
	for _, s := range []string{"GET", "X-Custom", "a!#$%&'*+-.^_`|~9"} {
		if !IsToken(s) {
			t.Errorf("IsToken(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "a b", "a:b", "a\tb", "é", "a,b", "(x)", "a\x7f"} {
		if IsToken(s) {
			t.Errorf("IsToken(%q) = true, want false", s)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 10, "abcdefghij..."},
		{"ééééé", 3, "é..."}, // é is two bytes: the third byte would split the second
		{"ééééé", 4, "éé..."},
		{"abc", 0, "..."},
		{"abc", -1, "..."},
		{"", -1, ""},
		{"a" + strings.Repeat("\x80", 10), 5, "a\x80\x80\x80\x80..."}, // stray continuation bytes start no character
		{"ab\xf0\x9f\x98\x80", 5, "ab..."},                            // a four-byte sequence is kept whole or dropped
	}
	for _, tt := range tests {
		if got := Clip(tt.s, tt.max); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

func FuzzClip(f *testing.F) {
	f.Add("ééééé", 3)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n > 1<<16 {
			return
		}
		got := Clip(s, n)
		limit := max(n, 0)
		if len(s) <= limit {
			if got != s {
				t.Fatalf("Clip(%q, %d) = %q, want s itself", s, n, got)
			}
			return
		}
		body, cut := strings.CutSuffix(got, "...")
		if !cut || len(body) > limit || !strings.HasPrefix(s, body) || len(body) < limit-(utf8.UTFMax-1) {
			t.Fatalf("Clip(%q, %d) = %q", s, n, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Clip(%q, %d) = %q splits a character", s, n, got)
		}
	})
}

func TestListHas(t *testing.T) {
	tests := []struct {
		values []string
		item   string
		want   bool
	}{
		{[]string{"Accept, Origin"}, "origin", true},
		{[]string{"Accept", " Origin\t"}, "Origin", true},
		{[]string{"keep-alive, Upgrade"}, "upgrade", true},
		{[]string{"Accept-Encoding"}, "Accept", false},
		{[]string{"Originator"}, "Origin", false},
		{nil, "Origin", false},
	}
	for _, tt := range tests {
		if got := ListHas(tt.values, tt.item); got != tt.want {
			t.Errorf("ListHas(%q, %q) = %v, want %v", tt.values, tt.item, got, tt.want)
		}
	}
}

func TestCeilSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int64
	}{
		{-time.Second, 0}, {0, 0}, {time.Nanosecond, 1}, {time.Second, 1},
		{1500 * time.Millisecond, 2}, {2 * time.Second, 2}, {time.Hour, 3600},
	}
	for _, tt := range tests {
		if got := CeilSeconds(tt.d); got != tt.want {
			t.Errorf("CeilSeconds(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestIsDigits(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"0": true, "0404": true, "12345678901234567890": true, "": false, "-1": false, "+4": false, "4x": false, " 4": false, "٤": false} {
		if got := IsDigits(s); got != want {
			t.Errorf("IsDigits(%q) = %v, want %v", s, got, want)
		}
	}
}
