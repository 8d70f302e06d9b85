package respond

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRecover(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	h := Recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Access-Control-Allow-Origin", "https://evil.example")
		var items []int
		_ = items[len(r.URL.Path)] // panics: index out of range
	}), logger)
	w := httptest.NewRecorder()
	w.Header().Set("Access-Control-Allow-Origin", "*") // set by middleware outside Recover
	r := httptest.NewRequest(http.MethodGet, "/crash", nil)
	r.Header.Set("Accept", "text/html")
	h.ServeHTTP(w, r)
	if w.Header().Get("Content-Encoding") != "" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("the 500 carries the crashed handler's header fields: %v", w.Header())
	}

	if w.Code != 500 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("wrote %d %s, want a 500 HTML problem", w.Code, w.Header().Get("Content-Type"))
	}
	for _, leak := range []string{"out of range", "goroutine", ".go:"} {
		if strings.Contains(w.Body.String(), leak) {
			t.Errorf("the client sees %q:\n%s", leak, w.Body)
		}
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(logs.String()), &rec); err != nil {
		t.Fatalf("log: %v\n%s", err, logs.String())
	}
	if rec["level"] != "ERROR" || !strings.Contains(rec["panic"].(string), "out of range") ||
		!strings.Contains(rec["stack"].(string), "handlers_test.go") || rec["path"] != "/crash" {
		t.Errorf("log record lacks the panic, stack or request: %v", rec)
	}
}

func TestRecoverAfterResponseStarted(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	srv := httptest.NewServer(Recover(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			panic("late")
		}), slog.New(slog.NewTextHandler(&logs, nil))))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Error("a response broken by a panic reads as complete")
	}
	if !strings.Contains(logs.String(), "late") || !strings.Contains(logs.String(), "response_started=true") {
		t.Errorf("log: %s", logs.String())
	}
}

func TestRecoverPassesAbort(t *testing.T) {
	t.Parallel()
	h := Recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}), slog.New(slog.DiscardHandler))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
}

// TestServeMux mounts NotFound, MethodNotAllowed and a HandlerFunc on an
// http.ServeMux behind a loopback server.
func TestServeMux(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("/", NotFound())
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "items") })
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle("/items", MethodNotAllowed("GET", "POST"))
	mux.Handle("/locked", MethodNotAllowed())
	mux.Handle("GET /users/{id}", HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if r.PathValue("id") != "7" {
			return Errorf(http.StatusNotFound, "no user %s", r.PathValue("id"))
		}
		_, err := io.WriteString(w, "user 7")
		return err
	}))
	mux.Handle("GET /limited", HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		return New(http.StatusTooManyRequests).WithRetryAfter(30e9)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	tests := []struct {
		method, path string
		status       int
		header       string
		want         string
		body         string
	}{
		{"GET", "/nowhere", 404, "Content-Type", MediaProblemJSON, "nothing at /nowhere"},
		{"DELETE", "/items", 405, "Allow", "GET, POST, HEAD", "DELETE is not allowed"},
		{"PUT", "/locked", 405, "Allow", "", ""},
		{"GET", "/items", 200, "", "", "items"},
		{"GET", "/users/7", 200, "", "", "user 7"},
		{"GET", "/users/8", 404, "Content-Type", MediaProblemJSON, `"detail":"no user 8"`},
		{"HEAD", "/users/8", 404, "Content-Type", MediaProblemJSON, ""},
		{"GET", "/limited", 429, "Retry-After", "30", `"retryAfter":30`},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.path, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if tt.header != "" {
				vals, ok := res.Header[tt.header]
				if !ok || strings.Join(vals, ", ") != tt.want {
					t.Errorf("%s = %q (present %v), want %q", tt.header, vals, ok, tt.want)
				}
			}
			if !strings.Contains(string(body), tt.body) {
				t.Errorf("body %q lacks %q", body, tt.body)
			}
		})
	}
}

// TestWire writes every code the registry knows, except the interim 1xx,
// through a real server, and checks what arrives: HEAD and GET carry the
// same Content-Length, HEAD and no-content codes carry no bytes.
func TestWire(t *testing.T) {
	t.Parallel()
	problems := map[int]*Problem{} // made here: complete may fail the test, which a handler must not
	for _, code := range knownCodes(t) {
		problems[code] = complete(t, code)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if err := Write(w, r, problems[code]); err != nil {
			t.Errorf("%d: %v", code, err)
		}
	}))
	t.Cleanup(srv.Close)
	for _, code := range knownCodes(t) {
		if code < 200 {
			continue // interim responses: the client skips them and waits for a final one
		}
		noContent := expectation(t, code).Content == "none"
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			var getLength string
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				req, _ := http.NewRequest(method, srv.URL+"/"+strconv.Itoa(code), nil)
				req.Header.Set("Accept", "text/html")
				res, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != code {
					t.Fatalf("%s: status %d", method, res.StatusCode)
				}
				cl := res.Header.Get("Content-Length")
				switch {
				case method == http.MethodGet:
					getLength = cl
					if !noContent && cl != strconv.Itoa(len(body)) {
						t.Errorf("GET: Content-Length %q for %d bytes", cl, len(body))
					}
				case len(body) != 0:
					t.Errorf("HEAD: %d bytes", len(body))
				case cl != getLength:
					t.Errorf("HEAD Content-Length %q, GET %q", cl, getLength)
				}
				if noContent && len(body) != 0 {
					t.Errorf("%s: %d bytes on a code without content", method, len(body))
				}
			}
		})
	}
}

func TestHandlerFuncRuleBroken(t *testing.T) {
	t.Parallel()
	h := HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		return New(http.StatusMethodNotAllowed) // no Allow: a rule broken
	})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, "/", nil))
	if w.Code != 500 {
		t.Errorf("wrote %d, want 500", w.Code)
	}
}

// A nil logger means slog.Default, as for Recover.
func TestHandlerWithNilLogger(t *testing.T) {
	t.Parallel()
	h := Handler(func(w http.ResponseWriter, r *http.Request) error {
		return New(http.StatusTeapot)
	}, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("status %d, want 418", rec.Code)
	}
}

// TestHandlerLogs checks that Handler logs server errors and broken rules
// to its logger, cause included, and nothing else.
func TestHandlerLogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want []string // in the log; none means no record
	}{
		{New(http.StatusNotFound), nil},
		{Wrap(http.StatusServiceUnavailable, errors.New("db down")), []string{"status=503", "db down"}},
		{New(http.StatusMethodNotAllowed), []string{"status=405", "rule=", "Allow"}},
		{errors.New("plain"), []string{"status=500", "error=plain"}},
	}
	for _, tt := range tests {
		var logs syncBuffer
		h := Handler(func(w http.ResponseWriter, r *http.Request) error { return tt.err }, slog.New(slog.NewTextHandler(&logs, nil)))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x", nil))
		got := logs.String()
		if len(tt.want) == 0 && got != "" {
			t.Errorf("%v: logged %s", tt.err, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%v: the log lacks %q: %s", tt.err, w, got)
			}
		}
	}
}
