package conform_test

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/conform"
)

// collector gathers what Middleware reports.
type collector struct {
	mu    sync.Mutex
	calls []conform.Finding
	n     int
}

func (c *collector) report(r *http.Request, code int, fs []conform.Finding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.calls = append(c.calls, fs...)
}

func (c *collector) ids() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, f := range c.calls {
		out = append(out, f.ID)
	}
	return out
}

// handlers that exercise every way of writing a response.
var handlers = map[string]http.HandlerFunc{
	"plain":   func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") },
	"nothing": func(w http.ResponseWriter, r *http.Request) {},
	"405 without Allow": func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusMethodNotAllowed)
	},
	"headers and status": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Thing", "1")
		w.Header().Add("Vary", "Accept")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"id": 1}`)
	},
	"flushed stream": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			io.WriteString(w, "data: "+strings.Repeat("x", i)+"\n\n")
			w.(http.Flusher).Flush()
		}
	},
	"response controller": func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "part one, ")
		if err := rc.Flush(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "part two")
	},
	"interim 103": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "final")
	},
	"large": func(w http.ResponseWriter, r *http.Request) {
		body := strings.Repeat("0123456789", 20000)
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "200000")
		io.WriteString(w, body)
	},
	"hijack": func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		rw.Flush()
	},
}

// fetch sends a request to srv and returns the response as text, without
// the Date field, which changes from one second to the next.
func fetch(t *testing.T, srv *httptest.Server, method string) string {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, method+" / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	raw, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.SplitAfter(string(raw), "\n") {
		if !strings.HasPrefix(l, "Date: ") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "")
}

// TestMiddlewareChangesNothing sends the same requests to each handler
// with and without the middleware and compares the bytes on the wire.
func TestMiddlewareChangesNothing(t *testing.T) {
	t.Parallel()
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var c collector
			plain := httptest.NewServer(h)
			defer plain.Close()
			watched := httptest.NewServer(conform.Middleware(h, conform.WithReport(c.report), conform.WithCapture(1024)))
			defer watched.Close()
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				want, got := fetch(t, plain, method), fetch(t, watched, method)
				if got != want {
					t.Errorf("%s through the middleware:\n%q\nwithout:\n%q", method, got, want)
				}
			}
			switch name {
			case "405 without Allow":
				if ids := c.ids(); len(ids) == 0 || ids[0] != conform.RuleRequiredHeader {
					t.Errorf("findings %v, want required-header", ids)
				}
			default:
				c.mu.Lock()
				defer c.mu.Unlock()
				for _, f := range c.calls {
					if f.Severity >= conform.SeverityWarning {
						t.Errorf("%s", f)
					}
				}
			}
		})
	}
}

// TestMiddlewareInterfaces: a handler sees the optional interfaces of the
// real writer, no more.
func TestMiddlewareInterfaces(t *testing.T) {
	t.Parallel()
	var flusher, hijacker bool
	h := conform.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, flusher = w.(http.Flusher)
		_, hijacker = w.(http.Hijacker)
	}), conform.WithReport(func(*http.Request, int, []conform.Finding) {}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if !flusher || hijacker {
		t.Errorf("on a recorder: Flusher %v, Hijacker %v; want true, false", flusher, hijacker)
	}
	h.ServeHTTP(struct{ http.ResponseWriter }{httptest.NewRecorder()}, httptest.NewRequest(http.MethodGet, "/", nil))
	if flusher || hijacker {
		t.Errorf("on a bare writer: Flusher %v, Hijacker %v; want false, false", flusher, hijacker)
	}
}

// TestMiddlewareBounds: sampling and the rate bound.
func TestMiddlewareBounds(t *testing.T) {
	t.Parallel()
	bad := handlers["405 without Allow"]
	serve := func(h http.Handler, n int) {
		for range n {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodDelete, "/", nil))
		}
	}
	var sampled collector
	serve(conform.Middleware(bad, conform.WithReport(sampled.report), conform.WithSampling(3)), 9)
	var limited collector
	serve(conform.Middleware(bad, conform.WithReport(limited.report), conform.WithRate(2, time.Hour)), 5)
	var all collector
	serve(conform.Middleware(bad, conform.WithReport(all.report)), 5)
	if sampled.n != 3 || limited.n != 2 || all.n != 5 {
		t.Errorf("reports: 1 in 3 of 9 gave %d, 2 an hour of 5 gave %d, all of 5 gave %d", sampled.n, limited.n, all.n)
	}
}

// TestMiddlewareLogs: without WithReport, findings go to the logger.
func TestMiddlewareLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	h := conform.Middleware(handlers["405 without Allow"], conform.WithLogger(logger))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodDelete, "/orders", nil))
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, want := range []string{"level=ERROR", "rule=required-header", "code=405", "method=DELETE", "path=/orders", `reference="RFC 9110, section 15.5.6"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestMiddlewareHijack: a hijacked connection is the handler's; nothing is
// checked.
func TestMiddlewareHijack(t *testing.T) {
	t.Parallel()
	var c collector
	srv := httptest.NewServer(conform.Middleware(handlers["hijack"], conform.WithReport(c.report)))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "hijacked" || c.n != 0 {
		t.Errorf("content %q, %d reports", b, c.n)
	}
}
