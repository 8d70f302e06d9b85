package conform

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

func FuzzCheckRaw(f *testing.F) {
	for _, rc := range ruleCases {
		f.Add([]byte(rc.bad), rc.method == http.MethodHead)
		f.Add([]byte(crlf(rc.good)), false)
	}
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nabc"), false)
	f.Fuzz(func(t *testing.T, raw []byte, head bool) {
		var req *http.Request
		if head {
			req, _ = http.NewRequest(http.MethodHead, "http://example.com/", nil)
		}
		fs, err := CheckRaw(bytes.NewReader(raw), req)
		if err != nil && fs != nil {
			t.Fatal("findings and an error")
		}
		for _, f := range fs {
			if f.ID == "" || f.Summary == "" || f.Severity < SeverityInfo || f.Severity > SeverityError {
				t.Fatalf("malformed finding %+v", f)
			}
		}
	})
}

func FuzzParseAllow(f *testing.F) {
	for _, s := range []string{"", "GET", "GET, HEAD", "GET,,POST", "GET POST", " GET ,\tPUT "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		methods, err := parseAllow(s)
		if err != nil {
			return
		}
		for _, m := range methods {
			if !httptext.IsToken(m) {
				t.Fatalf("parseAllow(%q) accepted %q", s, m)
			}
		}
	})
}

func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{`Basic realm="x"`, `Basic realm="x", charset="UTF-8", Bearer`, `Negotiate abc==`,
		`Bearer realm="a\"b", error="invalid_token"`, `realm="x"`, `Basic realm="x`, ``, `, ,Basic`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := parseChallenges(s)
		if err != nil {
			return
		}
		if len(cs) == 0 {
			t.Fatalf("parseChallenges(%q) accepted no challenge", s)
		}
		for _, c := range cs {
			if !httptext.IsToken(c.scheme) {
				t.Fatalf("parseChallenges(%q): scheme %q", s, c.scheme)
			}
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "1.5", "-1", "Mon, 02 Jan 2006 15:04:05 GMT", "Monday, 02-Jan-06 15:04:05 GMT", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = parseRetryAfter(s)
		if _, err := parseHTTPDate(s); err == nil {
			if len(s) != len("Mon, 02 Jan 2006 15:04:05 GMT") {
				t.Fatalf("parseHTTPDate accepted %q", s)
			}
		}
	})
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-4/10", "bytes */10", "bytes 0-4/*", "bytes 5-3/10", "bytes */*", "pages 1-2/3", "bytes 0-99999999999999999999/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cr, err := parseContentRange(s)
		if err != nil || cr.unsatisfied || cr.unit != "bytes" {
			return
		}
		if cr.last < cr.first || (cr.complete >= 0 && cr.complete <= cr.last) {
			t.Fatalf("parseContentRange(%q) accepted an impossible range %+v", s, cr)
		}
	})
}

func FuzzParseContentLength(f *testing.F) {
	for _, s := range []string{"0", "42", "5, 5", "+5", "-1", " 7 ", "99999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := parseContentLength([]string{s}); err == nil && n < 0 {
			t.Fatalf("parseContentLength(%q) = %d", s, n)
		}
	})
}

func FuzzParseURIReference(f *testing.F) {
	for _, s := range []string{"/a", "https://example.com/a?b#c", "/a b", "http://[::1/", "%zz", "a#b#c", "//host", "mailto:x@y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := parseURIReference(s); err == nil {
			for i := 0; i < len(s); i++ {
				if s[i] <= ' ' || s[i] >= 0x7f {
					t.Fatalf("parseURIReference accepted %q", s)
				}
			}
		}
	})
}

func FuzzParseCacheControl(f *testing.F) {
	for _, s := range []string{"max-age=60, public", `no-cache="Set-Cookie, Authorization"`, "max-age=60; public", `private="x`, ", ,no-store", "s-maxage=\"60\"", "=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := parseCacheControl([]string{s})
		if err != nil {
			return
		}
		for _, d := range ds {
			if !httptext.IsToken(d.name) || (d.hasArg && !d.quoted && !httptext.IsToken(d.arg)) {
				t.Fatalf("parseCacheControl(%q) accepted %+v", s, d)
			}
		}
	})
}

func FuzzCheckHAR(f *testing.F) {
	f.Add([]byte(`{"log": {"entries": [{"request": {"method": "GET", "url": "https://x/", "headers": [{"name": ":path", "value": "/"}]},
		"response": {"status": 304, "headers": [{"name": "content-type", "value": "text/plain"}], "content": {"size": 0}}}]}}`))
	f.Add([]byte(`{"log": {"entries": [{"request": {"url": "%zz"}, "response": {"status": 200, "content": {"text": "aGk=", "encoding": "base64"}}}]}}`))
	f.Add([]byte(`{"log": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		results, err := CheckHAR(bytes.NewReader(data))
		if err != nil && results != nil {
			t.Fatal("results and an error")
		}
		for _, r := range results {
			if r.Entries != len(r.Statuses) || r.Findings == nil {
				t.Fatalf("malformed result %+v", r)
			}
		}
	})
}
