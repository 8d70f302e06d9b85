package conform

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The bounds of Middleware unless told otherwise.
const (
	DefaultCapture = 64 << 10 // bytes of content kept of each response checked
	DefaultRate    = 100      // responses checked per DefaultRatePer at most
	DefaultRatePer = time.Second
)

// A MiddlewareOption changes what Middleware checks and where it reports.
type MiddlewareOption func(*watcher)

// WithReport calls report with the findings of every response checked
// that has any, instead of logging them, in the goroutine of the request
// after the handler returned. The last of WithReport and WithLogger wins.
func WithReport(report func(r *http.Request, code int, findings []Finding)) MiddlewareOption {
	return func(w *watcher) { w.report = report }
}

// WithLogger logs the findings to l (slog.Default when nil, the default):
// an error-level finding at slog.LevelError, a warning at LevelWarn, an info
// at LevelInfo.
func WithLogger(l *slog.Logger) MiddlewareOption {
	return func(w *watcher) { w.logger, w.report = l, nil }
}

// WithSampling checks one response in every n (every response for n <= 1,
// the default).
func WithSampling(n int) MiddlewareOption {
	return func(w *watcher) { w.every = max(int64(n), 1) }
}

// WithRate checks at most n responses in each interval of the given length
// (DefaultRate per DefaultRatePer unless set); the others pass unchecked.
func WithRate(n int, per time.Duration) MiddlewareOption {
	return func(w *watcher) {
		if n > 0 && per > 0 {
			w.rate, w.per = n, per
		}
	}
}

// WithCapture bounds the content kept of each response checked to n bytes
// (DefaultCapture unless set). The rules that need the whole content skip
// a longer response.
func WithCapture(n int) MiddlewareOption {
	return func(w *watcher) { w.capture = max(n, 0) }
}

// Middleware checks the responses next writes, as Check does, and reports
// their findings: to slog.Default unless WithReport or WithLogger say
// otherwise. It never changes a response: the status code, the header
// fields, the content, flushing, Hijack and http.ResponseController reach
// the real writer as the handler sent them. It keeps at most WithCapture
// bytes of each response, checks one response in WithSampling, at most
// WithRate of them, and leaves alone responses whose connection was
// hijacked or that switch protocols.
//
// The check runs after the handler returns, in its goroutine. The fields
// that net/http's server adds after the handler (Date, and a Content-Type
// it sniffs from the content) are counted as present when the handler
// did not suppress them.
func Middleware(next http.Handler, opts ...MiddlewareOption) http.Handler {
	w := &watcher{next: next, every: 1, rate: DefaultRate, per: DefaultRatePer,
		capture: DefaultCapture, c: newChecker()}
	for _, o := range opts {
		o(w)
	}
	return w
}

// watcher is the handler Middleware returns.
type watcher struct {
	next    http.Handler
	report  func(*http.Request, int, []Finding)
	logger  *slog.Logger
	every   int64
	rate    int
	per     time.Duration
	capture int
	c       *checker

	seen atomic.Int64 // responses served

	mu     sync.Mutex
	window time.Time // the start of the current rate interval
	used   int       // checks in it
}

// admit reports whether this response is to be checked.
func (m *watcher) admit() bool {
	if m.seen.Add(1)%m.every != 0 {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if now.Sub(m.window) >= m.per {
		m.window, m.used = now, 0
	}
	if m.used >= m.rate {
		return false
	}
	m.used++
	return true
}

func (m *watcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !m.admit() {
		m.next.ServeHTTP(w, r)
		return
	}
	rec := &recorder{ResponseWriter: w, limit: m.capture, head: r.Method == http.MethodHead}
	m.next.ServeHTTP(wrap(rec, w), r)
	if rec.hijacked || rec.code == http.StatusSwitchingProtocols {
		return
	}
	in := rec.input(r)
	findings := m.c.check(in)
	if len(findings) == 0 {
		return
	}
	if m.report != nil {
		m.report(r, in.code, findings)
		return
	}
	logger := m.logger
	if logger == nil {
		logger = slog.Default()
	}
	for _, f := range findings {
		level := slog.LevelInfo
		switch f.Severity {
		case SeverityError:
			level = slog.LevelError
		case SeverityWarning:
			level = slog.LevelWarn
		}
		logger.LogAttrs(context.WithoutCancel(r.Context()), level, "conform: "+f.Summary,
			slog.String("rule", f.ID), slog.String("severity", f.Severity.String()), slog.Int("code", f.Code),
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("reference", f.Ref.String()), slog.String("url", f.Ref.URL))
	}
}

// recorder passes everything to the real writer and keeps a copy of the
// status code, the header fields as they were sent and the start of the
// content.
type recorder struct {
	http.ResponseWriter
	limit    int
	head     bool // the request is HEAD: net/http drops the content
	code     int  // the final status code, once written
	header   http.Header
	body     []byte
	total    int
	hijacked bool
}

func (rec *recorder) WriteHeader(code int) {
	if rec.code == 0 {
		if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
			// An interim response; the final one follows.
			rec.ResponseWriter.WriteHeader(code)
			return
		}
		rec.code, rec.header = code, rec.ResponseWriter.Header().Clone()
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.code == 0 {
		rec.code, rec.header = http.StatusOK, rec.ResponseWriter.Header().Clone()
		if _, ok := rec.header["Content-Type"]; !ok && !rec.head && len(b) > 0 {
			// net/http sniffs the type from the first write.
			rec.header.Set("Content-Type", http.DetectContentType(b))
		}
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.total += n
	if keep := min(n, rec.limit-len(rec.body)); keep > 0 && !rec.head {
		rec.body = append(rec.body, b[:keep]...)
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

func (rec *recorder) flush() {
	if rec.code == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	http.NewResponseController(rec.ResponseWriter).Flush()
}

func (rec *recorder) hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(rec.ResponseWriter).Hijack()
	if err == nil {
		rec.hijacked = true
	}
	return conn, rw, err
}

// input is the response as the handler wrote it, for the checker.
func (rec *recorder) input(r *http.Request) *input {
	code, header := rec.code, rec.header
	if code == 0 { // the handler wrote nothing: net/http sends an empty 200
		code, header = http.StatusOK, rec.ResponseWriter.Header().Clone()
	}
	if _, ok := header["Date"]; !ok {
		header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	in := &input{code: code, header: header, req: r, body: rec.body, complete: rec.head || rec.total <= len(rec.body)}
	if rec.head {
		in.body = nil
	}
	return in
}

// The writers that wrap expose Flush and Hijack only when the real
// writer has them, so that a handler that tests for them sees what it
// would see without the middleware.
type (
	flushRecorder       struct{ *recorder }
	hijackRecorder      struct{ *recorder }
	flushHijackRecorder struct{ *recorder }
)

func (f flushRecorder) Flush()       { f.flush() }
func (f flushHijackRecorder) Flush() { f.flush() }
func (h hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.hijack()
}
func (h flushHijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.hijack()
}

// wrap returns rec with the optional interfaces of w.
func wrap(rec *recorder, w http.ResponseWriter) http.ResponseWriter {
	_, flusher := w.(http.Flusher)
	_, hijacker := w.(http.Hijacker)
	switch {
	case flusher && hijacker:
		return flushHijackRecorder{rec}
	case flusher:
		return flushRecorder{rec}
	case hijacker:
		return hijackRecorder{rec}
	}
	return rec
}
