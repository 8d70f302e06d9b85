package server

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// problemDetail returns the detail of a problem body, or "" when body is
// none.
func problemDetail(t *testing.T, body string) string {
	t.Helper()
	var p struct {
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return ""
	}
	return p.Detail
}

// TestControlGivenTwice checks that a control given twice, by any of its
// spellings, and two spellings of the fault, are a 400 that names both;
// header alone repeats.
func TestControlGivenTwice(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		name, path string
		header     []string
		names      []string // what the detail must name
	}{
		{"same parameter", "/200?delay=1&delay=2", nil, []string{"delay is given twice"}},
		{"alias", "/200?delay=0&sleep=0", nil, []string{"delay", "sleep"}},
		{"alias in either case", "/200?sleep=0&DELAY=0", nil, []string{"sleep", "DELAY"}},
		{"query and header", "/200?delay=0", []string{"X-HttpStatus-Delay", "0"}, []string{"X-HttpStatus-Delay", "delay"}},
		{"header alias and query", "/200?suppressBody=true", []string{"X-HttpStatus-Suppress-Body", "true"}, []string{"X-HttpStatus-Suppress-Body", "suppressBody"}},
		{"two header aliases", "/200", []string{"X-HttpStatus-Delay", "0", "X-HttpStatus-Sleep", "0"}, []string{"X-HttpStatus-Delay", "X-HttpStatus-Sleep"}},
		{"header twice", "/200", []string{"X-HttpStatus-Delay", "0", "X-HttpStatus-Delay", "0"}, []string{"X-HttpStatus-Delay is given twice"}},
		{"fault and an alias", "/200?fault=in-body&abortAfterHeaders=true", nil, []string{"fault", "abortAfterHeaders", "contradict"}},
		{"two fault aliases", "/200?abortBeforeHeaders=false&abortDuringBody=true", nil, []string{"abortBeforeHeaders", "abortDuringBody", "contradict"}},
		{"fault by header and alias by query", "/200?abortDuringBody=true", []string{"X-HttpStatus-Fault", "in-body"}, []string{"X-HttpStatus-Fault", "abortDuringBody"}},
		{"seed twice", "/random/200,201?seed=1&seed=1", nil, []string{"seed is given twice"}},
		{"key by query and header, differing", "/200?key=a", []string{"X-HttpStatus-Key", "b"}, []string{"X-HttpStatus-Key", "key"}},
		{"key by query twice, agreeing", "/200?key=a&key=a", nil, []string{"key is given twice"}},
		{"code by header twice", "/redirect/1", []string{"X-HttpStatus-Code", "307", "X-HttpStatus-Code", "307"}, []string{"X-HttpStatus-Code is given twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, body := do(t, c, newReq(t, "GET", ts.URL+tt.path, tt.header...))
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", res.StatusCode, body)
			}
			detail := problemDetail(t, body)
			for _, n := range tt.names {
				if !strings.Contains(detail, n) {
					t.Errorf("detail %q does not name %q", detail, n)
				}
			}
		})
	}
	t.Run("header repeats", func(t *testing.T) {
		t.Parallel()
		res, body := do(t, c, newReq(t, "GET", ts.URL+"/200?header=X-A:1&header=X-A:2&header=X-B:3", "X-HttpStatus-Response-X-C", "4"))
		if res.StatusCode != 200 || !slices.Equal(res.Header.Values("X-A"), []string{"1", "2"}) || res.Header.Get("X-B") != "3" || res.Header.Get("X-C") != "4" {
			t.Errorf("status %d, header %v; want 200 with X-A: 1, 2, X-B and X-C; body %s", res.StatusCode, res.Header, body)
		}
	})
}

// TestCarriedControls checks that a client that gave its key by header,
// and follows a URL the server sent it, which carries the key as a
// parameter, stays in its run: the header it sends again agrees with the
// parameter.
func TestCarriedControls(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	follow := &http.Client{Transport: ts.Client().Transport} // follows redirects, sending its own header fields again to the same host
	req := newReq(t, "GET", ts.URL+"/redirect/3?code=307&absolute=true", "X-HttpStatus-Key", "carried")
	res, body := do(t, follow, req)
	if res.StatusCode != http.StatusOK || res.Request.URL.Query().Get("key") != "carried" {
		t.Fatalf("after the chain: %d at %s, body %s; want 200 at a URL that carries the key", res.StatusCode, res.Request.URL, body)
	}
	res, _ = do(t, follow, newReq(t, "GET", ts.URL+"/302", "X-HttpStatus-Key", "carried"))
	if res.StatusCode != http.StatusOK || res.Request.URL.RequestURI() != "/200?key=carried" {
		t.Errorf("following /302 with a key by header: %d at %s, want 200 at /200?key=carried", res.StatusCode, res.Request.URL)
	}
}

// TestControlErrorsAreStable checks that a request with several bad
// control header fields gets the same problem every time: parse reads
// them in the order of their names, not of Go's map.
func TestControlErrorsAreStable(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	header := []string{"X-HttpStatus-Zeta", "1", "X-HttpStatus-Delay", "soon", "X-HttpStatus-Bogus", "1", "X-HttpStatus-Fault", "sideways",
		"X-HttpStatus-Seed", "x", "X-HttpStatus-Alpha", "1"}
	var first string
	for i := range 40 {
		_, body := do(t, c, newReq(t, "GET", ts.URL+"/200?delay=x", header...))
		detail := problemDetail(t, body)
		if i == 0 {
			first = detail
			if !strings.Contains(first, "X-Httpstatus-Alpha") {
				t.Errorf("detail %q, want the first name in order, X-Httpstatus-Alpha", first)
			}
		} else if detail != first {
			t.Fatalf("request %d: %q, request 0: %q", i, detail, first)
		}
	}
}

// TestControlNames checks the names a request may spell the controls by:
// any case, with the cache-buster "_" ignored and anything else unknown
// refused.
func TestControlNames(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		path   string
		status int
		check  func(*http.Response, string) bool
	}{
		{"/200?Delay=1ms", 200, nil},
		{"/500?SUPPRESSBODY=true", 500, func(_ *http.Response, body string) bool { return body == "" }},
		{"/500?Suppress-Body=TRUE", 500, func(_ *http.Response, body string) bool { return body == "" }},
		{"/302?LOCATION=/x", 302, func(res *http.Response, _ string) bool { return res.Header.Get("Location") == "/x" }},
		{"/200?_=1712345", 200, nil},
		{"/200?_=1&_=2&_", 200, nil},
		{"/200?delay=1ms&_=1712345", 200, nil},
		{"/200?__=1", 400, nil},
		{"/200?_x=1", 400, nil},
		{"/200?bogus=1", 400, nil},
		{"/200?Bogus=1&_=1", 400, nil},
	}
	for _, tt := range tests {
		res, body := do(t, c, newReq(t, "GET", ts.URL+tt.path))
		if res.StatusCode != tt.status || (tt.check != nil && !tt.check(res, body)) {
			t.Errorf("%s: status %d, header %v, body %q; want %d", tt.path, res.StatusCode, res.Header, body, tt.status)
		}
	}
}

// TestQueryNamesAreDistinct fails when two controls' query names differ
// only in case: the table matches them without regard to case.
func TestQueryNamesAreDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, c := range Controls() {
		for _, q := range c.Query {
			k := strings.ToLower(q)
			if other, ok := seen[k]; ok {
				t.Errorf("query names %q (%s) and %q (%s) differ only in case", q, c.Name, k, other)
			}
			seen[k] = c.Name
			if q == cacheBuster {
				t.Errorf("a control is named %q, the cache-buster parse ignores", q)
			}
		}
	}
}

// TestImpossibleFaults checks that a fault that cannot happen on the
// answer a request would get is a 400 that says why, and that the same
// fault where it can happen is not refused.
func TestImpossibleFaults(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		method, path string
		header       []string
		why          string // in the detail
	}{
		{"GET", "/204?fault=in-body", nil, "204"},
		{"GET", "/205?abortDuringBody=true", nil, "205"},
		{"GET", "/status/304", []string{"X-HttpStatus-Fault", "in-body"}, "304"},
		{"HEAD", "/200?fault=in-body", nil, "HEAD"},
		{"HEAD", "/103?fault=in-body", nil, "HEAD"},
		{"GET", "/200?fault=in-body&suppress-body=true", nil, "suppress-body"},
		{"GET", "/444?fault=after-headers", nil, "444"},
		{"GET", "/444?fault=in-body", nil, "444"},
		{"GET", "/444?header=X-A:1", nil, "444"},
		{"GET", "/101?fault=in-body", []string{"Connection", "Upgrade", "Upgrade", "websocket"}, "101"},
		{"GET", "/random/200,204?fault=in-body", nil, "includes 204"},
		{"GET", "/status/200-299?fault=in-body", nil, "includes 204"},
		{"GET", "/sequence/503,304?fault=in-body&key=impossible", nil, "includes 304"},
		{"PUT", "/resource?fault=in-body&key=impossible", nil, "PUT"},
		{"DELETE", "/resource/x?fault=in-body&key=impossible", nil, "DELETE"},
	}
	for _, tt := range tests {
		res, body := do(t, c, newReq(t, tt.method, ts.URL+tt.path, tt.header...))
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %s: status %d, want 400", tt.method, tt.path, res.StatusCode)
			continue
		}
		if tt.method != "HEAD" && !strings.Contains(problemDetail(t, body), tt.why) {
			t.Errorf("%s %s: detail %q does not say %q", tt.method, tt.path, problemDetail(t, body), tt.why)
		}
	}
	// Where the fault can happen it does: the server closes the
	// connection, which the request asked to keep open, also after an
	// answer that has no content and is whole once its header section is.
	for _, q := range []string{"GET /444?fault=before-headers", "GET /200?fault=in-body", "GET /103?fault=in-body",
		"GET /random/200:1,204:0?fault=in-body", "GET /204?fault=after-headers", "GET /200?fault=after-headers&suppress-body=true",
		"HEAD /200?fault=after-headers"} {
		if _, closed := rawUntilClose(t, ts.Listener.Addr().String(), q+" HTTP/1.1\r\nHost: x\r\n\r\n"); !closed {
			t.Errorf("%s: the connection stayed open, want it closed by the fault", q)
		}
	}
}

// rawUntilClose sends a raw request and returns what the server sends
// until it closes the connection, and whether it did: false when five
// seconds pass first, a guard against a hang rather than a measure.
func rawUntilClose(t *testing.T, addr, request string) (string, bool) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_, err = io.Copy(&b, conn)
	var ne net.Error
	return b.String(), !errors.As(err, &ne) || !ne.Timeout()
}

// TestExtraFieldsAreSent checks that an extra field a request adds goes on
// the wire as asked, also where the server sets the field itself, and
// that Vary keeps what the server adds to it.
func TestExtraFieldsAreSent(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		path   string
		header []string
		want   map[string][]string
	}{
		{"/200?header=Content-Type:text/x-wrong", nil, map[string][]string{"Content-Type": {"text/x-wrong"}, "X-Content-Type-Options": {"nosniff"}}},
		{"/404?header=X-Content-Type-Options:none", nil, map[string][]string{"X-Content-Type-Options": {"none"}, "Content-Type": {"application/problem+json"}}},
		{"/404", []string{"Accept", "text/html", "X-HttpStatus-Response-Content-Type", "image/png"}, map[string][]string{"Content-Type": {"image/png"}}},
		{"/500?suppress-body=true&header=Content-Type:application/json", nil, map[string][]string{"Content-Type": {"application/json"}, "Content-Length": {"0"}}},
		{"/204?header=Content-Type:text/plain", nil, map[string][]string{"Content-Type": {"text/plain"}}},
		{"/429?header=Cache-Control:max-age=5", nil, map[string][]string{"Cache-Control": {"max-age=5"}}},
		{"/200?header=Vary:Origin", nil, map[string][]string{"Vary": {"Origin", "Accept"}}},
		{"/206?header=Content-Type:text/x", nil, map[string][]string{"Content-Type": {"text/x"}}},
		{"/200?header=Content-Type:a/b&header=Content-Type:c/d&dribble=10ms", nil, map[string][]string{"Content-Type": {"a/b", "c/d"}}},
	}
	for _, tt := range tests {
		res, _ := do(t, c, newReq(t, "GET", ts.URL+tt.path, tt.header...))
		for k, v := range tt.want {
			if got := res.Header.Values(k); !slices.Equal(got, v) {
				t.Errorf("%s: %s %q, want %q", tt.path, k, got, v)
			}
		}
	}
	raw := rawExchange(t, ts.Listener.Addr().String(),
		"GET /101?header=X-Extra:1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	if !strings.HasPrefix(raw, "HTTP/1.1 101 ") || !strings.Contains(raw, "\r\nX-Extra: 1\r\n") {
		t.Errorf("101 with an extra field: %q", raw)
	}
}
