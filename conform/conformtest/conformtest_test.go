package conformtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

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
