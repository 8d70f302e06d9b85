package respond

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"runtime/debug"
)

// HandlerFunc is an http.Handler that returns an error instead of writing
// one. A nil error means the function answered the request itself.
//
//	mux.Handle("GET /users/{id}", respond.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
//		u, err := store.User(r.Context(), r.PathValue("id"))
//		if err != nil {
//			return respond.Wrap(http.StatusNotFound, err)
//		}
//		return json.NewEncoder(w).Encode(u)
//	}))
//
// Used as a handler itself, it logs with slog.Default; Handler gives it a
// logger of the caller's choice.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP serves as Handler(f, nil) does, logging with slog.Default.
func (f HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.serve(w, r, slog.Default())
}

// Handler returns a handler that calls f and answers a non-nil error with
// Write. When the status written is a 5xx, or Write reports that the error
// broke a rule (such as a 405 without Allow), it logs the error, cause
// included, with logger (slog.Default when nil) at level Error; the client
// never sees the cause. Recover takes its logger the same way.
func Handler(f HandlerFunc, logger *slog.Logger) http.Handler {
	if logger == nil {
		return f
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.serve(w, r, logger)
	})
}

func (f HandlerFunc) serve(w http.ResponseWriter, r *http.Request, logger *slog.Logger) {
	err := f(w, r)
	if err == nil {
		return
	}
	werr := Write(w, r, err)
	status := StatusOf(err)
	if werr == nil && status < 500 {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.String("error", err.Error()),
	}
	if werr != nil {
		attrs = append(attrs, slog.String("rule", werr.Error()))
	}
	logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, "request failed", attrs...)
}

// StatusOf returns the status Write would answer err with when err breaks
// no rule: the Status of the first *Problem in its chain, otherwise 500.
func StatusOf(err error) int {
	if p, ok := errors.AsType[*Problem](err); ok && p != nil {
		return p.Status
	}
	return http.StatusInternalServerError
}

// NotFound returns a handler that answers every request with a 404
// problem. Mount it on the catch-all pattern "/" of an http.ServeMux to
// replace the mux's plain-text answer:
//
//	mux.Handle("/", respond.NotFound())
func NotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = Write(w, r, New(http.StatusNotFound).WithDetail("There is nothing at "+r.URL.Path+"."))
	})
}

// MethodNotAllowed returns a handler that answers every request with a 405
// problem whose Allow lists allow, with HEAD added when GET is there (as
// net/http serves HEAD with GET handlers). Register it on the bare path
// next to the method patterns, so that it catches the other methods:
//
//	mux.HandleFunc("GET /items", list)
//	mux.HandleFunc("POST /items", create)
//	mux.Handle("/items", respond.MethodNotAllowed("GET", "POST"))
//
// With no methods, Allow is empty: the resource allows none at present.
func MethodNotAllowed(allow ...string) http.Handler {
	value := allowValue(allow)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := New(http.StatusMethodNotAllowed).
			WithDetail(fmt.Sprintf("The method %s is not allowed here.", r.Method))
		p.Header = http.Header{"Allow": {value}}
		_ = Write(w, r, p)
	})
}

// Recover returns a handler that serves as next does but turns a panic in
// it into a 500 problem. It logs the panic value, the request and the
// stack with logger (slog.Default when nil) at level Error; the client
// gets neither.
//
// A panic with http.ErrAbortHandler is passed on, as net/http expects. When
// the handler had already begun its response, a problem can no longer be
// sent: Recover logs the panic and then aborts the response with
// http.ErrAbortHandler, so that the client sees a broken response rather
// than a truncated one that looks whole.
//
// Header fields the panicking handler set describe a response it never
// finished, so the problem goes out with the header as it was when Recover
// called the handler.
func Recover(next http.Handler, logger *slog.Logger) http.Handler {
	return &recoverer{next: next, logger: logger}
}

// recoverer is the handler Recover returns. Its ServeHTTP keeps a small
// frame, with the work of a panic out of line in recovered, because a
// request that waits holds the stack it grew to until it ends.
type recoverer struct {
	next   http.Handler
	logger *slog.Logger
}

func (rc *recoverer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &trackingWriter{ResponseWriter: w, before: headerBefore(w)}
	defer rc.recovered(tw, r)
	rc.next.ServeHTTP(tw, r)
}

// headerBefore returns a copy of the header fields set before the
// handler ran, or nil when there were none.
//
//go:noinline
func headerBefore(w http.ResponseWriter) http.Header {
	if h := w.Header(); len(h) > 0 {
		return h.Clone()
	}
	return nil
}

// recovered, deferred by ServeHTTP, logs a panic of the handler and
// answers 500 when nothing was sent yet, or aborts the response when it
// was.
func (rc *recoverer) recovered(tw *trackingWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	l := rc.logger
	if l == nil {
		l = slog.Default() // the default at the time of the panic, as HandlerFunc's
	}
	l.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, "panic serving request",
		slog.Any("panic", v),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Bool("response_started", tw.started),
		slog.String("stack", string(debug.Stack())),
	)
	if tw.started {
		panic(http.ErrAbortHandler)
	}
	w := tw.ResponseWriter
	h := w.Header()
	clear(h)
	maps.Copy(h, tw.before)
	_ = Write(w, r, &Problem{Status: http.StatusInternalServerError, Cause: fmt.Errorf("panic: %v", v)})
}

// trackingWriter records whether a final response has begun.
type trackingWriter struct {
	http.ResponseWriter
	started bool
	before  http.Header // the fields set before the handler ran, for the 500 after a panic
}

func (t *trackingWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		t.started = true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.started = true
	return t.ResponseWriter.Write(b)
}

// Flush lets handlers that assert http.Flusher stream through Recover.
func (t *trackingWriter) Flush() {
	t.started = true
	_ = http.NewResponseController(t.ResponseWriter).Flush()
}

// Hijack lets handlers that assert http.Hijacker take over the connection.
func (t *trackingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	t.started = true
	return http.NewResponseController(t.ResponseWriter).Hijack()
}

// Unwrap gives http.ResponseController the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
