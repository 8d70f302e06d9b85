package verdict

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The ids of the client rules, as codes.json names them.
const (
	RuleRetryAfterHonoured          = "retry-after-honoured"
	RuleNoAutoRetryUnsafe           = "no-auto-retry-unsafe"
	RuleSeeOtherGET                 = "see-other-get"
	RuleTemporaryRedirectSameMethod = "temporary-redirect-same-method"
	RulePermanentRedirectSameMethod = "permanent-redirect-same-method"
	RuleRedirectSameContent         = "redirect-same-content"
	RuleMovedPostToGET              = "moved-post-to-get"
	RuleFoundPostToGET              = "found-post-to-get"
	RuleRedirectCycleDetected       = "redirect-cycle-detected"
	RuleRedirectChainBounded        = "redirect-chain-bounded"
	RuleChallengeAnswered           = "challenge-answered"
	RuleProxyChallengeAnswered      = "proxy-challenge-answered"
	RuleTimeoutNewConnection        = "timeout-new-connection"
	RuleMisdirectedOtherConnection  = "misdirected-other-connection"
	RuleRevalidateWithETag          = "revalidate-with-etag"
	RuleIfRangeWellFormed           = "if-range-well-formed"
	RuleResumeWithIfRange           = "resume-with-if-range"
)

// Bounds the rules hold a client to where the RFCs name none.
const (
	// RetryAfterTolerance is how much sooner than Retry-After asks a
	// client may come back, for the clocks of client and server.
	RetryAfterTolerance = 100 * time.Millisecond
	// CycleLimit is the most times a client may follow a redirect to the
	// URL it just requested: the limit of the common browsers, which RFC
	// 9110's "detect and intervene" leaves to the client.
	CycleLimit = 20
	// ChainLimit is the longest chain of redirects to new URLs a client
	// may follow.
	ChainLimit = 50
)

var evaluators = map[string]evaluator{
	RuleRetryAfterHonoured:          retryAfterHonoured,
	RuleNoAutoRetryUnsafe:           noAutoRetryUnsafe,
	RuleSeeOtherGET:                 seeOtherGET,
	RuleTemporaryRedirectSameMethod: sameMethod(http.StatusTemporaryRedirect),
	RulePermanentRedirectSameMethod: sameMethod(http.StatusPermanentRedirect),
	RuleRedirectSameContent:         sameContent,
	RuleMovedPostToGET:              postToGET(http.StatusMovedPermanently),
	RuleFoundPostToGET:              postToGET(http.StatusFound),
	RuleRedirectCycleDetected:       redirectCycle,
	RuleRedirectChainBounded:        redirectChain,
	RuleChallengeAnswered:           challengeAnswered(http.StatusUnauthorized, "Authorization"),
	RuleProxyChallengeAnswered:      challengeAnswered(http.StatusProxyAuthRequired, "Proxy-Authorization"),
	RuleTimeoutNewConnection:        afterClose,
	RuleMisdirectedOtherConnection:  otherConnection(http.StatusMisdirectedRequest),
	RuleRevalidateWithETag:          revalidateWithETag,
	RuleIfRangeWellFormed:           ifRangeWellFormed,
	RuleResumeWithIfRange:           resumeWithIfRange,
}

// retryAfter returns the delay an answer's Retry-After asks for: whole
// seconds, or an HTTP-date after the answer.
func retryAfter(a Attempt) (time.Duration, bool) {
	v := strings.TrimSpace(a.Response["Retry-After"])
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(a.Answered), 0), true
	}
	return 0, false
}

// retryAfterHonoured: the attempt after an answer with Retry-After comes
// no sooner than it asks.
func retryAfterHonoured(run []Attempt) (o outcome) {
	for i := 0; i+1 < len(run); i++ {
		d, ok := retryAfter(run[i])
		if !ok {
			continue
		}
		if run[i+1].At.Add(RetryAfterTolerance).Before(run[i].Answered.Add(d)) {
			o.broke(i, i+1)
			o.note = "came back after " + run[i+1].At.Sub(run[i].Answered).Round(time.Millisecond).String() + ", Retry-After asked " + d.String()
		} else {
			o.keep(i, i+1)
		}
	}
	return o
}

// idempotent reports whether RFC 9110, section 9.2.2, makes a method
// idempotent.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// failed reports whether an answer is one a client might retry after.
func failed(a Attempt) bool {
	return a.Closed || a.Status >= 500 || a.Status == http.StatusRequestTimeout || a.Status == http.StatusTooManyRequests
}

// noAutoRetryUnsafe: a request with a method that is not idempotent is
// not sent again after a failure, unless it carries an Idempotency-Key.
func noAutoRetryUnsafe(run []Attempt) (o outcome) {
	for i, a := range run {
		if idempotent(a.Method) || !failed(a) {
			continue
		}
		j := next(run, i, pathOf(a.Path))
		switch {
		case j < 0 || run[j].Method != a.Method:
			o.keep(i)
		case run[j].Fields["Idempotency-Key"] != "":
			o.keep(i, j)
			o.note = "repeated with an Idempotency-Key"
		default:
			o.broke(i, j)
			o.note = "sent " + a.Method + " again on its own after " + strconv.Itoa(a.Status)
		}
	}
	return o
}

// followed returns, for a redirect at i, the index of the attempt that
// follows it to its Location, or -1.
func followed(run []Attempt, i int) int {
	loc := run[i].Response["Location"]
	if loc == "" {
		return -1
	}
	return next(run, i, pathOf(loc))
}

// seeOtherGET: a 303 is followed with GET or HEAD.
func seeOtherGET(run []Attempt) (o outcome) {
	for i, a := range run {
		if a.Status != http.StatusSeeOther {
			continue
		}
		j := followed(run, i)
		switch {
		case j < 0:
		case run[j].Method == http.MethodGet || run[j].Method == http.MethodHead:
			o.keep(i, j)
		default:
			o.broke(i, j)
			o.note = "followed 303 with " + run[j].Method
		}
	}
	return o
}

// sameMethod: a 307 or 308 is followed with the same method.
func sameMethod(code int) evaluator {
	return func(run []Attempt) (o outcome) {
		for i, a := range run {
			if a.Status != code {
				continue
			}
			j := followed(run, i)
			switch {
			case j < 0:
			case run[j].Method != a.Method:
				o.broke(i, j)
				o.note = "followed " + strconv.Itoa(code) + " to " + a.Method + " with " + run[j].Method
			default:
				o.keep(i, j)
			}
		}
		return o
	}
}

// sameContent: a 307 or 308 followed with the same method is followed
// with the same content.
func sameContent(run []Attempt) (o outcome) {
	for i, a := range run {
		if a.Status != http.StatusTemporaryRedirect && a.Status != http.StatusPermanentRedirect {
			continue
		}
		j := followed(run, i)
		if j < 0 || run[j].Method != a.Method {
			continue
		}
		b := run[j]
		if b.ContentLength != a.ContentLength || b.ContentDigest != a.ContentDigest {
			o.broke(i, j)
			o.note = "followed " + strconv.Itoa(a.Status) + " with other content (" + strconv.FormatInt(b.ContentLength, 10) +
				" bytes, not " + strconv.FormatInt(a.ContentLength, 10) + ")"
		} else {
			o.keep(i, j)
		}
	}
	return o
}

// postToGET records what a client did with a POST that met 301 or 302:
// RFC 9110 lets it follow with GET for historical reasons, so either way
// the rule is kept.
func postToGET(code int) evaluator {
	return func(run []Attempt) (o outcome) {
		for i, a := range run {
			if a.Status != code || a.Method != http.MethodPost {
				continue
			}
			if j := followed(run, i); j >= 0 {
				o.keep(i, j)
				o.note = "followed with " + run[j].Method
			}
		}
		return o
	}
}

// selfRedirect reports whether the answer at i redirects to its own target.
func selfRedirect(a Attempt) bool {
	loc := a.Response["Location"]
	return a.Status >= 300 && a.Status < 400 && loc != "" && pathOf(loc) == pathOf(a.Path)
}

// redirectCycle: a client that meets a redirect to the URL it requested
// follows it at most CycleLimit times: the first visit is its own
// request, every later one a follow.
func redirectCycle(run []Attempt) (o outcome) {
	visits := map[string][]int{}
	for i, a := range run {
		if selfRedirect(a) {
			visits[pathOf(a.Path)] = append(visits[pathOf(a.Path)], i)
		}
	}
	for _, is := range visits {
		if follows := len(is) - 1; follows > CycleLimit {
			o.broke(is...)
			o.note = "followed a redirect to the same URL " + strconv.Itoa(follows) + " times"
		} else {
			o.keep(is...)
		}
	}
	return o
}

// redirectChain: a client follows a chain of redirects to new URLs no
// further than ChainLimit hops. A chain of n redirects was followed n
// times when the client went on to the answer after the last one, n-1
// times when it stopped at the last.
func redirectChain(run []Attempt) (o outcome) {
	var chain []int
	end := func(reached bool) {
		follows := len(chain) - 1
		if reached {
			follows++
		}
		if follows > ChainLimit {
			o.broke(chain...)
			o.note = "followed " + strconv.Itoa(follows) + " redirects in a row"
		} else if len(chain) > 0 {
			o.keep(chain...)
		}
		chain = nil
	}
	for i, a := range run {
		redirect := a.Status >= 300 && a.Status < 400 && a.Response["Location"] != "" && !selfRedirect(a)
		continues := len(chain) > 0 && pathOf(a.Path) == pathOf(run[chain[len(chain)-1]].Response["Location"])
		if !continues {
			end(false)
		}
		if redirect {
			chain = append(chain, i)
		} else if continues {
			end(true)
		}
	}
	end(false)
	return o
}

// challengeAnswered: a client given credentials answers a challenge: the
// request after a 401 (407) carries Authorization (Proxy-Authorization),
// or the first one already did.
func challengeAnswered(code int, field string) evaluator {
	return func(run []Attempt) (o outcome) {
		seen := map[string]bool{}
		for i, a := range run {
			p := pathOf(a.Path)
			first := !seen[p]
			seen[p] = true
			if first && a.Fields[field] != "" && a.Status != code {
				o.keep(i) // sent at once, and accepted
			}
			if a.Status != code {
				continue
			}
			j := next(run, i, p)
			switch {
			case j < 0:
			case run[j].Fields[field] != "":
				o.keep(i, j)
			default:
				o.broke(i, j)
				o.note = "repeated the request without " + field
			}
		}
		return o
	}
}

// afterClose: after an answer that closes its connection (Connection:
// close, as a 408 carries), the next request comes on another one.
func afterClose(run []Attempt) (o outcome) {
	for i, a := range run {
		if !strings.EqualFold(a.Response["Connection"], "close") || i+1 >= len(run) {
			continue
		}
		if run[i+1].Conn != a.Conn {
			o.keep(i, i+1)
		} else {
			o.broke(i, i+1)
			o.note = "sent another request on a connection the server had closed"
		}
	}
	return o
}

// otherConnection: a request repeated after a 408 (421) comes on another
// connection.
func otherConnection(code int) evaluator {
	return func(run []Attempt) (o outcome) {
		for i, a := range run {
			if a.Status != code {
				continue
			}
			j := next(run, i, pathOf(a.Path))
			switch {
			case j < 0:
			case run[j].Conn != a.Conn:
				o.keep(i, j)
			default:
				o.broke(i, j)
				o.note = "repeated the request on the same connection"
			}
		}
		return o
	}
}

// etagOf returns the ETag of a full or partial answer to a GET, or "".
func etagOf(a Attempt) string {
	if a.Method != http.MethodGet || (a.Status != http.StatusOK && a.Status != http.StatusPartialContent) {
		return ""
	}
	return a.Response["Etag"]
}

// revalidateWithETag: a client that revalidates a stored response that
// had an ETag sends If-None-Match with it.
func revalidateWithETag(run []Attempt) (o outcome) {
	tags := map[string]int{} // path to the attempt whose ETag the client holds
	for i, a := range run {
		p := pathOf(a.Path)
		if k, ok := tags[p]; ok && a.Method == http.MethodGet {
			inm, ims := a.Fields["If-None-Match"], a.Fields["If-Modified-Since"]
			switch {
			case inm == "" && ims == "":
				// not a revalidation
			case strings.Contains(inm, run[k].Response["Etag"]):
				o.keep(k, i)
			default:
				o.broke(k, i)
				o.note = "revalidated without the ETag it was given"
			}
		}
		if t := etagOf(a); t != "" {
			tags[p] = i
		}
	}
	return o
}

// resumeWithIfRange: a client that asks for a range of a representation
// it was given part or all of, with an ETag, sends If-Range.
func resumeWithIfRange(run []Attempt) (o outcome) {
	tags := map[string]int{}
	for i, a := range run {
		p := pathOf(a.Path)
		if k, ok := tags[p]; ok && a.Method == http.MethodGet && a.Fields["Range"] != "" {
			if a.Fields["If-Range"] != "" {
				o.keep(k, i)
			} else {
				o.broke(k, i)
				o.note = "asked for a range without If-Range"
			}
		}
		if t := etagOf(a); t != "" {
			tags[p] = i
		}
	}
	return o
}

// ifRangeWellFormed: If-Range comes only with Range, and never with a
// weak entity tag.
func ifRangeWellFormed(run []Attempt) (o outcome) {
	for i, a := range run {
		v := strings.TrimSpace(a.Fields["If-Range"])
		switch {
		case v == "":
		case a.Fields["Range"] == "":
			o.broke(i)
			o.note = "sent If-Range without Range"
		case strings.HasPrefix(v, "W/"):
			o.broke(i)
			o.note = "sent If-Range with a weak entity tag"
		default:
			o.keep(i)
		}
	}
	return o
}
