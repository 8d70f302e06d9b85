package conformtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/httpstatus/httpstatus/conform"
	"github.com/httpstatus/httpstatus/conform/conformtest"
)

// recorder is a testing.TB that records what would fail or be logged.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	logs   []string
}

func (r *recorder) Helper() {}
func (r *recorder) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprint(args...))
}
func (r *recorder) Errorf(format string, args ...any) { r.Error(fmt.Sprintf(format, args...)) }
func (r *recorder) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprint(args...))
}

func mux() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		io.WriteString(w, "ok")
	})
	m.HandleFunc("/no-allow", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusMethodNotAllowed)
	})
	m.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	return m
}

func TestHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		tester     conformtest.Tester
		req        *http.Request
		wantErrors []string // rule ids that must fail the test
	}{
		{"good", conformtest.Tester{}, httptest.NewRequest("GET", "/ok", nil), nil},
		{"405 without Allow", conformtest.Tester{}, httptest.NewRequest("DELETE", "/no-allow", nil), []string{conform.RuleRequiredHeader}},
		{"redirect loop is a warning", conformtest.Tester{}, httptest.NewRequest("GET", "/loop", nil), nil},
		{"strict fails on warnings", conformtest.Tester{FailAt: conform.SeverityWarning}, httptest.NewRequest("GET", "/loop", nil), []string{conform.RuleRedirectToSelf}},
		{"ignored", conformtest.Tester{Ignore: []string{conform.RuleRequiredHeader}}, httptest.NewRequest("DELETE", "/no-allow", nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			tt.tester.Handler(rec, mux(), tt.req)
			if len(rec.errors) != len(tt.wantErrors) {
				t.Fatalf("errors = %q, want %d with %v", rec.errors, len(tt.wantErrors), tt.wantErrors)
			}
			for i, id := range tt.wantErrors {
				if !strings.Contains(rec.errors[i], "["+id+"]") || !strings.Contains(rec.errors[i], "https://") {
					t.Errorf("error %q does not name %s with a link", rec.errors[i], id)
				}
			}
		})
	}
}

func TestResponseAndRaw(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	w := httptest.NewRecorder()
	w.WriteHeader(http.StatusNoContent)
	io.WriteString(w, "content")
	conformtest.Response(rec, w.Result())
	(&conformtest.Tester{}).Raw(rec, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", nil)
	(&conformtest.Tester{}).Raw(rec, "not http", nil)
	if len(rec.errors) != 3 {
		t.Fatalf("errors = %q", rec.errors)
	}
	if !strings.Contains(rec.errors[0], "content-not-allowed") || !strings.Contains(rec.errors[1], "WWW-Authenticate") ||
		!strings.Contains(rec.errors[2], "not an HTTP response") {
		t.Errorf("errors = %q", rec.errors)
	}
}

func TestDefaultRequest(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	conformtest.Handler(rec, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, r.Method+" "+r.URL.Path)
	}))
	if len(rec.errors) != 0 {
		t.Fatalf("errors = %q", rec.errors)
	}
}

// TestRaw checks the package-level Raw: a response that breaks a MUST
// fails the test, a good one reports nothing, and the request, when given,
// is what the response is checked against.
func TestRaw(t *testing.T) {
	t.Parallel()
	const date = "Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n"
	tests := []struct {
		name       string
		raw        string
		req        *http.Request
		wantErrors []string // rule ids that must fail the test, in order
	}{
		{"good", "HTTP/1.1 200 OK\r\n" + date + "ETag: \"v1\"\r\nLast-Modified: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok", nil, nil},
		{"good, LF line ends", "HTTP/1.1 204 No Content\n" + date[:len(date)-2] + "\n\n", nil, nil},
		{"405 without Allow", "HTTP/1.1 405 Method Not Allowed\r\n" + date + "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\nnope", nil,
			[]string{conform.RuleRequiredHeader}},
		{"content in answer to HEAD", "HTTP/1.1 200 OK\r\n" + date + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok",
			httptest.NewRequest(http.MethodHead, "/", nil), []string{conform.RuleHeadContent}},
		{"204 with content", "HTTP/1.1 204 No Content\r\n" + date + "\r\nstray", nil, []string{conform.RuleContentNotAllowed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			conformtest.Raw(rec, tt.raw, tt.req)
			if len(rec.errors) != len(tt.wantErrors) {
				t.Fatalf("errors = %q, want %v", rec.errors, tt.wantErrors)
			}
			for i, id := range tt.wantErrors {
				if !strings.HasPrefix(rec.errors[i], "raw response: error ["+id+"]") {
					t.Errorf("error %q, want one of rule %s", rec.errors[i], id)
				}
			}
			if len(tt.wantErrors) == 0 && len(rec.logs) != 0 {
				t.Errorf("a good response logged %q", rec.logs)
			}
		})
	}
}

// TestProbe runs the probes against handlers: Go's file server passes, a
// handler that ignores If-None-Match fails the test, a request that is
// not a GET is an error, and the requests sent are logged.
func TestProbe(t *testing.T) {
	t.Parallel()
	modified := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	files := fstest.MapFS{"app.js": {Data: []byte(strings.Repeat("console.log('hi');\n", 20)), ModTime: modified}}
	ignoring := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("If-None-Match")
		w.Header().Set("ETag", `"app-1"`)
		http.ServeContent(w, r, "app.js", modified, strings.NewReader("console.log('hi');\n"))
	})
	tests := []struct {
		name       string
		handler    http.Handler
		req        *http.Request
		wantErrors []string
	}{
		{"file server", http.FileServerFS(files), httptest.NewRequest(http.MethodGet, "/app.js", nil), nil},
		{"ignores If-None-Match", ignoring, httptest.NewRequest(http.MethodGet, "/app.js", nil), []string{"[" + conform.RuleIfNoneMatchIgnored + "]"}},
		{"not a GET", ignoring, httptest.NewRequest(http.MethodPost, "/app.js", nil), []string{"cannot probe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			conformtest.Probe(rec, tt.handler, tt.req)
			if len(rec.errors) != len(tt.wantErrors) {
				t.Fatalf("errors = %q, want %v", rec.errors, tt.wantErrors)
			}
			for i, want := range tt.wantErrors {
				if !strings.Contains(rec.errors[i], want) {
					t.Errorf("error %q lacks %q", rec.errors[i], want)
				}
			}
			if tt.req.Method == http.MethodGet && (len(rec.logs) == 0 || !strings.Contains(rec.logs[0], "sent initial GET 200, head HEAD 200")) {
				t.Errorf("logs %q do not list the requests sent", rec.logs)
			}
		})
	}
}
