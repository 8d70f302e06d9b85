package verdict

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
)

// at builds attempts a second apart from a fixed start, each answered at
// once, unless the test moves them.
var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// att is an attempt: method, path, status, and options.
func att(sec float64, method, path string, status int, opts ...func(*Attempt)) Attempt {
	at := t0.Add(time.Duration(sec * float64(time.Second)))
	a := Attempt{At: at, Answered: at, Method: method, Path: path, Status: status, Conn: "127.0.0.1:5000", ContentLength: -1}
	for _, o := range opts {
		o(&a)
	}
	return a
}

func resp(name, value string) func(*Attempt) {
	return func(a *Attempt) {
		if a.Response == nil {
			a.Response = map[string]string{}
		}
		a.Response[name] = value
	}
}

func req(name, value string) func(*Attempt) {
	return func(a *Attempt) {
		if a.Fields == nil {
			a.Fields = map[string]string{}
		}
		a.Fields[name] = value
	}
}

func conn(c string) func(*Attempt) { return func(a *Attempt) { a.Conn = c } }

func content(n int64, digest string) func(*Attempt) {
	return func(a *Attempt) { a.ContentLength, a.ContentDigest = n, digest }
}

// loop returns n visits of a redirect to the same URL.
func loop(n int) []Attempt {
	var run []Attempt
	for i := range n {
		run = append(run, att(float64(i)/100, "GET", "/redirect-loop?key=k", 302, resp("Location", "/redirect-loop?key=k")))
	}
	return run
}

// chain returns n hops of a chain that never repeats a URL.
func chain(n int) []Attempt {
	var run []Attempt
	for i := range n {
		p := "/redirect-loop/" + itoa(i)
		run = append(run, att(float64(i)/100, "GET", p, 302, resp("Location", "/redirect-loop/"+itoa(i+1))))
	}
	return run
}

func itoa(i int) string { return strconv.Itoa(i) }

// cases holds, for every rule, a run of a client that breaks it and one
// of a client that keeps it.
var cases = map[string]struct{ broken, kept []Attempt }{
	RuleRetryAfterHonoured: {
		broken: []Attempt{att(0, "GET", "/sequence/503,200", 503, resp("Retry-After", "2")), att(1, "GET", "/sequence/503,200", 200)},
		kept:   []Attempt{att(0, "GET", "/sequence/503,200", 503, resp("Retry-After", "2")), att(2, "GET", "/sequence/503,200", 200)},
	},
	RuleNoAutoRetryUnsafe: {
		broken: []Attempt{att(0, "POST", "/sequence/503,200", 503), att(1, "POST", "/sequence/503,200", 200)},
		kept:   []Attempt{att(0, "POST", "/sequence/503,200", 503)},
	},
	RuleSeeOtherGET: {
		broken: []Attempt{att(0, "POST", "/redirect/1?code=303", 303, resp("Location", "/200")), att(1, "POST", "/200", 200)},
		kept:   []Attempt{att(0, "POST", "/redirect/1?code=303", 303, resp("Location", "/200")), att(1, "GET", "/200", 200)},
	},
	RuleTemporaryRedirectSameMethod: {
		broken: []Attempt{att(0, "POST", "/redirect/1?code=307", 307, resp("Location", "/200")), att(1, "GET", "/200", 200)},
		kept:   []Attempt{att(0, "POST", "/redirect/1?code=307", 307, resp("Location", "/200")), att(1, "POST", "/200", 200)},
	},
	RulePermanentRedirectSameMethod: {
		broken: []Attempt{att(0, "PUT", "/redirect/1?code=308", 308, resp("Location", "/200")), att(1, "GET", "/200", 200)},
		kept:   []Attempt{att(0, "PUT", "/redirect/1?code=308", 308, resp("Location", "/200")), att(1, "PUT", "/200", 200)},
	},
	RuleRedirectSameContent: {
		broken: []Attempt{att(0, "POST", "/redirect/1?code=307", 307, resp("Location", "/200"), content(3, "aa")), att(1, "POST", "/200", 200, content(0, ""))},
		kept:   []Attempt{att(0, "POST", "/redirect/1?code=308", 308, resp("Location", "/200"), content(3, "aa")), att(1, "POST", "/200", 200, content(3, "aa"))},
	},
	// A client's own request and CycleLimit follows (ChainLimit follows,
	// the last redirect not followed) keep the rule; one more breaks it.
	RuleRedirectCycleDetected: {broken: loop(CycleLimit + 2), kept: loop(CycleLimit + 1)},
	RuleRedirectChainBounded:  {broken: chain(ChainLimit + 2), kept: chain(ChainLimit + 1)},
	RuleChallengeAnswered: {
		broken: []Attempt{att(0, "GET", "/401?user=u", 401), att(1, "GET", "/401?user=u", 401)},
		kept:   []Attempt{att(0, "GET", "/401?user=u", 401), att(1, "GET", "/401?user=u", 200, req("Authorization", "Basic"))},
	},
	RuleProxyChallengeAnswered: {
		broken: []Attempt{att(0, "GET", "/407", 407), att(1, "GET", "/407", 407)},
		kept:   []Attempt{att(0, "GET", "/407", 407), att(1, "GET", "/407", 200, req("Proxy-Authorization", "Basic"))},
	},
	RuleTimeoutNewConnection: {
		broken: []Attempt{att(0, "GET", "/sequence/408,200", 408, resp("Connection", "close")), att(1, "GET", "/sequence/408,200", 200)},
		kept:   []Attempt{att(0, "GET", "/sequence/408,200", 408, resp("Connection", "close")), att(1, "GET", "/sequence/408,200", 200, conn("127.0.0.1:5001"))},
	},
	RuleMisdirectedOtherConnection: {
		broken: []Attempt{att(0, "GET", "/sequence/421,200", 421), att(1, "GET", "/sequence/421,200", 200)},
		kept:   []Attempt{att(0, "GET", "/sequence/421,200", 421), att(1, "GET", "/sequence/421,200", 200, conn("127.0.0.1:5001"))},
	},
	RuleRevalidateWithETag: {
		broken: []Attempt{att(0, "GET", "/resource", 200, resp("Etag", `"r1"`)), att(1, "GET", "/resource", 200, req("If-Modified-Since", "Tue, 01 Dec 2026 12:00:00 GMT"))},
		kept:   []Attempt{att(0, "GET", "/resource", 200, resp("Etag", `"r1"`)), att(1, "GET", "/resource", 304, req("If-None-Match", `"r1"`))},
	},
	RuleIfRangeWellFormed: {
		broken: []Attempt{att(0, "GET", "/resource", 200, req("If-Range", `"r1"`))},
		kept:   []Attempt{att(0, "GET", "/resource", 206, req("If-Range", `"r1"`), req("Range", "bytes=10-"))},
	},
	RuleResumeWithIfRange: {
		broken: []Attempt{att(0, "GET", "/resource", 200, resp("Etag", `"r1"`)), att(1, "GET", "/resource", 206, req("Range", "bytes=10-"))},
		kept:   []Attempt{att(0, "GET", "/resource", 200, resp("Etag", `"r1"`)), att(1, "GET", "/resource", 206, req("Range", "bytes=10-"), req("If-Range", `"r1"`))},
	},
}

// mayCases holds the rules of level MAY that are pure permissions, which
// a client keeps whatever it does: a run that shows each choice. The other
// MAY rules (a repeat after 401 without the credentials given, after 421
// on the same connection) report the client that took neither way the
// RFC allows to succeed.
var mayCases = map[string][][]Attempt{
	RuleMovedPostToGET: {
		{att(0, "POST", "/redirect/1?code=301", 301, resp("Location", "/200")), att(1, "GET", "/200", 200)},
		{att(0, "POST", "/redirect/1?code=301", 301, resp("Location", "/200")), att(1, "POST", "/200", 200)},
	},
	RuleFoundPostToGET: {
		{att(0, "POST", "/redirect/1?code=302", 302, resp("Location", "/200")), att(1, "GET", "/200", 200)},
		{att(0, "POST", "/redirect/1?code=302", 302, resp("Location", "/200")), att(1, "POST", "/200", 200)},
	},
}

func ids(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// TestRulesFireAndStaySilent runs, for every rule, a client that breaks it
// (the rule is a finding, citing its reference) and one that keeps it (the
// rule passes and is no finding).
func TestRulesFireAndStaySilent(t *testing.T) {
	t.Parallel()
	for id, c := range cases {
		v := Evaluate(c.broken)
		i := slices.IndexFunc(v.Findings, func(r Result) bool { return r.ID == id })
		if i < 0 {
			t.Errorf("%s: a client that breaks it is not caught; findings %v", id, ids(v.Findings))
		} else if f := v.Findings[i]; f.Reference == "" || len(f.Attempts) == 0 || f.Summary == "" {
			t.Errorf("%s: finding %+v lacks its reference, summary or attempts", id, f)
		}
		v = Evaluate(c.kept)
		if slices.Contains(ids(v.Findings), id) {
			t.Errorf("%s: a client that keeps it is caught", id)
		}
		if !slices.Contains(ids(v.Passed), id) {
			t.Errorf("%s: a client that keeps it is not listed as passed; passed %v", id, ids(v.Passed))
		}
	}
	for id, runs := range mayCases {
		for _, run := range runs {
			v := Evaluate(run)
			if slices.Contains(ids(v.Findings), id) || !slices.Contains(ids(v.Passed), id) {
				t.Errorf("%s: findings %v, passed %v; a MAY is kept either way", id, ids(v.Findings), ids(v.Passed))
			}
		}
	}
}

// TestEveryRuleIsJudged fails when a client rule of the registry has no
// evaluator or no pair of runs above, or an evaluator has no rule.
func TestEveryRuleIsJudged(t *testing.T) {
	t.Parallel()
	var registry []string
	for _, r := range httpstatus.ClientRules() {
		registry = append(registry, r.ID)
		if _, ok := evaluators[r.ID]; !ok {
			t.Errorf("rule %s has no evaluator", r.ID)
		}
		_, pair := cases[r.ID]
		_, may := mayCases[r.ID]
		if !pair && !may {
			t.Errorf("rule %s has no run that breaks it and none that keeps it", r.ID)
		}
		if may && r.Level != httpstatus.LevelMay {
			t.Errorf("rule %s is %s; only a MAY rule is kept whatever the client does", r.ID, r.Level)
		}
	}
	for _, id := range Evaluators() {
		if !slices.Contains(registry, id) {
			t.Errorf("evaluator %s judges no rule of the registry", id)
		}
	}
}

func TestBroke(t *testing.T) {
	t.Parallel()
	if Evaluate(cases[RuleRetryAfterHonoured].broken).Broke() {
		t.Error("a broken SHOULD counts as a broken MUST")
	}
	if !Evaluate(cases[RuleTemporaryRedirectSameMethod].broken).Broke() {
		t.Error("a broken MUST NOT does not count")
	}
}

func TestRetryAfterDate(t *testing.T) {
	t.Parallel()
	run := []Attempt{
		att(0, "GET", "/503", 503, resp("Retry-After", t0.Add(3*time.Second).Format(http.TimeFormat))),
		att(1, "GET", "/503", 200),
	}
	if !slices.Contains(ids(Evaluate(run).Findings), RuleRetryAfterHonoured) {
		t.Error("a Retry-After date three seconds on, answered after one: not caught")
	}
}
