package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// The rate limit a request asks for with the rate-limit control: the
// key's first N requests in a window are answered as asked, the rest 429.
// The window is fixed, not sliding: it opens at the first request of the
// key under the policy and lasts the policy's duration; the first request
// after it ends opens the next. So every figure the server sends follows
// from two numbers, the count in the window and the time it ends:
//
//	RateLimit-Policy: "default";q=N;w=SECONDS  (draft-ietf-httpapi-ratelimit-headers-10, section 3)
//	RateLimit: "default";r=LEFT;t=UNTIL        (section 4)
//	Retry-After: UNTIL, on a 429               (RFC 9110, section 10.2.3)
//	X-RateLimit-Limit: N, X-RateLimit-Remaining: LEFT, X-RateLimit-Reset: the end as Unix seconds
//
// where LEFT is N less the requests answered in the window, this one
// included, and UNTIL the whole seconds, rounded up, until the window
// ends: a request sent UNTIL seconds later is answered as asked.

// A rateLimit is a policy: at most requests in each window.
type rateLimit struct {
	requests int
	window   time.Duration // whole seconds
}

// Bounds of a policy.
const (
	maxRateRequests = 1_000_000
	maxRateWindow   = 24 * time.Hour
)

// errBadRateLimit is wrapped by every error of parseRateLimit.
var errBadRateLimit = errors.New("a rate limit is N/DURATION, such as 5/10s or 100/1m, with 1 to 1000000 requests and a window of whole seconds from 1s to 24h")

func parseRateLimit(v string) (rateLimit, error) {
	n, d, ok := strings.Cut(v, "/")
	if !ok || !httptext.IsDigits(n) || len(n) > 7 {
		return rateLimit{}, fmt.Errorf("%q: %w", httptext.Clip(v, maxEcho), errBadRateLimit)
	}
	requests, _ := strconv.Atoi(n)
	window, err := time.ParseDuration(d)
	if httptext.IsDigits(d) && len(d) <= 6 { // seconds, as the fields state the window
		secs, _ := strconv.Atoi(d)
		window, err = time.Duration(secs)*time.Second, nil
	}
	switch {
	case err != nil, requests < 1, requests > maxRateRequests, window < time.Second, window > maxRateWindow:
		return rateLimit{}, fmt.Errorf("%q: %w", httptext.Clip(v, maxEcho), errBadRateLimit)
	case window%time.Second != 0:
		return rateLimit{}, fmt.Errorf("%q: the window must be whole seconds, as the RateLimit-Policy field states it: %w", httptext.Clip(v, maxEcho), errBadRateLimit)
	}
	return rateLimit{requests, window}, nil
}

// rateFields says which fields an answer under a rate limit carries.
type rateFields uint8

const (
	rateFieldsIETF rateFields = iota
	rateFieldsX
	rateFieldsBoth
)

var rateFieldsNames = map[string]rateFields{"ietf": rateFieldsIETF, "x-ratelimit": rateFieldsX, "both": rateFieldsBoth}

// A window is the count of the current fixed window of one policy.
type window struct {
	end   time.Time
	count int
}

// A rateState is where a request stands in its key's window.
type rateState struct {
	allowed bool
	left    int       // requests left in the window after this one
	end     time.Time // when the window ends
}

// maxWindowsPerKey bounds the policies one key may use at once.
const maxWindowsPerKey = 16

// take counts a request of key under policy at now. It is out of line,
// with its closure, so that limitRate's frame stays small
// (see "The way to a wait" in pipeline.go).
//
//go:noinline
func (m *memory) take(key string, policy rateLimit, now time.Time) (st rateState, full bool) {
	m.use(key, now, func(s *session) {
		w := s.windows[policy]
		if w == nil {
			if len(s.windows) >= maxWindowsPerKey {
				full = true
				return
			}
			if s.windows == nil {
				s.windows = map[rateLimit]*window{}
			}
			w = new(window)
			s.windows[policy] = w
			s.cost += costWindow
		}
		if !now.Before(w.end) {
			w.end, w.count = now.Add(policy.window), 0
		}
		st.allowed = w.count < policy.requests
		if st.allowed {
			w.count++
		}
		st.left, st.end = policy.requests-w.count, w.end
	})
	return st, full
}

// limitRate applies the request's rate limit, if it has one: it adds the
// rate-limit fields to the answer, and answers 429 itself, reporting
// false, when the window's requests are used up.
func (s *Server) limitRate(w http.ResponseWriter, x *exchange) bool {
	if x.ctl.rateLimit.requests == 0 {
		return true
	}
	now := s.now()
	st, full := s.memory.take(x.runKey(), x.ctl.rateLimit, now)
	if full {
		s.tooManyPolicies(w, x)
		return false
	}
	until := httptext.CeilSeconds(st.end.Sub(now))
	if x.ctl.rateFields != rateFieldsX {
		addRateLimitFields(x, st, until)
	}
	if x.ctl.rateFields != rateFieldsIETF {
		addXRateLimitFields(x, st)
	}
	x.addField(keyField, x.runKey())
	if st.allowed {
		return true
	}
	s.rateLimited(w, x, until)
	return false
}

// The steps of limitRate are out of line, each with its own strings, so
// that no frame on the way to a wait grows large
// (see "The way to a wait" in pipeline.go).

// addRateLimitFields adds draft-10's RateLimit-Policy and RateLimit for
// the window st, whose end is until seconds away.
//
//go:noinline
func addRateLimitFields(x *exchange, st rateState, until int64) {
	policy := x.ctl.rateLimit
	x.addField("RateLimit-Policy", `"default";q=`+strconv.Itoa(policy.requests)+";w="+strconv.FormatInt(int64(policy.window/time.Second), 10))
	x.addField("RateLimit", `"default";r=`+strconv.Itoa(st.left)+";t="+strconv.FormatInt(until, 10))
}

// addXRateLimitFields adds the X-RateLimit-* fields for the window st.
//
//go:noinline
func addXRateLimitFields(x *exchange, st rateState) {
	x.addField("X-RateLimit-Limit", strconv.Itoa(x.ctl.rateLimit.requests))
	x.addField("X-RateLimit-Remaining", strconv.Itoa(st.left))
	x.addField("X-RateLimit-Reset", strconv.FormatInt(httptext.CeilSeconds(time.Duration(st.end.UnixNano())), 10))
}

// tooManyPolicies refuses a request whose key holds its limit of rate-limit
// policies already.
//
//go:noinline
func (s *Server) tooManyPolicies(w http.ResponseWriter, x *exchange) {
	s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail(fmt.Sprintf(
		"the key already has %d rate-limit policies; use another key, or DELETE /sessions/{key}", maxWindowsPerKey)))
}

// rateLimited refuses with 429 a request whose window has no requests
// left, until seconds before it ends.
//
//go:noinline
func (s *Server) rateLimited(w http.ResponseWriter, x *exchange, until int64) {
	policy := x.ctl.rateLimit
	p := respond.New(http.StatusTooManyRequests).WithRetryAfter(time.Duration(until) * time.Second).WithDetail(fmt.Sprintf(
		"the key %s has used its %d requests of this %v window; the next is accepted in %d seconds",
		x.runKey(), policy.requests, policy.window, until))
	s.refuse(w, x, p)
}
