package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/respond"
)

// An exchange is one request on its way through the pipeline: what the
// request asked for, and what the steps have decided so far. Everything a
// later step needs from an earlier one travels in it.
type exchange struct {
	r *http.Request
	// route is the pattern of the route the request came by.
	route string
	// prefix is "/" on the /{code} route and "/status/" on the others: the
	// default Location target is prefix + "200".
	prefix string
	// ctl holds the controls of the request, parsed and validated.
	ctl controls
	// code is the status to answer. Steps change it: an interim code is
	// followed by 200, matching credentials turn 401 into 200, a range past
	// the end turns 206 into 416, a limit answers with its own problem.
	code int
	// target is the Location value: the route's, or the default one that
	// admit sets, or the location control's, checked by admit.
	target string
	// fields are header fields the steps add to the answer: the rate
	// limit's, a sequence's step, the key.
	fields []field
	// remember is the route's use of the memory, once the request is
	// admitted: a sequence takes its step. It reports false, having
	// answered, when the request may not go on.
	remember func(w http.ResponseWriter, x *exchange) bool
	// answer, when set, answers the request instead of dispatch's answer
	// for its code: the resource's methods.
	answer func(w http.ResponseWriter, x *exchange)
	// detail says why the route answers x.code, when the request did not
	// simply ask for it: "step 2 of 3 of the sequence".
	detail string
	// digest is the SHA-256 of the request content, in hexadecimal, when
	// the request is recorded and its content was read.
	digest string
	// bodyTimeout is the time the request body may take, once admit has
	// set its deadline; 0 for a request without a body.
	bodyTimeout time.Duration
	// bodyRead reports that the server read the request body whole.
	bodyRead bool
	// holdsSlot reports that the request counts against MaxWaiting.
	holdsSlot bool
	// began is when serve took a recorded request, zero for others.
	began time.Time
	// limit names the limit that refused the request, for the observers.
	limit string
}

// keyField is the response field that names the key a request was
// counted under, in the canonical form.
const keyField = "X-Httpstatus-Key"

// exchangeOf returns an exchange for the route with the controls of r
// parsed into it, or nil, having answered 400, when they do not parse or
// one of them does not apply to the route.
func (s *Server) exchangeOf(w http.ResponseWriter, r *http.Request, route string) *exchange {
	x := &exchange{r: r, route: route, prefix: "/status/"}
	if route == routeCode {
		x.prefix = "/"
	}
	if err := s.controls.parse(r, &x.ctl); err != nil {
		s.badRequest(w, r, err.Error())
		return nil
	}
	if p := s.controls.refused(&x.ctl, route); p != nil {
		s.notTaken(w, r, p, route)
		return nil
	}
	if why := x.ctl.impossible(r.Method, route); why != "" {
		s.badRequest(w, r, why)
		return nil
	}
	return x
}

// possibleOn reports whether every control of x can happen on an answer
// with each of codes, the code or codes the route may answer; it answers
// 400 when one cannot.
func (s *Server) possibleOn(w http.ResponseWriter, x *exchange, codes ...int) bool {
	if !x.ctl.mayFail() {
		return true
	}
	for _, code := range codes {
		if why := x.ctl.impossibleOn(code); why != "" {
			if len(codes) > 1 {
				why += "; the list of codes the request names includes " + strconv.Itoa(code)
			}
			s.badRequest(w, x.r, why)
			return false
		}
	}
	return true
}

// notTaken answers a request with a control the route does not take.
//
//go:noinline
func (s *Server) notTaken(w http.ResponseWriter, r *http.Request, p *param, route string) {
	s.badRequest(w, r, "the control "+p.Query[0]+" does not apply to "+route+"; it applies to "+strings.Join(p.Routes, ", "))
}

// runKey returns the key of the request's run: the key control, or else
// the client's address.
func (x *exchange) runKey() string {
	if x.ctl.key != "" {
		return x.ctl.key
	}
	return addressKey(x.r.RemoteAddr)
}

// addField adds a header field to the answer.
func (x *exchange) addField(name, value string) { x.fields = append(x.fields, field{name, value}) }

// setFields sets the fields in h.
func setFields(h http.Header, fields []field) {
	for _, f := range fields {
		h[f.name] = []string{f.value}
	}
}

// fail answers with a problem about the request itself.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *respond.Problem) {
	if err := respond.Write(w, r, p); err != nil {
		s.logger.Error("writing a problem", "status", p.Status, "err", err)
	}
}
