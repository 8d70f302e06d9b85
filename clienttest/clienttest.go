// Package clienttest grades an HTTP client inside a Go test. It runs the
// ready-made scenarios of the status server (server.Scenarios) in process,
// each against a function that makes one request with the client under
// test, reads the server's verdict on what the client did (package
// verdict), and fails the test on every MUST or MUST NOT rule the client
// broke, with the rule's reference and the attempts that show it:
//
//	func TestClient(t *testing.T) {
//		client := api.NewClient() // the client under test, with its retries and redirects
//		clienttest.Run(t, func(ctx context.Context, r clienttest.Request) error {
//			req, err := r.NewRequest(ctx)
//			if err != nil {
//				return err
//			}
//			res, err := client.Do(req)
//			if err != nil {
//				return err
//			}
//			return res.Body.Close()
//		})
//	}
//
// Findings of SHOULD and SHOULD NOT rules are logged unless
// WithFailOnShould makes them fail the test too. Grade runs the same
// scenarios outside a test and returns a Report for each; the command
// "httpstatus grade" is built on it and grades any program that makes a
// request. The package imports only the standard library and this
// module's public packages.
package clienttest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/server"
	"github.com/httpstatus/httpstatus/verdict"
)

// A Request is the request a scenario asks the client under test to make:
// the client sends it once, then follows redirects, answers challenges and
// retries as it would on its own.
type Request struct {
	// Scenario is the name of the scenario, such as "post-307".
	Scenario string
	// Method is the method to send.
	Method string
	// URL is the absolute URL to call, on the loopback server, with the
	// run's key in its query. It carries no credentials.
	URL string
	// Body is the content to send; nil when the scenario sends none.
	Body []byte
	// User and Password are the credentials the scenario gives the
	// client, for the Basic scheme; "" when it gives none.
	User     string
	Password string
	// Key is the key of the run, which the server records it under.
	Key string
	// Run counts the times the scenario has called the client, from 1 to
	// Runs: a scenario that tests what a client stored calls it twice.
	Run  int
	Runs int
}

// NewRequest returns r as a net/http request under ctx: its method, URL
// and body (which the client can read again, through GetBody, to follow a
// 307 or 308), and Basic credentials in Authorization when the scenario
// gives some.
func (r Request) NewRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, fmt.Errorf("clienttest: %s: %w", r.Scenario, err)
	}
	if r.User != "" {
		req.SetBasicAuth(r.User, r.Password)
	}
	return req, nil
}

// An Option configures Run and Grade.
type Option func(*config)

type config struct {
	names        []string
	failOnShould bool
	timeout      time.Duration
}

// DefaultTimeout bounds each call of the client unless WithTimeout says
// otherwise.
const DefaultTimeout = 30 * time.Second

// WithScenarios runs only the scenarios named, in the order given; an
// unknown name is an error that lists the names. Without it, every
// scenario runs, in the order of server.Scenarios.
func WithScenarios(names ...string) Option {
	return func(c *config) { c.names = append(c.names, names...) }
}

// WithFailOnShould makes Run fail the test on findings of SHOULD and
// SHOULD NOT rules too; without it, Run logs them.
func WithFailOnShould() Option { return func(c *config) { c.failOnShould = true } }

// WithTimeout bounds each call of the client: the context it is given
// ends after d. A zero or negative d keeps DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// ErrUnknownScenario is wrapped by the error Grade returns, and the
// failure Run reports, when WithScenarios names a scenario the server
// does not have.
var ErrUnknownScenario = errors.New("unknown scenario")

// scenarios returns the scenarios c runs.
func (c *config) scenarios() ([]server.Scenario, error) {
	all := server.Scenarios()
	if len(c.names) == 0 {
		return all, nil
	}
	var out []server.Scenario
	for _, name := range c.names {
		i := slices.IndexFunc(all, func(s server.Scenario) bool { return s.Name == name })
		if i < 0 {
			names := make([]string, len(all))
			for j, s := range all {
				names[j] = s.Name
			}
			return nil, fmt.Errorf("%w %q; the scenarios are %s", ErrUnknownScenario, name, strings.Join(names, ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// An Outcome is what a run showed of a rule.
type Outcome string

// The outcomes of a rule in a run.
const (
	// Kept: the rule applied to what the client did, and the client kept it.
	Kept Outcome = "kept"
	// Broken: the client broke the rule.
	Broken Outcome = "broken"
	// NotApplied: the client did nothing the rule is about, such as
	// not retrying at all in a scenario that tests how it waits between
	// retries.
	NotApplied Outcome = "not applied"
)

// A Rule is a client rule as a run showed it.
type Rule struct {
	// Result is the rule with the attempts that show it; for a rule that
	// did not apply, the rule alone.
	verdict.Result
	Outcome Outcome `json:"outcome"`
	// Exercised reports that the scenario is about the rule; a rule it is
	// not about is listed only when the client broke it.
	Exercised bool `json:"exercised"`
}

// A Report is the verdict of one scenario on the client.
type Report struct {
	Scenario server.Scenario `json:"scenario"`
	// Key is the key the server recorded the run under.
	Key string `json:"key"`
	// Errors holds, for each call of the client, the error it returned;
	// "" when it returned none. An error does not decide the verdict: a
	// client that stops a redirect cycle with an error does what it
	// should.
	Errors []string `json:"errors"`
	// Attempts are the requests the server saw under the key, with what
	// it answered; Dropped counts older ones its record let go.
	Attempts []verdict.Attempt `json:"attempts"`
	Dropped  int               `json:"dropped"`
	// Rules are the rules the scenario exercises, in its order, then any
	// other rule the client broke in the run.
	Rules []Rule `json:"rules"`
	// Verdict is the server's whole verdict on the run, with the rules
	// that held though the scenario is not about them.
	Verdict verdict.Verdict `json:"verdict"`
}

// Broke reports whether the client broke a rule of level MUST or MUST NOT
// in the run.
func (r Report) Broke() bool { return r.Verdict.Broke() }

// AttemptLine describes the attempt at index i as "METHOD path -> status",
// with the run's key written {key} and "(closed)" when the server closed
// the connection.
func (r Report) AttemptLine(i int) string {
	if i < 0 || i >= len(r.Attempts) {
		return fmt.Sprintf("#%d (not recorded)", i)
	}
	a := r.Attempts[i]
	path := a.Path
	if r.Key != "" {
		path = strings.ReplaceAll(path, r.Key, server.KeyPlaceholder)
	}
	s := fmt.Sprintf("#%d %s %s -> %d", i, a.Method, path, a.Status)
	if a.Closed {
		s += " (closed)"
	}
	return s
}

// maxAttemptLines bounds the attempts Format lists for one rule.
const maxAttemptLines = 6

// Format describes a rule of the report as a failing test prints it: the
// scenario, the rule's id and what a client does, its reference, the
// note, and the attempts that show it, one a line.
func Format(rep Report, r Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: [%s] a client %s %s\n    %s", rep.Scenario.Name, r.ID, r.Level, r.Summary, r.Reference)
	if r.URL != "" {
		b.WriteString(" " + r.URL)
	}
	if r.Note != "" {
		b.WriteString("\n    " + r.Note)
	}
	for n, i := range r.Attempts {
		if n == maxAttemptLines-1 && len(r.Attempts) > maxAttemptLines {
			fmt.Fprintf(&b, "\n    ... %d more, to %s", len(r.Attempts)-n-1, rep.AttemptLine(r.Attempts[len(r.Attempts)-1]))
			break
		}
		b.WriteString("\n    " + rep.AttemptLine(i))
	}
	return b.String()
}

// Run runs the scenarios against do, each as a subtest of t when t is a
// *testing.T, and reports the verdicts to t: a broken MUST or MUST NOT
// fails the test, with Format's description; a broken SHOULD or SHOULD
// NOT is logged, or fails with WithFailOnShould; a broken MAY is logged;
// the rules kept and not applied are logged on one line. A scenario in which the server saw
// no request at all fails too, since there is nothing to judge.
//
// do makes the request it is given with the client under test, and
// returns when the client is done with it. Its error is logged, never a
// failure in itself. Run calls do once at a time, one call after the
// other, against a server on a loopback port that lives until Run
// returns.
func Run(t testing.TB, do func(ctx context.Context, req Request) error, opts ...Option) {
	t.Helper()
	g, err := start(opts)
	if err != nil {
		t.Fatalf("clienttest: %v", err)
		return
	}
	defer g.close()
	for _, sc := range g.scenarios {
		subtest(t, sc.Name, func(t testing.TB) {
			t.Helper()
			rep, err := g.grade(t.Context(), sc, do)
			if err != nil {
				t.Errorf("clienttest: %s: %v", sc.Name, err)
				return
			}
			g.report(t, rep)
		})
	}
}

// subtest runs f as a subtest of t when t can have one, and in t
// otherwise.
func subtest(t testing.TB, name string, f func(testing.TB)) {
	t.Helper()
	if tt, ok := t.(*testing.T); ok {
		tt.Run(name, func(t *testing.T) { f(t) })
		return
	}
	f(t)
}

// report tells t what rep shows.
func (g *grader) report(t testing.TB, rep Report) {
	t.Helper()
	name := rep.Scenario.Name
	for i, e := range rep.Errors {
		if e != "" {
			t.Logf("%s: call %d of %d returned: %s", name, i+1, len(rep.Errors), strings.ReplaceAll(e, rep.Key, server.KeyPlaceholder))
		}
	}
	if len(rep.Attempts) == 0 && rep.Dropped == 0 {
		t.Errorf("%s: the server saw no request: do must send %s %s (the URL of the request it is given)",
			name, rep.Scenario.Method, strings.ReplaceAll(rep.Scenario.Path, server.KeyPlaceholder, rep.Key))
		return
	}
	var kept, notApplied []string
	for _, r := range rep.Rules {
		switch r.Outcome {
		case Kept:
			kept = append(kept, r.ID)
		case NotApplied:
			notApplied = append(notApplied, r.ID)
		case Broken:
			if failing(r.Level, g.cfg.failOnShould) {
				t.Error(Format(rep, r))
			} else {
				t.Log(Format(rep, r))
			}
		}
	}
	if len(kept)+len(notApplied) > 0 {
		line := name + ":"
		if len(kept) > 0 {
			line += " kept " + strings.Join(kept, ", ")
			if len(notApplied) > 0 {
				line += ";"
			}
		}
		if len(notApplied) > 0 {
			line += " not applied " + strings.Join(notApplied, ", ")
		}
		t.Log(line)
	}
}

// failing reports whether a finding of level fails the test.
func failing(level string, failOnShould bool) bool {
	switch level {
	case httpstatus.LevelMust.String(), httpstatus.LevelMustNot.String():
		return true
	case httpstatus.LevelShould.String(), httpstatus.LevelShouldNot.String():
		return failOnShould
	}
	return false
}

// Grade runs the scenarios against do, as Run does, and returns the report
// of each, in order. Its error says why it could not grade: an unknown
// scenario (wrapping ErrUnknownScenario), a server that could not be
// asked for its verdict, or ctx ending; the reports of the scenarios done
// by then are returned with it.
func Grade(ctx context.Context, do func(ctx context.Context, req Request) error, opts ...Option) ([]Report, error) {
	g, err := start(opts)
	if err != nil {
		return nil, fmt.Errorf("clienttest: %w", err)
	}
	defer g.close()
	var reports []Report
	for _, sc := range g.scenarios {
		rep, err := g.grade(ctx, sc, do)
		if err != nil {
			return reports, fmt.Errorf("clienttest: %s: %w", sc.Name, err)
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// A grader runs scenarios against the status server on a loopback port.
type grader struct {
	cfg       config
	scenarios []server.Scenario
	srv       *httptest.Server
	inFlight  *inFlight
}

// start checks the options and starts the server.
func start(opts []Option) (*grader, error) {
	g := &grader{cfg: config{timeout: DefaultTimeout}, inFlight: newInFlight()}
	for _, o := range opts {
		o(&g.cfg)
	}
	var err error
	if g.scenarios, err = g.cfg.scenarios(); err != nil {
		return nil, err
	}
	g.srv = httptest.NewServer(g.inFlight.wrap(server.New()))
	return g, nil
}

func (g *grader) close() { g.srv.Close() }

// grade runs one scenario under a key of its own and reads its verdict.
func (g *grader) grade(ctx context.Context, sc server.Scenario, do func(context.Context, Request) error) (Report, error) {
	key, err := newKey(sc.Name)
	if err != nil {
		return Report{}, err
	}
	req := Request{
		Scenario: sc.Name, Method: sc.Method, URL: g.srv.URL + strings.ReplaceAll(sc.Path, server.KeyPlaceholder, key),
		User: sc.User, Password: sc.Password, Key: key, Runs: max(sc.Runs, 1),
	}
	if sc.Body != "" {
		req.Body = []byte(sc.Body)
	}
	rep := Report{Scenario: sc, Key: key}
	for run := 1; run <= req.Runs; run++ {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		req.Run = run
		runCtx, cancel := context.WithTimeout(ctx, g.cfg.timeout)
		err := do(runCtx, req)
		cancel()
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		rep.Errors = append(rep.Errors, msg)
		// The server records an attempt when its handler returns, which
		// may come after the client has read the answer.
		g.inFlight.wait(ctx, settle)
	}
	sess, err := g.session(ctx, key)
	if err != nil {
		return rep, err
	}
	rep.Attempts, rep.Dropped = sess.Attempts, sess.Dropped
	rep.Verdict = verdict.Verdict{Findings: sess.Findings, Passed: sess.Passed}
	rep.Rules = rules(sc, rep.Verdict)
	return rep, nil
}

// settle bounds the wait for the server to finish the requests a client
// left, such as one it gave up on.
const settle = 2 * time.Second

// newKey returns a fresh key for a run of the scenario named.
func newKey(name string) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("a key for the run: %w", err)
	}
	return name + "-" + hex.EncodeToString(b[:]), nil
}

// session is the answer of GET /sessions/{key}.
type session struct {
	Attempts []verdict.Attempt `json:"attempts"`
	Dropped  int               `json:"dropped"`
	Findings []verdict.Result  `json:"findings"`
	Passed   []verdict.Result  `json:"passed"`
}

// session asks the server for the verdict on key's run. A key the server
// saw no request of has an empty run.
func (g *grader) session(ctx context.Context, key string) (session, error) {
	empty := session{Attempts: []verdict.Attempt{}, Findings: []verdict.Result{}, Passed: []verdict.Result{}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.srv.URL+"/sessions/"+key, nil)
	if err != nil {
		return empty, fmt.Errorf("asking for the verdict: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	res, err := g.srv.Client().Do(req)
	if err != nil {
		return empty, fmt.Errorf("asking for the verdict: %w", err)
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return empty, nil
	default:
		return empty, fmt.Errorf("asking for the verdict: GET /sessions/%s answered %s", key, res.Status)
	}
	s := empty
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		return empty, fmt.Errorf("reading the verdict: %w", err)
	}
	return s, nil
}

// rules returns the rules sc exercises, each with its outcome in v, then
// the other rules v finds broken.
func rules(sc server.Scenario, v verdict.Verdict) []Rule {
	find := func(rs []verdict.Result, id string) (verdict.Result, bool) {
		i := slices.IndexFunc(rs, func(r verdict.Result) bool { return r.ID == id })
		if i < 0 {
			return verdict.Result{}, false
		}
		return rs[i], true
	}
	var out []Rule
	for _, id := range sc.Rules {
		if r, ok := find(v.Findings, id); ok {
			out = append(out, Rule{Result: r, Outcome: Broken, Exercised: true})
		} else if r, ok := find(v.Passed, id); ok {
			out = append(out, Rule{Result: r, Outcome: Kept, Exercised: true})
		} else {
			out = append(out, Rule{Result: ruleOf(id), Outcome: NotApplied, Exercised: true})
		}
	}
	for _, f := range v.Findings {
		if !slices.Contains(sc.Rules, f.ID) {
			out = append(out, Rule{Result: f, Outcome: Broken})
		}
	}
	return out
}

// ruleOf returns the registry's rule id as a Result with no attempts.
func ruleOf(id string) verdict.Result {
	for _, r := range httpstatus.ClientRules() {
		if r.ID == id {
			return verdict.Result{ID: id, Level: r.Level.String(), Summary: r.Summary, Reference: r.Ref.String(), URL: r.Ref.URL, Attempts: []int{}}
		}
	}
	return verdict.Result{ID: id, Attempts: []int{}}
}

// inFlight counts the requests the server is handling, so that a grader
// can wait for their attempts to be recorded.
type inFlight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n falls to 0; replaced when it rises
}

func newInFlight() *inFlight {
	c := make(chan struct{})
	close(c)
	return &inFlight{idle: c}
}

func (f *inFlight) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if f.n == 0 {
			f.idle = make(chan struct{})
		}
		f.n++
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.n--
			if f.n == 0 {
				close(f.idle)
			}
			f.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// wait returns when no request is in flight, when ctx ends or after d.
func (f *inFlight) wait(ctx context.Context, d time.Duration) {
	f.mu.Lock()
	idle := f.idle
	f.mu.Unlock()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-idle:
	case <-ctx.Done():
	case <-timer.C:
	}
}
