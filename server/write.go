package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

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
// answered 413, when the body is over the limit, or false when the client
// went away.
func (s *Server) drainBody(w http.ResponseWriter, x *exchange) bool {
	r := x.r
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return true
	}
	var sink io.Writer = io.Discard
	h := x.digesting()
	if h != nil {
		sink = h
	}
	_, err := io.Copy(sink, http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	x.setDigest(h)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.reject(w, x, "body", respond.New(http.StatusRequestEntityTooLarge).
			WithDetail(fmt.Sprintf("the request body is over the limit of %d bytes", s.limits.MaxBody)))
		return false
	case err != nil:
		return false
	}
	return true
}
