package server

import (
	"encoding/json"
	"net/http"

	"github.com/httpstatus/httpstatus/respond"
	"github.com/httpstatus/httpstatus/verdict"
)

// A Scenario is a ready-made run that tests how a client handles a status
// code: one request for the client to make, under a key of its own, over
// the routes that remember. The server records what the client does, and
// GET /sessions/{key} gives the verdict on the rules the scenario
// exercises.
type Scenario struct {
	// Name identifies the scenario, such as "post-307".
	Name string `json:"name"`
	// Tests says what the scenario tests, in a few words.
	Tests string `json:"tests"`
	// Method is the method the client sends.
	Method string `json:"method"`
	// Path is the path and query the client calls; KeyPlaceholder stands
	// for the run's key.
	Path string `json:"path"`
	// Body is the content the client sends, if any.
	Body string `json:"body,omitempty"`
	// User and Password are the credentials the client is given, if any.
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
	// Runs is how many times the client is run: twice for a scenario that
	// tests what a client does with what it stored the first time.
	Runs int `json:"runs"`
	// Rules are the ids of the client rules the scenario exercises.
	Rules []string `json:"rules"`
}

// scenarioBody is the content of the scenarios that send some.
const scenarioBody = `{"order":42,"note":"a request that must not be sent twice"}`

// Scenarios returns the ready-made runs, in the order GET /scenarios
// lists them.
func Scenarios() []Scenario {
	k := KeyPlaceholder
	post := func(name, tests, path string, rules ...string) Scenario {
		return Scenario{Name: name, Tests: tests, Method: http.MethodPost, Path: path, Body: scenarioBody, Runs: 1, Rules: rules}
	}
	get := func(name, tests, path string, rules ...string) Scenario {
		return Scenario{Name: name, Tests: tests, Method: http.MethodGet, Path: path, Runs: 1, Rules: rules}
	}
	auth := get("auth-401", "a 401 challenge, with the credentials given to the client",
		"/401?key="+k+"&user=grader&password=s3cret", verdict.RuleChallengeAnswered)
	auth.User, auth.Password = "grader", "s3cret"
	revalidate := get("revalidate-304", "a resource with an ETag, fetched twice: a client that stores it revalidates with If-None-Match",
		"/resource?key="+k+"&cache-control=max-age=0", verdict.RuleRevalidateWithETag)
	revalidate.Runs = 2
	return []Scenario{
		get("retry-after-503", "two 503s with Retry-After: 1, then 200: a retrying client waits as asked",
			"/sequence/503,503,200?key="+k+"&retry-after=1", verdict.RuleRetryAfterHonoured),
		get("retry-after-429", "a 429 with Retry-After: 1, then 200", "/sequence/429,200?key="+k+"&retry-after=1",
			verdict.RuleRetryAfterHonoured),
		post("post-503", "a POST that meets 503: a client does not send it again on its own",
			"/sequence/503,200?key="+k, verdict.RuleNoAutoRetryUnsafe),
		post("post-307", "a POST with content that meets 307: followed with POST and the same content",
			"/redirect/1?code=307&key="+k, verdict.RuleTemporaryRedirectSameMethod, verdict.RuleRedirectSameContent),
		post("post-308", "a POST with content that meets 308: followed with POST and the same content",
			"/redirect/1?code=308&key="+k, verdict.RulePermanentRedirectSameMethod, verdict.RuleRedirectSameContent),
		post("post-303", "a POST that meets 303: followed with GET", "/redirect/1?code=303&key="+k, verdict.RuleSeeOtherGET),
		post("post-301", "a POST that meets 301: GET or POST, both allowed", "/redirect/1?code=301&key="+k, verdict.RuleMovedPostToGET),
		post("post-302", "a POST that meets 302: GET or POST, both allowed", "/redirect/1?code=302&key="+k, verdict.RuleFoundPostToGET),
		get("redirect-cycle", "a redirect to the same URL, forever: a client notices the cycle",
			"/redirect-loop?key="+k, verdict.RuleRedirectCycleDetected),
		get("redirect-chain", "a chain of redirects that never ends and never repeats a URL: a client stops at a bound",
			"/redirect-loop/0?key="+k, verdict.RuleRedirectChainBounded),
		auth,
		get("timeout-408", "a 408 that closes the connection, then 200: a repeat comes on a new connection",
			"/sequence/408,200?key="+k, verdict.RuleTimeoutNewConnection),
		revalidate,
	}
}

// handleScenarios serves GET /scenarios.
func (s *Server) handleScenarios(w http.ResponseWriter, r *http.Request) {
	if s.exchangeOf(w, r, routeScenarios) == nil {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.fail(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(http.MethodGet, http.MethodHead).
			WithDetail("this route answers GET and HEAD only"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if r.Method == http.MethodHead {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Scenarios()); err != nil {
		s.logger.Error("writing the scenarios", "err", err)
	}
}
