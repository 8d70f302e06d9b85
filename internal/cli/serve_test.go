package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/web"
	"github.com/httpstatus/httpstatus/server"
)

func TestServeUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"positional argument", []string{"serve", "extra"}, nil, "no arguments"},
		{"bad log format", []string{"serve", "--log-format", "xml"}, nil, "text or json"},
		{"half TLS", []string{"serve", "--tls-cert", "c.pem"}, nil, "go together"},
		{"zero limit", []string{"serve", "--max-delay", "0s"}, nil, "greater than zero"},
		{"header limit net/http cannot enforce", []string{"serve", "--max-header-bytes", "4110"}, nil, "at least 4111"},
		{"negative drain delay", []string{"serve", "--drain-delay", "-1s"}, nil, "--drain-delay must not be negative"},
		{"bad environment", []string{"serve"}, map[string]string{"HTTPSTATUS_MAX_DELAY": "soon"}, "HTTPSTATUS_MAX_DELAY"},
		{"bad bool environment", []string{"serve"}, map[string]string{"HTTPSTATUS_CORS": "perhaps"}, "HTTPSTATUS_CORS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			e := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return tt.env[k] }}
			if got := Main(context.Background(), tt.args, e); got != exitUsage {
				t.Errorf("exit %d, want %d; stderr %s", got, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr.String(), tt.want)
			}
		})
	}
}

// TestServeRuns starts the server on a loopback port chosen by the
// environment, sends it requests at the address it says it listens on, and
// checks that cancelling the context stops it cleanly.
func TestServeRuns(t *testing.T) {
	t.Parallel()
	env := map[string]string{"HTTPSTATUS_ADDR": "127.0.0.1:0", "HTTPSTATUS_LOG_FORMAT": "json"}
	stderr := &syncBuffer{b: new(bytes.Buffer)}
	e := &Env{Stdout: io.Discard, Stderr: stderr, Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve", "--drain-timeout", "1s"}, e) }()
	addr := ""
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for line := range strings.SplitSeq(stderr.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				addr = rec.Addr
			}
		}
	}
	if addr == "" {
		t.Fatalf("no JSON listening record with an address in %q", stderr.String())
	}
	for path, want := range map[string]int{"/418": 418, "/healthz": 200, "/codes/418": 200} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d, want 0; stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if s := stderr.String(); !strings.Contains(s, `"path":"/418"`) {
		t.Errorf("the access log does not record GET /418: %q", s)
	}
}

// TestServeBadTLSFiles checks that serve refuses a certificate or key it
// cannot load with a message and exit status 1, before it says it listens.
func TestServeBadTLSFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, files := range [][2]string{
		{filepath.Join(dir, "missing.pem"), filepath.Join(dir, "missing.key")},
		{notPEM, notPEM},
	} {
		var stderr bytes.Buffer
		e := &Env{Stdout: io.Discard, Stderr: &stderr}
		status := Main(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--tls-cert", files[0], "--tls-key", files[1]}, e)
		if status != exitFail || !strings.Contains(stderr.String(), "loading the TLS certificate "+files[0]) {
			t.Errorf("serve with %q: exit %d, stderr %q; want 1 and a message naming the file", files, status, stderr.String())
		}
		if strings.Contains(stderr.String(), "listening") {
			t.Errorf("serve with %q said it was listening: %q", files, stderr.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
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

// TestOpenAPIDescribesEveryRoute fetches /openapi.json from the handler
// serve composes and looks in it for every route serve answers: the status
// server's (every method it answers), the web reference's and the operational ones
// (GET); and it fetches every path the document names without a
// wildcard, none of which may fall through to the status server's 404.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	f := &serveFlags{}
	h, _, err := f.handler(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != openapi.MediaType {
		t.Fatalf("GET /openapi.json: status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("the document does not parse as OpenAPI 3.1 (openapi %q): %v", doc.OpenAPI, err)
	}
	described := func(pattern, method string) {
		t.Helper()
		if m, rest, ok := strings.Cut(pattern, " "); ok {
			method, pattern = strings.ToLower(m), rest
		}
		path := strings.ReplaceAll(pattern, "{$}", "")
		if doc.Paths[path][method] == nil {
			t.Errorf("%s %s is served but not described", method, path)
		}
	}
	for _, r := range server.New().Routes() {
		methods := []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}
		if r.Methods != nil {
			methods = nil
			for _, m := range r.Methods {
				methods = append(methods, strings.ToLower(m))
			}
		}
		for _, m := range methods {
			if r.Pattern == "/" && (m == "get" || m == "head") {
				continue // the web reference's index
			}
			described(r.Pattern, m)
		}
	}
	for _, r := range web.Routes() {
		described(r.Pattern, "")
	}
	for _, p := range []string{"/healthz", "/metrics", "/openapi.json"} {
		described(p, "get")
	}
	for path, item := range doc.Paths {
		if item["get"] == nil || strings.Contains(path, "{") {
			continue
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), "no route matches") {
			t.Errorf("GET %s is described but not served", path)
		}
	}
}
