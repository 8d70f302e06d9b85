package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/respond"
)

// serve takes x through the steps of the pipeline, in order: admit checks
// the limits, the rate limit and the redirect target, the route's use of
// the memory comes next (a sequence takes its step), wait holds the
// request for its delay, dispatch answers the codes that need more than an ordinary response and
// writes the ordinary response for the others (write.go). Whatever
// happens, report tells an observer outside what the server meant to send.
func (s *Server) serve(w http.ResponseWriter, x *exchange) {
	if x.recorded() {
		x.began = s.now()
	}
	defer s.served(w, x)
	if !s.admit(w, x) {
		return
	}
	if x.remember != nil && !x.remember(w, x) {
		return
	}
	if !s.wait(w, x) {
		// The client went away, or only half-closed its side: close the
		// connection rather than let net/http answer an empty 200.
		abort(w)
	}
	s.dispatch(w, x)
}

// admit checks the request against the limits, checks its Location
// target, counts it against its rate limit, and holds a waiting slot for
// it when it waits. It reports false,
// having answered, when the request may not go on.
func (s *Server) admit(w http.ResponseWriter, x *exchange) bool {
	c := &x.ctl
	if x.r.ContentLength > s.limits.MaxBody || c.hold() > s.limits.MaxDelay {
		s.overLimit(w, x)
		return false
	}
	if err := s.checkTargets(c); err != nil {
		s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail(err.Error()))
		return false
	}
	if x.target == "" {
		x.target = x.ownURL(x.prefix+"200", false, false)
	}
	if c.location != "" {
		x.target = c.location
	}
	if !s.limitRate(w, x) {
		return false
	}
	if c.waits() {
		x.holdsSlot = true
		if n := s.waiting.Add(1); n > int64(s.limits.MaxWaiting) {
			s.waiting.Add(-1)
			x.holdsSlot = false
			s.tooManyWaiting(w, x)
			return false
		}
	}
	s.holdBody(w, x)
	return true
}

// overLimit answers a request whose body or delays are over the server's
// limits. It and tooManyWaiting are out of line, so that admit's frame
// stays small (see "The way to a wait" below).
//
//go:noinline
func (s *Server) overLimit(w http.ResponseWriter, x *exchange) {
	if x.r.ContentLength > s.limits.MaxBody {
		s.reject(w, x, "body", respond.New(http.StatusRequestEntityTooLarge).
			WithDetail(fmt.Sprintf("the request body of %d bytes is over the limit of %d bytes", x.r.ContentLength, s.limits.MaxBody)))
		return
	}
	s.reject(w, x, "delay", respond.New(http.StatusBadRequest).
		WithDetail(fmt.Sprintf("the delays, slow body and body timeout add up to %v, over the limit of %v", x.ctl.hold(), s.limits.MaxDelay)))
}

// tooManyWaiting answers a request that would wait while the server
// already holds its limit of waiting requests.
//
//go:noinline
func (s *Server) tooManyWaiting(w http.ResponseWriter, x *exchange) {
	s.reject(w, x, "waiting", respond.New(http.StatusServiceUnavailable).WithRetryAfter(time.Second).
		WithDetail(fmt.Sprintf("the server already holds %d delayed requests, its limit; try again shortly", s.limits.MaxWaiting)))
}

// reject answers a request that is over a limit, naming the limit for the
// observers.
func (s *Server) reject(w http.ResponseWriter, x *exchange, limit string, p *respond.Problem) {
	x.limit = limit
	s.refuse(w, x, p)
}

// refuse answers x with a problem about the request instead of its code,
// with the fields the steps added (a rate limit's: the request was
// counted).
func (s *Server) refuse(w http.ResponseWriter, x *exchange, p *respond.Problem) {
	x.code = p.Status
	setFields(w.Header(), x.fields)
	s.fail(w, x.r, p)
}

// The way to a wait is kept shallow. A request that waits keeps, for as
// long as it waits, the largest stack its goroutine grew to before the
// wait; net/http's connection goroutine starts small and doubles its stack
// when it runs out, so a request that stays within 4 KiB until its wait
// holds half the memory of one that went past. The handlers on the way
// are types rather than closures behind HandlerFunc, and what only a
// refused or rare request needs (error messages, parsing with large
// frames) is out of line, marked noinline. TestWaitingRequestStacks, in
// internal/cli, fails when the common delayed requests go past 4 KiB.

// wait holds the request for its delay before the header section, then
// closes the connection if the request asked for a fault there. It
// reports false when the client went away during the delay.
func (s *Server) wait(w http.ResponseWriter, x *exchange) bool {
	if !sleep(x.r.Context(), x.ctl.delay) {
		return false
	}
	if x.ctl.fault == faultBeforeHeaders {
		abort(w)
	}
	return true
}

// dispatch answers x.code: the codes whose answer is more than a status,
// header fields and a body have their own step; every other code gets the
// ordinary response.
func (s *Server) dispatch(w http.ResponseWriter, x *exchange) {
	switch {
	case x.answer != nil:
		x.answer(w, x)
	case x.code == 444:
		// nginx's 444: close the connection without a response.
		abort(w)
	case x.code == http.StatusSwitchingProtocols:
		s.switchProtocols(w, x)
	case x.code == http.StatusUpgradeRequired && x.r.ProtoMajor != 1:
		s.upgradeOverHTTP2(w, x)
	case x.code < 200:
		if !s.interim(w, x) {
			abort(w) // as after a wait: no final response for a client that left
		}
		asked := x.code
		x.code = http.StatusOK
		s.respond(w, x, finalDetail(x, asked))
	case x.code == http.StatusPartialContent:
		s.partial(w, x)
	case x.code == http.StatusUnauthorized || x.code == http.StatusProxyAuthRequired:
		s.challenge(w, x)
	default:
		s.respond(w, x, "")
	}
}

// finalDetail says what the final 200 after the interim code asked is:
// the body of a 200 that said "the request asked for 200" would be wrong.
func finalDetail(x *exchange, asked int) string {
	name := strconv.Itoa(asked)
	if e, ok := httpstatus.Lookup(asked); ok {
		name += " (" + e.Phrase + ")"
	}
	if !x.r.ProtoAtLeast(1, 1) {
		return "200, the final response to a request for " + name + ": a client that speaks HTTP/1.0 gets no interim response"
	}
	return "200, the final response after the interim " + name + " the request asked for"
}

// served ends serve, deferred as one call so that serve's frame stays
// small (see "The way to a wait" above): it frees the
// request's waiting slot, records the attempt of a recorded request, also
// when the response was cut off on purpose, whose panic it raises again,
// and reports what the server meant to send.
func (s *Server) served(w http.ResponseWriter, x *exchange) {
	if x.holdsSlot {
		s.waiting.Add(-1)
	}
	if !x.began.IsZero() {
		v := recover()
		s.record(w, x, x.began, v != nil)
		s.report(x)
		if v != nil {
			panic(v)
		}
		return
	}
	s.report(x)
}

// report tells an observer outside the server, when there is one, the
// status the server meant to send and the limit that refused the request:
// what a connection closed on purpose leaves unsaid.
func (s *Server) report(x *exchange) {
	if rep := reportOf(x.r); rep != nil {
		rep.meant, rep.limit = x.code, x.limit
	}
}

// sleep waits for d or until ctx is done, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// abort ends the response at once, closing the connection (HTTP/1) or
// resetting the stream (HTTP/2), whatever was sent so far. It first ends
// the reading of the request body: net/http reads what is left of a body
// before it closes the connection, and a client that sent Expect:
// 100-continue, and got a response instead of a 100, never sends it.
func abort(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetReadDeadline(longAgo)
	panic(http.ErrAbortHandler)
}

// longAgo is a deadline that has passed: reading stops at once.
var longAgo = time.Unix(1, 0)
