package conform_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/conform"
)

// TestCheckHAR checks a HAR file written as Chromium's DevTools export
// writes one: HTTP/2 pseudo-header fields, content already decoded from
// br and gzip, base64 for an image, a blocked request with status 0, and
// a URL requested twice.
func TestCheckHAR(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/chromium.har")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	results, err := conform.CheckHAR(f)
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]conform.HARResult{}
	var urls []string
	for _, r := range results {
		byURL[r.URL] = r
		urls = append(urls, r.URL)
		for _, f := range r.Findings {
			t.Logf("%s: %s", r.URL, f)
		}
	}
	want := []string{"https://shop.example/", "https://shop.example/logo.png", "https://shop.example/api/notes.txt",
		"https://shop.example/api/cart/1", "https://shop.example/old-offers", "https://shop.example/api/items/9"}
	if strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Fatalf("URLs %q, want %q (the blocked request has no response)", urls, want)
	}
	if home := byURL["https://shop.example/"]; home.Entries != 2 || len(home.Statuses) != 2 || home.Statuses[1] != 304 {
		t.Errorf("the home page: %+v", home)
	}
	for _, tc := range []struct{ url, id string }{
		{"https://shop.example/", conform.RuleConditionalHeader},            // Content-Type on the 304
		{"https://shop.example/api/notes.txt", conform.RuleCharsetMismatch}, // non-ASCII under us-ascii
		{"https://shop.example/api/cart/1", conform.RuleRequiredHeader},     // the 405 has no Allow
		{"https://shop.example/old-offers", conform.RuleLocationTarget},     // https to http
		{"https://shop.example/api/items/9", conform.RulePreconditionNotSent},
	} {
		if !hasFinding(byURL[tc.url].Findings, tc.id) {
			t.Errorf("%s: no %s finding in %v", tc.url, tc.id, byURL[tc.url].Findings)
		}
	}
	for _, r := range results {
		for _, f := range r.Findings {
			switch f.ID {
			case conform.RuleContentCodingInvalid, conform.RuleContentLengthMismatch, conform.RuleFieldNameSyntax:
				t.Errorf("%s: %s, though the browser decoded the content and HTTP/2 pseudo-fields are not fields", r.URL, f)
			case conform.RuleConditionalHeader:
				if strings.Contains(f.Summary, "Vary") || strings.Contains(f.Summary, "Expires") {
					t.Errorf("%s: %s, though the 200 before the 304 settles which fields it repeats", r.URL, f)
				}
			}
		}
	}
	if logo := byURL["https://shop.example/logo.png"]; conform.Worst(logo.Findings) >= conform.SeverityWarning {
		t.Errorf("the base64 image: %v", logo.Findings)
	}
}

func hasFinding(fs []conform.Finding, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

func TestCheckHARErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "{", "[]", `{"entries": []}`, `{"log": {"entries": [{"request": {"url": "https://x/"}, "response": {"status": 200, "content": {"text": "!!", "encoding": "base64"}}}]}}`} {
		if _, err := conform.CheckHAR(strings.NewReader(in)); !errors.Is(err, conform.ErrNotHAR) {
			t.Errorf("CheckHAR(%q): %v, want an error wrapping ErrNotHAR", in, err)
		}
	}
	results, err := conform.CheckHAR(strings.NewReader(`{"log": {"version": "1.2", "entries": []}}`))
	if err != nil || len(results) != 0 {
		t.Errorf("an empty log: %v, %v", results, err)
	}
}
