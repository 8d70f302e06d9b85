package clienttest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/clienttest"
	"github.com/httpstatus/httpstatus/server"
	"github.com/httpstatus/httpstatus/verdict"
)

// recorder is a testing.TB that records what would fail the test, and
// what would be logged, instead of reporting it.
type recorder struct {
	testing.TB
	mu            sync.Mutex
	errors, fatal []string
	logs          []string
}

func (r *recorder) Helper() {}

func (r *recorder) add(to *[]string, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*to = append(*to, s)
}

func (r *recorder) Error(args ...any)                 { r.add(&r.errors, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) { r.add(&r.errors, fmt.Sprintf(format, args...)) }
func (r *recorder) Fatalf(format string, args ...any) { r.add(&r.fatal, fmt.Sprintf(format, args...)) }
func (r *recorder) Log(args ...any)                   { r.add(&r.logs, fmt.Sprint(args...)) }
func (r *recorder) Logf(format string, args ...any)   { r.add(&r.logs, fmt.Sprintf(format, args...)) }

// netHTTP makes the request with net/http's default client, which follows
// redirects by its default policy.
func netHTTP(ctx context.Context, r clienttest.Request) error {
	req, err := r.NewRequest(ctx)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

// naive follows redirects by hand, turning every one into a GET without
// content, as some clients do: it breaks the MUST NOT of 307 and 308.
// With method set, it keeps that method instead, and drops the content
// all the same, as curl -X POST does on 303.
func naive(method string) func(context.Context, clienttest.Request) error {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return func(ctx context.Context, r clienttest.Request) error {
		req, err := r.NewRequest(ctx)
		if err != nil {
			return err
		}
		for range 10 {
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			res.Body.Close()
			loc, err := res.Location()
			if err != nil {
				return nil // not a redirect
			}
			next := method
			if next == "" {
				next = http.MethodGet
			}
			if req, err = http.NewRequestWithContext(ctx, next, loc.String(), nil); err != nil {
				return err
			}
		}
		return errors.New("too many redirects")
	}
}

// TestNetHTTPClient grades net/http's default client on every scenario:
// it keeps every MUST and MUST NOT.
func TestNetHTTPClient(t *testing.T) {
	t.Parallel()
	clienttest.Run(t, netHTTP)
}

// TestRunCatchesBrokenMust runs a client that follows 307 with GET: the
// test fails with the rule, its level, its reference and the attempts.
func TestRunCatchesBrokenMust(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		scenario, rule, ref string
	}{
		{"post-307", verdict.RuleTemporaryRedirectSameMethod, "RFC 9110, section 15.4.8"},
		{"post-308", verdict.RulePermanentRedirectSameMethod, "RFC 9110, section 15.4.9"},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			clienttest.Run(rec, naive(""), clienttest.WithScenarios(tc.scenario))
			if len(rec.errors) != 1 {
				t.Fatalf("errors = %q, want one, on %s", rec.errors, tc.rule)
			}
			code := strings.TrimPrefix(tc.scenario, "post-")
			for _, want := range []string{
				tc.scenario + ": [" + tc.rule + "]", "a client MUST NOT change the method", tc.ref, "https://www.rfc-editor.org/rfc/rfc9110.html#section-",
				"followed " + code + " to POST with GET",
				"#0 POST /redirect/1?code=" + code + "&key={key} -> " + code, "#1 GET /200?key={key} -> 200",
			} {
				if !strings.Contains(rec.errors[0], want) {
					t.Errorf("the failure lacks %q:\n%s", want, rec.errors[0])
				}
			}
		})
	}
}

// TestRunShouldIsLogged runs a client that follows 303 with POST: a
// SHOULD, logged unless WithFailOnShould makes it fail.
func TestRunShouldIsLogged(t *testing.T) {
	t.Parallel()
	const want = "post-303: [" + verdict.RuleSeeOtherGET + "] a client SHOULD follow a 303"
	rec := &recorder{TB: t}
	clienttest.Run(rec, naive(http.MethodPost), clienttest.WithScenarios("post-303"))
	if len(rec.errors) != 0 {
		t.Errorf("a SHOULD failed the test: %q", rec.errors)
	}
	if !slices.ContainsFunc(rec.logs, func(l string) bool { return strings.Contains(l, want) }) {
		t.Errorf("logs %q lack %q", rec.logs, want)
	}

	strict := &recorder{TB: t}
	clienttest.Run(strict, naive(http.MethodPost), clienttest.WithScenarios("post-303"), clienttest.WithFailOnShould())
	if len(strict.errors) != 1 || !strings.Contains(strict.errors[0], want) || !strings.Contains(strict.errors[0], "RFC 9110, section 15.4.4") {
		t.Errorf("with WithFailOnShould, errors = %q, want one with %q and its reference", strict.errors, want)
	}
}

// TestRunBadUse covers an unknown scenario and a function that sends
// nothing: both fail the test with a message that says what to do.
func TestRunBadUse(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	called := false
	clienttest.Run(rec, func(context.Context, clienttest.Request) error { called = true; return nil },
		clienttest.WithScenarios("post-307", "post-999"))
	if called || len(rec.fatal) != 1 || !strings.Contains(rec.fatal[0], `unknown scenario "post-999"`) ||
		!strings.Contains(rec.fatal[0], "retry-after-503, retry-after-429") {
		t.Errorf("called %v, fatal = %q, want one naming post-999 and listing the scenarios", called, rec.fatal)
	}

	rec = &recorder{TB: t}
	clienttest.Run(rec, func(context.Context, clienttest.Request) error { return errors.New("no network") },
		clienttest.WithScenarios("post-307"))
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "the server saw no request") ||
		!strings.Contains(rec.errors[0], "POST /redirect/1?code=307&key=post-307-") {
		t.Errorf("errors = %q, want one saying no request came", rec.errors)
	}
	if !slices.ContainsFunc(rec.logs, func(l string) bool { return strings.Contains(l, "returned: no network") }) {
		t.Errorf("logs %q lack the function's error", rec.logs)
	}
}

// TestGrade checks the reports: the rules a scenario exercises, in its
// order, with their outcome, and a rule it does not exercise listed when
// broken.
func TestGrade(t *testing.T) {
	t.Parallel()
	// retrying sends every request again at once after a 503, and follows
	// no redirect.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	retrying := func(ctx context.Context, r clienttest.Request) error {
		for range 2 {
			req, err := r.NewRequest(ctx)
			if err != nil {
				return err
			}
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			res.Body.Close()
			if res.StatusCode != http.StatusServiceUnavailable {
				return nil
			}
		}
		return nil
	}
	reports, err := clienttest.Grade(t.Context(), retrying, clienttest.WithScenarios("post-503", "post-307"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 || reports[0].Scenario.Name != "post-503" || reports[1].Scenario.Name != "post-307" {
		t.Fatalf("reports of %v, want post-503 then post-307", reports)
	}
	type row struct {
		id        string
		outcome   clienttest.Outcome
		exercised bool
	}
	var got []row
	for _, r := range reports[0].Rules {
		got = append(got, row{r.ID, r.Outcome, r.Exercised})
	}
	want := []row{{verdict.RuleNoAutoRetryUnsafe, clienttest.Broken, true}, {verdict.RuleRetryAfterHonoured, clienttest.Broken, false}}
	if !slices.Equal(got, want) {
		t.Errorf("post-503 rules = %v, want %v", got, want)
	}
	if reports[0].Broke() || len(reports[0].Attempts) != 2 || reports[0].Errors[0] != "" {
		t.Errorf("post-503: broke %v, %d attempts, errors %q; want no MUST broken, 2 attempts, no error",
			reports[0].Broke(), len(reports[0].Attempts), reports[0].Errors)
	}

	// The 307 is not followed: neither rule applies, and each is listed
	// with what the registry says of it.
	for _, r := range reports[1].Rules {
		if r.Outcome != clienttest.NotApplied || !r.Exercised || r.Level == "" || r.Reference == "" || len(r.Attempts) != 0 {
			t.Errorf("post-307: %+v, want not applied, with its level and reference and no attempts", r)
		}
	}
	if len(reports[1].Rules) != 2 {
		t.Errorf("post-307: %d rules, want 2", len(reports[1].Rules))
	}
}

// TestGradeContext: the function is given a context that ends after the
// timeout, and Grade stops when its own context ends.
func TestGradeContext(t *testing.T) {
	t.Parallel()
	wait := func(ctx context.Context, r clienttest.Request) error {
		<-ctx.Done()
		return ctx.Err()
	}
	reports, err := clienttest.Grade(t.Context(), wait, clienttest.WithScenarios("revalidate-304"), clienttest.WithTimeout(time.Millisecond))
	if err != nil || len(reports) != 1 || len(reports[0].Errors) != 2 || !strings.Contains(reports[0].Errors[0], "deadline exceeded") {
		t.Errorf("reports %+v, err %v; want one with two deadline errors", reports, err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	reports, err = clienttest.Grade(ctx, func(context.Context, clienttest.Request) error { cancel(); return nil })
	if !errors.Is(err, context.Canceled) || len(reports) != 0 {
		t.Errorf("after cancel: %d reports, err %v; want none and context.Canceled", len(reports), err)
	}

	if _, err := clienttest.Grade(t.Context(), wait, clienttest.WithScenarios("nope")); !errors.Is(err, clienttest.ErrUnknownScenario) {
		t.Errorf("unknown scenario: err %v, want ErrUnknownScenario", err)
	}
}

// TestRequests checks what each scenario asks the function to send.
func TestRequests(t *testing.T) {
	t.Parallel()
	var got []clienttest.Request
	_, err := clienttest.Grade(t.Context(), func(ctx context.Context, r clienttest.Request) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scenarios := server.Scenarios()
	var i int
	for _, sc := range scenarios {
		for run := 1; run <= sc.Runs; run++ {
			r := got[i]
			i++
			u, err := url.Parse(r.URL)
			if err != nil || u.Hostname() != "127.0.0.1" || u.User != nil || u.RequestURI() != strings.ReplaceAll(sc.Path, server.KeyPlaceholder, r.Key) {
				t.Errorf("%s: URL %q, want the scenario's path on loopback under key %q, with no userinfo", sc.Name, r.URL, r.Key)
			}
			if r.Scenario != sc.Name || r.Method != sc.Method || string(r.Body) != sc.Body || (r.Body == nil) != (sc.Body == "") ||
				r.User != sc.User || r.Password != sc.Password || r.Run != run || r.Runs != sc.Runs {
				t.Errorf("%s: request %+v does not match the scenario %+v", sc.Name, r, sc)
			}
			req, err := r.NewRequest(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			user, password, ok := req.BasicAuth()
			if ok != (sc.User != "") || user != sc.User || password != sc.Password {
				t.Errorf("%s: NewRequest's credentials %q %q %v", sc.Name, user, password, ok)
			}
			if sc.Body != "" {
				body, err := req.GetBody()
				if err != nil {
					t.Fatal(err)
				}
				if b, _ := io.ReadAll(body); string(b) != sc.Body {
					t.Errorf("%s: GetBody gives %q, want %q", sc.Name, b, sc.Body)
				}
			}
		}
	}
	if i != len(got) {
		t.Errorf("%d calls, want %d", len(got), i)
	}
}
