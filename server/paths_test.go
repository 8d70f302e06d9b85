package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawResponse sends one raw request line, with Host, and returns the
// response and its body.
func rawResponse(t *testing.T, addr, method, target string) (*http.Response, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second)) // a guard against a hang
	if _, err := io.WriteString(c, method+" "+target+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestUncleanPaths checks that a path of the status routes with an empty
// or a dot segment is answered as its clean form, not with ServeMux's
// 307, by the Server and by a mux of a program's own behind Cache, with
// the pattern that answered it for the observers; and that escaped paths
// keep the answers of the escaped form.
func TestUncleanPaths(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	routes := map[string]string{}
	observe := func(r *http.Request, o Observation) {
		mu.Lock()
		defer mu.Unlock()
		routes[r.URL.Path] = o.Route
	}
	s := New(WithObserver(observe))
	own := New()
	mux := http.NewServeMux()
	own.Register(mux)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	for _, h := range []http.Handler{s, Observe(own.Cache(mux), observe)} {
		ts := httptest.NewServer(h)
		defer ts.Close()
		addr := ts.Listener.Addr().String()
		tests := []struct {
			method, target string
			status         int
			route          string
		}{
			{"GET", "//200", 200, routeCode},
			{"GET", "/./200", 200, routeCode},
			{"GET", "/.//./404", 404, routeCode},
			{"HEAD", "//503", 503, routeCode},
			{"POST", "//201", 201, routeCode},
			{"GET", "/status//200", 200, routeStatus},
			{"GET", "//status/418", 418, routeStatus},
			{"GET", "/status/./302", 302, routeStatus},
			{"GET", "/status/../204", 204, routeCode},
			{"GET", "/random//201,201", 201, routeRandom},
			{"GET", "/sequence//202?key=clean", 202, routeSequence},
			{"GET", "//999", 400, routeCode},
			{"GET", "/status//", 400, routeOther},
		}
		for _, tt := range tests {
			res, body := rawResponse(t, addr, tt.method, tt.target)
			if res.StatusCode != tt.status {
				t.Errorf("%s %s: %d (Location %q), want %d; body %q", tt.method, tt.target, res.StatusCode, res.Header.Get("Location"), tt.status, body)
			}
			if tt.status == 302 && res.Header.Get("Location") != "/status/200" {
				t.Errorf("%s %s: Location %q, want the route's /status/200", tt.method, tt.target, res.Header.Get("Location"))
			}
			// The observer sees the request as it came, with the pattern
			// that answered its clean form.
			p, _, _ := strings.Cut(tt.target, "?")
			waitFor(t, func() bool {
				mu.Lock()
				defer mu.Unlock()
				_, ok := routes[p]
				return ok
			})
			mu.Lock()
			if routes[p] != tt.route {
				t.Errorf("%s %s: observed route %q, want %q", tt.method, tt.target, routes[p], tt.route)
			}
			delete(routes, p)
			mu.Unlock()
		}
		// Escaped paths are the mux's, as the cache leaves them; other
		// routes' unclean paths too.
		for target, status := range map[string]int{"/status%2F200": 400, "/%2e/200": 404, "//healthz": 307} {
			if res, _ := rawResponse(t, addr, "GET", target); res.StatusCode != status {
				t.Errorf("GET %s: %d, want %d", target, res.StatusCode, status)
			}
		}
	}
}

// TestIncompletePaths checks that a path naming a route without its
// argument, with or without a final slash, gets the 400 that says what
// the route takes; and that a segment that is no code and no route gets
// the 400 about codes, and a longer path no route matches a 404.
func TestIncompletePaths(t *testing.T) {
	t.Parallel()
	s, ts, c := start(t)
	patterns := map[string]bool{}
	for _, rt := range s.Routes() {
		patterns[rt.Pattern] = true
	}
	for p, hint := range incomplete {
		for _, target := range []string{p, p + "/"} {
			if patterns[target] {
				continue // a route of its own: /redirect-loop, /resource
			}
			res, body := do(t, c, newReq(t, "GET", ts.URL+target))
			if res.StatusCode != http.StatusBadRequest || problemDetail(t, body) != hint {
				t.Errorf("GET %s: %d %q, want 400 %q", target, res.StatusCode, problemDetail(t, body), hint)
			}
		}
	}
	for target, status := range map[string]int{"/nope": 400, "/abc": 400, "/favicon.ico": 400, "/no/such/thing": 404, "/200/x": 404} {
		res, body := do(t, c, newReq(t, "GET", ts.URL+target))
		if res.StatusCode != status {
			t.Errorf("GET %s: %d, want %d", target, res.StatusCode, status)
		}
		if status == 400 && !strings.Contains(problemDetail(t, body), "status code is a number from 100 to 599") {
			t.Errorf("GET %s: %q, want the problem that says what a code is", target, problemDetail(t, body))
		}
	}
}
