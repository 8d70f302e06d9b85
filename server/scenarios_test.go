package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/conform"
)

// The tests of the routes that remember: sequences, rate limits, redirect
// chains and the bounds of the memory. The resource has its own file
// (resource_test.go). Time never passes by itself in these tests: the
// windows and the idle limit are moved by a fake clock.

// fakeClock is a clock the tests move by hand. It starts an hour in the
// past, on a whole second, so that a Last-Modified it stamps is never
// later than the Date net/http sends.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Now().Add(-time.Hour).Truncate(time.Second).UnixNano())
	return c
}

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// startClocked is start with the server's clock replaced by clock before
// the first request can read it.
func startClocked(t *testing.T, clock *fakeClock, opts ...Option) (*Server, *httptest.Server, *http.Client) {
	t.Helper()
	s := New(opts...)
	if clock != nil {
		s.clock = clock.now
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return s, ts, c
}

// An answer is a response with its content read, and what the
// conformance checker found in it.
type answer struct {
	res      *http.Response
	body     []byte
	findings []conform.Finding
}

func (a answer) get(name string) string { return a.res.Header.Get(name) }

// conformErrors reports the error-level findings of a.
func (a answer) conformErrors() []string {
	var out []string
	for _, f := range a.findings {
		if f.Severity >= conform.SeverityError {
			out = append(out, f.String())
		}
	}
	return out
}

// send sends a request with the header fields given as name, value pairs
// and returns its answer, failing the test when there is none.
func send(t *testing.T, c *http.Client, method, target string, body io.Reader, header ...string) answer {
	t.Helper()
	a, err := trySend(c, method, target, body, header...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return a
}

func trySend(c *http.Client, method, target string, body io.Reader, header ...string) (answer, error) {
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return answer{}, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	findings := conform.Check(res)
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return answer{}, fmt.Errorf("reading the content: %w", err)
	}
	return answer{res: res, body: b, findings: findings}, nil
}

// wantProblem checks that a is a problem of status whose content
// mentions each of words.
func wantProblem(t *testing.T, what string, a answer, status int, words ...string) {
	t.Helper()
	if a.res.StatusCode != status {
		t.Errorf("%s: status %d, want %d (%s)", what, a.res.StatusCode, status, a.body)
		return
	}
	if ct := a.get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q, want a problem", what, ct)
	}
	for _, w := range words {
		if !strings.Contains(string(a.body), w) {
			t.Errorf("%s: the problem does not mention %q: %s", what, w, a.body)
		}
	}
}

// codeRange returns the codes from first to last, comma-separated.
func codeRange(first, last int) string {
	var b strings.Builder
	for c := first; c <= last; c++ {
		if c > first {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(c))
	}
	return b.String()
}

// ---- sequences ----

type seqStep struct {
	code int
	step string
}

func checkSteps(t *testing.T, c *http.Client, what string, targets []string, header []string, want []seqStep) {
	t.Helper()
	for i, target := range targets {
		a := send(t, c, "GET", target, nil, header...)
		if a.res.StatusCode != want[i].code || a.get("X-HttpStatus-Step") != want[i].step {
			t.Errorf("%s, request %d (%s): %d step %q, want %d step %q", what, i+1, target,
				a.res.StatusCode, a.get("X-HttpStatus-Step"), want[i].code, want[i].step)
		}
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestSequenceSteps(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	u := ts.URL

	t.Run("last repeats", func(t *testing.T) {
		t.Parallel()
		checkSteps(t, c, "503,503,200", repeat(u+"/sequence/503,503,200?key=k", 5), nil,
			[]seqStep{{503, "1/3"}, {503, "2/3"}, {200, "3/3"}, {200, "3/3"}, {200, "3/3"}})
	})
	t.Run("cycle", func(t *testing.T) {
		t.Parallel()
		checkSteps(t, c, "cycle", repeat(u+"/sequence/503,503,200?key=cy&cycle=true", 7), nil,
			[]seqStep{{503, "1/3"}, {503, "2/3"}, {200, "3/3"}, {503, "1/3"}, {503, "2/3"}, {200, "3/3"}, {503, "1/3"}})
	})
	t.Run("cycle by header", func(t *testing.T) {
		t.Parallel()
		checkSteps(t, c, "cycle header", repeat(u+"/sequence/500,200?key=cyh", 3), []string{"X-HttpStatus-Cycle", "true"},
			[]seqStep{{500, "1/2"}, {200, "2/2"}, {500, "1/2"}})
	})
	t.Run("separate keys", func(t *testing.T) {
		t.Parallel()
		a, b := u+"/sequence/500,501,502?key=sa", u+"/sequence/500,501,502?key=sb"
		checkSteps(t, c, "interleaved keys", []string{a, b, a, a, b}, nil,
			[]seqStep{{500, "1/3"}, {500, "1/3"}, {501, "2/3"}, {502, "3/3"}, {501, "2/3"}})
	})
	t.Run("separate lists", func(t *testing.T) {
		t.Parallel()
		a, b := u+"/sequence/500,501,502?key=sl", u+"/sequence/503,200?key=sl"
		checkSteps(t, c, "interleaved lists", []string{a, b, a, b, b, a}, nil,
			[]seqStep{{500, "1/3"}, {503, "1/2"}, {501, "2/3"}, {200, "2/2"}, {200, "2/2"}, {502, "3/3"}})
	})
	t.Run("header key", func(t *testing.T) {
		t.Parallel()
		target := u + "/sequence/500,501,502"
		a := send(t, c, "GET", target, nil, "X-HttpStatus-Key", "hk")
		if a.res.StatusCode != 500 || a.get("X-HttpStatus-Step") != "1/3" || a.get("X-HttpStatus-Key") != "hk" {
			t.Errorf("header key: %d step %q key %q, want 500 step 1/3 key hk", a.res.StatusCode, a.get("X-HttpStatus-Step"), a.get("X-HttpStatus-Key"))
		}
		// The query names the same run.
		a = send(t, c, "GET", target+"?key=hk", nil)
		if a.res.StatusCode != 501 || a.get("X-HttpStatus-Step") != "2/3" || a.get("X-HttpStatus-Key") != "hk" {
			t.Errorf("query key after header key: %d step %q key %q, want 501 step 2/3 key hk", a.res.StatusCode, a.get("X-HttpStatus-Step"), a.get("X-HttpStatus-Key"))
		}
		a = send(t, c, "GET", target, nil, "X-HttpStatus-Key", "hk")
		if a.res.StatusCode != 502 || a.get("X-HttpStatus-Step") != "3/3" {
			t.Errorf("header key again: %d step %q, want 502 step 3/3", a.res.StatusCode, a.get("X-HttpStatus-Step"))
		}
	})
	t.Run("the answer names the key", func(t *testing.T) {
		t.Parallel()
		a := send(t, c, "GET", u+"/sequence/204?key=Named.key_1~", nil)
		if a.res.StatusCode != 204 || a.get("X-HttpStatus-Key") != "Named.key_1~" {
			t.Errorf("%d key %q, want 204 key Named.key_1~", a.res.StatusCode, a.get("X-HttpStatus-Key"))
		}
	})
	t.Run("100 codes", func(t *testing.T) {
		t.Parallel()
		list := codeRange(500, 599)
		checkSteps(t, c, "100 codes", repeat(u+"/sequence/"+list+"?key=hundred", 2), nil,
			[]seqStep{{500, "1/100"}, {501, "2/100"}})
	})
	t.Run("redirect step keeps the key", func(t *testing.T) {
		t.Parallel()
		a := send(t, c, "GET", u+"/sequence/302,200?key=rs", nil)
		if a.res.StatusCode != 302 || a.get("Location") != "/status/200?key=rs" {
			t.Errorf("%d Location %q, want 302 /status/200?key=rs", a.res.StatusCode, a.get("Location"))
		}
	})
}

// TestSequenceWithoutKey checks that requests without a key are keyed by
// the client's address, without its port: two connections share a run.
func TestSequenceWithoutKey(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	for i, want := range []seqStep{{500, "1/3"}, {501, "2/3"}, {502, "3/3"}} {
		// A client of its own for each request: a new connection, from a
		// new port.
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		a := send(t, c, "GET", ts.URL+"/sequence/500,501,502", nil)
		if a.res.StatusCode != want.code || a.get("X-HttpStatus-Step") != want.step {
			t.Errorf("request %d: %d step %q, want %d step %q", i+1, a.res.StatusCode, a.get("X-HttpStatus-Step"), want.code, want.step)
		}
		if k := a.get("X-HttpStatus-Key"); k != "addr:127.0.0.1" {
			t.Errorf("request %d: X-HttpStatus-Key %q, want addr:127.0.0.1", i+1, k)
		}
	}
}

// TestSequenceControlsOnEveryStep checks that the existing controls apply
// to each step.
func TestSequenceControlsOnEveryStep(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	// A bare number is milliseconds (docs/server.md), so two seconds is 2s.
	target := ts.URL + "/sequence/503,503,200?key=ctl&retry-after=2s&header=X-A:1&delay=1ms"
	for i, want := range []seqStep{{503, "1/3"}, {503, "2/3"}, {200, "3/3"}, {200, "3/3"}} {
		a := send(t, c, "GET", target, nil)
		if a.res.StatusCode != want.code || a.get("X-HttpStatus-Step") != want.step {
			t.Errorf("request %d: %d step %q, want %d step %q", i+1, a.res.StatusCode, a.get("X-HttpStatus-Step"), want.code, want.step)
		}
		if a.get("X-A") != "1" {
			t.Errorf("request %d: X-A %q, want 1", i+1, a.get("X-A"))
		}
		if want.code == 503 && a.get("Retry-After") != "2" {
			t.Errorf("request %d: Retry-After %q, want 2", i+1, a.get("Retry-After"))
		}
	}

	// A fault closes the connection, and the step it took is still counted.
	// A fresh connection for each request: net/http retries a request that
	// failed on a reused one, which would count twice.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	list := ts.URL + "/sequence/500,501,502,503?key=fault"
	if res, err := fresh.Get(list + "&fault=before-headers"); err == nil {
		res.Body.Close()
		t.Fatalf("fault=before-headers: got %d, want the connection closed", res.StatusCode)
	}
	a := send(t, fresh, "GET", list, nil)
	if a.res.StatusCode != 501 || a.get("X-HttpStatus-Step") != "2/4" {
		t.Errorf("after a fault: %d step %q, want 501 step 2/4 (the faulted request took step 1)", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
	if _, err := trySend(fresh, "GET", list+"&fault=after-headers", nil); err == nil {
		t.Errorf("fault=after-headers: the response arrived whole, want it cut")
	}
	a = send(t, fresh, "GET", list, nil)
	if a.res.StatusCode != 503 || a.get("X-HttpStatus-Step") != "4/4" {
		t.Errorf("after a second fault: %d step %q, want 503 step 4/4 (the faulted request took step 3)", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
}

func TestSequenceBadInput(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		path  string
		words []string // the problem mentions them
	}{
		{"/sequence/100,200", nil},
		{"/sequence/101", nil},
		{"/sequence/200,103", nil},
		{"/sequence/199", nil},
		{"/sequence/", nil},
		{"/sequence/600", nil},
		{"/sequence/99", nil},
		{"/sequence/200,abc", nil},
		{"/sequence/200,,200", nil},
		{"/sequence/200,", nil},
		{"/sequence/" + codeRange(500, 599) + ",200", nil}, // 101 codes
		{"/sequence/503?code=301", []string{"code"}},
		{"/sequence/503?absolute=true", []string{"absolute"}},
		{"/sequence/503?size=10", []string{"size"}},
		{"/sequence/503?require-precondition=true", []string{"require-precondition"}},
		{"/sequence/503?key=bad:key", []string{"key"}},
		{"/sequence/503?key=" + strings.Repeat("k", 65), []string{"key"}},
	}
	for _, tt := range tests {
		a := send(t, c, "GET", ts.URL+tt.path, nil)
		wantProblem(t, "GET "+clipPath(tt.path), a, http.StatusBadRequest, tt.words...)
	}
	a := send(t, c, "GET", ts.URL+"/sequence/503", nil, "X-HttpStatus-Code", "301")
	wantProblem(t, "X-HttpStatus-Code on /sequence", a, http.StatusBadRequest, "code")
}

func clipPath(p string) string {
	if len(p) > 60 {
		return p[:60] + "..."
	}
	return p
}

// TestSequenceParallel sends more requests than the list has codes, all at
// once, under one key: every step is taken by exactly one request, and the
// rest get the last code.
func TestSequenceParallel(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	const n, clients = 100, 200
	target := ts.URL + "/sequence/" + codeRange(500, 500+n-1) + "?key=parallel"
	var (
		mu    sync.Mutex
		codes = map[int]int{}
		steps = map[string]int{}
		wg    sync.WaitGroup
	)
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := trySend(c, "GET", target, nil)
			if err != nil {
				errs <- err
				return
			}
			step := a.get("X-HttpStatus-Step")
			i, _, _ := strings.Cut(step, "/")
			if k, err := strconv.Atoi(i); err != nil || a.res.StatusCode != 500+k-1 {
				errs <- fmt.Errorf("code %d with step %q", a.res.StatusCode, step)
			}
			mu.Lock()
			codes[a.res.StatusCode]++
			steps[step]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for code := 500; code < 500+n-1; code++ {
		if codes[code] != 1 {
			t.Errorf("code %d answered %d times, want once", code, codes[code])
		}
		if k := strconv.Itoa(code-500+1) + "/" + strconv.Itoa(n); steps[k] != 1 {
			t.Errorf("step %s taken %d times, want once", k, steps[k])
		}
	}
	if last := 500 + n - 1; codes[last] != clients-n+1 {
		t.Errorf("the last code %d answered %d times, want %d", last, codes[last], clients-n+1)
	}
}

// TestSequenceBounds checks the bound on the sequences one key runs.
func TestSequenceBounds(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for i := range maxSequencesPerKey {
		a := send(t, c, "GET", ts.URL+"/sequence/200,"+strconv.Itoa(200+i+1)+"?key=many", nil)
		if a.res.StatusCode != 200 {
			t.Fatalf("sequence %d: %d, want 200", i+1, a.res.StatusCode)
		}
	}
	a := send(t, c, "GET", ts.URL+"/sequence/500,200?key=many", nil)
	wantProblem(t, "one sequence too many", a, http.StatusBadRequest, "DELETE /sessions/")
	// The ones it runs go on.
	a = send(t, c, "GET", ts.URL+"/sequence/200,201?key=many", nil)
	if a.res.StatusCode != 201 || a.get("X-HttpStatus-Step") != "2/2" {
		t.Errorf("a sequence the key runs: %d step %q, want 201 2/2", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
}

// ---- rate limits ----

// rateFieldsOf reads r and t of a RateLimit field value.
func rateFieldsOf(v string) (r, tt int, ok bool) {
	rest, found := strings.CutPrefix(v, `"default";`)
	if !found {
		return 0, 0, false
	}
	var err1, err2 error
	for p := range strings.SplitSeq(rest, ";") {
		name, value, _ := strings.Cut(p, "=")
		switch name {
		case "r":
			r, err1 = strconv.Atoi(value)
		case "t":
			tt, err2 = strconv.Atoi(value)
		}
	}
	return r, tt, err1 == nil && err2 == nil
}

func TestRateLimitWindow(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, ts, c := startClocked(t, clock)
	target := ts.URL + "/200?key=rl&rate-limit=5/10s"
	check := func(what string, wantCode int, wantRate, wantRetry string) {
		t.Helper()
		a := send(t, c, "GET", target, nil)
		if a.res.StatusCode != wantCode {
			t.Errorf("%s: %d, want %d", what, a.res.StatusCode, wantCode)
		}
		if p := a.get("RateLimit-Policy"); p != `"default";q=5;w=10` {
			t.Errorf("%s: RateLimit-Policy %q, want \"default\";q=5;w=10", what, p)
		}
		if r := a.get("RateLimit"); r != wantRate {
			t.Errorf("%s: RateLimit %q, want %q", what, r, wantRate)
		}
		if ra := a.get("Retry-After"); ra != wantRetry {
			t.Errorf("%s: Retry-After %q, want %q", what, ra, wantRetry)
		}
		if a.res.StatusCode == 429 {
			_, tt, ok := rateFieldsOf(a.get("RateLimit"))
			if !ok || a.get("Retry-After") != strconv.Itoa(tt) {
				t.Errorf("%s: Retry-After %q and RateLimit %q disagree", what, a.get("Retry-After"), a.get("RateLimit"))
			}
		}
	}
	for i := 1; i <= 5; i++ {
		check(fmt.Sprintf("request %d", i), 200, fmt.Sprintf(`"default";r=%d;t=10`, 5-i), "")
	}
	check("request 6", 429, `"default";r=0;t=10`, "10")
	check("request 7", 429, `"default";r=0;t=10`, "10")
	clock.advance(500 * time.Millisecond) // 9.5s left: rounded up
	check("9.5s left", 429, `"default";r=0;t=10`, "10")
	clock.advance(8*time.Second + 300*time.Millisecond) // 1.2s left
	check("1.2s left", 429, `"default";r=0;t=2`, "2")
	clock.advance(time.Second) // 0.2s left
	check("0.2s left", 429, `"default";r=0;t=1`, "1")
	clock.advance(200 * time.Millisecond) // the window's end: the next opens
	check("the next window", 200, `"default";r=4;t=10`, "")
	clock.advance(3 * time.Second)
	check("3s into the next window", 200, `"default";r=3;t=7`, "")
	// A window opens at the first request after the last one ended, not
	// on a grid: 25s later, a full window from then.
	clock.advance(25 * time.Second)
	check("a later window", 200, `"default";r=4;t=10`, "")
}

func TestRateLimitFields(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	start := clock.now() // a whole second
	_, ts, c := startClocked(t, clock)
	reset := strconv.FormatInt(start.Unix()+10, 10)

	a := send(t, c, "GET", ts.URL+"/200?key=x1&rate-limit=5/10s&rate-limit-fields=x-ratelimit", nil)
	if a.get("X-RateLimit-Limit") != "5" || a.get("X-RateLimit-Remaining") != "4" || a.get("X-RateLimit-Reset") != reset {
		t.Errorf("x-ratelimit: Limit %q Remaining %q Reset %q, want 5, 4, %s", a.get("X-RateLimit-Limit"), a.get("X-RateLimit-Remaining"), a.get("X-RateLimit-Reset"), reset)
	}
	if a.get("RateLimit") != "" || a.get("RateLimit-Policy") != "" {
		t.Errorf("x-ratelimit: RateLimit %q RateLimit-Policy %q, want neither", a.get("RateLimit"), a.get("RateLimit-Policy"))
	}

	a = send(t, c, "GET", ts.URL+"/200?key=x2&rate-limit=5/10s&rate-limit-fields=both", nil)
	if a.get("X-RateLimit-Limit") != "5" || a.get("X-RateLimit-Remaining") != "4" || a.get("X-RateLimit-Reset") != reset ||
		a.get("RateLimit") != `"default";r=4;t=10` || a.get("RateLimit-Policy") != `"default";q=5;w=10` {
		t.Errorf("both: %v", a.res.Header)
	}
	a = send(t, c, "GET", ts.URL+"/200?key=x3&rate-limit=5/10s&rate-limit-fields=ietf", nil)
	if a.get("X-RateLimit-Limit") != "" || a.get("RateLimit") != `"default";r=4;t=10` {
		t.Errorf("ietf: %v", a.res.Header)
	}

	// The end of a window that is not on a whole second is rounded up.
	clock.advance(300 * time.Millisecond)
	a = send(t, c, "GET", ts.URL+"/200?key=x4&rate-limit=1/10s&rate-limit-fields=x-ratelimit", nil)
	if want := strconv.FormatInt(start.Unix()+11, 10); a.get("X-RateLimit-Reset") != want || a.get("X-RateLimit-Remaining") != "0" {
		t.Errorf("reset of a window ending at .3s: Reset %q Remaining %q, want %s, 0", a.get("X-RateLimit-Reset"), a.get("X-RateLimit-Remaining"), want)
	}
	a = send(t, c, "GET", ts.URL+"/200?key=x4&rate-limit=1/10s&rate-limit-fields=x-ratelimit", nil)
	if a.res.StatusCode != 429 || a.get("Retry-After") != "10" || a.get("X-RateLimit-Remaining") != "0" {
		t.Errorf("x-ratelimit 429: %d Retry-After %q Remaining %q, want 429, 10, 0", a.res.StatusCode, a.get("Retry-After"), a.get("X-RateLimit-Remaining"))
	}

	// The header form of the controls.
	a = send(t, c, "GET", ts.URL+"/204", nil, "X-HttpStatus-Key", "x5", "X-HttpStatus-Rate-Limit", "2/1m", "X-HttpStatus-Rate-Limit-Fields", "both")
	if a.res.StatusCode != 204 || a.get("RateLimit-Policy") != `"default";q=2;w=60` || a.get("X-RateLimit-Limit") != "2" {
		t.Errorf("header controls: %d %v", a.res.StatusCode, a.res.Header)
	}
}

// TestRateLimitParallel sends many requests at once under one key.
func TestRateLimitParallel(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	const limit, clients = 37, 100
	target := ts.URL + "/200?key=par&rate-limit=37/1h"
	var (
		mu       sync.Mutex
		allowed  int
		limited  int
		left     = map[int]int{}
		wg       sync.WaitGroup
		failures []string
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := trySend(c, "GET", target, nil)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err.Error())
				return
			}
			r, _, ok := rateFieldsOf(a.get("RateLimit"))
			switch {
			case !ok:
				failures = append(failures, "RateLimit "+a.get("RateLimit"))
			case a.res.StatusCode == 429:
				limited++
				if r != 0 {
					failures = append(failures, "429 with "+a.get("RateLimit"))
				}
			case a.res.StatusCode == 200:
				allowed++
				left[r]++
			default:
				failures = append(failures, "status "+a.res.Status)
			}
		}()
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if allowed != limit || limited != clients-limit {
		t.Errorf("%d answered as asked and %d 429, want %d and %d", allowed, limited, limit, clients-limit)
	}
	for r := range limit {
		if left[r] != 1 {
			t.Errorf("r=%d sent %d times, want once", r, left[r])
		}
	}
}

func TestRateLimitBadValues(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for _, v := range []string{"5", "0/10s", "5/0s", "5/1.5s", "5/25h", "x/10s", "-1/10s", "1000001/1s", "5/", "/10s", "5/10q", "5/500ms"} {
		a := send(t, c, "GET", ts.URL+"/200?rate-limit="+url.QueryEscape(v), nil)
		wantProblem(t, "rate-limit="+v, a, http.StatusBadRequest, "rate-limit")
		a = send(t, c, "GET", ts.URL+"/200", nil, "X-HttpStatus-Rate-Limit", v)
		wantProblem(t, "X-HttpStatus-Rate-Limit: "+v, a, http.StatusBadRequest)
	}
	a := send(t, c, "GET", ts.URL+"/200?rate-limit=5/10s&rate-limit-fields=draft", nil)
	wantProblem(t, "rate-limit-fields=draft", a, http.StatusBadRequest, "rate-limit-fields")
	// The limits of the policy are accepted.
	for _, v := range []string{"1/1s", "1000000/24h", "5/10", "5/1m"} {
		if a := send(t, c, "GET", ts.URL+"/200?key=ok&rate-limit="+v, nil); a.res.StatusCode != 200 {
			t.Errorf("rate-limit=%s: %d, want 200 (%s)", v, a.res.StatusCode, a.body)
		}
	}
}

// TestRateLimitEveryRoute checks that the rate limit applies to the new
// routes as to the others.
func TestRateLimitEveryRoute(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for _, tt := range []struct{ method, path string }{
		{"GET", "/404"},
		{"GET", "/status/500"},
		{"GET", "/random/500,501"},
		{"GET", "/sequence/500,200"},
		{"GET", "/redirect/3"},
		{"GET", "/redirect-loop"},
		{"GET", "/redirect-loop/1"},
		{"GET", "/resource"},
		{"HEAD", "/resource/named"},
		{"PUT", "/resource/put"},
		{"DELETE", "/resource/del"},
	} {
		key := "every" + strconv.Itoa(len(tt.path)) + strings.NewReplacer("/", "", ",", "").Replace(tt.path)
		target := ts.URL + tt.path + "?rate-limit=1/1h&key=" + key
		first := send(t, c, tt.method, target, nil)
		if first.res.StatusCode == 429 || first.get("RateLimit") != `"default";r=0;t=3600` {
			t.Errorf("%s %s, first: %d RateLimit %q, want the answer asked for with r=0;t=3600", tt.method, tt.path, first.res.StatusCode, first.get("RateLimit"))
		}
		second := send(t, c, tt.method, target, nil)
		if second.res.StatusCode != 429 || second.get("Retry-After") != "3600" || second.get("RateLimit") != `"default";r=0;t=3600` {
			t.Errorf("%s %s, second: %d Retry-After %q RateLimit %q, want 429, 3600, r=0;t=3600", tt.method, tt.path, second.res.StatusCode, second.get("Retry-After"), second.get("RateLimit"))
		}
		if tt.method != "HEAD" && !strings.Contains(second.get("Content-Type"), "problem") {
			t.Errorf("%s %s, second: Content-Type %q, want a problem", tt.method, tt.path, second.get("Content-Type"))
		}
	}
}

// TestRateLimitDoesNotAdvanceSequence checks that a request refused by
// the rate limit does not take a step.
func TestRateLimitDoesNotAdvanceSequence(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, ts, c := startClocked(t, clock)
	target := ts.URL + "/sequence/500,501,502?key=rls&rate-limit=1/10s"
	want := []seqStep{{500, "1/3"}, {429, ""}, {429, ""}}
	for i, w := range want {
		a := send(t, c, "GET", target, nil)
		if a.res.StatusCode != w.code || a.get("X-HttpStatus-Step") != w.step {
			t.Errorf("request %d: %d step %q, want %d step %q", i+1, a.res.StatusCode, a.get("X-HttpStatus-Step"), w.code, w.step)
		}
	}
	clock.advance(10 * time.Second)
	a := send(t, c, "GET", target, nil)
	if a.res.StatusCode != 501 || a.get("X-HttpStatus-Step") != "2/3" {
		t.Errorf("after the window: %d step %q, want 501 step 2/3: the 429s took no step", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
}

// TestRateLimitBounds checks the bound on the policies one key uses.
func TestRateLimitBounds(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for i := range maxWindowsPerKey {
		a := send(t, c, "GET", ts.URL+"/200?key=pol&rate-limit="+strconv.Itoa(i+1)+"/1h", nil)
		if a.res.StatusCode != 200 {
			t.Fatalf("policy %d: %d, want 200", i+1, a.res.StatusCode)
		}
	}
	a := send(t, c, "GET", ts.URL+"/200?key=pol&rate-limit=100/1h", nil)
	wantProblem(t, "one policy too many", a, http.StatusBadRequest)
}

// ---- redirects ----

func TestRedirectChain(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	host := strings.TrimPrefix(ts.URL, "http://")

	t.Run("relative", func(t *testing.T) {
		t.Parallel()
		next := "/redirect/3?key=a"
		for _, want := range []string{"/redirect/2?key=a", "/redirect/1?key=a", "/200?key=a"} {
			a := send(t, c, "GET", ts.URL+next, nil)
			if a.res.StatusCode != 302 || a.get("Location") != want {
				t.Fatalf("GET %s: %d Location %q, want 302 %s", next, a.res.StatusCode, a.get("Location"), want)
			}
			next = want
		}
		if a := send(t, c, "GET", ts.URL+next, nil); a.res.StatusCode != 200 {
			t.Errorf("GET %s: %d, want 200", next, a.res.StatusCode)
		}
		if a := send(t, c, "GET", ts.URL+"/redirect/0", nil); a.res.StatusCode != 200 {
			t.Errorf("GET /redirect/0: %d, want 200", a.res.StatusCode)
		}
		if a := send(t, c, "GET", ts.URL+"/redirect/1", nil); a.get("Location") != "/200" {
			t.Errorf("GET /redirect/1 without key: Location %q, want /200", a.get("Location"))
		}
	})

	t.Run("code and absolute", func(t *testing.T) {
		t.Parallel()
		// Every hop is a 307 to an absolute URL of this host; the hops to
		// redirect routes keep key, code and absolute, and the last hop
		// goes to /200 with the key, which then answers 200.
		next := ts.URL + "/redirect/3?key=a&code=307&absolute=true"
		for i := range 3 {
			a := send(t, c, "GET", next, nil)
			loc := a.get("Location")
			if a.res.StatusCode != 307 {
				t.Fatalf("hop %d, GET %s: %d, want 307", i+1, next, a.res.StatusCode)
			}
			u, err := url.Parse(loc)
			if err != nil || !u.IsAbs() || u.Host != host {
				t.Errorf("hop %d: Location %q, want an absolute URL of %s", i+1, loc, host)
			} else if q := u.Query(); q.Get("key") != "a" {
				t.Errorf("hop %d: Location %q lost the key", i+1, loc)
			} else if i < 2 && (q.Get("code") != "307" || q.Get("absolute") != "true") {
				t.Errorf("hop %d: Location %q, want code=307 and absolute=true kept", i+1, loc)
			}
			ref, err := url.Parse(next)
			if err != nil {
				t.Fatal(err)
			}
			next = ref.ResolveReference(u).String()
		}
		if a := send(t, c, "GET", next, nil); a.res.StatusCode != 200 {
			t.Errorf("the end of the chain, GET %s: %d, want 200 (%s)", next, a.res.StatusCode, a.body)
		}
	})

	t.Run("each code", func(t *testing.T) {
		t.Parallel()
		for _, code := range []int{301, 302, 303, 307, 308} {
			a := send(t, c, "GET", ts.URL+"/redirect/2?code="+strconv.Itoa(code), nil)
			want := "/redirect/1?code=" + strconv.Itoa(code)
			if a.res.StatusCode != code || a.get("Location") != want {
				t.Errorf("code=%d: %d Location %q, want %d %s", code, a.res.StatusCode, a.get("Location"), code, want)
			}
		}
		a := send(t, c, "GET", ts.URL+"/redirect/2", nil, "X-HttpStatus-Code", "308", "X-HttpStatus-Key", "hdr")
		if a.res.StatusCode != 308 || a.get("Location") != "/redirect/1?key=hdr&code=308" {
			t.Errorf("header controls: %d Location %q, want 308 /redirect/1?key=hdr&code=308", a.res.StatusCode, a.get("Location"))
		}
		a = send(t, c, "GET", ts.URL+"/redirect/2?retry-after=3s", nil)
		if a.res.StatusCode != 302 || a.get("Retry-After") != "3" {
			t.Errorf("retry-after=3s: %d Retry-After %q, want 302 3", a.res.StatusCode, a.get("Retry-After"))
		}
	})

	t.Run("followed", func(t *testing.T) {
		t.Parallel()
		for _, q := range []string{"", "?key=f", "?code=307&absolute=true", "?code=308&key=g", "?code=303&absolute=true&key=h"} {
			hops := 0
			fc := &http.Client{Transport: c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
				hops++
				return nil
			}}
			a := send(t, fc, "GET", ts.URL+"/redirect/3"+q, nil)
			if a.res.StatusCode != 200 || hops != 3 {
				t.Errorf("/redirect/3%s followed: %d after %d hops at %s, want 200 after 3", q, a.res.StatusCode, hops, a.res.Request.URL)
			}
		}
	})
}

func TestRedirectLoop(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for _, target := range []string{"/redirect-loop", "/redirect-loop?key=lp", "/redirect-loop?key=lp&code=307", "/redirect-loop?code=301"} {
		a := send(t, c, "GET", ts.URL+target, nil)
		if a.res.StatusCode/100 != 3 || a.get("Location") != target {
			t.Errorf("GET %s: %d Location %q, want a redirect to itself", target, a.res.StatusCode, a.get("Location"))
		}
	}
	a := send(t, c, "GET", ts.URL+"/redirect-loop?absolute=true", nil)
	if want := ts.URL + "/redirect-loop?absolute=true"; a.get("Location") != want {
		t.Errorf("absolute loop: Location %q, want %s", a.get("Location"), want)
	}
	for _, tt := range []struct{ path, want string }{
		{"/redirect-loop/5", "/redirect-loop/6"},
		{"/redirect-loop/0", "/redirect-loop/1"},
		{"/redirect-loop/5?key=lp", "/redirect-loop/6?key=lp"},
		{"/redirect-loop/5?code=308", "/redirect-loop/6?code=308"},
	} {
		a := send(t, c, "GET", ts.URL+tt.path, nil)
		if a.res.StatusCode/100 != 3 || a.get("Location") != tt.want {
			t.Errorf("GET %s: %d Location %q, want a redirect to %s", tt.path, a.res.StatusCode, a.get("Location"), tt.want)
		}
	}
	// Go's client stops after 10 redirects, on both loops.
	for _, target := range []string{"/redirect-loop", "/redirect-loop/0"} {
		gc := &http.Client{Transport: c.Transport}
		res, err := gc.Get(ts.URL + target)
		if err == nil {
			res.Body.Close()
			t.Errorf("GET %s followed: %d, want the client's too-many-redirects error", target, res.StatusCode)
		} else if !strings.Contains(err.Error(), "stopped after 10 redirects") {
			t.Errorf("GET %s followed: %v, want stopped after 10 redirects", target, err)
		}
	}
}

func TestRedirectBadInput(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	_, ts5, c5 := start(t, WithLimits(Limits{MaxRedirects: 5}))
	for _, p := range []string{
		"/redirect/101", "/redirect/-1", "/redirect/abc", "/redirect/1e3", "/redirect/+3", "/redirect/99999999999999999999",
		"/redirect/3?code=304", "/redirect/3?code=300", "/redirect/3?code=200", "/redirect/3?code=abc",
		"/redirect-loop?code=304", "/redirect-loop/1?code=305",
		"/redirect-loop/-1", "/redirect-loop/x", "/redirect-loop/2147483648",
		"/redirect/3?location=/x", "/redirect/3?cycle=true", "/redirect/3?size=3", "/redirect-loop?user=u",
	} {
		wantProblem(t, "GET "+p, send(t, c, "GET", ts.URL+p, nil), http.StatusBadRequest)
	}
	if a := send(t, c, "GET", ts.URL+"/redirect/100", nil); a.res.StatusCode != 302 {
		t.Errorf("/redirect/100: %d, want 302 (the default limit is 100)", a.res.StatusCode)
	}
	wantProblem(t, "/redirect/6 over MaxRedirects 5", send(t, c5, "GET", ts5.URL+"/redirect/6", nil), http.StatusBadRequest)
	if a := send(t, c5, "GET", ts5.URL+"/redirect/5", nil); a.res.StatusCode != 302 {
		t.Errorf("/redirect/5 with MaxRedirects 5: %d, want 302", a.res.StatusCode)
	}
}

// TestRedirectDefaultTargets checks that the default Location of the 3xx
// codes keeps the key, and that a location the request names is sent as
// named.
func TestRedirectDefaultTargets(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for _, tt := range []struct {
		path   string
		header []string
		want   string
	}{
		{"/302?key=z", nil, "/200?key=z"},
		{"/status/302?key=z", nil, "/status/200?key=z"},
		{"/301?key=z", nil, "/200?key=z"},
		{"/status/307?key=z", nil, "/status/200?key=z"},
		{"/random/303?key=z", nil, "/status/200?key=z"},
		{"/302", []string{"X-HttpStatus-Key", "hk"}, "/200?key=hk"},
		{"/302?location=/x", nil, "/x"},
		{"/302?key=z&location=/x", nil, "/x"},
		{"/status/308?key=z&location=/x%3Fa%3D1", nil, "/x?a=1"},
	} {
		a := send(t, c, "GET", ts.URL+tt.path, nil, tt.header...)
		if a.get("Location") != tt.want {
			t.Errorf("GET %s: Location %q, want %s", tt.path, a.get("Location"), tt.want)
		}
	}
}

// ---- memory ----

func TestMemoryMaxKeys(t *testing.T) {
	t.Parallel()
	s, ts, c := start(t, WithLimits(Limits{MaxKeys: 10}))
	const keys = 1000
	for i := range keys {
		if a := send(t, c, "GET", ts.URL+"/sequence/500,200?key=k"+strconv.Itoa(i), nil); a.res.StatusCode != 500 {
			t.Fatalf("key %d: %d, want 500", i, a.res.StatusCode)
		}
	}
	m := s.Memory()
	if m.Keys > 10 || m.Evicted < keys-10 {
		t.Errorf("after %d keys: %+v, want at most 10 keys and at least %d evicted", keys, m, keys-10)
	}
	// The most recent key is remembered: its sequence goes on.
	last := ts.URL + "/sequence/500,200?key=k" + strconv.Itoa(keys-1)
	if a := send(t, c, "GET", last, nil); a.res.StatusCode != 200 || a.get("X-HttpStatus-Step") != "2/2" {
		t.Errorf("the most recent key: %d step %q, want 200 step 2/2", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
	// The first was forgotten: its sequence starts over.
	if a := send(t, c, "GET", ts.URL+"/sequence/500,200?key=k0", nil); a.res.StatusCode != 500 || a.get("X-HttpStatus-Step") != "1/2" {
		t.Errorf("the first key: %d step %q, want 500 step 1/2", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
	// Least recently used, not least recently created: a key used again
	// survives newer keys.
	send(t, c, "GET", ts.URL+"/sequence/500,200?key=keep", nil)
	for i := range 20 {
		send(t, c, "GET", ts.URL+"/sequence/500,200?key=n"+strconv.Itoa(i), nil)
		if i%5 == 0 {
			send(t, c, "GET", ts.URL+"/200?key=keep&rate-limit=100/1h", nil) // a use of the key
		}
	}
	if a := send(t, c, "GET", ts.URL+"/sequence/500,200?key=keep", nil); a.get("X-HttpStatus-Step") != "2/2" {
		t.Errorf("a key in use: step %q, want 2/2 (it was evicted though recently used)", a.get("X-HttpStatus-Step"))
	}
}

func TestMemoryMaxBytes(t *testing.T) {
	t.Parallel()
	const maxBody, maxMemory = 4096, 16384
	s, ts, c := start(t, WithLimits(Limits{MaxBody: maxBody, MaxMemory: maxMemory, MaxKeys: 1000}))
	content := strings.Repeat("x", 4000)
	// The content stays within MaxMemory; the key's own bookkeeping of
	// its resources and of the record of its attempts comes on top, as
	// the Limits doc says.
	bound := int64(maxMemory + costSession + maxResourcesPerKey*(costResource+64) + maxResourcesPerKey*(costAttempt+128)) // the bound, one resource more, and its overhead
	for i := range 100 {
		a := send(t, c, "PUT", ts.URL+"/resource?key=b"+strconv.Itoa(i), strings.NewReader(content))
		if a.res.StatusCode != 204 {
			t.Fatalf("PUT %d: %d, want 204 (%s)", i, a.res.StatusCode, a.body)
		}
		if m := s.Memory(); m.Bytes > bound {
			t.Fatalf("after %d resources of %d bytes: %d bytes held, over %d", i+1, len(content), m.Bytes, bound)
		}
	}
	if m := s.Memory(); m.Keys >= 100 || m.Evicted == 0 {
		t.Errorf("%+v: want keys forgotten to stay within %d bytes", m, maxMemory)
	}
	// The most recent resource is there, whole.
	a := send(t, c, "GET", ts.URL+"/resource?key=b99", nil)
	if a.res.StatusCode != 200 || string(a.body) != content {
		t.Errorf("the most recent resource: %d, %d bytes, want 200 and the %d bytes put", a.res.StatusCode, len(a.body), len(content))
	}
}

// TestMemoryMaxBytesOneKey checks the byte bound when the bytes are held
// by one key: Limits.MaxMemory says it bounds the bytes the keys hold
// together, their resources included.
func TestMemoryMaxBytesOneKey(t *testing.T) {
	t.Parallel()
	const maxBody, maxMemory = 4096, 8192
	s, ts, c := start(t, WithLimits(Limits{MaxBody: maxBody, MaxMemory: maxMemory}))
	content := strings.Repeat("y", 4000)
	// The content stays within MaxMemory; the key's own bookkeeping of
	// its resources and of the record of its attempts comes on top, as
	// the Limits doc says.
	bound := int64(maxMemory + costSession + maxResourcesPerKey*(costResource+64) + maxResourcesPerKey*(costAttempt+128))
	for i := range maxResourcesPerKey {
		a := send(t, c, "PUT", ts.URL+"/resource/r"+strconv.Itoa(i)+"?key=one", strings.NewReader(content))
		if a.res.StatusCode/100 != 2 && a.res.StatusCode != 507 && a.res.StatusCode != 413 {
			t.Fatalf("PUT %d: %d (%s)", i, a.res.StatusCode, a.body)
		}
	}
	if m := s.Memory(); m.Bytes > bound {
		t.Errorf("one key with %d resources of %d bytes: %d bytes held, want at most MaxMemory %d and the key's bookkeeping (%d)",
			maxResourcesPerKey, len(content), m.Bytes, maxMemory, bound)
	}
}

func TestMemoryKeyIdle(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s, ts, c := startClocked(t, clock, WithLimits(Limits{KeyIdle: time.Minute}))
	target := ts.URL + "/sequence/500,501,502?key=idle"
	step := func(what string, want seqStep) {
		t.Helper()
		a := send(t, c, "GET", target, nil)
		if a.res.StatusCode != want.code || a.get("X-HttpStatus-Step") != want.step {
			t.Errorf("%s: %d step %q, want %d step %q", what, a.res.StatusCode, a.get("X-HttpStatus-Step"), want.code, want.step)
		}
	}
	step("first", seqStep{500, "1/3"})
	clock.advance(time.Minute) // idle for exactly the limit: still remembered
	step("after a minute", seqStep{501, "2/3"})
	clock.advance(time.Minute + time.Millisecond)
	step("after more than a minute", seqStep{500, "1/3"})

	// An expired key is dropped when another key is used, and DELETE
	// does not find it.
	send(t, c, "GET", ts.URL+"/sequence/500,200?key=gone", nil)
	clock.advance(2 * time.Minute)
	send(t, c, "GET", ts.URL+"/sequence/500,200?key=other", nil)
	if m := s.Memory(); m.Keys != 1 {
		t.Errorf("after the others expired: %d keys, want 1", m.Keys)
	}
	if a := send(t, c, "DELETE", ts.URL+"/sessions/gone", nil); a.res.StatusCode != 404 {
		t.Errorf("DELETE an expired key: %d, want 404", a.res.StatusCode)
	}
	// The window of a rate limit and the resource start over too.
	rl := ts.URL + "/200?key=idle2&rate-limit=1/1h"
	send(t, c, "GET", rl, nil)
	if a := send(t, c, "GET", rl, nil); a.res.StatusCode != 429 {
		t.Fatalf("second request: %d, want 429", a.res.StatusCode)
	}
	clock.advance(time.Minute + time.Second)
	if a := send(t, c, "GET", rl, nil); a.res.StatusCode != 200 {
		t.Errorf("after the key expired: %d, want 200", a.res.StatusCode)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	seq := ts.URL + "/sequence/500,501?key=k"
	send(t, c, "GET", seq, nil)
	if a := send(t, c, "GET", seq, nil); a.res.StatusCode != 501 {
		t.Fatalf("second step: %d, want 501", a.res.StatusCode)
	}
	a := send(t, c, "DELETE", ts.URL+"/sessions/k", nil)
	if a.res.StatusCode != 204 || len(a.body) != 0 {
		t.Errorf("DELETE /sessions/k: %d with %d bytes, want 204 and no content", a.res.StatusCode, len(a.body))
	}
	if a := send(t, c, "GET", seq, nil); a.res.StatusCode != 500 || a.get("X-HttpStatus-Step") != "1/2" {
		t.Errorf("after DELETE: %d step %q, want 500 step 1/2", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
	wantProblem(t, "DELETE /sessions/unknown", send(t, c, "DELETE", ts.URL+"/sessions/unknown", nil), http.StatusNotFound)
	send(t, c, "DELETE", ts.URL+"/sessions/k", nil)
	wantProblem(t, "DELETE /sessions/k again", send(t, c, "DELETE", ts.URL+"/sessions/k", nil), http.StatusNotFound)

	for _, m := range []string{"POST", "PUT", "PATCH"} {
		a := send(t, c, m, ts.URL+"/sessions/k", nil)
		if a.res.StatusCode != 405 || !strings.Contains(a.get("Allow"), "DELETE") {
			t.Errorf("%s /sessions/k: %d Allow %q, want 405 with DELETE allowed", m, a.res.StatusCode, a.get("Allow"))
		}
	}
	if a := send(t, c, "OPTIONS", ts.URL+"/sessions/k", nil); a.res.StatusCode != 204 || !strings.Contains(a.get("Allow"), "DELETE") {
		t.Errorf("OPTIONS /sessions/k: %d Allow %q, want 204 with DELETE", a.res.StatusCode, a.get("Allow"))
	}
	for _, p := range []string{"/sessions/bad%20key", "/sessions/a:b", "/sessions/" + strings.Repeat("k", 65), "/sessions/addr:", "/sessions/addr:host.example"} {
		wantProblem(t, "DELETE "+clipPath(p), send(t, c, "DELETE", ts.URL+p, nil), http.StatusBadRequest)
	}

	// The key of requests that name none is the address, and it can be
	// forgotten by that name.
	send(t, c, "GET", ts.URL+"/sequence/500,501", nil)
	if a := send(t, c, "GET", ts.URL+"/sequence/500,501", nil); a.res.StatusCode != 501 {
		t.Fatalf("second step by address: %d, want 501", a.res.StatusCode)
	}
	if a := send(t, c, "DELETE", ts.URL+"/sessions/addr:127.0.0.1", nil); a.res.StatusCode != 204 {
		t.Errorf("DELETE /sessions/addr:127.0.0.1: %d, want 204 (%s)", a.res.StatusCode, a.body)
	}
	if a := send(t, c, "GET", ts.URL+"/sequence/500,501", nil); a.res.StatusCode != 500 {
		t.Errorf("after DELETE of the address key: %d, want 500", a.res.StatusCode)
	}
	// A DELETE forgets the resource and the rate limit too.
	send(t, c, "DELETE", ts.URL+"/resource?key=all", nil)
	send(t, c, "GET", ts.URL+"/200?key=all&rate-limit=1/1h", nil)
	send(t, c, "DELETE", ts.URL+"/sessions/all", nil)
	if a := send(t, c, "GET", ts.URL+"/resource?key=all", nil); a.res.StatusCode != 200 {
		t.Errorf("the resource after DELETE /sessions/all: %d, want 200 (created again)", a.res.StatusCode)
	}
	if a := send(t, c, "GET", ts.URL+"/200?key=all&rate-limit=1/1h", nil); a.res.StatusCode != 200 {
		t.Errorf("the rate limit after DELETE /sessions/all: %d, want 200 (a new window)", a.res.StatusCode)
	}
}

// TestMemoryFlood invents keys from many goroutines at once: the memory
// stays within its bounds, and so does the heap.
func TestMemoryFlood(t *testing.T) {
	t.Parallel()
	// Both bounds bind: 500 keys of a few hundred bytes each, and one key
	// in five holding a resource of 3000 bytes it wrote.
	const maxKeys, maxMemory, keys, workers = 500, 256 << 10, 20_000, 16
	s := New(WithLimits(Limits{MaxKeys: maxKeys, MaxMemory: maxMemory, MaxBody: 64 << 10}))
	written := strings.Repeat("w", 3000)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	var next atomic.Int64
	var wg sync.WaitGroup
	var overKeys, overBytes atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= keys {
					return
				}
				method, target := "GET", ""
				var body io.Reader
				switch i % 5 {
				case 0:
					target = "/sequence/200,500?key=f" + strconv.FormatInt(i, 10)
				case 1:
					target = "/200?rate-limit=5/1h&key=f" + strconv.FormatInt(i, 10)
				case 2:
					target = "/resource?size=4096&key=f" + strconv.FormatInt(i, 10)
				case 3:
					target = "/sequence/200,500" // keyed by a new address
				case 4:
					method, target, body = "PUT", "/resource?key=f"+strconv.FormatInt(i, 10), strings.NewReader(written)
				}
				req := httptest.NewRequest(method, target, body)
				req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1234", i>>16&255, i>>8&255, i&255)
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code >= 400 {
					t.Errorf("%s %s: %d %s", method, target, w.Code, w.Body)
					return
				}
				if m := s.Memory(); m.Keys > maxKeys {
					overKeys.Add(1)
				} else if m.Bytes > maxMemory {
					overBytes.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	m := s.Memory()
	if m.Keys > maxKeys || m.Bytes > maxMemory || overKeys.Load() > 0 || overBytes.Load() > 0 {
		t.Errorf("%+v after %d keys; seen over MaxKeys %d times, over MaxMemory %d times; want at most %d keys and %d bytes",
			m, keys, overKeys.Load(), overBytes.Load(), maxKeys, maxMemory)
	}
	if m.Evicted < keys-maxKeys {
		t.Errorf("%d keys evicted, want at least %d", m.Evicted, keys-maxKeys)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Errorf("the heap grew by %d MiB after a flood of %d keys", grew>>20, keys)
	}
}

// ---- conformance ----

// TestMemoryConform checks every kind of answer of the new routes with the
// conformance checker: no error-level finding.
func TestMemoryConform(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	u := ts.URL
	fresh := &http.Client{Transport: c.Transport, CheckRedirect: c.CheckRedirect}
	type probe struct {
		name, method, path string
		body               string
		header             []string
		want               int
	}
	var etag string
	probes := []probe{
		{"sequence step 1", "GET", "/sequence/503,429,302,304,200?key=cf&retry-after=1", "", nil, 503},
		{"sequence step 2", "GET", "/sequence/503,429,302,304,200?key=cf&retry-after=1", "", nil, 429},
		{"sequence step 3", "GET", "/sequence/503,429,302,304,200?key=cf&retry-after=1", "", nil, 302},
		{"sequence step 4", "GET", "/sequence/503,429,302,304,200?key=cf&retry-after=1", "", nil, 304},
		{"sequence step 5", "GET", "/sequence/503,429,302,304,200?key=cf&retry-after=1", "", nil, 200},
		{"sequence HEAD", "HEAD", "/sequence/503,200?key=cfh", "", nil, 503},
		{"sequence 206", "GET", "/sequence/206?key=cf2", "", []string{"Range", "bytes=0-9,20-29"}, 206},
		{"rate limited ok", "GET", "/200?key=cfr&rate-limit=1/1h&rate-limit-fields=both", "", nil, 200},
		{"rate limited 429", "GET", "/200?key=cfr&rate-limit=1/1h&rate-limit-fields=both", "", nil, 429},
		{"rate limited HEAD 429", "HEAD", "/200?key=cfr&rate-limit=1/1h", "", nil, 429},
		{"redirect hop", "GET", "/redirect/2?key=cfd", "", nil, 302},
		{"redirect hop 308 absolute", "GET", "/redirect/2?code=308&absolute=true", "", nil, 308},
		{"redirect end", "GET", "/redirect/0", "", nil, 200},
		{"redirect loop", "GET", "/redirect-loop?code=301", "", nil, 301},
		{"redirect loop index", "GET", "/redirect-loop/7?code=303", "", nil, 303},
		{"redirect 400", "GET", "/redirect/101", "", nil, 400},
		{"sessions 204", "DELETE", "/sessions/cf", "", nil, 204},
		{"sessions 404", "DELETE", "/sessions/cf", "", nil, 404},
		{"sessions 405", "POST", "/sessions/cf", "", nil, 405},
		{"resource 200", "GET", "/resource?key=cfres", "", nil, 200},
		{"resource HEAD", "HEAD", "/resource?key=cfres", "", nil, 200},
		{"resource 206", "GET", "/resource?key=cfres", "", []string{"Range", "bytes=0-9"}, 206},
		{"resource 206 multipart", "GET", "/resource?key=cfres", "", []string{"Range", "bytes=0-9,100-199,-5"}, 206},
		{"resource 416", "GET", "/resource?key=cfres", "", []string{"Range", "bytes=2000-3000"}, 416},
		{"resource 304", "GET", "/resource?key=cfres&cache-control=max-age%3D60", "", []string{"If-None-Match", "{etag}"}, 304},
		{"resource HEAD 304", "HEAD", "/resource?key=cfres", "", []string{"If-None-Match", "*"}, 304},
		{"resource 412 GET", "GET", "/resource?key=cfres", "", []string{"If-Match", `"stale"`}, 412},
		{"resource 412 PUT", "PUT", "/resource?key=cfres", "new", []string{"If-Match", `"stale"`}, 412},
		{"resource 428", "PUT", "/resource?key=cfres&require-precondition=true", "new", nil, 428},
		{"resource 204 PUT", "PUT", "/resource?key=cfres", "new", []string{"If-Match", "{etag}", "Content-Type", "text/plain"}, 204},
		{"resource 204 PATCH", "PATCH", "/resource?key=cfres", "+more", nil, 204},
		{"resource 204 DELETE", "DELETE", "/resource?key=cfres", "", nil, 204},
		{"resource 404", "GET", "/resource?key=cfres", "", nil, 404},
		{"resource 404 DELETE", "DELETE", "/resource?key=cfres", "", nil, 404},
		{"resource 201", "PUT", "/resource?key=cfres", "again", []string{"Content-Type", "application/json"}, 201},
		{"resource 409", "GET", "/resource?key=cfres&size=7", "", nil, 409},
		{"resource 405", "POST", "/resource?key=cfres", "", nil, 405},
		{"resource OPTIONS", "OPTIONS", "/resource?key=cfres", "", nil, 204},
		{"resource 413", "PUT", "/resource?key=cfres", strings.Repeat("z", 1<<20+1), nil, 413},
		{"resource 400 name", "GET", "/resource/bad%20name", "", nil, 400},
		{"resource 429", "GET", "/resource?key=cfres2&rate-limit=1/1h", "", nil, 200},
		{"resource 429", "GET", "/resource?key=cfres2&rate-limit=1/1h", "", nil, 429},
	}
	for _, p := range probes {
		header := append([]string(nil), p.header...)
		for i := range header {
			if header[i] == "{etag}" {
				header[i] = etag
			}
		}
		var body io.Reader
		if p.body != "" {
			body = strings.NewReader(p.body)
		}
		a := send(t, fresh, p.method, u+p.path, body, header...)
		if a.res.StatusCode != p.want {
			t.Errorf("%s: %s %s: %d, want %d (%s)", p.name, p.method, p.path, a.res.StatusCode, p.want, a.body)
		}
		for _, f := range a.conformErrors() {
			t.Errorf("%s: %s %s: %d: conformance: %s", p.name, p.method, p.path, a.res.StatusCode, f)
		}
		if tag := a.get("ETag"); tag != "" && strings.HasPrefix(p.path, "/resource?key=cfres") {
			etag = tag
		}
	}
}

// TestSequenceRefusedTakesNoStep checks that a request refused with a 400
// takes no step (docs/server.md: a step is taken when the request is
// admitted).
func TestSequenceRefusedTakesNoStep(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithLimits(Limits{MaxDelay: time.Second}))
	list := ts.URL + "/sequence/500,501,502?key=refused"
	for _, bad := range []string{
		"&location=%2F%2Fevil.example",   // a target that fails the check
		"&location=http://evil.example/", // a host off the allow-list
		"&delay=2s",                      // over MaxDelay
		"&header=Connection:close",       // a field that may not be set
	} {
		wantProblem(t, "GET "+bad, send(t, c, "GET", list+bad, nil), http.StatusBadRequest)
	}
	if a := send(t, c, "GET", list, nil); a.res.StatusCode != 500 || a.get("X-HttpStatus-Step") != "1/3" {
		t.Errorf("after refused requests: %d step %q, want 500 step 1/3", a.res.StatusCode, a.get("X-HttpStatus-Step"))
	}
}

// TestRateLimitAnsweredAtOnce checks that a rate-limited request gets its
// 429 with none of its faults (docs/server.md).
func TestRateLimitAnsweredAtOnce(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	target := ts.URL + "/503?key=atonce&rate-limit=1/1h&fault=before-headers"
	if res, err := fresh.Get(target); err == nil {
		res.Body.Close()
		t.Fatalf("the first request: %d, want the connection closed by the fault", res.StatusCode)
	}
	a := send(t, fresh, "GET", target, nil)
	if a.res.StatusCode != 429 || a.get("Retry-After") != "3600" {
		t.Errorf("the second request: %d Retry-After %q, want 429 3600, without the fault", a.res.StatusCode, a.get("Retry-After"))
	}
	// Keyed by the address when the request names no key.
	a = send(t, fresh, "GET", ts.URL+"/200?rate-limit=1/1h", nil)
	b := send(t, fresh, "GET", ts.URL+"/200?rate-limit=1/1h", nil)
	if a.res.StatusCode != 200 || b.res.StatusCode != 429 || b.get("X-HttpStatus-Key") != "addr:127.0.0.1" {
		t.Errorf("without a key: %d then %d key %q, want 200 then 429 for addr:127.0.0.1", a.res.StatusCode, b.res.StatusCode, b.get("X-HttpStatus-Key"))
	}
}

// TestRedirectLoopIsItself checks that /redirect-loop sends the client
// back to the very URL it asked for, whatever the order of its query or
// however it named its key: a true cycle, which a client detects by the
// URL at the first hop.
func TestRedirectLoopIsItself(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for _, tt := range []struct {
		target string
		header []string
	}{
		{"/redirect-loop?code=307&key=a", nil},
		{"/redirect-loop?absolute=true&key=a", nil},
		{"/redirect-loop", []string{"X-HttpStatus-Key", "hk"}},
	} {
		a := send(t, c, "GET", ts.URL+tt.target, nil, tt.header...)
		base, _ := url.Parse(ts.URL + tt.target)
		loc, err := url.Parse(a.get("Location"))
		if err != nil || base.ResolveReference(loc).String() != base.String() {
			t.Errorf("GET %s %v: Location %q, want the request's own URL", tt.target, tt.header, a.get("Location"))
		}
	}
}

// TestSequenceEveryCode takes a step of every final code: each answer is
// the code, with its step, whatever branch of the pipeline answers it.
func TestSequenceEveryCode(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	for code := 200; code <= 599; code++ {
		if code == 444 {
			continue // closes the connection
		}
		target := ts.URL + "/sequence/" + strconv.Itoa(code) + ",200?key=every" + strconv.Itoa(code)
		a := send(t, c, "GET", target, nil)
		if a.res.StatusCode != code || a.get("X-HttpStatus-Step") != "1/2" || a.get("X-HttpStatus-Key") != "every"+strconv.Itoa(code) {
			t.Errorf("/sequence/%d,200: %d step %q key %q, want %d step 1/2", code, a.res.StatusCode, a.get("X-HttpStatus-Step"), a.get("X-HttpStatus-Key"), code)
		}
		for _, f := range a.conformErrors() {
			t.Errorf("/sequence/%d,200: conformance: %s", code, f)
		}
	}
}

// TestRateLimitFieldsOnEveryAnswer checks that every answer to a request
// counted under a rate limit carries its fields, the refusals that come
// after the count included.
func TestRateLimitFieldsOnEveryAnswer(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithLimits(Limits{MaxBody: 1024}))
	big := func() io.Reader { return io.MultiReader(strings.NewReader(strings.Repeat("b", 2000))) } // chunked
	for _, tt := range []struct {
		name, method, path string
		body               func() io.Reader
		want               int
	}{
		{"a body over the limit on /200", "POST", "/200?key=rf1&rate-limit=5/1h", big, 413},
		{"a body over the limit on /resource", "PUT", "/resource?key=rf2&rate-limit=5/1h", big, 413},
		{"a conflict on /resource", "GET", "/resource?key=rf3&rate-limit=5/1h&size=7", nil, 200},
		{"a conflict on /resource", "GET", "/resource?key=rf3&rate-limit=5/1h&size=8", nil, 409},
		{"a 412 on /resource", "GET", "/resource?key=rf3&rate-limit=5/1h", nil, 412},
	} {
		var body io.Reader
		if tt.body != nil {
			body = tt.body()
		}
		header := []string{}
		if tt.want == 412 {
			header = []string{"If-Match", `"stale"`}
		}
		a := send(t, c, tt.method, ts.URL+tt.path, body, header...)
		if a.res.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, a.res.StatusCode, tt.want)
		}
		if r, _, ok := rateFieldsOf(a.get("RateLimit")); !ok || a.get("RateLimit-Policy") != `"default";q=5;w=3600` {
			t.Errorf("%s: %d RateLimit %q RateLimit-Policy %q, want the fields of the policy (r=%d)", tt.name, a.res.StatusCode, a.get("RateLimit"), a.get("RateLimit-Policy"), r)
		}
	}
	// A sequence refused because the key runs too many, after the count.
	for i := range maxSequencesPerKey {
		send(t, c, "GET", ts.URL+"/sequence/200,"+strconv.Itoa(201+i)+"?key=rf4", nil)
	}
	a := send(t, c, "GET", ts.URL+"/sequence/500,200?key=rf4&rate-limit=5/1h", nil)
	if a.res.StatusCode != 400 || a.get("RateLimit") == "" {
		t.Errorf("one sequence too many under a rate limit: %d RateLimit %q, want 400 with the rate-limit fields", a.res.StatusCode, a.get("RateLimit"))
	}
}

// TestMemoryAccounting runs every kind of change on a few keys, then
// forgets them: the bytes charged come back to zero, so no change leaks or
// double-counts.
func TestMemoryAccounting(t *testing.T) {
	t.Parallel()
	s, ts, c := start(t)
	for _, k := range []string{"acc1", "acc2", "an-other-longer-key"} {
		u := ts.URL
		steps := []struct {
			method, path, body string
			header             []string
		}{
			{"GET", "/sequence/500,200?key=" + k, "", nil},
			{"GET", "/sequence/500,200,201?key=" + k, "", nil},
			{"GET", "/sequence/500,200?key=" + k, "", nil},
			{"GET", "/200?rate-limit=5/1h&key=" + k, "", nil},
			{"GET", "/200?rate-limit=6/1h&key=" + k, "", nil},
			{"GET", "/resource?key=" + k, "", nil},
			{"GET", "/resource/n1?size=100&type=text/csv&key=" + k, "", nil},
			{"PUT", "/resource?key=" + k, "hello", []string{"Content-Type", "text/plain"}},
			{"PATCH", "/resource?key=" + k, " world", nil},
			{"PUT", "/resource?key=" + k, "x", []string{"If-Match", `"stale"`}},
			{"PUT", "/resource/n2?key=" + k, strings.Repeat("y", 3000), nil},
			{"DELETE", "/resource/n2?key=" + k, "", nil},
			{"DELETE", "/resource/n2?key=" + k, "", nil},
			{"PUT", "/resource/n2?key=" + k, "back", nil},
			{"DELETE", "/resource/n1?key=" + k, "", nil},
			{"GET", "/resource?key=" + k + "&size=3", "", nil},
		}
		for _, st := range steps {
			var body io.Reader
			if st.body != "" {
				body = strings.NewReader(st.body)
			}
			send(t, c, st.method, u+st.path, body, st.header...)
		}
	}
	if m := s.Memory(); m.Keys != 3 || m.Bytes <= 0 {
		t.Fatalf("%+v, want 3 keys holding some bytes", m)
	}
	for _, k := range []string{"acc1", "acc2", "an-other-longer-key"} {
		if a := send(t, c, "DELETE", ts.URL+"/sessions/"+k, nil); a.res.StatusCode != 204 {
			t.Errorf("DELETE /sessions/%s: %d", k, a.res.StatusCode)
		}
	}
	if m := s.Memory(); m != (MemoryStats{}) {
		t.Errorf("after every key was forgotten: %+v, want no keys, no bytes, none evicted", m)
	}
}

// TestSessionsRefuseControls: /sessions/{key} takes no control, and the
// controls documentation says a route refuses the controls it does not
// take with a 400 rather than ignore them.
func TestSessionsRefuseControls(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	send(t, c, "GET", ts.URL+"/sequence/500,200?key=sr", nil)
	a := send(t, c, "DELETE", ts.URL+"/sessions/sr?rate-limit=1/1h", nil)
	if a.res.StatusCode != 400 {
		t.Errorf("DELETE /sessions/sr?rate-limit=1/1h: %d, want 400 (a control the route does not take)", a.res.StatusCode)
	}
}

// TestMemoryOneResourceAlwaysFits: Limits.MaxMemory is raised to MaxBody
// when lower, "so that one resource always fits". A resource of MaxBody
// bytes is then accepted, by PUT and by PATCH.
func TestMemoryOneResourceAlwaysFits(t *testing.T) {
	t.Parallel()
	for _, mem := range []int64{1024, 4096} { // lower than MaxBody, and equal
		_, ts, c := start(t, WithLimits(Limits{MaxBody: 4096, MaxMemory: mem}))
		a := send(t, c, "PUT", ts.URL+"/resource?key=fits", strings.NewReader(strings.Repeat("f", 4096)))
		if a.res.StatusCode != 204 {
			t.Errorf("MaxMemory %d, MaxBody 4096: PUT of 4096 bytes: %d (%s), want 204", mem, a.res.StatusCode, a.body)
		}
		a = send(t, c, "PUT", ts.URL+"/resource/p?key=fits2", strings.NewReader(strings.Repeat("f", 2048)))
		b := send(t, c, "PATCH", ts.URL+"/resource/p?key=fits2", strings.NewReader(strings.Repeat("g", 2048)))
		if a.res.StatusCode/100 != 2 || b.res.StatusCode != 204 {
			t.Errorf("MaxMemory %d, MaxBody 4096: PUT then PATCH to 4096 bytes: %d, %d (%s), want 2xx and 204", mem, a.res.StatusCode, b.res.StatusCode, b.body)
		}
		if g := send(t, c, "GET", ts.URL+"/resource/p?key=fits2", nil); b.res.StatusCode == 204 && len(g.body) != 4096 {
			t.Errorf("MaxMemory %d: GET after the PATCH: %d bytes, want 4096", mem, len(g.body))
		}
	}
}
