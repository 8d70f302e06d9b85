package conform_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
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

// harOf returns a HAR file of one GET entry of https://x.example/ with the
// request fields, the status, the response fields and the members of the
// response given as JSON (such as `"bodySize": 0, "content": {...}`).
func harOf(reqHeaders string, status int, respHeaders, members string) string {
	return fmt.Sprintf(`{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://x.example/", "headers": [%s]},
		"response": {"status": %d, "headers": [{"name": "Date", "value": "Wed, 01 May 2024 12:00:00 GMT"}%s], %s}}]}}`,
		reqHeaders, status, respHeaders, members)
}

// checkOne runs CheckHAR on a file of one URL and returns its result.
func checkOne(t *testing.T, har string) conform.HARResult {
	t.Helper()
	results, err := conform.CheckHAR(strings.NewReader(har))
	if err != nil || len(results) != 1 {
		t.Fatalf("CheckHAR: %v, %v", results, err)
	}
	return results[0]
}

// TestCheckHARContentSize checks that an entry without its content's text
// is checked as empty only when its size says 0: a size of -1 or none, as
// Playwright's recorder writes for a load abandoned after the header
// section, leaves the content unknown.
func TestCheckHARContentSize(t *testing.T) {
	t.Parallel()
	problem := `, {"name": "Content-Type", "value": "application/problem+json"}`
	for _, tc := range []struct {
		name, content string
		empty         bool // an error-without-explanation finding is due
	}{
		{"size 0", `"content": {"size": 0, "mimeType": "application/problem+json"}`, true},
		{"size -1", `"content": {"size": -1, "mimeType": "application/problem+json"}, "_failureText": "net::ERR_ABORTED"`, false},
		{"no size", `"content": {"mimeType": "application/problem+json"}`, false},
		{"no content", `"bodySize": -1`, false},
		{"text", `"content": {"size": 2, "mimeType": "application/problem+json", "text": "{}"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := checkOne(t, harOf("", 500, problem, tc.content))
			if got := hasFinding(res.Findings, conform.RuleErrorWithoutContent); got != tc.empty {
				t.Errorf("%s finding: %v, want %v; findings %v", conform.RuleErrorWithoutContent, got, tc.empty, res.Findings)
			}
		})
	}
}

// TestCheckHARRevalidated checks that a 200 to a conditional request that
// received no content but has the cached one, as Playwright's recorder
// writes Chromium's revalidation of its cache, is checked as the 304 it
// stands for, and that other 200s stay 200s.
func TestCheckHARRevalidated(t *testing.T) {
	t.Parallel()
	const (
		inm     = `{"name": "If-None-Match", "value": "\"v1\""}`
		ims     = `{"name": "if-modified-since", "value": "Wed, 01 May 2024 11:00:00 GMT"}`
		fields  = `, {"name": "Etag", "value": "\"v1\""}, {"name": "Cache-Control", "value": "no-cache"}` // the 304's: no Content-Type
		content = `"content": {"size": 5, "mimeType": "text/plain", "text": "hello"}`
	)
	for _, tc := range []struct {
		name, req, members string
		want               int
	}{
		{"If-None-Match", inm, `"bodySize": 0, ` + content, 304},
		{"If-Modified-Since", ims, `"bodySize": 0, ` + content, 304},
		{"content received", inm, `"bodySize": 5, ` + content, 200},
		{"size unknown", inm, `"bodySize": -1, ` + content, 200},
		{"no bodySize", inm, content, 200},
		{"not conditional", "", `"bodySize": 0, ` + content, 200},
		{"no content", inm, `"bodySize": 0, "content": {"size": 0, "mimeType": "text/plain"}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := checkOne(t, harOf(tc.req, 200, fields, tc.members))
			if len(res.Statuses) != 1 || res.Statuses[0] != tc.want {
				t.Fatalf("statuses %v, want [%d]", res.Statuses, tc.want)
			}
			for _, f := range res.Findings {
				if f.Code != tc.want {
					t.Errorf("a finding about %d: %s", f.Code, f)
				}
			}
			// Checked as a 200, the 304's fields lack Content-Type for the content.
			if got := hasFinding(res.Findings, conform.RuleContentTypeMissing); got != (tc.want == 200 && strings.Contains(tc.members, "hello")) {
				t.Errorf("%s finding: %v; findings %v", conform.RuleContentTypeMissing, got, res.Findings)
			}
		})
	}
	t.Run("after a 200", func(t *testing.T) {
		t.Parallel()
		// The 200 before carries an ETag the 304 does not repeat.
		har := `{"log": {"entries": [
			{"request": {"method": "GET", "url": "https://x.example/", "headers": []},
			 "response": {"status": 200, "headers": [{"name": "Date", "value": "Wed, 01 May 2024 12:00:00 GMT"}, {"name": "ETag", "value": "\"v1\""},
			  {"name": "Content-Type", "value": "text/plain"}], "bodySize": 5, ` + content + `}},
			{"request": {"method": "GET", "url": "https://x.example/", "headers": [` + inm + `]},
			 "response": {"status": 200, "headers": [{"name": "Date", "value": "Wed, 01 May 2024 12:00:01 GMT"}], "bodySize": 0, ` + content + `}}]}}`
		res := checkOne(t, har)
		if len(res.Statuses) != 2 || res.Statuses[1] != 304 {
			t.Fatalf("statuses %v, want [200 304]", res.Statuses)
		}
		if !slices.ContainsFunc(res.Findings, func(f conform.Finding) bool {
			return f.ID == conform.RuleRequiredHeader && f.Code == 304 && strings.Contains(f.Summary, "ETag")
		}) {
			t.Errorf("no %s finding on the 304's missing ETag: %v", conform.RuleRequiredHeader, res.Findings)
		}
	})
}

// The origins of the two servers in testdata/chromium-recorded.har.
const (
	recordedHTTP1 = "http://127.0.0.1:8480"
	recordedHTTP2 = "https://127.0.0.1:8443"
)

// recordedEntry is what TestCheckHARRecorded reads of an entry of the
// recorded file itself, to compare CheckHAR's results with.
type recordedEntry struct {
	Request struct {
		URL     string `json:"url"`
		Headers []struct {
			Name string `json:"name"`
		} `json:"headers"`
	} `json:"request"`
	Response struct {
		Status      int    `json:"status"`
		HTTPVersion string `json:"httpVersion"`
	} `json:"response"`
}

// TestCheckHARRecorded checks testdata/chromium-recorded.har, which
// Playwright's HAR recorder wrote while Debian's Chromium visited two
// "httpstatus serve" processes (see testdata/README.md): every entry is
// checked and counted under its URL, in the order of the file; the two
// entries broken on purpose are flagged with their rule and reference; and
// no other entry has a finding above info, the abandoned load and the
// revalidation recorded as a 200 included.
func TestCheckHARRecorded(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/chromium-recorded.har")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Log struct {
			Creator struct{ Name string } `json:"creator"`
			Browser struct{ Name string } `json:"browser"`
			Entries []recordedEntry       `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	entries := file.Log.Entries
	// What the file is meant to hold, so that a new recording that lacks
	// it fails here rather than passing on less.
	versions := map[string]int{}
	lowerCase := false
	for _, e := range entries {
		if e.Response.Status == 0 {
			t.Errorf("%s has no response; the recording should have none such", e.Request.URL)
		}
		versions[e.Response.HTTPVersion]++
		for _, h := range e.Request.Headers {
			lowerCase = lowerCase || h.Name == "accept" || h.Name == ":path"
		}
	}
	if file.Log.Creator.Name != "Playwright" || file.Log.Browser.Name != "chromium" || len(entries) != 32 ||
		versions["HTTP/1.1"] == 0 || versions["HTTP/2.0"] == 0 || !lowerCase {
		t.Fatalf("the recording: creator %q, browser %q, %d entries, versions %v, lower-case HTTP/2 fields %v",
			file.Log.Creator.Name, file.Log.Browser.Name, len(entries), versions, lowerCase)
	}

	results, err := conform.CheckHAR(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The URLs in the order they first appear, and their statuses.
	var urls []string
	statuses := map[string][]int{}
	for _, e := range entries {
		u := e.Request.URL
		if _, ok := statuses[u]; !ok {
			urls = append(urls, u)
		}
		statuses[u] = append(statuses[u], e.Response.Status)
	}
	if len(results) != len(urls) {
		t.Fatalf("%d results, want one for each of the %d URLs", len(results), len(urls))
	}
	checked := 0
	byURL := map[string]conform.HARResult{}
	for i, r := range results {
		byURL[r.URL] = r
		checked += r.Entries
		if r.URL != urls[i] {
			t.Errorf("result %d is about %s, want %s", i, r.URL, urls[i])
		}
		want := statuses[r.URL]
		if r.URL == recordedHTTP1+"/resource?key=har" {
			// The reload that Chromium revalidated, recorded as 200, was a 304.
			want = []int{200, 200, 206, 304, 304}
		}
		if r.Entries != len(statuses[r.URL]) || !slices.Equal(r.Statuses, want) {
			t.Errorf("%s: %d entries, statuses %v; want %d, %v", r.URL, r.Entries, r.Statuses, len(statuses[r.URL]), want)
		}
	}
	if checked != len(entries) {
		t.Errorf("%d entries checked of %d", checked, len(entries))
	}

	broken := map[string]struct{ id, ref string }{
		recordedHTTP1 + "/200?header=ETag:abc":         {conform.RuleETagSyntax, "RFC 9110, section 8.8.3"},
		recordedHTTP2 + "/503?header=Retry-After:soon": {conform.RuleRetryAfterSyntax, "RFC 9110, section 10.2.3"},
	}
	for u, want := range broken {
		r, ok := byURL[u]
		if !ok {
			t.Errorf("no result for %s", u)
			continue
		}
		if !slices.ContainsFunc(r.Findings, func(f conform.Finding) bool {
			return f.ID == want.id && f.Severity == conform.SeverityError && f.Ref.String() == want.ref
		}) {
			t.Errorf("%s: no error %s with the reference %s in %v", u, want.id, want.ref, r.Findings)
		}
	}
	for _, r := range results {
		if _, ok := broken[r.URL]; ok {
			continue
		}
		for _, f := range r.Findings {
			if f.Severity > conform.SeverityInfo {
				t.Errorf("%s: %s, though the server sent it right", r.URL, f)
			}
		}
	}
}
