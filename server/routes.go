package server

import (
	"math/rand/v2"
	"net/http"
	"path"
	"strings"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// A Route is one pattern the server answers, with what it does.
type Route struct {
	Pattern string // a net/http ServeMux pattern
	Summary string // what the route does, in a few words
	// Methods are the methods the route answers; nil means every method.
	// The route answers the others itself, with 405 and Allow.
	Methods []string
	// Answers are the codes the route sends, besides the problems any
	// route sends about a request it cannot take (400, 413, 429, 503);
	// nil means the code or codes the request names.
	Answers []int
	serve   func(*Server, http.ResponseWriter, *http.Request)
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
		mux.Handle(rt.Pattern, &routeHandler{s: s, serve: rt.serve})
	}
}

// A routeHandler serves one route behind the deadline of the request body
// (write.go), which the pipeline moves for the request's own delays. It
// calls the route's method directly, with no closure between
// (see "The way to a wait" in pipeline.go).
type routeHandler struct {
	s     *Server
	serve func(*Server, http.ResponseWriter, *http.Request)
}

func (rh *routeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rh.s.limitBody(w, r)
	rh.serve(rh.s, w, r)
}

// The route patterns.
const (
	routeCode          = "/{code}"
	routeStatus        = "/status/{codes}"
	routeRandom        = "/random/{codes}"
	routeSequence      = "/sequence/{codes}"
	routeRedirect      = "/redirect/{n}"
	routeRedirectLoop  = "/redirect-loop"
	routeRedirectLoopN = "/redirect-loop/{i}"
	routeResource      = "/resource"
	routeResourceName  = "/resource/{name}"
	routeSessions      = "/sessions/{key}"
	routeScenarios     = "/scenarios"
	routeOther         = "/"
)

// Groups of routes, for the controls that apply to some only.
var (
	// codeRoutes answer a code the request names or picks.
	codeRoutes     = []string{routeCode, routeStatus, routeRandom, routeSequence}
	redirectRoutes = []string{routeRedirect, routeRedirectLoop, routeRedirectLoopN}
	resourceRoutes = []string{routeResource, routeResourceName}
)

func (s *Server) routeTable() []Route {
	redirects := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
	return []Route{
		{Pattern: routeCode, Summary: "answer with the code, 100 to 599 (httpstat.us style)", serve: (*Server).handleCode},
		{Pattern: routeStatus, Summary: "answer with the code, or a random one of a list or weighted list (httpbin style)", serve: (*Server).handleStatus},
		{Pattern: routeRandom, Summary: "answer with a random code of a list, ranges allowed", serve: (*Server).handleRandom},
		{Pattern: routeSequence, Summary: "answer the key's n-th request with the n-th code of the list, then repeat the last (or cycle)",
			serve: (*Server).handleSequence},
		{Pattern: routeRedirect, Summary: "redirect n times, to /redirect/{n-1} and finally /200, which answers 200",
			Answers: append([]int{http.StatusOK}, redirects...), serve: (*Server).handleRedirect},
		{Pattern: routeRedirectLoop, Summary: "redirect to this same URL, forever: a cycle",
			Answers: redirects, serve: (*Server).handleRedirectLoop},
		{Pattern: routeRedirectLoopN, Summary: "redirect to /redirect-loop/{i+1}, forever: a chain that never repeats a URL",
			Answers: redirects, serve: (*Server).handleRedirectLoopIndex},
		{Pattern: routeResource, Summary: "the key's resource: GET, HEAD, PUT, PATCH and DELETE with validators, preconditions and ranges",
			Methods: resourceMethods, Answers: resourceAnswers, serve: (*Server).handleResource},
		{Pattern: routeResourceName, Summary: "another resource of the key, by name",
			Methods: resourceMethods, Answers: resourceAnswers, serve: (*Server).handleResourceName},
		{Pattern: routeSessions, Summary: "GET: the verdict on how the client behaved in the key's run; DELETE: forget the key",
			Methods: sessionMethods, Answers: []int{http.StatusOK, http.StatusNoContent, http.StatusNotFound}, serve: (*Server).handleSession},
		{Pattern: routeScenarios, Summary: "the ready-made runs that test a client, as JSON",
			Methods: []string{http.MethodGet, http.MethodHead}, Answers: []int{http.StatusOK}, serve: (*Server).handleScenarios},
		{Pattern: routeOther, Summary: "anything else: a 404 problem", Answers: []int{http.StatusNotFound}, serve: (*Server).handleNotFound},
	}
}

// handleCode serves /{code}: one code, 100 to 599.
func (s *Server) handleCode(w http.ResponseWriter, r *http.Request) {
	code, err := httpstatus.ParseCode(r.PathValue("code"))
	if err != nil {
		s.badCode(w, r, err)
		return
	}
	s.serveCode(w, r, code, routeCode)
}

// badCode answers a request of /{code} whose code is not one. It is out of
// line, as the other answers to a bad request on the way to a wait are
// (see "The way to a wait" in pipeline.go).
//
//go:noinline
func (s *Server) badCode(w http.ResponseWriter, r *http.Request, err error) {
	if hint, ok := incomplete["/"+r.PathValue("code")]; ok {
		// /status, /random, /sequence, /redirect and /sessions are one
		// segment, like a code: say what the route takes.
		s.badRequest(w, r, hint)
		return
	}
	s.badRequest(w, r, err.Error()+"; this route takes one code, /status/{codes} and /random/{codes} take lists")
}

// badRequest answers r with a 400 problem saying detail: every route's
// answer to a request it cannot take, out of line
// (see "The way to a wait" in pipeline.go).
//
//go:noinline
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, detail string) {
	s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(detail))
}

// handleStatus serves /status/{codes}: one code, or a random code of a
// list such as 200,500-504 or a weighted list such as 200:0.9,503:0.1.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue("codes")
	if len(v) != 3 {
		s.serveRandom(w, r, v, routeStatus)
		return
	}
	code, err := httpstatus.ParseCode(v)
	if err != nil {
		s.badRequest(w, r, err.Error()+"; a list of codes such as 200,500-504 or 200:0.9,503:0.1 is accepted too")
		return
	}
	s.serveCode(w, r, code, routeStatus)
}

// handleRandom serves /random/{codes}.
func (s *Server) handleRandom(w http.ResponseWriter, r *http.Request) {
	s.serveRandom(w, r, r.PathValue("codes"), routeRandom)
}

// incomplete lists the paths that name a route but not its argument, with
// what the route takes.
var incomplete = map[string]string{
	"/status":        "/status/{codes} takes a code or a list of codes, such as /status/503 or /status/200,500-504",
	"/random":        "/random/{codes} takes a list of codes, such as /random/200,500-504",
	"/sequence":      "/sequence/{codes} takes a comma-separated list of codes, such as /sequence/503,503,200",
	"/redirect":      "/redirect/{n} takes a number of redirects, such as /redirect/3",
	"/redirect-loop": "/redirect-loop redirects to itself; /redirect-loop/{i} takes a hop number, such as /redirect-loop/0",
	"/resource":      "/resource/{name} takes a name of 1 to 64 letters, digits, '-', '.', '_' or '~'",
	"/sessions":      "DELETE /sessions/{key} takes the key to forget",
}

// handleNotFound answers any path no route matches: a 400 that says what
// a route takes when the path names it without its argument, a 404
// otherwise.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	if hint, ok := incomplete[strings.TrimSuffix(r.URL.Path, "/")]; ok {
		s.badRequest(w, r, hint)
		return
	}
	s.fail(w, r, respond.New(http.StatusNotFound).WithDetail(
		"no route matches "+httptext.Clip(r.URL.Path, maxEcho)+"; try /{code} or /status/{code} with a code from 100 to 599, or see /openapi.json"))
}

// The paths of the status routes are answered as they are meant: a path
// with an empty or a dot segment (//200, /./200, /status//200,
// /status/../200) is served as its clean form (/200, /status/200), where
// ServeMux would answer a 307 to that form with an HTML link, a redirect
// the client under test never asked for. Only paths without escapes are
// cleaned, since ServeMux cleans and matches the escaped form
// (/status%2F200 is one segment there), and the paths of other routes are
// left to it.

// serveCleaned serves a copy of r with the path p, and gives r the
// pattern that answered it, as a mux sets it on the request it serves,
// for the middleware around.
//
//go:noinline
func serveCleaned(w http.ResponseWriter, r *http.Request, p string, next http.Handler) {
	c := r.WithContext(r.Context())
	u := *r.URL
	u.Path = p
	c.URL = &u
	defer func() { r.Pattern = c.Pattern }()
	next.ServeHTTP(w, c)
}

// cleanStatusPath returns the clean form of the path of r when it is not
// clean and, clean, names a status route, or "".
func cleanStatusPath(r *http.Request) string {
	p := r.URL.Path
	if r.URL.RawPath != "" || r.Method == http.MethodConnect || p == "" || p[0] != '/' ||
		(!strings.Contains(p, "//") && !strings.Contains(p, "/.")) {
		return ""
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/" // as ServeMux keeps it
	}
	if c == p {
		return "" // a dot that starts a name, such as /.well-known
	}
	first, _, more := strings.Cut(c[1:], "/")
	switch {
	case !more:
		if len(first) != 3 || !httptext.IsDigits(first) {
			return ""
		}
	case first != "status" && first != "random" && first != "sequence":
		return ""
	}
	return c
}

// serveCode answers r, which came by route, with code.
func (s *Server) serveCode(w http.ResponseWriter, r *http.Request, code int, route string) {
	if x := s.exchangeOf(w, r, route); x != nil && s.possibleOn(w, x, code) {
		x.code = code
		s.serve(w, x)
	}
}

// serveRandom answers r with a code drawn from the list v, from the
// sequence of its seed when the request names one.
func (s *Server) serveRandom(w http.ResponseWriter, r *http.Request, v, route string) {
	sp, err := parseSpec(v)
	if err != nil {
		s.badRequest(w, r, err.Error())
		return
	}
	x := s.exchangeOf(w, r, route)
	if x == nil || (x.ctl.mayFail() && !s.possibleOn(w, x, sp.codes()...)) {
		return
	}
	if x.ctl.hasSeed {
		x.code = s.seeds.next(x.ctl.seed, v, sp)
	} else {
		x.code = sp.pick(rand.Float64(), rand.Float64())
	}
	s.serve(w, x)
}
