package conform

import (
	"errors"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		err  error
	}{
		{"0", 0, nil},
		{"120", 120, nil},
		{"9223372036854775807", 1<<63 - 1, nil},
		{"9223372036854775808", 0, errTooLarge},
		{"", 0, errNotDecimal},
		{"-1", 0, errNotDecimal},
		{"+1", 0, errNotDecimal},
		{"1.5", 0, errNotDecimal},
		{" 1", 0, errNotDecimal},
	} {
		got, err := parseDecimal(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("parseDecimal(%q) = %d, %v; want %d, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestParseDelaySecondsCapsHugeValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"3600", 3600, true},
		{"99999999999999999999999", deltaSecondsCap, true}, // well formed, past int64
		{"1e3", 0, false},
	} {
		got, ok := parseDelaySeconds(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseDelaySeconds(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseLengthsPastInt64(t *testing.T) {
	t.Parallel()
	if _, err := parseContentLength([]string{"99999999999999999999"}); !errors.Is(err, errTooLarge) {
		t.Errorf("parseContentLength of a huge value: err = %v, want one wrapping errTooLarge", err)
	}
	if _, err := parseContentRange("bytes 0-1/99999999999999999999"); !errors.Is(err, errTooLarge) {
		t.Errorf("parseContentRange with a huge length: err = %v, want one wrapping errTooLarge", err)
	}
	if _, err := parseContentRange("bytes 0-99999999999999999999/*"); err == nil {
		t.Error("parseContentRange with a huge last position: no error")
	}
}
