package respond

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString checks the hand-written string encoder of the JSON
// bodies against encoding/json: the same bytes, HTML-safe escapes and
// U+FFFD for invalid UTF-8 included, so that the two decode alike.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{
		"", "plain", `"quoted" \back\slash`, "<b>&amp;</b>", "\x00\x01\x1f\x7f",
		"\b\f\n\r\t", "\u2028\u2029", "é ☃ 𝄞", "\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got := appendJSONString([]byte("prefix"), s)
		if !bytes.HasPrefix(got, []byte("prefix")) {
			t.Fatalf("appendJSONString(%q) lost what it appended to: %q", s, got)
		}
		got = got[len("prefix"):]
		if !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("appendJSONString(%q) = %s, which does not decode: %v", s, got, err)
		}
	})
}
