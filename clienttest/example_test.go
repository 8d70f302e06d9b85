package clienttest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/clienttest"
)

// printer is a testing.TB that prints what a test would report, so that an
// example can show it; a real test passes its own t.
type printer struct{ testing.TB }

func (printer) Helper()                           {}
func (printer) Context() context.Context          { return context.Background() }
func (printer) Error(args ...any)                 { fmt.Println("FAIL", fmt.Sprint(args...)) }
func (printer) Errorf(format string, args ...any) { fmt.Println("FAIL", fmt.Sprintf(format, args...)) }
func (printer) Fatalf(format string, args ...any) { fmt.Println("FAIL", fmt.Sprintf(format, args...)) }
func (printer) Log(args ...any)                   { fmt.Println("LOG", fmt.Sprint(args...)) }
func (printer) Logf(format string, args ...any)   { fmt.Println("LOG", fmt.Sprintf(format, args...)) }

// send makes the request with client and reads the answer through.
func send(ctx context.Context, client *http.Client, r clienttest.Request) (*http.Response, error) {
	req, err := r.NewRequest(ctx)
	if err != nil {
		return nil, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res, err
}

// Grading net/http's default client, which follows redirects: it keeps
// the method and the content on 307, turns a POST into a GET on 303, and
// stops a redirect cycle after ten requests with an error, which Run logs.
// A test passes its own t; a MUST broken would print a FAIL line here.
func ExampleRun() {
	var t testing.TB = printer{}
	clienttest.Run(t, func(ctx context.Context, r clienttest.Request) error {
		_, err := send(ctx, http.DefaultClient, r)
		return err
	}, clienttest.WithScenarios("post-307", "post-303", "redirect-cycle"))
	// Output:
	// LOG post-307: kept temporary-redirect-same-method, redirect-same-content
	// LOG post-303: kept see-other-get
	// LOG redirect-cycle: call 1 of 1 returned: Get "/redirect-loop?key={key}": stopped after 10 redirects
	// LOG redirect-cycle: kept redirect-cycle-detected
}

// Grading a client wrapped in a retry loop: a GET or HEAD that meets 429
// or 503 is sent again, at most three times, after the delay Retry-After
// asks for; a POST is never repeated on its own. The scenarios check both.
func ExampleRun_retries() {
	retrying := func(ctx context.Context, r clienttest.Request) error {
		for attempt := 1; ; attempt++ {
			res, err := send(ctx, http.DefaultClient, r)
			if err != nil {
				return err
			}
			retryable := res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable
			idempotent := r.Method == http.MethodGet || r.Method == http.MethodHead
			seconds, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if !retryable || !idempotent || attempt > 3 || err != nil {
				return nil
			}
			select {
			case <-time.After(time.Duration(seconds) * time.Second):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	var t testing.TB = printer{}
	clienttest.Run(t, retrying, clienttest.WithScenarios("retry-after-429", "post-503"))
	// Output:
	// LOG retry-after-429: kept retry-after-honoured
	// LOG post-503: kept no-auto-retry-unsafe
}

// Grade returns the verdicts instead of reporting them to a test: here
// those of a client that never follows a redirect, to which the redirect
// rules do not apply.
func ExampleGrade() {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	reports, err := clienttest.Grade(context.Background(), func(ctx context.Context, r clienttest.Request) error {
		_, err := send(ctx, client, r)
		return err
	}, clienttest.WithScenarios("post-307", "auth-401"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rep := range reports {
		for _, rule := range rep.Rules {
			fmt.Printf("%s: %s %s, %s (%s)\n", rep.Scenario.Name, rule.ID, rule.Outcome, rule.Level, rule.Reference)
		}
		fmt.Println("  " + rep.AttemptLine(0))
	}
	// Output:
	// post-307: temporary-redirect-same-method not applied, MUST NOT (RFC 9110, section 15.4.8)
	// post-307: redirect-same-content not applied, SHOULD (RFC 9110, section 15.4)
	//   #0 POST /redirect/1?code=307&key={key} -> 307
	// auth-401: challenge-answered kept, MAY (RFC 9110, section 15.5.2)
	//   #0 GET /401?key={key}&user=grader&password=s3cret -> 200
}
