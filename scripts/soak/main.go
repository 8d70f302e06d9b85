// Command soak sends a bounded, random mix of requests to a running
// "httpstatus serve" for a given time, and checks that the server gives back
// what the load took: scripts/soak.sh builds and starts the server and runs
// it. The mix covers the status routes with random codes and lists, every
// kind of control (delays, slow bodies, faults, extra fields, Retry-After, no
// content), in the query and in request headers, HEAD, request bodies
// (sized, chunked, with Expect: 100-continue, over the body limit), clients
// that leave early, and a few web reference and operational requests.
//
// It reads the server's /metrics before the load (after a warm-up, so that
// what the server builds on first use is in the baseline) and after it (once
// the server has had -settle to wind down), and prints the requests sent,
// their outcomes by kind, and the server's goroutines, resident memory, heap
// in use and open files at each point. It exits 1 when the goroutines are
// not back within -goroutine-slack of the baseline, when the resident memory
// grew by more than -max-rss-growth, or (unless -fail-on-errors=false) when
// a request failed in a way the mix did not ask for (a connection cut
// without a fault, a timeout); 2 when it cannot reach the server.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18097", "the server's address")
	duration := flag.Duration("duration", 2*time.Minute, "how long the load runs")
	workers := flag.Int("workers", 32, "requests in flight at once")
	maxRequests := flag.Int64("max-requests", 5_000_000, "most requests sent, whatever the duration")
	warmUp := flag.Duration("warm-up", 3*time.Second, "load before the baseline is read")
	settle := flag.Duration("settle", 10*time.Second, "longest wait, after the load, for the goroutines to come back")
	slack := flag.Int("goroutine-slack", 10, "goroutines over the baseline still counted as back")
	maxGrowth := flag.Int64("max-rss-growth", 16<<20, "most `bytes` the resident memory may grow from the baseline")
	report := flag.Duration("report", 30*time.Second, "interval of the progress lines")
	failOnErrors := flag.Bool("fail-on-errors", true, "exit 1 when a request fails in a way the mix did not ask for, as well as on a leak")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed of the mix (printed, to repeat a run)")
	flag.Parse()

	// However the server behaves, the run ends.
	hardStop := *warmUp + *duration + *settle + time.Minute
	time.AfterFunc(hardStop, func() {
		fmt.Fprintf(os.Stderr, "soak: still running after %v; giving up\n", hardStop)
		os.Exit(2)
	})

	base := "http://" + *addr
	tr := &http.Transport{MaxIdleConnsPerHost: *workers, DisableCompression: true, ExpectContinueTimeout: time.Second}
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// The scrapes go on a connection of their own, closed after each, so that
	// they hold no server goroutine between them.
	scraper := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

	start, err := scrape(scraper, base)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	fmt.Printf("soak: %s, %d workers, for %v after a %v warm-up, seed %d\n", base, *workers, *duration, *warmUp, *seed)

	var warm tally
	rn := &runner{client: client, base: base, conns: &connLog{last: map[net.Conn]*use{}}}
	load(rn, *workers, time.Now().Add(*warmUp), *maxRequests, *seed^0x5eed, &warm)
	tr.CloseIdleConnections()
	baseline, err := settled(scraper, base, nil, 0, 2*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}

	var t tally
	began := time.Now()
	done := make(chan struct{})
	go progress(scraper, base, &t, began, *report, done)
	load(rn, *workers, began.Add(*duration), *maxRequests, *seed, &t)
	close(done)
	elapsed := time.Since(began)
	under, _ := scrape(scraper, base) // with the load's connections still open
	tr.CloseIdleConnections()
	after, err := settled(scraper, base, &baseline, *slack, *settle)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}

	fmt.Printf("\n%d requests in %v (%.0f a second), %d in the warm-up\n", t.total.Load(), elapsed.Round(time.Millisecond),
		float64(t.total.Load())/elapsed.Seconds(), warm.total.Load())
	t.print(os.Stdout)
	fmt.Printf("\n%-30s %12s %12s %12s %12s %12s\n", "server", "goroutines", "resident", "heap in use", "open files", "keys held")
	for _, row := range []struct {
		name string
		m    metrics
	}{{"at start", start}, {"baseline, after the warm-up", baseline}, {"as the load ended", under}, {"after the load and settling", after}} {
		fmt.Printf("%-30s %12.0f %10.1f Mi %10.1f Mi %12.0f %10.1f Mi\n", row.name, row.m["go_goroutines"],
			row.m["process_resident_memory_bytes"]/(1<<20), row.m["go_memstats_heap_inuse_bytes"]/(1<<20), row.m["process_open_fds"],
			row.m["httpstatus_keys_bytes"]/(1<<20))
	}

	var failures []string
	if g, b := after["go_goroutines"], baseline["go_goroutines"]; g > b+float64(*slack) {
		failures = append(failures, fmt.Sprintf("goroutines leak: %.0f after settling, baseline %.0f (slack %d)", g, b, *slack))
	}
	if growth := after["process_resident_memory_bytes"] - baseline["process_resident_memory_bytes"]; growth > float64(*maxGrowth) {
		failures = append(failures, fmt.Sprintf("resident memory grew by %.1f MiB, more than the bound of %.1f MiB",
			growth/(1<<20), float64(*maxGrowth)/(1<<20)))
	}
	if w := after["httpstatus_requests_waiting"]; w != 0 {
		failures = append(failures, fmt.Sprintf("%.0f requests still counted as waiting", w))
	}
	if n := t.unexpected(); n > 0 {
		msg := fmt.Sprintf("%d requests failed in ways the mix did not ask for", n)
		if !*failOnErrors {
			fmt.Printf("\n%s (not a failure: -fail-on-errors=false)\n", msg)
		} else {
			failures = append(failures, msg)
		}
	}
	if len(failures) > 0 {
		fmt.Println()
		for _, f := range failures {
			fmt.Println("FAIL:", f)
		}
		os.Exit(1)
	}
	fmt.Printf("\nok: goroutines back within %d of the baseline, resident memory within %.0f MiB of it\n", *slack, float64(*maxGrowth)/(1<<20))
}

// load runs workers until the deadline or until max requests have been
// sent in all, counting the outcomes into t.
func load(rn *runner, workers int, deadline time.Time, max int64, seed uint64, t *tally) {
	var sent atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := &mix{r: rand.New(rand.NewPCG(seed, uint64(w)))}
			for time.Now().Before(deadline) && sent.Add(1) <= max {
				p := g.next()
				t.record(p, rn.send(p))
			}
		}()
	}
	wg.Wait()
}

// A plan is one request of the mix and what may happen to it.
type plan struct {
	method, target string
	header         http.Header
	body           []byte
	chunked        bool
	leaveAfter     time.Duration // the client goes away after this long; 0 stays
	mayCut         bool          // a fault or a 444 may close the connection
	fault          bool          // a fault was asked for
}

// String describes the request as the summary shows it: the method, the
// target, the header fields and the body.
func (p plan) String() string {
	s := p.method + " " + p.target
	for _, name := range slices.Sorted(maps.Keys(p.header)) {
		s += ", " + name + ": " + p.header.Get(name)
	}
	switch {
	case p.body != nil && p.chunked:
		s += fmt.Sprintf(", %d bytes chunked", len(p.body))
	case p.body != nil:
		s += fmt.Sprintf(", %d bytes", len(p.body))
	}
	if p.leaveAfter > 0 {
		s += ", leaving after " + p.leaveAfter.String()
	}
	return s
}

// mix draws the requests.
type mix struct{ r *rand.Rand }

// Codes a client meets most; the rest of the draws are any number from 100
// to 599, known or not.
var common = []int{200, 201, 204, 206, 301, 302, 304, 307, 400, 401, 403, 404, 405, 409, 418, 422, 429, 500, 502, 503, 504}

func (g *mix) code() int {
	if g.r.IntN(10) < 7 {
		return common[g.r.IntN(len(common))]
	}
	return 100 + g.r.IntN(500)
}

// list returns a list of codes for /status and /random, with ranges and,
// sometimes, weights, and whether 444 is among them.
func (g *mix) list() (string, bool) {
	var items []string
	has444 := false
	weighted := g.r.IntN(3) == 0
	for range 1 + g.r.IntN(4) {
		lo := g.code()
		item := strconv.Itoa(lo)
		hi := lo
		if g.r.IntN(4) == 0 && lo < 595 {
			hi = lo + 1 + g.r.IntN(4)
			item += "-" + strconv.Itoa(hi)
		}
		has444 = has444 || (lo <= 444 && 444 <= hi)
		if weighted {
			item += ":" + strconv.FormatFloat(0.1+g.r.Float64(), 'f', 2, 64)
		}
		items = append(items, item)
	}
	return strings.Join(items, ","), has444
}

// route returns a path and whether its answer may be a 444, which closes
// the connection.
func (g *mix) route() (string, bool) {
	switch n := g.r.IntN(21); {
	case n < 10:
		c := g.code()
		return "/" + strconv.Itoa(c), c == 444
	case n < 14:
		if g.r.IntN(2) == 0 {
			c := g.code()
			return "/status/" + strconv.Itoa(c), c == 444
		}
		l, has444 := g.list()
		return "/status/" + l, has444
	case n < 18:
		l, has444 := g.list()
		return "/random/" + l, has444
	case n < 19:
		return g.run()
	default:
		return []string{"/codes/404", "/codes/teapot", "/api/codes/503", "/api/codes?q=timeout", "/", "/healthz", "/nope/at/all", "/openapi.json"}[g.r.IntN(8)], false
	}
}

// run returns a path of the routes that remember, under one of a few
// hundred keys, so that the memory is used, bounded and evicted under load:
// a sequence, the resource, a redirect chain or cycle, a rate limit, the
// verdict of a key, or forgetting one.
// The second result reports whether a sequence may answer 444, which
// closes the connection.
func (g *mix) run() (string, bool) {
	key := "soak" + strconv.Itoa(g.r.IntN(300))
	switch g.r.IntN(8) {
	case 0, 1:
		steps := make([]string, 1+g.r.IntN(4))
		has444 := false
		for i := range steps {
			c := 200 + g.r.IntN(400)
			has444 = has444 || c == 444
			steps[i] = strconv.Itoa(c)
		}
		return "/sequence/" + strings.Join(steps, ",") + "?key=" + key, has444
	case 2, 3:
		return []string{"/resource", "/resource/a", "/resource/b"}[g.r.IntN(3)] + "?key=" + key, false
	case 4:
		return "/redirect/" + strconv.Itoa(g.r.IntN(6)) + "?key=" + key, false
	case 5:
		return []string{"/redirect-loop?key=" + key, "/redirect-loop/" + strconv.Itoa(g.r.IntN(100)) + "?key=" + key}[g.r.IntN(2)], false
	case 6:
		return "/200?rate-limit=" + strconv.Itoa(1+g.r.IntN(5)) + "/" + strconv.Itoa(1+g.r.IntN(3)) + "s&key=" + key, false
	default:
		return "/sessions/" + key, false
	}
}

// A control is a query parameter with its request header.
type control struct{ query, header string }

func (g *mix) next() plan {
	path, may444 := g.route()
	p := plan{method: http.MethodGet, header: http.Header{}, mayCut: may444}
	var query []string
	set := func(c control, value string) {
		if g.r.IntN(10) < 3 {
			p.header.Set(c.header, value)
		} else {
			query = append(query, c.query+"="+value)
		}
	}
	ms := func(max int) string { return strconv.Itoa(g.r.IntN(max)) + "ms" }
	if g.r.IntN(4) == 0 {
		set([]control{{"delay", "X-HttpStatus-Delay"}, {"sleep", "X-HttpStatus-Sleep"}}[g.r.IntN(2)], ms(400))
	}
	if g.r.IntN(20) == 0 {
		set(control{"delay-after-headers", "X-HttpStatus-Delay-After-Headers"}, ms(300))
	}
	if g.r.IntN(20) == 0 {
		set(control{"dribble", "X-HttpStatus-Dribble"}, ms(400))
	}
	if g.r.IntN(20) == 0 {
		set(control{"fault", "X-HttpStatus-Fault"}, []string{"before-headers", "after-headers", "in-body"}[g.r.IntN(3)])
		p.mayCut, p.fault = true, true
	}
	if g.r.IntN(10) == 0 {
		// The header form takes the value alone, in X-HttpStatus-Response-{Name}.
		if g.r.IntN(2) == 0 {
			p.header.Set("X-HttpStatus-Response-X-Soak", strconv.Itoa(g.r.IntN(1000)))
		} else {
			query = append(query, "header=X-Soak:"+strconv.Itoa(g.r.IntN(1000)))
		}
	}
	if g.r.IntN(10) == 0 {
		set(control{"retry-after", "X-HttpStatus-Retry-After"}, strconv.Itoa(1+g.r.IntN(5))+"s")
	}
	if g.r.IntN(20) == 0 {
		set(control{"suppress-body", "X-HttpStatus-Suppress-Body"}, "true")
	}
	if g.r.IntN(10) == 0 && (strings.HasPrefix(path, "/random/") || strings.HasPrefix(path, "/status/")) {
		set(control{"seed", "X-HttpStatus-Seed"}, strconv.Itoa(g.r.IntN(100)))
	}
	if g.r.IntN(5) == 0 {
		p.header.Set("Accept", []string{"text/html", "text/plain", "application/json", "application/problem+json", "*/*"}[g.r.IntN(5)])
	}
	switch n := g.r.IntN(100); {
	case n < 10:
		p.method = http.MethodHead
	case n < 22:
		p.method = http.MethodPost
		p.body = g.body()
	case n < 26:
		p.method, p.chunked = http.MethodPut, true
		p.body = g.body()
	case n < 30:
		p.method = []string{http.MethodDelete, http.MethodOptions, http.MethodPatch, "BREW"}[g.r.IntN(4)]
	}
	if p.body != nil && g.r.IntN(5) == 0 {
		p.header.Set("Expect", "100-continue")
	}
	if g.r.IntN(20) == 0 {
		p.leaveAfter = time.Duration(g.r.IntN(200)) * time.Millisecond
	}
	p.target = path
	if len(query) > 0 {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		p.target += sep + strings.Join(query, "&")
	}
	return p
}

// body returns request content: mostly small, sometimes empty, now and
// then over the server's default 1 MiB limit.
func (g *mix) body() []byte {
	switch n := g.r.IntN(50); {
	case n == 0:
		return bytes.Repeat([]byte("z"), 1<<20+1024)
	case n < 5:
		return []byte{}
	default:
		return bytes.Repeat([]byte("b"), g.r.IntN(32<<10))
	}
}

// An outcome is what became of one request.
type outcome struct {
	status int    // 0 when no response came
	kind   string // for no response: why
	before string // for an unexpected cut on a reused connection, the request before on it
}

// Kinds of requests that got no response, or no whole one.
const (
	kindLeft       = "left early (asked for)"
	kindCut        = "cut by a fault or 444 (asked for)"
	kindCutAfter   = "cut on reuse after a fault (asked for)"
	kindUnexpected = "cut, not asked for"
	kindTimeout    = "timed out"
)

// requestTimeout bounds a request of the mix: its delays and slow bodies
// add up to about a second.
const requestTimeout = 20 * time.Second

// A runner sends requests of the mix to the server.
type runner struct {
	client *http.Client
	base   string
	conns  *connLog
}

func (rn *runner) send(p plan) outcome {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	var left atomic.Bool
	if p.leaveAfter > 0 {
		stop := time.AfterFunc(p.leaveAfter, func() { left.Store(true); cancel() })
		defer stop.Stop()
	}
	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
		if p.chunked {
			body = io.MultiReader(body) // no length known: sent chunked
		}
	}
	// Which connection the request went on, and what went on it before:
	// a connection the server closes unannounced is the previous request's
	// doing, or the server's idle timeout.
	var got httptrace.GotConnInfo
	var prev *use
	this := &use{plan: p}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		got = i
		prev = rn.conns.swap(i.Conn, this)
	}})
	req, err := http.NewRequestWithContext(ctx, p.method, rn.base+p.target, body)
	if err != nil {
		return outcome{kind: kindUnexpected + ": " + err.Error()}
	}
	req.Header = p.header
	res, err := rn.client.Do(req)
	status, connection := 0, ""
	if res != nil {
		status, connection = res.StatusCode, res.Header.Get("Connection")
	}
	if err == nil {
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	this.finish(status, connection, err)
	switch {
	case err == nil:
		return outcome{status: status}
	case left.Load():
		return outcome{status: status, kind: kindLeft}
	case errors.Is(err, context.DeadlineExceeded):
		return outcome{status: status, kind: kindTimeout}
	case p.mayCut:
		return outcome{status: status, kind: kindCut}
	}
	if got.Reused && prev != nil && prev.plan.fault {
		// A fault after the headers of a response with no content (HEAD,
		// 204, suppress-body) leaves a whole response, then a connection
		// that the server closes without saying so.
		return outcome{status: status, kind: kindCutAfter, before: prev.String()}
	}
	o := outcome{status: status, kind: kindUnexpected + ": " + errText(err)}
	if got.Reused && prev != nil {
		o.before = prev.String()
		if got.WasIdle {
			o.before += fmt.Sprintf("; then idle for %v", got.IdleTime.Round(time.Millisecond))
		}
	}
	return o
}

// A use is one request on a connection and, once it is over, what came of
// it.
type use struct {
	plan plan

	mu         sync.Mutex
	over       bool
	status     int
	connection string // the response's Connection field
	err        error
}

func (u *use) finish(status int, connection string, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.over, u.status, u.connection, u.err = true, status, connection, err
}

// String describes the request and what came of it.
func (u *use) String() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	s := u.plan.String()
	switch {
	case !u.over:
		s += "; still under way"
	case u.err != nil:
		s += fmt.Sprintf("; got %d, then %s", u.status, errText(u.err))
	default:
		s += fmt.Sprintf("; got %d whole, Connection: %q", u.status, u.connection)
	}
	return s
}

// connLog remembers the last request sent on each connection.
type connLog struct {
	mu   sync.Mutex
	last map[net.Conn]*use
}

// swap records u as the last request on c and returns the one before.
func (l *connLog) swap(c net.Conn, u *use) *use {
	if c == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	before := l.last[c]
	if len(l.last) > 4096 {
		clear(l.last) // connections come and go: forget the old ones
	}
	l.last[c] = u
	return before
}

// errText is the last part of an error, without the URL, so that errors
// of one kind count together.
func errText(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// tally counts outcomes; it is safe for the workers.
type tally struct {
	total   atomic.Int64
	mu      sync.Mutex
	classes map[string]int64    // by status class, and a few codes of their own
	kinds   map[string]int64    // requests without a whole response, by kind
	samples map[string][]string // the first few requests of each kind
}

// samplesKept is how many requests of each kind the summary shows.
const samplesKept = 3

func (t *tally) record(p plan, o outcome) {
	t.total.Add(1)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.classes == nil {
		t.classes, t.kinds, t.samples = map[string]int64{}, map[string]int64{}, map[string][]string{}
	}
	if o.kind != "" {
		t.kinds[o.kind]++
		if len(t.samples[o.kind]) < samplesKept {
			sample := p.String()
			if o.before != "" {
				sample += "\n        on a connection used before for: " + o.before
			}
			t.samples[o.kind] = append(t.samples[o.kind], sample)
		}
		return
	}
	class := strconv.Itoa(o.status/100) + "xx"
	switch o.status {
	case 400, 413, 503:
		class = strconv.Itoa(o.status) // refusals of the server's own: bad controls, the body limit, the waiting limit
	}
	t.classes[class]++
}

// unexpected counts the requests that failed in a way the mix did not ask
// for.
func (t *tally) unexpected() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	var n int64
	for k, v := range t.kinds {
		if k != kindLeft && k != kindCut && k != kindCutAfter {
			n += v
		}
	}
	return n
}

func (t *tally) print(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(w, "responses, by status (400, 413 and 503 on their own: the server may send them to refuse a request):")
	for _, k := range sortedKeys(t.classes) {
		fmt.Fprintf(w, "  %-40s %10d\n", k, t.classes[k])
	}
	fmt.Fprintln(w, "requests without a whole response, by kind:")
	if len(t.kinds) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, k := range sortedKeys(t.kinds) {
		fmt.Fprintf(w, "  %-40s %10d\n", k, t.kinds[k])
		for _, s := range t.samples[k] {
			fmt.Fprintf(w, "      %s\n", s)
		}
	}
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// metrics are the server's samples without labels, by name.
type metrics map[string]float64

// scrape reads the unlabelled samples of the server's /metrics.
func scrape(c *http.Client, base string) (metrics, error) {
	res, err := c.Get(base + "/metrics")
	if err != nil {
		return nil, fmt.Errorf("reading the server's metrics: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("reading the server's metrics: %s", res.Status)
	}
	m := metrics{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			m[name] = v
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the server's metrics: %w", err)
	}
	if _, ok := m["go_goroutines"]; !ok {
		return nil, errors.New("the server's metrics have no go_goroutines")
	}
	return m, nil
}

// settled waits, for up to wait, until the server's goroutines are within
// slack of the baseline's (or, without one, for the whole wait), and returns
// the last scrape.
func settled(c *http.Client, base string, baseline *metrics, slack int, wait time.Duration) (metrics, error) {
	deadline := time.Now().Add(wait)
	for {
		m, err := scrape(c, base)
		if err != nil {
			return nil, err
		}
		back := baseline != nil && m["go_goroutines"] <= (*baseline)["go_goroutines"]+float64(slack) && m["httpstatus_requests_waiting"] == 0
		if back || !time.Now().Before(deadline) {
			return m, nil
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// progress prints a line every interval until done: requests so far, and
// the server's goroutines and resident memory.
func progress(c *http.Client, base string, t *tally, began time.Time, every time.Duration, done <-chan struct{}) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-tick.C:
			m, err := scrape(c, base)
			if err != nil {
				fmt.Println("  progress:", err)
				continue
			}
			fmt.Printf("  %6.0fs %10d requests, server: %5.0f goroutines, %7.1f MiB resident, %5.0f waiting\n",
				now.Sub(began).Seconds(), t.total.Load(), m["go_goroutines"], m["process_resident_memory_bytes"]/(1<<20), m["httpstatus_requests_waiting"])
		}
	}
}
