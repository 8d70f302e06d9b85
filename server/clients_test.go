package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/verdict"
)

// A client does what a client under test does, over real connections to
// the server: the test's client c does not follow redirects, so each
// client below follows them, or not, as it means to.
type client func(t *testing.T, env clientEnv)

// clientEnv is what a client works with.
type clientEnv struct {
	base  string
	key   string
	c     *http.Client // keeps connections alive
	fresh *http.Client // a new connection for every request
	clock *fakeClock
}

func (e clientEnv) url(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return e.base + path + sep + "key=" + e.key
}

// follow requests the Location of a, with method and content.
func (e clientEnv) follow(t *testing.T, a answer, method, content string, header ...string) answer {
	t.Helper()
	return send(t, e.c, method, e.base+a.get("Location"), strings.NewReader(content), header...)
}

// loop follows a redirect n times.
func (e clientEnv) loop(t *testing.T, path string, n int) {
	t.Helper()
	a := send(t, e.c, "GET", e.url(path), nil)
	for range n {
		a = e.follow(t, a, "GET", "")
	}
}

// realClients holds, for every client rule that a client can break
// against this server, a client written to break it and one that keeps
// it. The rule on Connection: close has none: the server closes the
// connection, so no request can come on it again (the verdict package's
// test shows the rule firing on a record where one does).
var realClients = map[string]struct{ broken, kept client }{
	verdict.RuleRetryAfterHonoured: {
		broken: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/sequence/503,200?retry-after=2"), nil)
			e.clock.advance(500 * time.Millisecond)
			send(t, e.c, "GET", e.url("/sequence/503,200?retry-after=2"), nil)
		},
		kept: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/sequence/503,200?retry-after=2"), nil)
			e.clock.advance(2 * time.Second)
			send(t, e.c, "GET", e.url("/sequence/503,200?retry-after=2"), nil)
		},
	},
	verdict.RuleNoAutoRetryUnsafe: {
		broken: func(t *testing.T, e clientEnv) {
			send(t, e.c, "POST", e.url("/sequence/503,200"), strings.NewReader("order"))
			send(t, e.c, "POST", e.url("/sequence/503,200"), strings.NewReader("order"))
		},
		kept: func(t *testing.T, e clientEnv) {
			send(t, e.c, "POST", e.url("/sequence/503,200"), strings.NewReader("order"))
			send(t, e.c, "POST", e.url("/sequence/503,200"), strings.NewReader("order"), "Idempotency-Key", "k-1")
		},
	},
	verdict.RuleSeeOtherGET: {
		broken: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "POST", e.url("/redirect/1?code=303"), strings.NewReader("x")), "POST", "x")
		},
		kept: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "POST", e.url("/redirect/1?code=303"), strings.NewReader("x")), "GET", "")
		},
	},
	verdict.RuleTemporaryRedirectSameMethod: {
		broken: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "POST", e.url("/redirect/1?code=307"), strings.NewReader("x")), "GET", "")
		},
		kept: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "POST", e.url("/redirect/1?code=307"), strings.NewReader("x")), "POST", "x")
		},
	},
	verdict.RulePermanentRedirectSameMethod: {
		broken: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "PUT", e.url("/redirect/1?code=308"), strings.NewReader("x")), "GET", "")
		},
		kept: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "PUT", e.url("/redirect/1?code=308"), strings.NewReader("x")), "PUT", "x")
		},
	},
	verdict.RuleRedirectSameContent: {
		broken: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "POST", e.url("/redirect/1?code=307"), strings.NewReader("order 42")), "POST", "")
		},
		kept: func(t *testing.T, e clientEnv) {
			e.follow(t, send(t, e.c, "POST", e.url("/redirect/1?code=308"), strings.NewReader("order 42")), "POST", "order 42")
		},
	},
	verdict.RuleRedirectCycleDetected: {
		broken: func(t *testing.T, e clientEnv) { e.loop(t, "/redirect-loop", verdict.CycleLimit+1) },
		kept:   func(t *testing.T, e clientEnv) { e.loop(t, "/redirect-loop", verdict.CycleLimit) },
	},
	verdict.RuleRedirectChainBounded: {
		broken: func(t *testing.T, e clientEnv) { e.loop(t, "/redirect-loop/0", verdict.ChainLimit+1) },
		kept:   func(t *testing.T, e clientEnv) { e.loop(t, "/redirect/9", 9) },
	},
	verdict.RuleChallengeAnswered: {
		broken: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/401?user=u&password=p"), nil)
			send(t, e.c, "GET", e.url("/401?user=u&password=p"), nil)
		},
		kept: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/401?user=u&password=p"), nil)
			send(t, e.c, "GET", e.url("/401?user=u&password=p"), nil, "Authorization", "Basic dTpw")
		},
	},
	verdict.RuleProxyChallengeAnswered: {
		broken: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/407?user=u&password=p"), nil)
			send(t, e.c, "GET", e.url("/407?user=u&password=p"), nil)
		},
		kept: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/407?user=u&password=p"), nil)
			send(t, e.c, "GET", e.url("/407?user=u&password=p"), nil, "Proxy-Authorization", "Basic dTpw")
		},
	},
	verdict.RuleMisdirectedOtherConnection: {
		broken: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/sequence/421,200"), nil)
			send(t, e.c, "GET", e.url("/sequence/421,200"), nil)
		},
		kept: func(t *testing.T, e clientEnv) {
			send(t, e.fresh, "GET", e.url("/sequence/421,200"), nil)
			send(t, e.fresh, "GET", e.url("/sequence/421,200"), nil)
		},
	},
	verdict.RuleRevalidateWithETag: {
		broken: func(t *testing.T, e clientEnv) {
			a := send(t, e.c, "GET", e.url("/resource"), nil)
			send(t, e.c, "GET", e.url("/resource"), nil, "If-Modified-Since", a.get("Last-Modified"))
		},
		kept: func(t *testing.T, e clientEnv) {
			a := send(t, e.c, "GET", e.url("/resource"), nil)
			send(t, e.c, "GET", e.url("/resource"), nil, "If-None-Match", a.get("ETag"))
		},
	},
	verdict.RuleIfRangeWellFormed: {
		broken: func(t *testing.T, e clientEnv) {
			a := send(t, e.c, "GET", e.url("/resource"), nil)
			send(t, e.c, "GET", e.url("/resource"), nil, "If-Range", a.get("ETag"))
		},
		kept: func(t *testing.T, e clientEnv) {
			a := send(t, e.c, "GET", e.url("/resource"), nil)
			send(t, e.c, "GET", e.url("/resource"), nil, "If-Range", a.get("ETag"), "Range", "bytes=512-")
		},
	},
	verdict.RuleResumeWithIfRange: {
		broken: func(t *testing.T, e clientEnv) {
			send(t, e.c, "GET", e.url("/resource"), nil)
			send(t, e.c, "GET", e.url("/resource"), nil, "Range", "bytes=512-")
		},
		kept: func(t *testing.T, e clientEnv) {
			a := send(t, e.c, "GET", e.url("/resource"), nil)
			send(t, e.c, "GET", e.url("/resource"), nil, "Range", "bytes=512-", "If-Range", a.get("ETag"))
		},
	},
}

// TestRealClientsAreJudged runs every client above against the server and
// reads the verdict of its run: the client that breaks a rule is caught
// with the rule's reference, the one that keeps it is not, and the rule
// is listed as kept. A client rule of the registry without such a pair
// fails the test, unless it is a pure permission or the rule on
// Connection: close.
func TestRealClientsAreJudged(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, ts, c := startClocked(t, clock)
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	t.Cleanup(fresh.CloseIdleConnections)
	n := 0
	for id, pair := range realClients {
		for _, broken := range []bool{true, false} {
			n++
			key := "real" + strconv.Itoa(n)
			run := pair.kept
			if broken {
				run = pair.broken
			}
			run(t, clientEnv{base: ts.URL, key: key, c: c, fresh: fresh, clock: clock})
			rep, status := verdictOf(t, c, ts.URL, key)
			if status != http.StatusOK {
				t.Fatalf("%s: no record of the run: %d", id, status)
			}
			i := slices.IndexFunc(rep.Findings, func(r verdict.Result) bool { return r.ID == id })
			switch {
			case broken && i < 0:
				t.Errorf("%s: the client that breaks it is not caught; findings %v, attempts %+v", id, resultIDs(rep.Findings), rep.Attempts)
			case broken && rep.Findings[i].Reference == "":
				t.Errorf("%s: the finding names no reference", id)
			case !broken && i >= 0:
				t.Errorf("%s: the client that keeps it is caught: %+v", id, rep.Findings[i])
			case !broken && !slices.Contains(resultIDs(rep.Passed), id):
				t.Errorf("%s: the client that keeps it is not listed as kept; passed %v", id, resultIDs(rep.Passed))
			}
		}
	}
	for _, r := range httpstatus.ClientRules() {
		_, ok := realClients[r.ID]
		permission := r.ID == verdict.RuleMovedPostToGET || r.ID == verdict.RuleFoundPostToGET
		if !ok && !permission && r.ID != verdict.RuleTimeoutNewConnection {
			t.Errorf("rule %s has no real client that breaks it and none that keeps it", r.ID)
		}
	}
}
