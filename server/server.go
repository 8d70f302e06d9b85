// Package server is the status test server behind "httpstatus serve": it
// answers /{code} and /status/{code} with any status code from 100 to 599,
// with the header fields, content rules and bodies the registry gives that
// code, and lets the client add delays, slow bodies, connection faults,
// extra headers and random codes. docs/server.md describes every route,
// control and limit.
//
// New returns an http.Handler; Server.Run listens, serves and shuts down
// gracefully:
//
//	srv := server.New(server.WithLogger(logger))
//	err := srv.Run(ctx, server.Config{Addr: ":8080"})
package server

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// DefaultAddr is the address Run listens on when Config.Addr is empty.
const DefaultAddr = ":8080"

// Limits bound what one request may ask of the server.
type Limits struct {
	// MaxDelay is the longest time a request may ask to be held: its delay
	// before the headers, its delay after them and its slow body together.
	MaxDelay time.Duration
	// MaxWaiting is the most requests held by a delay or a slow body at
	// once; the next one is answered 503 with Retry-After.
	MaxWaiting int
	// MaxBody is the largest request body the server reads, in bytes; a
	// larger one is answered 413.
	MaxBody int64
}

// DefaultLimits returns the limits New uses unless told otherwise: 30
// seconds (the longest delay httpstat.us allowed), 10,000 waiting requests
// and 1 MiB of request body.
func DefaultLimits() Limits {
	return Limits{MaxDelay: 30 * time.Second, MaxWaiting: 10_000, MaxBody: 1 << 20}
}

// Server is the status test server. It is an http.Handler; create it with New.
type Server struct {
	mux        *http.ServeMux
	limits     Limits
	logger     *slog.Logger
	accessLog  bool
	cors       bool
	allowHosts []string
	registry   *prometheus.Registry
	metrics    *metrics
	controls   *controlTable
	seeds      seeds
	routes     []Route
	register   []func(*http.ServeMux)
	waiting    atomic.Int64
	draining   atomic.Bool
	recorders  sync.Pool
	cache      responseCache
	date       dateField
	noFast     bool // tests turn the fast path off to compare
	initErr    error
}

// An Option configures a Server.
type Option func(*Server)

// WithLimits sets the limits on delays, waiting requests and request
// bodies. A zero field keeps its default.
func WithLimits(l Limits) Option {
	return func(s *Server) {
		if l.MaxDelay > 0 {
			s.limits.MaxDelay = l.MaxDelay
		}
		if l.MaxWaiting > 0 {
			s.limits.MaxWaiting = l.MaxWaiting
		}
		if l.MaxBody > 0 {
			s.limits.MaxBody = l.MaxBody
		}
	}
}

// WithLogger sets the logger for access logs and errors. Without it the
// server logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) {
		if l != nil {
			s.logger = l
		}
	}
}

// WithAccessLog turns the access log (one record a request, at Info
// level) on or off; it is on by default and needs WithLogger to be seen.
func WithAccessLog(on bool) Option { return func(s *Server) { s.accessLog = on } }

// WithCORS turns CORS on or off; it is on by default. With it, a browser
// may call every route from any origin and read every header the server
// sends.
func WithCORS(on bool) Option { return func(s *Server) { s.cors = on } }

// WithRedirectHosts sets the hosts an absolute redirect target may name;
// without them, a request may only name a relative target. Names are
// compared without regard to case, and never include a port.
func WithRedirectHosts(hosts ...string) Option {
	return func(s *Server) {
		for _, h := range hosts {
			if h = strings.TrimSpace(h); h != "" {
				s.allowHosts = append(s.allowHosts, strings.ToLower(h))
			}
		}
	}
}

// WithRegistry sets the Prometheus registry the server's metrics are
// registered with and /metrics serves. Without it each Server has a
// registry of its own.
func WithRegistry(reg *prometheus.Registry) Option {
	return func(s *Server) {
		if reg != nil {
			s.registry = reg
		}
	}
}

// WithRoutes lets another package add routes to the server's mux, such as
// the web reference; register runs once, after the server's own routes.
func WithRoutes(register func(*http.ServeMux)) Option {
	return func(s *Server) { s.register = append(s.register, register) }
}

// New returns a Server configured by opts.
func New(opts ...Option) *Server {
	s := &Server{
		mux:       http.NewServeMux(),
		limits:    DefaultLimits(),
		logger:    slog.New(slog.DiscardHandler),
		accessLog: true,
		cors:      true,
		controls:  newControlTable(),
	}
	for _, o := range opts {
		o(s)
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	s.metrics, s.initErr = newMetrics(s.registry)
	if s.initErr != nil {
		s.logger.Error("metrics cannot be registered", "err", s.initErr)
		s.metrics = nil
	}
	s.recorders.New = func() any { return new(recorder) }
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.HandleFunc(rt.Pattern, rt.handler)
	}
	registerWeb(s.mux, s.logger)
	for _, reg := range s.register {
		reg(s.mux)
	}
	return s
}

// A Route is one pattern of the server's mux, with what it does.
type Route struct {
	Pattern string // a net/http ServeMux pattern
	Summary string
	handler http.HandlerFunc
}

// Routes returns the server's own routes, in the order they are registered.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

func (s *Server) routeTable() []Route {
	return []Route{
		{"/{code}", "answer with the code, 100 to 599 (httpstat.us style)", s.handleCode},
		{"/status/{codes}", "answer with the code, or a random one of a list or weighted list (httpbin style)", s.handleStatus},
		{"/random/{codes}", "answer with a random code of a list, ranges allowed", s.handleRandom},
		{"/healthz", "liveness and readiness: 200, or 503 while draining", s.handleHealth},
		{"/metrics", "Prometheus metrics", s.handleMetrics},
		{"/openapi.json", "the OpenAPI 3.1 description of every route", s.handleOpenAPI},
		{"/", "anything else: a 404 problem", s.handleNotFound},
	}
}

// ServeHTTP answers r, recording it for the metrics and the access log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.noFast && s.serveFast(w, r) {
		return
	}
	rec := s.recorders.Get().(*recorder)
	rec.reset(w, s.cors && r.Header["Origin"] != nil)
	start := time.Now()
	defer s.finish(rec, r, start)
	if rec.cors && r.Method == http.MethodOptions && r.Header["Access-Control-Request-Method"] != nil {
		s.preflight(rec, r)
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// finish counts and logs the request, also when the handler aborted it
// with http.ErrAbortHandler, which it then re-raises.
func (s *Server) finish(rec *recorder, r *http.Request, start time.Time) {
	v := recover()
	status := rec.status
	if status == 0 {
		status = rec.intended
	}
	if v != nil && v != http.ErrAbortHandler {
		s.logger.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
		if rec.status == 0 {
			// Nothing is written yet: the client gets a plain 500 rather
			// than a reset connection.
			rec.ResponseWriter.WriteHeader(http.StatusInternalServerError)
			status = http.StatusInternalServerError
		}
		v = nil
	}
	if s.metrics != nil {
		s.metrics.count(status, r.Method)
	}
	if s.accessLog {
		s.logAccess(r, status, rec.bytes, start, v != nil || rec.aborted)
	}
	rec.ResponseWriter = nil
	s.recorders.Put(rec)
	if v != nil {
		panic(v)
	}
}

func (s *Server) logAccess(r *http.Request, status int, bytes int64, start time.Time, aborted bool) {
	ctx := r.Context()
	if !s.logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := [...]slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Duration("duration", time.Since(start)),
		slog.String("remote", r.RemoteAddr),
		slog.String("proto", r.Proto),
		slog.Bool("aborted", aborted),
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "request", attrs[:]...)
}

// recorder wraps a ResponseWriter to learn the status and size of the
// response, and to list the header fields for CORS when the status is sent.
type recorder struct {
	http.ResponseWriter
	status   int   // the final status written, 0 before
	intended int   // the status meant, for a response cut short by a fault
	bytes    int64 // content bytes written
	cors     bool
	aborted  bool
}

func (rec *recorder) reset(w http.ResponseWriter, cors bool) {
	*rec = recorder{ResponseWriter: w, cors: cors}
}

// WriteHeader sends the status; for a final status with CORS on, it first
// lets the browser read every header field of the response.
func (rec *recorder) WriteHeader(code int) {
	if rec.status != 0 {
		return
	}
	if code >= 200 || code == http.StatusSwitchingProtocols {
		rec.status = code
	}
	if rec.cors {
		exposeHeaders(rec.Header())
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Flush sends what is buffered to the client.
func (rec *recorder) Flush() {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(rec.ResponseWriter).Flush()
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// recorderOf returns the recorder under w, if there is one.
func recorderOf(w http.ResponseWriter) *recorder {
	for {
		switch t := w.(type) {
		case *recorder:
			return t
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return nil
		}
	}
}

// loadOrStore returns the value p points at, first storing the one newValue
// makes when there is none. Goroutines that race to store all get the
// value stored first.
func loadOrStore[T any](p *atomic.Pointer[T], newValue func() *T) *T {
	if v := p.Load(); v != nil {
		return v
	}
	p.CompareAndSwap(nil, newValue())
	return p.Load()
}
