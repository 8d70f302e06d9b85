package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/web"
)

// composed starts what serve composes, with the given flags, on loopback,
// and returns its URL, a client that does not follow redirects, and the
// access log.
func composed(t *testing.T, args ...string) (string, *http.Client, *syncBuffer) {
	t.Helper()
	var stderr bytes.Buffer
	f, err := parseServeFlags(&Env{Stdout: io.Discard, Stderr: &stderr}, args)
	if err != nil {
		t.Fatalf("flags %q: %v (%s)", args, err, stderr.String())
	}
	log := &syncBuffer{b: new(bytes.Buffer)}
	h, _, err := f.handler(slog.New(slog.NewJSONHandler(log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return ts.URL, c, log
}

func get(t *testing.T, c *http.Client, method, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestComposedRoutes checks that one handler answers the status routes,
// the web reference and the operational routes.
func TestComposedRoutes(t *testing.T) {
	t.Parallel()
	url, c, _ := composed(t)
	tests := []struct {
		method, path string
		status       int
		header, body string // a header field that must be present, a substring of the body
	}{
		{"GET", "/404", 404, "Content-Type", `"status":404`},
		{"GET", "/status/302", 302, "Location", ""},
		{"GET", "/random/201", 201, "Location", ""},
		{"GET", "/no/such/thing", 404, "Content-Type", "openapi"},
		{"GET", "/", 200, "Content-Security-Policy", "Not Found"},
		{"GET", "/codes/418", 200, "Content-Security-Policy", "418"},
		{"GET", "/api/codes/404", 200, "Etag", `"code":404`},
		{"GET", "/healthz", 200, "Cache-Control", "ok"},
		{"POST", "/healthz", 405, "Allow", "GET and HEAD"},
		{"GET", "/metrics", 200, "Content-Type", "httpstatus_requests_total"},
		{"GET", "/openapi.json", 200, "Content-Type", `"openapi"`},
	}
	for _, tt := range tests {
		res, body := get(t, c, tt.method, url+tt.path)
		if res.StatusCode != tt.status || res.Header.Get(tt.header) == "" || !strings.Contains(body, tt.body) {
			t.Errorf("%s %s: %d, %s %q, body %.120q; want %d with %s and %q",
				tt.method, tt.path, res.StatusCode, tt.header, res.Header.Get(tt.header), body, tt.status, tt.header, tt.body)
		}
	}
}

// TestComposedMethods sends every method but GET and HEAD to every route
// of the web reference, its API and the operational routes: each answers a
// 405 problem with Allow, not the status server's 404 nor ServeMux's plain
// 405, and still answers GET and HEAD. The status routes answer every
// method.
func TestComposedMethods(t *testing.T) {
	t.Parallel()
	url, c, _ := composed(t)
	// A path for every pattern, its wildcards filled in.
	fill := strings.NewReplacer("{$}", "", "{code}", "404", "{file}", "style.css")
	var paths []string
	for _, r := range web.Routes() {
		_, pattern, _ := strings.Cut(r.Pattern, " ")
		paths = append(paths, fill.Replace(pattern))
	}
	paths = append(paths, "/healthz", "/metrics", openAPIPattern)
	for _, path := range paths {
		for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"} {
			res, body := get(t, c, method, url+path)
			if res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" ||
				res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"status":405`) {
				t.Errorf("%s %s: %d, Allow %q, Content-Type %q, body %.100q; want a 405 problem allowing GET, HEAD",
					method, path, res.StatusCode, res.Header.Get("Allow"), res.Header.Get("Content-Type"), body)
			}
		}
		for _, method := range []string{"GET", "HEAD"} {
			if res, _ := get(t, c, method, url+path); res.StatusCode == 405 || res.StatusCode == 404 {
				t.Errorf("%s %s: %d", method, path, res.StatusCode)
			}
		}
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"POST", "/404", 404},
		{"DELETE", "/status/200", 200},
		{"PUT", "/random/201", 201},
		{"POST", "/no/such/route", 404},
	} {
		if res, _ := get(t, c, tc.method, url+tc.path); res.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
		}
	}
}

// TestComposedCORS checks that --cors covers every route, and that
// --cors=false turns it off everywhere.
func TestComposedCORS(t *testing.T) {
	t.Parallel()
	paths := []string{"/404", "/status/200?delay=1ms", "/api/codes/404", "/codes/404", "/healthz", "/metrics", "/openapi.json", "/nowhere/at/all"}
	on, cOn, _ := composed(t)
	off, cOff, _ := composed(t, "--cors=false")
	for _, p := range paths {
		res, _ := get(t, cOn, "GET", on+p, "Origin", "https://app.example")
		if res.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || res.Header.Get("Access-Control-Allow-Credentials") != "true" ||
			!strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), "Content-Type") {
			t.Errorf("--cors: GET %s: Allow-Origin %q, Expose-Headers %q", p, res.Header.Get("Access-Control-Allow-Origin"), res.Header.Get("Access-Control-Expose-Headers"))
		}
		res, _ = get(t, cOff, "GET", off+p, "Origin", "https://app.example")
		for k := range res.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("--cors=false: GET %s sends %s: %q", p, k, res.Header.Get(k))
			}
		}
	}
	res, _ := get(t, cOn, "OPTIONS", on+"/api/codes", "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Methods") != "GET" {
		t.Errorf("--cors: preflight of /api/codes: %d %v", res.StatusCode, res.Header)
	}
	res, _ = get(t, cOff, "OPTIONS", off+"/api/codes", "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	if res.Header.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("--cors=false: a preflight was answered: %v", res.Header)
	}
}

// TestComposedObserving checks that the metrics and the access log see
// every request once, with the code meant for a closed connection and the
// limit that refused a request.
func TestComposedObserving(t *testing.T) {
	t.Parallel()
	url, c, log := composed(t, "--max-delay", "1s")
	get(t, c, "GET", url+"/404")
	get(t, c, "GET", url+"/404") // from the cache
	get(t, c, "POST", url+"/status/503")
	get(t, c, "BREW", url+"/418")
	get(t, c, "GET", url+"/200?delay=5s") // over --max-delay
	get(t, c, "GET", url+"/codes/404")
	// On a new connection, so that the client does not send it again when
	// the server closes the connection.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := fresh.Get(url + "/504?fault=before-headers"); err == nil {
		t.Error("fault=before-headers answered")
	}
	_, body := get(t, c, "GET", url+"/metrics")
	for _, want := range []string{
		`httpstatus_requests_total{code="503",method="POST"} 1`,
		`httpstatus_requests_total{code="418",method="OTHER"} 1`,
		`httpstatus_requests_total{code="504",method="GET"} 1`,
		`httpstatus_requests_total{code="400",method="GET"} 1`,
		`httpstatus_requests_rejected_total{limit="delay"} 1`,
		`httpstatus_requests_waiting 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, grep(body, "httpstatus_"))
		}
	}
	if !strings.Contains(body, `httpstatus_requests_total{code="404",method="GET"} 2`) {
		t.Errorf("a response from the cache was not counted: %s", grep(body, `code="404"`))
	}
	type record struct {
		Msg, Method, Path, Route string
		Status                   int
		Aborted                  bool
	}
	var recs []record
	for line := range strings.SplitSeq(strings.TrimSpace(log.String()), "\n") {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("access log line %q: %v", line, err)
		}
		if r.Msg == "request" {
			recs = append(recs, r)
		}
	}
	want := map[string]record{
		"/404":        {Route: "/{code}", Status: 404},
		"/status/503": {Route: "/status/{codes}", Status: 503},
		"/504":        {Route: "/{code}", Status: 504, Aborted: true},
		"/codes/404":  {Route: "GET /codes/{code}", Status: 200},
	}
	seen := map[string]int{}
	for _, r := range recs {
		seen[r.Path]++
		if w, ok := want[r.Path]; ok && (r.Route != w.Route || r.Status != w.Status || r.Aborted != w.Aborted) {
			t.Errorf("access log for %s: route %q, status %d, aborted %v; want %q, %d, %v", r.Path, r.Route, r.Status, r.Aborted, w.Route, w.Status, w.Aborted)
		}
	}
	if seen["/404"] != 2 || seen["/status/503"] != 1 || seen["/metrics"] != 1 {
		t.Errorf("access log counts %v; want /404 twice, the others once", seen)
	}
}

// grep returns the lines of s that contain sub.
func grep(s, sub string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.Contains(line, sub) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// discardWriter is the cheapest ResponseWriter, so that the benchmark
// measures the handler alone.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkComposed404 measures GET /404 through everything serve
// composes: the observing, CORS and recovering middleware, the mux, and
// the status server's cache.
func BenchmarkComposed404(b *testing.B) {
	f, err := parseServeFlags(&Env{Stdout: io.Discard, Stderr: io.Discard}, []string{"--access-log=false"})
	if err != nil {
		b.Fatal(err)
	}
	h, _, err := f.handler(slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/404", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discardWriter{h: http.Header{}}, r)
	}
}
