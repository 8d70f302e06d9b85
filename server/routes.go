package server

import (
	"math/rand/v2"
	"net/http"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// A Route is one pattern the server answers, with what it does.
type Route struct {
	Pattern string // a net/http ServeMux pattern
	Summary string // what the route does, in a few words
	handler http.HandlerFunc
}

// Routes returns the server's routes, in the order they are registered.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// Register adds the server's routes to mux, for a program that serves them
// next to routes of its own on one mux; "/" answers a 404 problem for any
// path no route of mux matches. The routes come without the middleware
// that WithCORS and WithObserver put around the Server, which such a
// program composes itself; Cache puts the server's response cache in
// front of mux.
func (s *Server) Register(mux *http.ServeMux) {
	for _, rt := range s.routes {
		mux.HandleFunc(rt.Pattern, rt.handler)
	}
}

// Route patterns whose prefix is also the default redirect target's.
const (
	routeCode   = "/{code}"
	routeStatus = "/status/{codes}"
)

func (s *Server) routeTable() []Route {
	return []Route{
		{routeCode, "answer with the code, 100 to 599 (httpstat.us style)", s.handleCode},
		{routeStatus, "answer with the code, or a random one of a list or weighted list (httpbin style)", s.handleStatus},
		{"/random/{codes}", "answer with a random code of a list, ranges allowed", s.handleRandom},
		{"/", "anything else: a 404 problem", s.handleNotFound},
	}
}

// handleCode serves /{code}: one code, 100 to 599.
func (s *Server) handleCode(w http.ResponseWriter, r *http.Request) {
	code, err := httpstatus.ParseCode(r.PathValue("code"))
	if err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()+"; this route takes one code, /status/{codes} and /random/{codes} take lists"))
		return
	}
	s.serveCode(w, r, code, "/")
}

// handleStatus serves /status/{codes}: one code, or a random code of a
// list such as 200,500-504 or a weighted list such as 200:0.9,503:0.1.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue("codes")
	if len(v) != 3 {
		s.serveRandom(w, r, v)
		return
	}
	code, err := httpstatus.ParseCode(v)
	if err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()+"; a list of codes such as 200,500-504 or 200:0.9,503:0.1 is accepted too"))
		return
	}
	s.serveCode(w, r, code, "/status/")
}

// handleRandom serves /random/{codes}.
func (s *Server) handleRandom(w http.ResponseWriter, r *http.Request) {
	s.serveRandom(w, r, r.PathValue("codes"))
}

// handleNotFound answers any path no route matches.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, respond.New(http.StatusNotFound).WithDetail(
		"no route matches "+httptext.Clip(r.URL.Path, maxEcho)+"; try /{code} or /status/{code} with a code from 100 to 599, or see /openapi.json"))
}

// serveCode answers r with code, on the route whose redirect targets start
// with prefix.
func (s *Server) serveCode(w http.ResponseWriter, r *http.Request, code int, prefix string) {
	if x := s.exchangeOf(w, r, prefix); x != nil {
		x.code = code
		s.serve(w, x)
	}
}

// serveRandom answers r with a code drawn from the list v, from the
// sequence of its seed when the request names one.
func (s *Server) serveRandom(w http.ResponseWriter, r *http.Request, v string) {
	sp, err := parseSpec(v)
	if err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()))
		return
	}
	x := s.exchangeOf(w, r, "/status/")
	if x == nil {
		return
	}
	if x.ctl.hasSeed {
		x.code = s.seeds.next(x.ctl.seed, v, sp)
	} else {
		x.code = sp.pick(rand.Float64(), rand.Float64())
	}
	s.serve(w, x)
}
