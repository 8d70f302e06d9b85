package server

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/respond"
)

// handleCode serves /{code}: one code, 100 to 599.
func (s *Server) handleCode(w http.ResponseWriter, r *http.Request) {
	code, err := parseCode(r.PathValue("code"))
	if err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()+"; this route takes one code, /status/{codes} and /random/{codes} take lists"))
		return
	}
	s.serve(w, r, code, "/")
}

// handleStatus serves /status/{codes}: one code, or a random code of a
// list such as 200,500-504 or a weighted list such as 200:0.9,503:0.1.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue("codes")
	if len(v) == 3 {
		code, err := parseCode(v)
		if err != nil {
			s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()+"; a list of codes such as 200,500-504 or 200:0.9,503:0.1 is accepted too"))
			return
		}
		s.serve(w, r, code, "/status/")
		return
	}
	s.serveRandom(w, r, v, "/status/")
}

// handleRandom serves /random/{codes}.
func (s *Server) handleRandom(w http.ResponseWriter, r *http.Request) {
	s.serveRandom(w, r, r.PathValue("codes"), "/status/")
}

func (s *Server) serveRandom(w http.ResponseWriter, r *http.Request, v, prefix string) {
	sp, err := parseSpec(v)
	if err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()))
		return
	}
	x := s.exchangeOf(w, r)
	if x == nil {
		return
	}
	var code int
	if x.c.hasSeed {
		code = s.seeds.next(x.c.seed, v, sp)
	} else {
		code = sp.pick(rand.Float64(), rand.Float64())
	}
	s.serveWith(w, r, code, prefix, x)
}

// fail answers with a problem about the request itself.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *respond.Problem) {
	if err := respond.Write(w, r, p); err != nil {
		s.logger.Error("writing a problem", "status", p.Status, "err", err)
	}
}

// serve answers r with code, after applying the request's controls.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, code int, prefix string) {
	if x := s.exchangeOf(w, r); x != nil {
		s.serveWith(w, r, code, prefix, x)
	}
}

// exchangeOf returns an exchange with the controls of r, or nil, having
// answered 400, when they do not parse.
func (s *Server) exchangeOf(w http.ResponseWriter, r *http.Request) *exchange {
	x := newExchange(r)
	if err := s.controls.parse(r, x.c); err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(err.Error()))
		return nil
	}
	return x
}

// An exchange is what the header generators may read.
type exchange struct {
	r      *http.Request
	code   int
	c      *controls // points at ctl
	prefix string    // the route the request came by: "/" or "/status/"
	target string    // the Location target, already checked
	ctl    controls
}

// newExchange returns an exchange for r with no controls set, in one
// allocation.
func newExchange(r *http.Request) *exchange {
	x := &exchange{r: r}
	x.c = &x.ctl
	return x
}

func (s *Server) serveWith(w http.ResponseWriter, r *http.Request, code int, prefix string, x *exchange) {
	c := x.c
	if rec := recorderOf(w); rec != nil {
		rec.intended = code
	}
	if r.ContentLength > s.limits.MaxBody {
		s.reject(w, r, "body", respond.New(http.StatusRequestEntityTooLarge).
			WithDetail(fmt.Sprintf("the request body of %d bytes is over the limit of %d bytes", r.ContentLength, s.limits.MaxBody)))
		return
	}
	if total := c.delay + c.delayAfter + c.dribble; total > s.limits.MaxDelay {
		s.reject(w, r, "delay", respond.New(http.StatusBadRequest).
			WithDetail(fmt.Sprintf("the delays and slow body add up to %v, over the limit of %v", total, s.limits.MaxDelay)))
		return
	}
	x.code, x.prefix, x.target = code, prefix, "/200"
	if prefix != "/" {
		x.target = "/status/200"
	}
	if c.location != "" {
		if err := s.checkTarget(c.location); err != nil {
			s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail("location: "+err.Error()))
			return
		}
		x.target = c.location
	}
	for _, f := range c.headers {
		if f.name == "Location" {
			if err := s.checkTarget(f.value); err != nil {
				s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail("extra Location header: "+err.Error()))
				return
			}
		}
	}
	if c.waits() {
		if n := s.waiting.Add(1); n > int64(s.limits.MaxWaiting) {
			s.waiting.Add(-1)
			s.reject(w, r, "waiting", respond.New(http.StatusServiceUnavailable).WithRetryAfter(time.Second).
				WithDetail(fmt.Sprintf("the server already holds %d delayed requests, its limit; try again shortly", s.limits.MaxWaiting)))
			return
		}
		if s.metrics != nil {
			s.metrics.waiting.Inc()
		}
		defer func() {
			s.waiting.Add(-1)
			if s.metrics != nil {
				s.metrics.waiting.Dec()
			}
		}()
	}
	ctx := r.Context()
	if !sleep(ctx, c.delay) {
		return // the client went away; nothing is left to answer
	}
	if c.fault == faultBeforeHeaders {
		abort(w)
	}
	s.answer(w, r, x)
}

// reject answers a request that is over a limit.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, limit string, p *respond.Problem) {
	if s.metrics != nil {
		s.metrics.rejected.WithLabelValues(limit).Inc()
	}
	if rec := recorderOf(w); rec != nil {
		rec.intended = p.Status
	}
	s.fail(w, r, p)
}

// answer writes the response for x.code, with the special cases
// docs/server.md lists.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, x *exchange) {
	switch {
	case x.code == 444:
		// nginx's 444: close the connection without a response.
		abort(w)
	case x.code == http.StatusSwitchingProtocols:
		s.switchProtocols(w, r, x)
		return
	case x.code == http.StatusUpgradeRequired && r.ProtoMajor != 1:
		// 426 must name the protocol to switch to in Upgrade, a field
		// HTTP/2 forbids (RFC 9113, section 8.2.2): no correct 426 exists
		// over HTTP/2.
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(
			"426 must carry Upgrade, which HTTP/2 does not allow; ask for 426 over HTTP/1.1"))
		return
	case x.code < 200:
		if !s.interim(w, r, x) {
			return
		}
		x.code = http.StatusOK
	case x.code == http.StatusPartialContent:
		s.partial(w, r, x)
		return
	case x.code == http.StatusUnauthorized && credentialsMatch(x.c, r.Header.Get("Authorization")),
		x.code == http.StatusProxyAuthRequired && credentialsMatch(x.c, r.Header.Get("Proxy-Authorization")):
		x.code = http.StatusOK
		s.finalResponse(w, r, x, "the credentials the request named were sent: access granted")
		return
	}
	s.finalResponse(w, r, x, "")
}

// finalResponse writes x.code with its header fields and a body.
func (s *Server) finalResponse(w http.ResponseWriter, r *http.Request, x *exchange, detail string) {
	if x.code < 400 && !s.drainBody(w, r) {
		return
	}
	h := w.Header()
	s.setRuleHeaders(h, x)
	setExtraHeaders(h, x.c)
	if detail == "" {
		detail = "the request asked for " + strconv.Itoa(x.code)
	}
	s.write(w, r, x.c, respond.New(x.code).WithDetail(detail))
}

// write writes p through the phases the controls ask for.
func (s *Server) write(w http.ResponseWriter, r *http.Request, c *controls, p *respond.Problem) {
	inPhases(w, r, c, func(w http.ResponseWriter) {
		if err := respond.Write(w, r, p); err != nil {
			s.logger.Error("writing a response", "status", p.Status, "err", err)
		}
	})
}

// setRuleHeaders sets the header fields the registry's rules for x.code
// require, recommend or allow, with working values from the generators.
func (s *Server) setRuleHeaders(h http.Header, x *exchange) {
	e, ok := httpstatus.Lookup(x.code)
	if !ok {
		return
	}
	for _, rule := range e.Headers {
		if rule.Level == httpstatus.LevelMustNot || rule.Level == httpstatus.LevelShouldNot {
			continue
		}
		field := http.CanonicalHeaderKey(rule.Field)
		gen, ok := generators[field]
		if !ok || h.Get(field) != "" {
			continue
		}
		if v := gen(x); v != "" {
			h.Set(field, v)
			if field == "Upgrade" && x.r.ProtoMajor == 1 {
				// RFC 9110, section 7.8: Upgrade goes with a Connection
				// option naming it.
				h.Set("Connection", "Upgrade")
			}
		}
	}
}

// setExtraHeaders adds the response header fields the request asked for.
// A field the server also sets is replaced.
func setExtraHeaders(h http.Header, c *controls) {
	set := make(map[string]bool, len(c.headers))
	for _, f := range c.headers {
		if !set[f.name] {
			h.Del(f.name)
			set[f.name] = true
		}
		h.Add(f.name, f.value)
	}
}

// interim sends x.code as an interim response, with the header fields of
// its rules, and reports whether the final response should follow. A
// client that speaks HTTP/1.0 gets no interim response (RFC 9110, section
// 15.2); its final response follows directly.
func (s *Server) interim(w http.ResponseWriter, r *http.Request, x *exchange) bool {
	if !r.ProtoAtLeast(1, 1) {
		return true
	}
	h := w.Header()
	before := make(map[string]bool, len(h))
	for k := range h {
		before[k] = true
	}
	s.setRuleHeaders(h, x)
	w.WriteHeader(x.code)
	if x.code != http.StatusEarlyHints {
		// Early hints describe the final response, so 103's fields stay;
		// the fields of other interim responses are theirs alone.
		for k := range h {
			if !before[k] {
				delete(h, k)
			}
		}
	}
	return r.Context().Err() == nil
}

// switchProtocols answers a request that asks to upgrade with 101, naming
// the first protocol it offered, and closes the connection: the server
// speaks no other protocol. A request that does not ask to upgrade, or
// comes over HTTP/2 where 101 does not exist, gets a 400 problem.
func (s *Server) switchProtocols(w http.ResponseWriter, r *http.Request, x *exchange) {
	offer := strings.TrimSpace(strings.Split(r.Header.Get("Upgrade"), ",")[0])
	if r.ProtoMajor != 1 || !r.ProtoAtLeast(1, 1) || offer == "" || !headerHasToken(r.Header, "Connection", "upgrade") {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(
			"101 answers only an HTTP/1.1 request that asks to upgrade, with Connection: Upgrade and an Upgrade header naming a protocol"))
		return
	}
	if !validValue(offer) {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail("the Upgrade header contains a control character"))
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail("this connection cannot switch protocols"))
		return
	}
	defer conn.Close()
	if rec := recorderOf(w); rec != nil {
		rec.status = http.StatusSwitchingProtocols
	}
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: %s\r\n\r\n", offer)
	_ = buf.Flush()
}

// headerHasToken reports whether a comma-separated header field lists token.
func headerHasToken(h http.Header, field, token string) bool {
	for _, v := range h.Values(field) {
		for item := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(item), token) {
				return true
			}
		}
	}
	return false
}

// credentialsMatch reports whether an Authorization or Proxy-Authorization
// value carries the Basic credentials the request named with the user and
// password controls.
func credentialsMatch(c *controls, authorization string) bool {
	if !c.hasUser {
		return false
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil {
		return false
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	return ok && subtle.ConstantTimeCompare([]byte(user), []byte(c.user)) == 1 &&
		subtle.ConstantTimeCompare([]byte(pass), []byte(c.password)) == 1
}

// drainBody reads and discards the request body, up to the body limit, so
// that a client that sent Expect: 100-continue gets its 100 and a
// successful answer means the body arrived. It reports false, having
// answered 413, when the body is over the limit, or false when the client
// went away.
func (s *Server) drainBody(w http.ResponseWriter, r *http.Request) bool {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return true
	}
	_, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.reject(w, r, "body", respond.New(http.StatusRequestEntityTooLarge).
			WithDetail(fmt.Sprintf("the request body is over the limit of %d bytes", s.limits.MaxBody)))
		return false
	case err != nil:
		return false
	}
	return true
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
// resetting the stream (HTTP/2), whatever was sent so far.
func abort(w http.ResponseWriter) {
	if rec := recorderOf(w); rec != nil {
		rec.aborted = true
	}
	panic(http.ErrAbortHandler)
}
