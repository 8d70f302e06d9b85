package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// TestCORS checks the CORS fields of every kind of request over loopback:
// a credentialed request gets its origin back with credentials allowed and
// every field it may read named, a preflight allows what it asks for, and
// every response varies on Origin without losing the Vary it had.
func TestCORS(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithCORS(true))
	const origin = "https://app.example"
	tests := []struct {
		name, method, path string
		header             []string
		status             int
		allowOrigin        string // "" for none
		credentials        bool
		vary               []string // listed in Vary, besides Origin
		exposed            []string // listed in Access-Control-Expose-Headers
	}{
		{name: "401 with Authorization", path: "/401", header: []string{"Origin", origin, "Authorization", "Basic YW5uOnB3"},
			status: 401, allowOrigin: origin, credentials: true, vary: []string{"Accept"}, exposed: []string{"Www-Authenticate", "Date", "Content-Type"}},
		{name: "401 with a cookie", path: "/401", header: []string{"Origin", origin, "Cookie", "a=b"},
			status: 401, allowOrigin: origin, credentials: true, exposed: []string{"Www-Authenticate"}},
		{name: "credentials that match", path: "/401?user=ann&password=pw", header: []string{"Origin", origin, "Authorization", "Basic YW5uOnB3"},
			status: 200, allowOrigin: origin, credentials: true},
		{name: "without credentials", path: "/503", header: []string{"Origin", origin},
			status: 503, allowOrigin: origin, credentials: true, exposed: []string{"Retry-After", "Date"}},
		{name: "redirect", path: "/302", header: []string{"Origin", "http://127.0.0.1:8080"},
			status: 302, allowOrigin: "http://127.0.0.1:8080", credentials: true, exposed: []string{"Location"}},
		{name: "null origin", path: "/200", header: []string{"Origin", "null"}, status: 200, allowOrigin: "null", credentials: true},
		{name: "a list is no origin", path: "/200", header: []string{"Origin", origin + ", https://b.example"}, status: 200, allowOrigin: "*"},
		{name: "two Origin fields", path: "/200", header: []string{"Origin", origin, "Origin", "https://b.example"}, status: 200, allowOrigin: "*"},
		{name: "a path is no origin", path: "/200", header: []string{"Origin", origin + "/x"}, status: 200, allowOrigin: "*"},
		{name: "extra Vary kept", path: "/200?header=Vary:Accept-Language", header: []string{"Origin", origin},
			status: 200, allowOrigin: origin, credentials: true, vary: []string{"Accept-Language"}, exposed: []string{"Vary"}},
		{name: "extra header exposed", path: "/200?header=X-Mine:1", header: []string{"Origin", origin},
			status: 200, allowOrigin: origin, credentials: true, exposed: []string{"X-Mine"}},
		{name: "preflight", method: "OPTIONS", path: "/401",
			header: []string{"Origin", origin, "Access-Control-Request-Method", "DELETE", "Access-Control-Request-Headers", "authorization, x-httpstatus-sleep"},
			status: 204, allowOrigin: origin, credentials: true, vary: []string{"Access-Control-Request-Method", "Access-Control-Request-Headers"}},
		{name: "OPTIONS without Origin", method: "OPTIONS", path: "/200", header: []string{"Access-Control-Request-Method", "DELETE"}, status: 200},
		{name: "without Origin", path: "/200?delay=1ms", status: 200, vary: []string{"Accept"}},
		{name: "without Origin, from the cache", path: "/404", status: 404, vary: []string{"Accept"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = "GET"
			}
			res, _ := do(t, c, newReq(t, method, ts.URL+tt.path, tt.header...))
			h := res.Header
			if res.StatusCode != tt.status || h.Get("Access-Control-Allow-Origin") != tt.allowOrigin {
				t.Fatalf("%d, Access-Control-Allow-Origin %q; want %d, %q", res.StatusCode, h.Get("Access-Control-Allow-Origin"), tt.status, tt.allowOrigin)
			}
			if got := h.Get("Access-Control-Allow-Credentials"); (got == "true") != tt.credentials || len(h["Access-Control-Allow-Credentials"]) > 1 {
				t.Errorf("Access-Control-Allow-Credentials %q, want credentials %v", h["Access-Control-Allow-Credentials"], tt.credentials)
			}
			for _, v := range append([]string{"Origin"}, tt.vary...) {
				if !httptext.ListHas(h["Vary"], v) {
					t.Errorf("Vary %q does not list %s", h["Vary"], v)
				}
			}
			if n := strings.Count(strings.Join(h["Vary"], ","), "Origin"); n != 1 {
				t.Errorf("Vary %q lists Origin %d times", h["Vary"], n)
			}
			if tt.allowOrigin == "" || tt.status == 204 {
				if h.Get("Access-Control-Expose-Headers") != "" {
					t.Errorf("Access-Control-Expose-Headers %q, want none", h.Get("Access-Control-Expose-Headers"))
				}
				return
			}
			// Every field a script cannot read unless told, named one by
			// one: with credentials, * names a field called "*".
			exposed := h["Access-Control-Expose-Headers"]
			for k := range h {
				if !strings.HasPrefix(k, "Access-Control-") && !httptext.ListHas(exposed, k) {
					t.Errorf("%s is not exposed: %q", k, exposed)
				}
			}
			for _, k := range tt.exposed {
				if !httptext.ListHas(exposed, k) {
					t.Errorf("%s is not exposed: %q", k, exposed)
				}
			}
			if httptext.ListHas(exposed, "*") {
				t.Errorf("Access-Control-Expose-Headers %q has *", exposed)
			}
		})
	}
}

// TestCORSPreflightAllows checks the preflight fields in full.
func TestCORSPreflightAllows(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithCORS(true))
	res, _ := do(t, c, newReq(t, "OPTIONS", ts.URL+"/401",
		"Origin", "https://app.example", "Access-Control-Request-Method", "DELETE",
		"Access-Control-Request-Headers", "authorization, x-httpstatus-sleep"))
	want := map[string]string{
		"Access-Control-Allow-Methods":     "DELETE",
		"Access-Control-Allow-Headers":     "authorization, x-httpstatus-sleep",
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Max-Age":           "600",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s %q, want %q", k, got, v)
		}
	}
}

// TestCORSVaryStar checks that Vary: * is left alone: it already covers
// Origin.
func TestCORSVaryStar(t *testing.T) {
	t.Parallel()
	for _, origin := range []string{"", "https://app.example"} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/200?header=Vary:*", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		New(WithCORS(true)).ServeHTTP(w, r)
		if v := w.Header()["Vary"]; len(v) != 1 || v[0] != "*" {
			t.Errorf("Origin %q: Vary %q, want *", origin, v)
		}
	}
}

// TestCORSLeavesTheCacheAlone checks that the Vary added to a response
// from the cache, whose values are shared, does not reach the next one.
func TestCORSLeavesTheCacheAlone(t *testing.T) {
	t.Parallel()
	s := New(WithCORS(true))
	for i := range 3 {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/200", nil))
		if v := w.Header()["Vary"]; len(v) != 2 || v[0] != "Accept" || v[1] != "Origin" {
			t.Fatalf("request %d: Vary %q, want Accept and Origin", i, v)
		}
		// A preflight adds to the shared value of Vary: Origin.
		w = httptest.NewRecorder()
		r := httptest.NewRequest("OPTIONS", "/200", nil)
		r.Header.Set("Origin", "https://app.example")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		s.ServeHTTP(w, r)
	}
	if len(varyOrigin) != 1 || varyOrigin[0] != "Origin" || len(varyAcceptOrigin) != 2 || varyAcceptOrigin[1] != "Origin" {
		t.Errorf("the shared values of Vary changed: %q, %q", varyOrigin, varyAcceptOrigin)
	}
}

// TestCORSOff checks that the server sends no CORS field without WithCORS.
func TestCORSOff(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/200", nil)
	r.Header.Set("Origin", "https://app.example")
	New().ServeHTTP(w, r)
	if w.Header().Get("Access-Control-Allow-Origin") != "" || httptext.ListHas(w.Header()["Vary"], "Origin") {
		t.Errorf("CORS off still sends CORS fields: %v", w.Header())
	}
}

// BenchmarkServe404CORS is BenchmarkServe404 behind CORS, for a request
// without Origin: the cost of the Vary every response now carries.
func BenchmarkServe404CORS(b *testing.B) {
	s := New(WithCORS(true))
	r := httptest.NewRequest(http.MethodGet, "/404", nil)
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(&discardWriter{h: http.Header{}}, r)
	}
}
