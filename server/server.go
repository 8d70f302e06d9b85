// Package server is the status test server: an http.Handler that answers
// /{code} and /status/{code} with any status code from 100 to 599, with the
// header fields, content rules and bodies the registry gives that code, and
// lets the client under test add delays, slow bodies, connection faults,
// extra header fields and random codes, by query parameter or request
// header. It imports only the standard library and this module's public
// packages, so a Go test can run it with no binary and no port to manage:
//
//	srv := httptest.NewServer(server.New())
//	defer srv.Close()
//	res, err := http.Get(srv.URL + "/503") // 503, Retry-After, a problem+json body
//
// "httpstatus serve" runs the same handler next to the web reference and
// the operational routes. docs/server.md describes every route, control
// and limit; Controls lists the controls.
//
// Some routes remember what a run of requests did, by a key the requests
// name (memory.go): /sequence/{codes} answers the n-th request with the
// n-th code, the rate-limit control counts requests in a window,
// /resource is a resource that answers conditional and range requests and
// changes on PUT, PATCH and DELETE, and /redirect/{n} and /redirect-loop
// make chains and cycles of redirects.
//
// A request flows through the files of this package in order: routes.go
// (which route, which code) and the routes that remember (sequence.go,
// redirect.go, resource.go, sessions.go), request.go and controls.go (the
// exchange and the controls parsed into it), pipeline.go (admit, with
// ratelimit.go; the route's step in memory.go; wait; dispatch),
// headers.go and write.go (the ordinary answer, and the request body with
// its deadline), the special codes (interim.go, upgrade.go, partial.go,
// credentials.go) and the resource's validators.go and ranges.go, phases.go (delays, slow bodies and faults
// after the status line), cache.go (plain requests answered from a
// response rendered once) and observe.go. examples.go lists requests that
// show each code at work.
package server

import (
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/httpstatus/httpstatus/verdict"
)

// Limits bound what one request may ask of the server.
type Limits struct {
	// MaxDelay is the longest time a request may ask to be held: its delay
	// before the headers, its delay after them and its slow body together.
	MaxDelay time.Duration
	// MaxWaiting is the most requests held by a delay or a slow body at
	// once; the next one is answered 503 with Retry-After.
	MaxWaiting int
	// MaxBody is the largest request body the server reads, in bytes; a
	// larger one is answered 413. It is also the largest resource.
	MaxBody int64
	// BodyTimeout is how long a request body may take to arrive once the
	// server is ready for it: after the request's own delays, which it is
	// added to. A body not whole by then is answered 408 and its
	// connection closed. A request may ask for another time, up to
	// MaxDelay, with the body-timeout control: a slow upload is then the
	// test, and it is held like a delay.
	BodyTimeout time.Duration
	// MaxKeys is the most keys the server remembers; past it, the least
	// recently used key is forgotten.
	MaxKeys int
	// MaxMemory bounds the bytes the remembered keys hold together, their
	// resources included; past it, the least recently used keys are
	// forgotten, and a write that would make one key's resources hold
	// more is answered 507. It is raised to MaxBody when lower, so that
	// one resource always fits; the key in use may hold its bookkeeping on
	// top: a few kilobytes, and at most about 700 KB for a full record of
	// its attempts.
	MaxMemory int64
	// KeyIdle is how long the server remembers a key no request uses.
	KeyIdle time.Duration
	// MaxRedirects is the longest chain /redirect/{n} makes.
	MaxRedirects int
}

// DefaultLimits returns the limits New uses unless told otherwise: 30
// seconds (the longest delay httpstat.us allowed), 10,000 waiting
// requests, 1 MiB of request body arriving within 10 seconds (as long as
// net/http's servers commonly allow for a header section), 10,000 keys
// holding at most 64 MiB together and forgotten after 15 minutes unused,
// and chains of 100 redirects.
func DefaultLimits() Limits {
	return Limits{MaxDelay: 30 * time.Second, MaxWaiting: 10_000, MaxBody: 1 << 20, BodyTimeout: 10 * time.Second,
		MaxKeys: 10_000, MaxMemory: 64 << 20, KeyIdle: 15 * time.Minute, MaxRedirects: 100}
}

// Server is the status test server. It is an http.Handler; create it with
// New. It is safe for concurrent use.
type Server struct {
	limits     Limits
	allowHosts []string
	logger     *slog.Logger
	cors       bool
	observers  []Observer

	controls *controlTable
	routes   []Route
	mux      *http.ServeMux // the status routes: every request the cache does not answer
	handler  http.Handler   // the cache in front of mux, behind the middleware the options ask for
	cache    responseCache
	date     dateField
	seeds    seeds
	waiting  atomic.Int64
	memory   *memory
	// the fields a record keeps (verdict.RecordedFields), asked once
	recordFields, recordResponseFields []string
	// clock tells the time of the rate limits and the resources; tests
	// of this package replace it.
	clock func() time.Time
}

// An Option configures a Server.
type Option func(*Server)

// WithLimits sets the limits on delays, waiting requests, request bodies,
// the memory of runs and redirect chains. A zero field keeps its default.
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
		if l.BodyTimeout > 0 {
			s.limits.BodyTimeout = l.BodyTimeout
		}
		if l.MaxKeys > 0 {
			s.limits.MaxKeys = l.MaxKeys
		}
		if l.MaxMemory > 0 {
			s.limits.MaxMemory = l.MaxMemory
		}
		if l.KeyIdle > 0 {
			s.limits.KeyIdle = l.KeyIdle
		}
		if l.MaxRedirects > 0 {
			s.limits.MaxRedirects = l.MaxRedirects
		}
	}
}

// WithLogger sets the logger for the server's own failures, such as a
// response that could not be written. Without it the server logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) {
		if l != nil {
			s.logger = l
		}
	}
}

// WithCORS puts the server behind the CORS middleware, so that a browser
// may call it from any origin and read every header field it sends. It is
// off by default: a program that composes the server with other routes
// wraps them all in CORS once instead.
func WithCORS(on bool) Option { return func(s *Server) { s.cors = on } }

// WithRedirectHosts sets the hosts that a URL a request puts in the
// response (a redirect target, Refresh, Link: see target.go) may name
// besides this server; without them, such a URL must be a path on this
// server. Names are compared without regard to case, and never include a
// port; an IP address also covers the other ways a URL may write it.
func WithRedirectHosts(hosts ...string) Option {
	return func(s *Server) {
		for _, h := range hosts {
			if h = strings.TrimSpace(h); h != "" {
				s.allowHosts = append(s.allowHosts, strings.ToLower(h))
			}
		}
	}
}

// WithObserver adds an observer that is called once for every request the
// server has finished, with what it sent (see Observe).
func WithObserver(o Observer) Option {
	return func(s *Server) {
		if o != nil {
			s.observers = append(s.observers, o)
		}
	}
}

// New returns a Server configured by opts.
func New(opts ...Option) *Server {
	s := &Server{
		limits:   DefaultLimits(),
		logger:   slog.New(slog.DiscardHandler),
		controls: newControlTable(),
	}
	for _, o := range opts {
		o(s)
	}
	s.limits.MaxMemory = max(s.limits.MaxMemory, s.limits.MaxBody)
	s.memory = newMemory(s.limits)
	s.recordFields, s.recordResponseFields = verdict.RecordedFields(), verdict.RecordedResponseFields()
	s.clock = time.Now
	s.routes = s.routeTable()
	s.mux = http.NewServeMux()
	s.Register(s.mux)
	h := s.Cache(s.mux)
	if s.cors {
		h = CORS(h)
	}
	if len(s.observers) > 0 {
		h = Observe(h, s.observers...)
	}
	s.handler = h
	return s
}

// ServeHTTP answers r.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Cache returns a handler that answers from the server's cache every
// request the cache can answer (a plain GET or HEAD of /{code} or
// /status/{code}: see cache.go) and passes every other request to next,
// which should route the server's paths to the server (see Register). A
// program that serves the server's routes on a mux of its own puts Cache
// in front of that mux, so that the commonest requests skip the routing,
// which costs more than the cache. In front of the cache, a path of the
// status routes that is not clean (//200, /./200, /status//200) is
// answered as its clean form, where a ServeMux would redirect (see
// cleanStatusPath); and the body of every request passed on gets the server's
// body timeout (Limits.BodyTimeout), routes of the program included.
func (s *Server) Cache(next http.Handler) http.Handler {
	return &front{s: s, next: next}
}

// front is the handler Cache returns: the path cleaning, the cache and the
// body deadline in one frame
// (see "The way to a wait" in pipeline.go).
type front struct {
	s    *Server
	next http.Handler
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := cleanStatusPath(r); p != "" {
		serveCleaned(w, r, p, f) // the clean path comes back here, and is clean
		return
	}
	if !f.s.serveCached(w, r) {
		f.s.limitBody(w, r)
		f.next.ServeHTTP(w, r)
	}
}

// Waiting returns the number of requests held by a delay or a slow body
// right now.
func (s *Server) Waiting() int { return int(s.waiting.Load()) }

// MemoryStats describes what the server remembers of the keys of runs.
type MemoryStats struct {
	Keys    int    // keys held now
	Bytes   int64  // the bytes charged for them, an estimate
	Evicted uint64 // keys forgotten so far to stay within MaxKeys and MaxMemory
}

// Memory returns what the server remembers of the keys of runs now.
func (s *Server) Memory() MemoryStats {
	keys, bytes, evicted := s.memory.stats()
	return MemoryStats{Keys: keys, Bytes: bytes, Evicted: evicted}
}

func (s *Server) now() time.Time { return s.clock() }
