package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// respond writes the ordinary response for x.code: the request body read
// (for codes below 400), the header fields of the registry's rules and of
// the request's controls, and a body that states the code, in the phases
// the controls ask for. detail says why the code was sent, when the
// request did not simply ask for it.
func (s *Server) respond(w http.ResponseWriter, x *exchange, detail string) {
	if x.code < 400 && !s.drainBody(w, x) {
		return
	}
	h := w.Header()
	setRuleHeaders(h, x)
	setFields(h, x.fields)
	setExtraHeaders(h, x)
	if detail == "" {
		detail = x.detail
	}
	if detail == "" {
		detail = "the request asked for " + strconv.Itoa(x.code)
	}
	p := respond.New(x.code).WithDetail(detail)
	inPhases(w, x, func(w http.ResponseWriter) {
		if err := respond.Write(w, x.r, p); err != nil {
			s.logger.Error("writing a response", "status", p.Status, "err", err)
		}
	})
}

// drainBody reads and discards the request body, up to the body limit, so
// that a client that sent Expect: 100-continue gets its 100 and a
// successful answer means the body arrived. It reports false, having
// answered, when the body could not be read whole (bodyFailed).
func (s *Server) drainBody(w http.ResponseWriter, x *exchange) bool {
	r := x.r
	if !hasBody(r) {
		return true
	}
	var sink io.Writer = io.Discard
	h := x.digesting()
	if h != nil {
		sink = h
	}
	_, err := io.Copy(sink, http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	x.setDigest(h)
	if err != nil {
		s.bodyFailed(w, x, err)
		return false
	}
	s.bodyDone(w, x)
	return true
}

// The deadline of a request body. A body that trickles in, or never
// comes, would hold its connection and goroutine for as long as the
// client likes: net/http bounds the header section (ReadHeaderTimeout)
// but not the body, which it reads itself, before sending the response,
// when the handler leaves it unread. So every request with a body gets a
// read deadline: the body timeout from its arrival (limitBody), moved by
// admit to after the request's own delays (holdBody), and cleared once
// the body is read whole (bodyDone), because net/http then watches the
// connection with a read of its own, which a deadline passing during a
// long response would end, cancelling the request as if the client had
// left. A deadline is set on the connection (HTTP/1) or the stream
// (HTTP/2) with http.ResponseController; a writer that cannot take one
// (a recorder in a test) leaves the body unbounded.

// hasBody reports whether r comes with content.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// limitBody gives the body of r the server's body timeout from now.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) {
	if hasBody(r) {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.limits.BodyTimeout))
	}
}

// holdBody moves the deadline of the body of an admitted request to the
// end of all it may be held: its delays and slow body, then its body
// timeout (the body-timeout control's, or the server's), since the
// server reads the body only after its delay, and net/http only when the
// header section goes.
func (s *Server) holdBody(w http.ResponseWriter, x *exchange) {
	if !hasBody(x.r) {
		return
	}
	c := &x.ctl
	x.bodyTimeout = s.limits.BodyTimeout
	if c.hasBody {
		x.bodyTimeout = c.bodyTimeout
	}
	if c.delay+c.delayAfter+c.dribble > 0 || c.hasBody {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(c.delay + c.delayAfter + c.dribble + x.bodyTimeout))
	}
}

// bodyDone clears the deadline of a body the server has read whole.
func (s *Server) bodyDone(w http.ResponseWriter, x *exchange) {
	x.bodyRead = true
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
}

// bodyFailed answers a request whose body could not be read whole: 413
// over the body limit, 408 when it did not arrive in time, 400 when it is
// malformed (a bad chunk) or cut short (the client closed its side
// before the length it declared). Over HTTP/1 the answer says
// Connection: close: what is left of the body cannot be told apart from
// a next request, and net/http closes the connection after the answer.
func (s *Server) bodyFailed(w http.ResponseWriter, x *exchange, err error) {
	var tooBig *http.MaxBytesError
	var p *respond.Problem
	limit := ""
	switch {
	case errors.As(err, &tooBig):
		limit, p = "body", respond.New(http.StatusRequestEntityTooLarge).
			WithDetail(fmt.Sprintf("the request body is over the limit of %d bytes", s.limits.MaxBody))
	case errors.Is(err, os.ErrDeadlineExceeded):
		bt := x.bodyTimeout
		if bt == 0 {
			bt = s.limits.BodyTimeout
		}
		limit, p = "body-timeout", respond.New(http.StatusRequestTimeout).
			WithDetail(fmt.Sprintf("the request body did not arrive whole within %v; a slow upload may ask for more with body-timeout", bt))
	default:
		p = respond.New(http.StatusBadRequest).
			WithDetail("the request body is malformed or cut short: " + httptext.Clip(err.Error(), 2*maxEcho))
	}
	if x.r.ProtoMajor == 1 {
		p = p.WithHeader("Connection", "close")
	}
	x.limit = limit
	s.refuse(w, x, p)
}
