package server

import (
	"encoding/json"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/verdict"
)

// verdictOf fetches the verdict of key.
func verdictOf(t *testing.T, c *http.Client, base, key string) (sessionReport, int) {
	t.Helper()
	a := send(t, c, "GET", base+"/sessions/"+key, nil)
	var rep sessionReport
	if a.res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(a.body, &rep); err != nil {
			t.Fatalf("GET /sessions/%s: %v\n%s", key, err, a.body)
		}
	}
	return rep, a.res.StatusCode
}

func resultIDs(rs []verdict.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// TestSessionVerdict follows 307 as Go's client does (the same method and
// content) and as a broken client would (GET), and reads both verdicts.
func TestSessionVerdict(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	follow := &http.Client{Transport: ts.Client().Transport} // follows redirects, as net/http does by default
	res, err := follow.Post(ts.URL+"/redirect/1?code=307&key=good", "text/plain", strings.NewReader("order 42"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	rep, status := verdictOf(t, c, ts.URL, "good")
	if status != 200 || len(rep.Attempts) != 2 || rep.Attempts[1].Method != "POST" || rep.Attempts[1].ContentDigest == "" ||
		rep.Attempts[0].ContentDigest != rep.Attempts[1].ContentDigest {
		t.Fatalf("the run of Go's client: %d %+v", status, rep.Attempts)
	}
	if len(rep.Findings) != 0 || !slices.Contains(resultIDs(rep.Passed), verdict.RuleTemporaryRedirectSameMethod) ||
		!slices.Contains(resultIDs(rep.Passed), verdict.RuleRedirectSameContent) {
		t.Errorf("Go's client on 307: findings %v, passed %v", resultIDs(rep.Findings), resultIDs(rep.Passed))
	}

	send(t, c, "POST", ts.URL+"/redirect/1?code=307&key=bad", strings.NewReader("order 42"))
	send(t, c, "GET", ts.URL+"/200?key=bad", nil)
	rep, _ = verdictOf(t, c, ts.URL, "bad")
	i := slices.IndexFunc(rep.Findings, func(r verdict.Result) bool { return r.ID == verdict.RuleTemporaryRedirectSameMethod })
	if i < 0 {
		t.Fatalf("a client that follows 307 with GET: findings %v", resultIDs(rep.Findings))
	}
	if f := rep.Findings[i]; f.Level != "MUST NOT" || f.Reference != "RFC 9110, section 15.4.8" || !slices.Equal(f.Attempts, []int{0, 1}) {
		t.Errorf("the finding: %+v", f)
	}
}

// TestSessionRecordsWhatRulesRead checks the fields of an attempt, and
// that credentials stay out of the record.
func TestSessionRecordsWhatRulesRead(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	send(t, c, "GET", ts.URL+"/401?key=f&user=u&password=p", nil, "Authorization", "Basic dTpw", "If-None-Match", `"x"`)
	send(t, c, "GET", ts.URL+"/503?key=f&retry-after=7", nil)
	send(t, c, "GET", ts.URL+"/408?key=f", nil)
	a := send(t, c, "GET", ts.URL+"/sessions/f", nil)
	if strings.Contains(string(a.body), "dTpw") {
		t.Error("the record holds the credentials")
	}
	rep, _ := verdictOf(t, c, ts.URL, "f")
	if len(rep.Attempts) != 3 {
		t.Fatalf("%d attempts", len(rep.Attempts))
	}
	first, second, third := rep.Attempts[0], rep.Attempts[1], rep.Attempts[2]
	if first.Fields["Authorization"] != "Basic" || first.Fields["If-None-Match"] != `"x"` || first.Status != 200 || first.Conn == "" {
		t.Errorf("attempt 0: %+v", first)
	}
	if second.Status != 503 || second.Response["Retry-After"] != "7" || second.Answered.Before(second.At) {
		t.Errorf("attempt 1: %+v", second)
	}
	if third.Status != 408 || third.Response["Connection"] != "close" || !third.Closed {
		t.Errorf("attempt 2: %+v", third)
	}
}

// TestSessionBounds checks the bound on a key's record and that plain
// requests without a key are not recorded.
func TestSessionBounds(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for range maxAttemptsPerKey + 44 {
		send(t, c, "GET", ts.URL+"/204?key=many", nil)
	}
	rep, _ := verdictOf(t, c, ts.URL, "many")
	if len(rep.Attempts) != maxAttemptsPerKey || rep.Dropped != 44 {
		t.Errorf("%d attempts, %d dropped; want %d and 44", len(rep.Attempts), rep.Dropped, maxAttemptsPerKey)
	}
	send(t, c, "GET", ts.URL+"/200", nil)
	send(t, c, "GET", ts.URL+"/302", nil)
	if _, status := verdictOf(t, c, ts.URL, "addr:127.0.0.1"); status != http.StatusNotFound {
		t.Errorf("plain requests without a key were recorded: %d", status)
	}
	if _, status := verdictOf(t, c, ts.URL, "nobody"); status != http.StatusNotFound {
		t.Errorf("GET /sessions/nobody: %d", status)
	}
}

func TestSessionHTML(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	send(t, c, "POST", ts.URL+"/redirect/1?code=307&key=h", strings.NewReader("x"))
	send(t, c, "GET", ts.URL+"/200?key=h", nil)
	a := send(t, c, "GET", ts.URL+"/sessions/h", nil, "Accept", "text/html")
	if !strings.HasPrefix(a.get("Content-Type"), "text/html") || !strings.Contains(string(a.body), "temporary-redirect-same-method") ||
		!strings.Contains(string(a.body), "<td>POST</td>") {
		t.Errorf("the HTML verdict: %s\n%s", a.get("Content-Type"), a.body)
	}
}

// TestScenarios checks the list of ready-made runs: each names known
// rules, its path takes a key, and run by Go's client each exercises the
// rules it names.
func TestScenarios(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	a := send(t, c, "GET", ts.URL+"/scenarios", nil)
	var list []Scenario
	if err := json.Unmarshal(a.body, &list); err != nil || len(list) != len(Scenarios()) {
		t.Fatalf("GET /scenarios: %v, %d scenarios", err, len(list))
	}
	var known []string
	for _, r := range httpstatus.ClientRules() {
		known = append(known, r.ID)
	}
	follow := &http.Client{Transport: ts.Client().Transport}
	repeats := []string{verdict.RuleRetryAfterHonoured, verdict.RuleTimeoutNewConnection, verdict.RuleRevalidateWithETag}
	for i, sc := range list {
		if !strings.Contains(sc.Path, KeyPlaceholder) || len(sc.Rules) == 0 || sc.Runs < 1 {
			t.Errorf("%s: path %q, rules %v, runs %d", sc.Name, sc.Path, sc.Rules, sc.Runs)
		}
		for _, id := range sc.Rules {
			if !slices.Contains(known, id) {
				t.Errorf("%s: rule %q is not in the registry", sc.Name, id)
			}
		}
		key := "sc" + strconv.Itoa(i)
		for range sc.Runs {
			req, err := http.NewRequest(sc.Method, ts.URL+strings.ReplaceAll(sc.Path, KeyPlaceholder, key), strings.NewReader(sc.Body))
			if err != nil {
				t.Fatal(err)
			}
			if sc.User != "" {
				req.SetBasicAuth(sc.User, sc.Password)
			}
			if res, err := follow.Do(req); err == nil {
				res.Body.Close()
			}
		}
		rep, status := verdictOf(t, c, ts.URL, key)
		if status != 200 {
			t.Errorf("%s: no record of the run (%d)", sc.Name, status)
			continue
		}
		applied := append(resultIDs(rep.Findings), resultIDs(rep.Passed)...)
		for _, id := range sc.Rules {
			// Go's client neither repeats a request on its own nor stores
			// responses: the rules on repeats and revalidation never apply.
			if !slices.Contains(applied, id) && !slices.Contains(repeats, id) {
				t.Errorf("%s: rule %s did not apply to Go's run; applied %v", sc.Name, id, applied)
			}
		}
		if (verdict.Verdict{Findings: rep.Findings}).Broke() {
			t.Errorf("%s: Go's client broke a MUST: %+v", sc.Name, rep.Findings)
		}
	}
}

// TestRecordCostIsHonest checks that what a record is charged against the
// memory bound is not below the heap it takes, so that --max-memory holds.
func TestRecordCostIsHonest(t *testing.T) {
	s, ts, c := start(t)
	const n = 200
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		send(t, c, "GET", ts.URL+"/503?retry-after=1&key=cost"+strconv.Itoa(i), nil, "Expect", "", "Content-Type", "text/plain")
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	charged := s.Memory().Bytes
	// The heap also holds the test's own garbage and the connection's
	// buffers, so only a charge well below the heap is a failure.
	if charged < held/2 {
		t.Errorf("%d keys with an attempt each are charged %d bytes but hold %d of heap", n, charged, held)
	}
	t.Logf("charged %d, heap %d", charged, held)
}
