package server

import (
	"net/http"

	"github.com/httpstatus/httpstatus/respond"
)

// An exchange is one request on its way through the pipeline: what the
// request asked for, and what the steps have decided so far. Everything a
// later step needs from an earlier one travels in it.
type exchange struct {
	r *http.Request
	// prefix is the route the request came by, "/" or "/status/": the
	// default Location target is prefix + "200".
	prefix string
	// ctl holds the controls of the request, parsed and validated.
	ctl controls
	// code is the status to answer. Steps change it: an interim code is
	// followed by 200, matching credentials turn 401 into 200, a range past
	// the end turns 206 into 416, a limit answers with its own problem.
	code int
	// target is the Location value, checked by admit.
	target string
	// limit names the limit that refused the request, for the observers.
	limit string
}

// exchangeOf returns an exchange with the controls of r parsed into it,
// or nil, having answered 400, when they do not parse.
func (s *Server) exchangeOf(w http.ResponseWriter, r *http.Request, prefix string) *exchange {
	x := &exchange{r: r, prefix: prefix}
	if err := s.controls.parse(r, &x.ctl); err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()))
		return nil
	}
	return x
}

// fail answers with a problem about the request itself.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *respond.Problem) {
	if err := respond.Write(w, r, p); err != nil {
		s.logger.Error("writing a problem", "status", p.Status, "err", err)
	}
}
