package server

import (
	_ "embed"
	"net/http"

	"github.com/httpstatus/httpstatus/respond"
)

//go:embed openapi.json
var openAPI []byte

// handleHealth answers the liveness and readiness probes: 200, or 503
// while the server drains before shutting down, so that a load balancer
// stops sending new requests.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	if s.draining.Load() {
		h.Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("draining\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// handleMetrics serves the Prometheus metrics.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	if s.metrics == nil {
		s.fail(w, r, respond.New(http.StatusNotFound).WithDetail("metrics are off: they could not be registered"))
		return
	}
	s.metrics.handler.ServeHTTP(w, r)
}

// handleOpenAPI serves the OpenAPI description of the server.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/vnd.oai.openapi+json;version=3.1")
	_, _ = w.Write(openAPI)
}

// handleNotFound answers any path no route matches.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, respond.New(http.StatusNotFound).WithDetail(
		"no route matches "+clip(r.URL.Path)+"; try /{code} or /status/{code} with a code from 100 to 599, or see /openapi.json"))
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
