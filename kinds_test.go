package httpstatus

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCode(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("4", 39) + "é" + "z" // the cut at 40 bytes falls inside é
	tests := []struct {
		in      string
		want    int
		errText string // the whole error text; empty when s parses
	}{
		{"100", 100, ""},
		{"404", 404, ""},
		{"477", 477, ""}, // valid, though the registry does not know it
		{"599", 599, ""},
		{"099", 0, `"099": a status code is a number from 100 to 599`},
		{"600", 0, `"600": a status code is a number from 100 to 599`},
		{"000", 0, `"000": a status code is a number from 100 to 599`},
		{"99", 0, `"99": a status code is a number from 100 to 599`},
		{"0404", 0, `"0404": a status code is a number from 100 to 599`},
		{"+40", 0, `"+40": a status code is a number from 100 to 599`},
		{"-40", 0, `"-40": a status code is a number from 100 to 599`},
		{" 404", 0, `" 404": a status code is a number from 100 to 599`},
		{"4o4", 0, `"4o4": a status code is a number from 100 to 599`},
		{"٤٠٤", 0, `"٤٠٤": a status code is a number from 100 to 599`}, // Arabic-Indic digits are not ASCII
		{"", 0, `"": a status code is a number from 100 to 599`},
		{long, 0, `"` + strings.Repeat("4", 39) + `...": a status code is a number from 100 to 599`},
		{strings.Repeat("x", 40), 0, `"` + strings.Repeat("x", 40) + `": a status code is a number from 100 to 599`},
	}
	for _, tt := range tests {
		got, err := ParseCode(tt.in)
		if tt.errText == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseCode(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != 0 {
			t.Errorf("ParseCode(%q) = %d, %v; want an error", tt.in, got, err)
			continue
		}
		if !errors.Is(err, ErrNotCode) {
			t.Errorf("ParseCode(%q): %v does not wrap ErrNotCode", tt.in, err)
		}
		if err.Error() != tt.errText {
			t.Errorf("ParseCode(%q): error %q, want %q", tt.in, err, tt.errText)
		}
	}
}

func TestParseCodeDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseCode("404") }); n != 0 {
		t.Errorf("ParseCode allocates %.0f times", n)
	}
}

// FuzzParseCode checks ParseCode against strconv and checks that every
// error quotes the input, or its first 40 bytes or fewer cut at a
// character boundary, followed by "...".
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"404", "099", "600", "+40", "4040", "", "\xff\xfe\xfd", strings.Repeat("é", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseCode(s)
		n, aerr := strconv.Atoi(s)
		want := len(s) == 3 && aerr == nil && s[0] >= '0' && s[0] <= '9' && n >= 100 && n <= 599
		if want {
			if err != nil || got != n {
				t.Fatalf("ParseCode(%q) = %d, %v; want %d", s, got, err, n)
			}
			return
		}
		if err == nil {
			t.Fatalf("ParseCode(%q) = %d, want an error", s, got)
		}
		if !errors.Is(err, ErrNotCode) {
			t.Fatalf("ParseCode(%q): %v does not wrap ErrNotCode", s, err)
		}
		quoted, ok := strings.CutSuffix(err.Error(), ": "+ErrNotCode.Error())
		if !ok {
			t.Fatalf("ParseCode(%q): error %q does not end in ErrNotCode's text", s, err)
		}
		shown, uerr := strconv.Unquote(quoted)
		if uerr != nil {
			t.Fatalf("ParseCode(%q): error %q does not start with a quoted string: %v", s, err, uerr)
		}
		if shown == s {
			if len(s) > 40 {
				t.Fatalf("ParseCode(%q): the error quotes all %d bytes", s, len(s))
			}
			return
		}
		prefix, ok := strings.CutSuffix(shown, "...")
		if !ok || !strings.HasPrefix(s, prefix) || len(prefix) > 40 || len(prefix) < 40-(utf8.UTFMax-1) {
			t.Fatalf("ParseCode(%q): the error quotes %q, not a prefix of about 40 bytes and \"...\"", s, shown)
		}
		if utf8.ValidString(s) && !utf8.ValidString(prefix) {
			t.Fatalf("ParseCode(%q): the error quotes %q, which splits a character", s, shown)
		}
	})
}
