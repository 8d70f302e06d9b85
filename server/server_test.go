package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/conform"
)

// start returns a Server and a test server over it on loopback, with a
// client that does not follow redirects.
func start(t *testing.T, opts ...Option) (*Server, *httptest.Server, *http.Client) {
	t.Helper()
	s := New(opts...)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return s, ts, c
}

// do sends a request and returns the response with its body read.
func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return res, string(b)
}

func newReq(t *testing.T, method, url string, header ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return req
}

// TestEveryCode sends GET and HEAD for every code from 100 to 599 on both
// routes and checks the status, the header fields the registry's rules
// name, the content rules, and that the conformance checker finds no
// broken MUST.
func TestEveryCode(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for code := 100; code <= 599; code++ {
		if code == 444 || code == http.StatusSwitchingProtocols {
			continue // tested on their own: no response, and upgrade only
		}
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			route := "/"
			if code%2 == 1 {
				route = "/status/"
			}
			t.Run(fmt.Sprintf("%s_%d", method, code), func(t *testing.T) {
				t.Parallel()
				checkCode(t, c, method, ts.URL+route+strconv.Itoa(code), code)
			})
		}
	}
}

func checkCode(t *testing.T, c *http.Client, method, url string, code int) {
	t.Helper()
	var interim []int
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		interim = append(interim, code)
		return nil
	}}
	req := newReq(t, method, url)
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	findings := conform.Check(res)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want := code
	if code < 200 {
		want = http.StatusOK
		if len(interim) == 0 || interim[0] != code {
			t.Errorf("interim responses %v, want %d", interim, code)
		}
	}
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d", res.StatusCode, want)
	}
	for _, f := range findings {
		if f.Severity == conform.SeverityError {
			t.Errorf("conformance: %s", f)
		}
	}
	e, known := httpstatus.Lookup(want)
	if known {
		for _, rule := range e.Headers {
			present := res.Header.Get(rule.Field) != ""
			if rule.Field == "Connection" && res.Close {
				present = true // net/http's client takes "close" out of the header into Close
			}
			switch {
			case rule.Level == httpstatus.LevelMustNot && rule.Applies == httpstatus.AppliesAlways && present:
				t.Errorf("%s is present; the rule says %s", rule.Field, rule.Level)
			case rule.Level == httpstatus.LevelMust || rule.Level == httpstatus.LevelShould || rule.Level == httpstatus.LevelMay:
				gen, ok := generators[http.CanonicalHeaderKey(rule.Field)]
				if !ok || gen.value(&exchange{r: req, code: want}) == "" {
					continue // a field this server's 200 does not carry
				}
				if !present {
					t.Errorf("%s is missing; the rule says %s %s", rule.Field, rule.Level, rule.When)
				}
			}
		}
	}
	noContent := known && e.Content == httpstatus.ContentNone
	switch {
	case want == http.StatusPartialContent:
		// The content is part of the sample resource: TestSpecialCodes.
	case method == http.MethodHead || noContent:
		if len(body) != 0 {
			t.Errorf("%d bytes of content, want none", len(body))
		}
	case !strings.Contains(string(body), strconv.Itoa(want)):
		t.Errorf("body does not state the code %d: %q", want, body)
	}
}

// TestCacheMatchesEveryCode checks that the responses kept by the cache are
// the responses the ordinary path writes, for every code, both methods and
// every media type.
func TestCacheMatchesEveryCode(t *testing.T) {
	t.Parallel()
	s := New()
	for code := 200; code <= 599; code++ {
		if code == 444 {
			continue // closes the connection
		}
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			for _, accept := range []string{"", "application/json", "text/html", "text/plain"} {
				target := "/" + strconv.Itoa(code)
				if code%3 == 0 {
					target = "/status/" + strconv.Itoa(code)
				}
				serve := func(h http.Handler) *httptest.ResponseRecorder {
					req := httptest.NewRequest(method, target, nil)
					if accept != "" {
						req.Header.Set("Accept", accept)
					}
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					return w
				}
				serve(s) // renders and keeps the response
				got := [2]*httptest.ResponseRecorder{serve(s), serve(s.mux)}
				a, b := got[0].Result(), got[1].Result()
				if a.StatusCode != b.StatusCode || got[0].Body.String() != got[1].Body.String() {
					t.Errorf("%s %s %q: fast %d %q, ordinary %d %q", method, target, accept, a.StatusCode, got[0].Body, b.StatusCode, got[1].Body)
				}
				for k := range b.Header {
					if k != "Content-Length" && a.Header.Get(k) != b.Header.Get(k) {
						t.Errorf("%s %s %q: %s fast %q, ordinary %q", method, target, accept, k, a.Header.Get(k), b.Header.Get(k))
					}
				}
			}
		}
	}
}

// TestSpecialCodes covers the codes whose answer depends on the request.
func TestSpecialCodes(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithRedirectHosts("example.org"))
	basic := func(user, pass string) string {
		r, _ := http.NewRequest("GET", "/", nil)
		r.SetBasicAuth(user, pass)
		return r.Header.Get("Authorization")
	}
	tests := []struct {
		name, method, path string
		header             []string
		status             int
		wantHeader         map[string]string
		body               string // a substring of the body, or "" for none checked
		noBody             bool
		atLeast            time.Duration // the least time the answer may take: the delays asked for
	}{
		{name: "301 default target", path: "/301", status: 301, wantHeader: map[string]string{"Location": "/200"}},
		{name: "307 status route", path: "/status/307", status: 307, wantHeader: map[string]string{"Location": "/status/200"}},
		{name: "302 relative target", path: "/302?location=/somewhere%3Fa=1", status: 302, wantHeader: map[string]string{"Location": "/somewhere?a=1"}},
		{name: "308 allowed host", path: "/308?location=https://example.org/x", status: 308, wantHeader: map[string]string{"Location": "https://example.org/x"}},
		{name: "303 target by header", path: "/303", header: []string{"X-HttpStatus-Location", "/there"}, status: 303, wantHeader: map[string]string{"Location": "/there"}},
		{name: "201 location", path: "/201", status: 201, wantHeader: map[string]string{"Location": "/200"}},
		{name: "401 challenge", path: "/401", status: 401, wantHeader: map[string]string{"WWW-Authenticate": basicChallenge}},
		{name: "401 wrong password", path: "/401?user=ann&password=pw", header: []string{"Authorization", basic("ann", "no")}, status: 401},
		{name: "401 credentials", path: "/401?user=ann&password=pw", header: []string{"Authorization", basic("ann", "pw")}, status: 200, body: "granted"},
		{name: "401 credentials by header", path: "/401", header: []string{"X-HttpStatus-User", "bo", "X-HttpStatus-Password", "s3", "Authorization", basic("bo", "s3")}, status: 200},
		{name: "407 challenge", path: "/407", status: 407, wantHeader: map[string]string{"Proxy-Authenticate": basicChallenge}},
		{name: "407 credentials", path: "/407?user=ann&password=pw", header: []string{"Proxy-Authorization", basic("ann", "pw")}, status: 200},
		{name: "405 allow", path: "/405", status: 405, wantHeader: map[string]string{"Allow": "POST, PUT, PATCH, DELETE, OPTIONS"}},
		{name: "416 range", path: "/416", status: 416, wantHeader: map[string]string{"Content-Range": "bytes */1024"}},
		{name: "426 upgrade", path: "/426", status: 426, wantHeader: map[string]string{"Upgrade": "HTTP/2.0"}},
		{name: "429 retry-after", path: "/429", status: 429, wantHeader: map[string]string{"Retry-After": "1", "Cache-Control": "no-store"}},
		{name: "503 retry-after chosen", path: "/503?retry-after=2500ms", status: 503, wantHeader: map[string]string{"Retry-After": "3"}},
		{name: "206 default part", path: "/206", status: 206, wantHeader: map[string]string{"Content-Range": "bytes 0-99/1024", "Content-Length": "100"}, body: sample[:100]},
		{name: "206 range", path: "/206", header: []string{"Range", "bytes=1000-"}, status: 206, wantHeader: map[string]string{"Content-Range": "bytes 1000-1023/1024"}, body: sample[1000:]},
		{name: "206 suffix", path: "/206", header: []string{"Range", "bytes=-5"}, status: 206, wantHeader: map[string]string{"Content-Range": "bytes 1019-1023/1024"}, body: sample[1019:]},
		{name: "206 unsatisfiable", path: "/206", header: []string{"Range", "bytes=5000-"}, status: 416, wantHeader: map[string]string{"Content-Range": "bytes */1024"}},
		{name: "206 head", method: "HEAD", path: "/206", status: 206, wantHeader: map[string]string{"Content-Length": "100"}, noBody: true},
		{name: "304 etag", path: "/304", status: 304, wantHeader: map[string]string{"ETag": sampleETag}, noBody: true},
		{name: "204", path: "/204", status: 204, noBody: true},
		{name: "205", path: "/205", status: 205, noBody: true},
		{name: "451 link", path: "/451", status: 451, wantHeader: map[string]string{"Link": `</>; rel="blocked-by"`}},
		{name: "unofficial 299", path: "/299", status: 299, body: "299"},
		{name: "101 without upgrade", path: "/101", status: 400, body: "Upgrade"},
		{name: "extra headers", path: "/200?header=X-One:%201", header: []string{"X-HttpStatus-Response-X-Two", "2"}, status: 200, wantHeader: map[string]string{"X-One": "1", "X-Two": "2"}},
		{name: "extra header replaces", path: "/429", header: []string{"X-HttpStatus-Response-Retry-After", "120"}, status: 429, wantHeader: map[string]string{"Retry-After": "120"}},
		{name: "suppress body", path: "/500?suppressBody=true", status: 500, wantHeader: map[string]string{"Content-Length": "0"}, noBody: true},
		{name: "suppress body by header", path: "/404", header: []string{"X-HttpStatus-Suppress-Body", "true"}, status: 404, noBody: true},
		{name: "text body", path: "/503", header: []string{"Accept", "text/plain"}, status: 503, wantHeader: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, body: "temporary"},
		{name: "html body", path: "/404", header: []string{"Accept", "text/html"}, status: 404, wantHeader: map[string]string{"Content-Type": "text/html; charset=utf-8"}, body: "Not Found"},
		{name: "problem body", path: "/410", status: 410, wantHeader: map[string]string{"Content-Type": "application/problem+json"}, body: `"condition":"permanent"`},
		{name: "delay", path: "/200?delay=30ms", status: 200, body: `"status":200`, atLeast: 30 * time.Millisecond},
		{name: "delay by header", path: "/202", header: []string{"X-HttpStatus-Sleep", "30"}, status: 202, body: `"status":202`, atLeast: 30 * time.Millisecond},
		{name: "delay after headers and dribble", path: "/200?delay-after-headers=5ms&dribble=20ms", status: 200, body: `"status":200`, atLeast: 25 * time.Millisecond},
		{name: "dribble true", path: "/418?dribble=true&delay=0", status: 418, body: `"status":418`, atLeast: time.Second},
		{name: "request body drained", method: "POST", path: "/200", status: 200},
		{name: "not found", path: "/no/such/thing", status: 404, body: "openapi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req := newReq(t, method, ts.URL+tt.path, tt.header...)
			if method == http.MethodPost {
				req.Body = io.NopCloser(strings.NewReader("hello"))
				req.ContentLength = 5
			}
			start := time.Now()
			res, body := do(t, c, req)
			took := time.Since(start)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, tt.status, body)
			}
			if took < tt.atLeast {
				t.Errorf("answered in %v, before the %v asked for", took, tt.atLeast)
			}
			for k, v := range tt.wantHeader {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if tt.body != "" && !strings.Contains(body, tt.body) {
				t.Errorf("body %q does not contain %q", body, tt.body)
			}
			if tt.noBody && body != "" {
				t.Errorf("body %q, want none", body)
			}
		})
	}
}

// TestInterim checks 1xx responses: a real interim response, then the
// final one; 103 with its Link hints; none for an HTTP/1.0 client.
func TestInterim(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for _, code := range []int{100, 102, 103, 104, 150, 199} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			var got []int
			var link string
			var interim textproto.MIMEHeader
			trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
				got = append(got, code)
				link = h.Get("Link")
				interim = h
				return nil
			}}
			req := newReq(t, "GET", ts.URL+"/"+strconv.Itoa(code))
			req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
			res, body := do(t, c, req)
			if res.StatusCode != 200 || len(got) != 1 || got[0] != code {
				t.Fatalf("final %d, interim %v; want 200 after %d", res.StatusCode, got, code)
			}
			// The final response says what it is, not that 200 was asked for.
			if detail := problemDetail(t, body); !strings.Contains(detail, "after the interim "+strconv.Itoa(code)) || strings.Contains(detail, "asked for 200") {
				t.Errorf("final detail %q, want it to name the interim %d", detail, code)
			}
			if code == 103 && !strings.Contains(link, "preload") {
				t.Errorf("103 Link %q, want a preload hint", link)
			}
			// draft-ietf-httpbis-resumable-upload-05, 4 and 4.2: the (first)
			// 104 names the upload resource and the interop version.
			if code == 104 && (interim.Get("Location") == "" || interim.Get("Upload-Draft-Interop-Version") != "6") {
				t.Errorf("104 header %v, want Location and Upload-Draft-Interop-Version: 6", interim)
			}
		})
	}
	t.Run("HTTP/1.0", func(t *testing.T) {
		t.Parallel()
		raw := rawExchange(t, ts.Listener.Addr().String(), "GET /103 HTTP/1.0\r\nHost: x\r\n\r\n")
		if !strings.HasPrefix(raw, "HTTP/1.0 200") && !strings.HasPrefix(raw, "HTTP/1.1 200") {
			t.Errorf("HTTP/1.0 client got %q, want the final 200 first", firstLine(raw))
		}
		if !strings.Contains(raw, "final response to a request for 103 (Early Hints)") {
			t.Errorf("HTTP/1.0 client got %q, want a body that names the 103 asked for", raw)
		}
	})
}

// TestSwitchingProtocols checks that 101 answers an upgrade request and
// then closes the connection.
func TestSwitchingProtocols(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	raw := rawExchange(t, ts.Listener.Addr().String(),
		"GET /101 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket, foo\r\n\r\n")
	if !strings.HasPrefix(raw, "HTTP/1.1 101 Switching Protocols\r\n") || !strings.Contains(raw, "\r\nUpgrade: websocket\r\n") {
		t.Errorf("got %q", raw)
	}
}

// TestConnectionFaults checks 444 and the fault control: the client sees
// the connection close at the point asked for.
func TestConnectionFaults(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		path        string
		header      []string
		headersSent bool // whether the client gets a status before the error
	}{
		{path: "/444"},
		{path: "/status/444"},
		{path: "/200?fault=before-headers"},
		{path: "/500", header: []string{"X-HttpStatus-AbortBeforeHeaders", "true"}},
		{path: "/200?fault=after-headers", headersSent: true},
		{path: "/404?abortAfterHeaders=true", headersSent: true},
		{path: "/200?fault=in-body", headersSent: true},
		{path: "/503", header: []string{"X-HttpStatus-AbortDuringBody", "true"}, headersSent: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			res, err := c.Do(newReq(t, "GET", ts.URL+tt.path, tt.header...))
			if !tt.headersSent {
				if err == nil {
					res.Body.Close()
					t.Fatalf("got %d, want the connection closed", res.StatusCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("the header section did not arrive: %v", err)
			}
			defer res.Body.Close()
			if res.StatusCode == 204 {
				return // no content to cut: the connection closes after the header section
			}
			if _, err := io.ReadAll(res.Body); err == nil {
				t.Errorf("the body arrived whole; want it cut")
			}
		})
	}
}

// TestRandom checks random and weighted lists and the seed.
func TestRandom(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	_, ts2, c2 := start(t)
	sequence := func(ts *httptest.Server, c *http.Client, path string) []int {
		var codes []int
		for range 12 {
			res, _ := do(t, c, newReq(t, "GET", ts.URL+path))
			codes = append(codes, res.StatusCode)
		}
		return codes
	}
	a := sequence(ts, c, "/random/200,500-504?seed=42")
	b := sequence(ts2, c2, "/random/200,500-504?seed=42")
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("seeded sequences differ: %v and %v", a, b)
	}
	for _, code := range a {
		if code != 200 && (code < 500 || code > 504) {
			t.Errorf("code %d is not in 200,500-504", code)
		}
	}
	for _, code := range sequence(ts, c, "/status/200:1,503:0") {
		if code != 200 {
			t.Errorf("weighted 200:1,503:0 gave %d", code)
		}
	}
	for _, code := range sequence(ts, c, "/status/201,202") {
		if code != 201 && code != 202 {
			t.Errorf("list 201,202 gave %d", code)
		}
	}
}

// TestBadInput checks that bad input of every kind gets a clear 4xx
// problem, never a 500, a panic or a hang.
func TestBadInput(t *testing.T) {
	t.Parallel()
	s := New(WithLimits(Limits{MaxDelay: time.Second, MaxBody: 16}))
	ts := httptest.NewUnstartedServer(s)
	ts.Config.MaxHeaderBytes = 4096
	ts.Start()
	t.Cleanup(ts.Close)
	c := ts.Client()
	tests := []struct {
		name, path string
		header     []string
		body       string
		status     int
	}{
		{"not a number", "/abc", nil, "", 400},
		{"two digits", "/99", nil, "", 400},
		{"below range", "/099", nil, "", 400},
		{"above range", "/600", nil, "", 400},
		{"four digits", "/1000", nil, "", 400},
		{"overflow", "/99999999999999999999999999", nil, "", 400},
		{"negative", "/-200", nil, "", 400},
		{"plus sign", "/+20", nil, "", 400},
		{"status not a number", "/status/teapot", nil, "", 400},
		{"status out of range", "/status/700", nil, "", 400},
		{"weighted out of range", "/status/1000:1", nil, "", 400},
		{"weighted negative weight", "/status/200:-1,500:1", nil, "", 400},
		{"weighted NaN", "/status/200:NaN", nil, "", 400},
		{"weighted infinite", "/status/200:Inf", nil, "", 400},
		{"weighted all zero", "/status/200:0,500:0", nil, "", 400},
		{"weighted huge", "/status/200:1e308,500:1e308", nil, "", 400},
		{"weighted no code", "/status/:1", nil, "", 400},
		{"random empty item", "/random/200,,500", nil, "", 400},
		{"random backwards", "/random/504-500", nil, "", 400},
		{"random out of range", "/random/100-700", nil, "", 400},
		{"random too many", "/random/" + strings.Repeat("200,", maxChoices) + "200", nil, "", 400},
		{"negative delay", "/200?delay=-5ms", nil, "", 400},
		{"negative delay by header", "/200", []string{"X-HttpStatus-Sleep", "-1"}, "", 400},
		{"delay over limit", "/200?delay=2s", nil, "", 400},
		{"delays add over limit", "/200?delay=600ms&delay-after-headers=600ms", nil, "", 400},
		{"delay huge ms", "/200?sleep=99999999999999999999", nil, "", 400},
		{"delay not a duration", "/200?delay=soon", nil, "", 400},
		{"dribble bad", "/200?dribble=maybe", nil, "", 400},
		{"fault unknown", "/200?fault=sideways", nil, "", 400},
		{"bool bad", "/200?suppressBody=perhaps", nil, "", 400},
		{"seed bad", "/random/200,500?seed=-1", nil, "", 400},
		{"retry-after bad", "/503?retry-after=x", nil, "", 400},
		{"unknown parameter", "/200?bogus=1", nil, "", 400},
		{"unknown control header", "/200", []string{"X-HttpStatus-Bogus", "1"}, "", 400},
		{"bad query encoding", "/200?delay=%zz", nil, "", 400},
		{"control character in header", "/200?header=X-A:%01b", nil, "", 400},
		{"newline in header", "/200?header=X-A:b%0d%0aX-B:c", nil, "", 400},
		{"newline before a header value", "/200?header=X-A:%0d%0aSet-Cookie:%20a=b", nil, "", 400},
		{"newline after a header value", "/200?header=X-A:b%0a", nil, "", 400},
		{"header without colon", "/200?header=X-A", nil, "", 400},
		{"bad header name", "/200?header=X%20A:b", nil, "", 400},
		{"hop-by-hop header", "/200?header=Connection:close", nil, "", 400},
		{"hop-by-hop by request header", "/200", []string{"X-HttpStatus-Response-Transfer-Encoding", "chunked"}, "", 400},
		{"content-length header", "/200?header=Content-Length:5", nil, "", 400},
		{"query and header of one control", "/418?dribble=true", []string{"X-HttpStatus-Dribble", "20ms"}, "", 400},
		{"fault in the body of 204", "/204?fault=in-body", nil, "", 400},
		{"redirect elsewhere", "/302?location=https://evil.example/", nil, "", 400},
		{"redirect protocol-relative", "/302?location=//evil.example/", nil, "", 400},
		{"redirect backslash", "/302?location=/%5Cevil.example", nil, "", 400},
		{"redirect javascript", "/302?location=javascript:alert(1)", nil, "", 400},
		{"redirect by extra header", "/302", []string{"X-HttpStatus-Response-Location", "https://evil.example/"}, "", 400},
		{"body over limit", "/200", nil, strings.Repeat("x", 17), 413},
		{"oversized header", "/200", []string{"X-Big", strings.Repeat("b", 20000)}, "", 431},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newReq(t, "GET", ts.URL+tt.path, tt.header...)
			if tt.body != "" {
				req.Method = http.MethodPost
				req.Body = io.NopCloser(strings.NewReader(tt.body))
				req.ContentLength = int64(len(tt.body))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res, body := do(t, c, req.WithContext(ctx))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, tt.status, body)
			}
			if tt.status == 431 {
				return // written by net/http before the handler runs
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want a problem", ct)
			}
			var p struct {
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != tt.status || p.Detail == "" {
				t.Errorf("problem %s (%v): want status %d and a detail", body, err, tt.status)
			}
		})
	}
}

// TestWaitingLimit checks that a server holding as many delayed requests
// as its limit answers the next one 503 with Retry-After, and that a
// request without a delay still passes.
func TestWaitingLimit(t *testing.T) {
	t.Parallel()
	s, ts, c := start(t, WithLimits(Limits{MaxWaiting: 1}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		req := newReq(t, "GET", ts.URL+"/200?delay=20s").WithContext(ctx)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	waitFor(t, func() bool { return s.Waiting() == 1 })
	res, body := do(t, c, newReq(t, "GET", ts.URL+"/200?delay=10ms"))
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" {
		t.Errorf("over the limit: %d, Retry-After %q; want 503 with Retry-After (%s)", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if res, _ := do(t, c, newReq(t, "GET", ts.URL+"/200")); res.StatusCode != 200 {
		t.Errorf("a request without delay got %d", res.StatusCode)
	}
	cancel()
	<-done
	waitFor(t, func() bool { return s.Waiting() == 0 })
}

// TestCancelledDelaysLeaveNoGoroutine checks that clients that go away
// during a delay free the server's goroutines and waiting slots at once.
func TestCancelledDelaysLeaveNoGoroutine(t *testing.T) {
	// Not parallel: it counts the goroutines of the whole process.
	s := New()
	ts := httptest.NewServer(s)
	defer ts.Close()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	before := runtime.NumGoroutine()
	const n = 20
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, n)
	for i := range n {
		go func() {
			path := "/200?delay=30s"
			if i%2 == 1 {
				path = "/200?delay-after-headers=30s"
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
			res, err := c.Do(req)
			if err == nil {
				_, err = io.ReadAll(res.Body)
				res.Body.Close()
			}
			errs <- err
		}()
	}
	waitFor(t, func() bool { return s.Waiting() == n })
	cancel()
	for range n {
		if err := <-errs; err == nil {
			t.Error("a cancelled request succeeded")
		}
	}
	waitFor(t, func() bool { return s.Waiting() == 0 })
	tr.CloseIdleConnections()
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

// TestHTTP2 checks interim responses, no-content rules and faults over
// HTTP/2 with TLS.
func TestHTTP2(t *testing.T) {
	t.Parallel()
	ts := httptest.NewUnstartedServer(New())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(ts.Close)
	c := ts.Client()
	for _, code := range []int{103, 200, 204, 304, 404} {
		res, body := do(t, c, newReq(t, "GET", ts.URL+"/"+strconv.Itoa(code)))
		want := max(code, 200)
		if res.ProtoMajor != 2 || res.StatusCode != want {
			t.Errorf("%d over %s: %d", code, res.Proto, res.StatusCode)
		}
		if (code == 204 || code == 304) && body != "" {
			t.Errorf("%d has content %q", code, body)
		}
	}
	if _, err := c.Get(ts.URL + "/444"); err == nil {
		t.Error("444 over HTTP/2 answered; want the stream reset")
	}
	// Go's client sends upgrade requests over HTTP/1.1, so ask the
	// handler directly.
	r := httptest.NewRequest("GET", "/101", nil)
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/2.0", 2, 0
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Connection", "Upgrade")
	w := httptest.NewRecorder()
	New().ServeHTTP(w, r)
	if w.Code != 400 {
		t.Errorf("101 over HTTP/2: %d %s, want 400", w.Code, w.Body)
	}
}

// TestEveryRuleHasGenerator fails when the registry names a header field
// a code needs that the server has no value for.
func TestEveryRuleHasGenerator(t *testing.T) {
	t.Parallel()
	for e := range httpstatus.Codes() {
		for _, rule := range e.Headers {
			if rule.Level == httpstatus.LevelMustNot || rule.Level == httpstatus.LevelShouldNot {
				continue
			}
			if _, ok := generators[http.CanonicalHeaderKey(rule.Field)]; !ok {
				t.Errorf("%d: no generator for %s (%s %s)", e.Code, rule.Field, rule.Level, rule.When)
			}
		}
	}
}

// rawExchange sends a raw request and returns everything the server sends
// until it closes the connection or a second passes.
func rawExchange(t *testing.T, addr, request string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_, _ = io.Copy(&b, bufio.NewReader(conn))
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\r\n")
	return line
}

// waitFor polls cond until it holds, failing the test after five seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCacheDate checks that a response of the cache carries a Date
// field in the HTTP date format, as net/http would have sent.
func TestCacheDate(t *testing.T) {
	t.Parallel()
	s := New()
	for range 2 { // the first renders, the second is kept
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/404", nil))
		if _, err := http.ParseTime(w.Header().Get("Date")); err != nil {
			t.Errorf("Date %q: %v", w.Header().Get("Date"), err)
		}
	}
}

// TestCacheKeepsProtocolsApart checks that a response the cache
// kept for one protocol is not served on another: a 426 with Upgrade and
// Connection: Upgrade over HTTP/1.1, a 400 problem over HTTP/2 (which
// forbids Upgrade), whichever protocol asked first.
func TestCacheKeepsProtocolsApart(t *testing.T) {
	t.Parallel()
	for _, first := range []int{1, 2} {
		s := New()
		for _, major := range []int{first, 3 - first, first, 3 - first} {
			r := httptest.NewRequest(http.MethodGet, "/426", nil)
			if major == 2 {
				r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/2.0", 2, 0
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			want, wantCode, wantUpgrade := "", http.StatusBadRequest, ""
			if major == 1 {
				want, wantCode, wantUpgrade = "Upgrade", http.StatusUpgradeRequired, "HTTP/2.0"
			}
			if got := w.Header().Get("Connection"); got != want || w.Code != wantCode || w.Header().Get("Upgrade") != wantUpgrade {
				t.Errorf("HTTP/%d first, then HTTP/%d: %d with Connection %q, Upgrade %q; want %d with %q, %q",
					first, major, w.Code, got, w.Header().Get("Upgrade"), wantCode, want, wantUpgrade)
			}
		}
	}
}

// TestReasonPhrases checks the phrase of every registered code's status
// line over HTTP/1.1 against wirePhrase, from which docs/server.md lists
// where it is not the registry's: it fails when net/http starts writing
// other phrases. 101's status line is the server's own, the registry's.
func TestReasonPhrases(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	var conn net.Conn
	var br *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for code := 100; code <= 599; code++ {
		if _, ok := httpstatus.Lookup(code); !ok || code == 444 || code == http.StatusSwitchingProtocols {
			continue
		}
		if conn == nil {
			var err error
			if conn, err = net.Dial("tcp", ts.Listener.Addr().String()); err != nil {
				t.Fatal(err)
			}
			_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard against a hang
			br = bufio.NewReader(conn)
		}
		if _, err := fmt.Fprintf(conn, "GET /%d HTTP/1.1\r\nHost: x\r\n\r\n", code); err != nil {
			t.Fatal(err)
		}
		for first := true; ; first = false {
			res, err := http.ReadResponse(br, &http.Request{Method: "GET"})
			if err != nil {
				t.Fatalf("%d: %v", code, err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if want := fmt.Sprintf("%d %s", code, wirePhrase(code)); first && res.Status != want {
				t.Errorf("status line %q, want %q", res.Status, want)
			}
			if res.StatusCode >= 200 {
				if res.Close { // 408
					conn.Close()
					conn = nil
				}
				break
			}
		}
	}
	raw := rawExchange(t, ts.Listener.Addr().String(), "GET /101 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n")
	if e, _ := httpstatus.Lookup(101); firstLine(raw) != "HTTP/1.1 101 "+e.Phrase {
		t.Errorf("101 status line %q, want the registry's phrase %q", firstLine(raw), e.Phrase)
	}
}
