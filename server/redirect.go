package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// The redirect routes: /redirect/{n} is a chain of n redirects that ends
// at /200, /redirect-loop a redirect to itself (a cycle a client can
// detect by the URL), /redirect-loop/{i} a chain that never repeats a URL
// (only a hop limit stops it). Every URL the server chooses for a client
// to go to keeps the request's key, and on these routes their code and
// absolute controls, so that a client following it stays in its run.

// maxLoopIndex bounds i in /redirect-loop/{i}: a client that gets there
// has followed two billion redirects.
const maxLoopIndex = 1 << 31

// handleRedirect serves /redirect/{n}.
func (s *Server) handleRedirect(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue("n")
	n, err := strconv.Atoi(v)
	if err != nil || !httptext.IsDigits(v) || n > s.limits.MaxRedirects {
		s.badRequest(w, r, fmt.Sprintf(
			"%q is not a number of redirects from 0 to %d, this server's limit", httptext.Clip(v, maxEcho), s.limits.MaxRedirects))
		return
	}
	x := s.exchangeOf(w, r, routeRedirect)
	if x == nil {
		return
	}
	switch n {
	case 0:
		x.code, x.detail = http.StatusOK, "the end of a redirect chain"
	case 1:
		x.code, x.target = x.redirectCode(), x.ownURL("/200", true, false)
	default:
		x.code, x.target = x.redirectCode(), x.ownURL("/redirect/"+strconv.Itoa(n-1), true, true)
	}
	if n > 0 {
		x.detail = strconv.Itoa(n) + " redirects to go, the next at Location"
	}
	s.serve(w, x)
}

// handleRedirectLoop serves /redirect-loop.
func (s *Server) handleRedirectLoop(w http.ResponseWriter, r *http.Request) {
	if x := s.exchangeOf(w, r, routeRedirectLoop); x != nil {
		// Its own request target exactly, so the cycle is closed from the
		// first hop; a key sent as a header field stays one, as clients
		// send their own fields again to the same origin.
		x.code, x.target = x.redirectCode(), x.origin()+r.URL.RequestURI()
		x.detail = "a redirect to this same URL: a cycle that never ends"
		s.serve(w, x)
	}
}

// handleRedirectLoopIndex serves /redirect-loop/{i}.
func (s *Server) handleRedirectLoopIndex(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue("i")
	i, err := strconv.Atoi(v)
	if err != nil || !httptext.IsDigits(v) || i >= maxLoopIndex {
		s.badRequest(w, r, fmt.Sprintf(
			"%q is not a hop number from 0 to %d", httptext.Clip(v, maxEcho), maxLoopIndex-1))
		return
	}
	if x := s.exchangeOf(w, r, routeRedirectLoopN); x != nil {
		x.code, x.target = x.redirectCode(), x.ownURL("/redirect-loop/"+strconv.Itoa(i+1), true, true)
		x.detail = "hop " + strconv.Itoa(i+1) + " of a chain of redirects that never ends and never repeats a URL"
		s.serve(w, x)
	}
}

// origin returns the scheme and host the request came to when it asked
// for absolute URLs, or "".
func (x *exchange) origin() string {
	if !x.ctl.absolute {
		return ""
	}
	if x.r.TLS != nil {
		return "https://" + x.r.Host
	}
	return "http://" + x.r.Host
}

// redirectCode returns the status the code control chose, 302 by default.
func (x *exchange) redirectCode() int {
	if x.ctl.redirectCode != 0 {
		return x.ctl.redirectCode
	}
	return http.StatusFound
}

// ownURL returns a URL of this server for the client to go to next: path,
// with the request's key in the query and, when redirect is set, the code
// and absolute controls of the redirect routes. With absolute, when the
// request asked for absolute URLs, it names the scheme and host the
// request came to.
func (x *exchange) ownURL(path string, absolute, redirect bool) string {
	absolute = absolute && x.ctl.absolute
	redirect = redirect && (x.ctl.absolute || x.ctl.redirectCode != 0)
	if x.ctl.key == "" && !redirect && !absolute {
		return path
	}
	var b strings.Builder
	if absolute {
		b.WriteString(x.origin())
	}
	b.WriteString(path)
	sep := byte('?')
	param := func(name, value string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value) // keys, codes and booleans need no escaping
	}
	if x.ctl.key != "" {
		param("key", x.ctl.key)
	}
	if redirect && x.ctl.redirectCode != 0 {
		param("code", strconv.Itoa(x.ctl.redirectCode))
	}
	if redirect && x.ctl.absolute {
		param("absolute", "true")
	}
	return b.String()
}
