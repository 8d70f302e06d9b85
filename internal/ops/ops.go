// Package ops holds what "httpstatus serve" needs to run in production and
// the status server itself does not: the Prometheus metrics and the access
// log (observers of the server's requests), the health probe, and Run,
// which listens, serves and drains.
package ops

import (
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/httpstatus/httpstatus/respond"
	"github.com/httpstatus/httpstatus/server"
)

// AccessLog returns an observer that logs one record a request, at Info
// level: method, path, route, status, bytes, duration, remote address,
// protocol and whether the response was aborted.
func AccessLog(logger *slog.Logger) server.Observer {
	return func(r *http.Request, o server.Observation) {
		ctx := r.Context()
		if !logger.Enabled(ctx, slog.LevelInfo) {
			return
		}
		attrs := [...]slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", o.Route),
			slog.Int("status", o.Code),
			slog.Int64("bytes", o.Bytes),
			slog.Duration("duration", o.Duration),
			slog.String("remote", r.RemoteAddr),
			slog.String("proto", r.Proto),
			slog.Bool("aborted", o.Aborted),
		}
		logger.LogAttrs(ctx, slog.LevelInfo, "request", attrs[:]...)
	}
}

// Health answers the liveness and readiness probes: 200, or 503 with
// Retry-After while Run drains before shutting down, so that a load
// balancer stops sending new requests. The zero Health is ready.
type Health struct {
	draining atomic.Bool
}

// ServeHTTP answers a probe.
func (h *Health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	if h.draining.Load() {
		hdr.Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("draining\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// getOrHead answers 405 to any method but GET and HEAD, and reports
// whether the request may go on.
func getOrHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	_ = respond.Write(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(http.MethodGet, http.MethodHead).
		WithDetail("this route answers GET and HEAD only"))
	return false
}
