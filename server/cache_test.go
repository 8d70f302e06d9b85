package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/respond"
)

// The flags of TestCacheMatchesPipeline, to replay a failure or to search
// longer:
//
//	go test ./server -run TestCacheMatchesPipeline -seed=12345 -requests=200000
var (
	cacheSeed     = flag.Uint64("seed", 0, "seed of TestCacheMatchesPipeline's requests (0: $HTTPSTATUS_CACHE_SEED, else the clock)")
	cacheRequests = flag.Int("requests", 20_000, "number of random requests TestCacheMatchesPipeline sends")
)

// TestCacheMatchesPipeline is the differential test of the cache that the
// comment above cacheable names. It sends random requests, each through
// the whole handler of a Server (which answers from the cache when it
// can) and through the ordinary path of another Server built with the same
// options (its mux: the routes and the pipeline, without the cache), and
// requires what a client receives to be the same: the status, every header
// field value, the interim responses, the framing and the content.
//
// How the responses are compared. Every handler runs behind its own
// loopback httptest server, and the test reads what arrives on the wire
// with a small HTTP/1.x client of its own. The cache relies on net/http
// to complete its header section: it leaves Content-Length out of a small
// body because net/http adds it, and sets Date itself where the ordinary
// path leaves it to net/http. Comparing recorded handler output would need
// a model of what net/http adds, a second implementation that could be
// wrong where the cache is; with real servers net/http itself does it, so
// Content-Length, Transfer-Encoding, Connection, sniffed types and interim
// responses are compared as sent. A raw client, rather than http.Client,
// can send HTTP/1.0, exact header lines (repeated, in any case), a body
// behind Expect: 100-continue, and it sees every interim response. Only
// Date is time-dependent: both sides must send as many Date fields (one;
// none after a hijacked 101), each a valid and current date, and their
// values are not compared. Header fields are compared as a map,
// per field name in order of values: net/http writes the fields it adds
// itself (Date, Content-Length) after the handler's sorted ones, so the
// order of different field names is no part of the comparison (nor of
// HTTP's semantics).
//
// HTTP/2 and HTTP/3 cannot be spoken on a cleartext test connection, so a
// wrapper in each server sets the protocol version on the request from a
// test-only field, X-Difftest-Proto, which it removes, before the handler
// runs. The same wrapper counts the requests the cache answers
// (cacheable), notes which request first filled each slot of the cache,
// and catches panics: a handler that aborts (http.ErrAbortHandler, as
// 444 and the faults do) must abort on both paths, and then what arrived
// before the connection closed is not compared; any other panic fails.
//
// Every request is sent twice through the full handler, the second time
// answered from a filled cache, then through the ordinary path (see run).
// Random codes without a seed are not compared. Two configurations run,
// in parallel: the default options (with a short MaxDelay, so that a
// delay over it answers 400 at once), and CORS with an observer (whose
// observations are compared too), a small body limit and an allowed
// redirect host.
func TestCacheMatchesPipeline(t *testing.T) {
	t.Parallel()
	seed := *cacheSeed
	if seed == 0 {
		if v := os.Getenv("HTTPSTATUS_CACHE_SEED"); v != "" {
			var err error
			if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
				t.Fatalf("HTTPSTATUS_CACHE_SEED=%q: %v", v, err)
			}
		}
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	n := *cacheRequests
	if testing.Short() {
		n = min(n, 2_000)
	}
	for i, cfg := range diffConfigs {
		t.Run(cfg.name, func(t *testing.T) {
			t.Parallel()
			replay := fmt.Sprintf("seed %d; replay with: go test ./server -run '^%s$' -seed=%d -requests=%d", seed, t.Name(), seed, n)
			g := &reqGen{r: rand.New(rand.NewPCG(seed, uint64(i)))}
			diffRequests(t, cfg, g, n/len(diffConfigs), replay)
		})
	}
}

// diffRequests sends n requests of g through both sides of cfg.
func diffRequests(t *testing.T, cfg diffConfig, g *reqGen, n int, replay string) {
	p := newDiffPair(t, cfg)
	start := time.Now()
	var compared, cached, aborted, failed int
	var shrunk []string
	for i := range n {
		q := g.request()
		out := p.run(t, q)
		if out.broken != "" {
			t.Fatalf("request %d: %s\n%s\n%s", i, out.broken, q, replay)
		}
		if out.cacheable {
			cached++
			if _, ok := p.filler[out.key]; !ok {
				p.filler[out.key] = q
			}
		}
		if out.aborted {
			aborted++
		}
		if !out.compared {
			continue
		}
		compared++
		if len(out.diffs) == 0 {
			continue
		}
		failed++
		if failed <= 5 {
			t.Errorf("request %d (cacheable %v) differs:\n%s\n  %s", i, out.cacheable, q, strings.Join(out.diffs, "\n  "))
		}
		if failed <= 3 {
			seq := []*genRequest{q}
			if f := p.filler[out.key]; out.cacheable && f != q {
				seq = []*genRequest{f, q}
			}
			if small := shrink(t, cfg, seq); small != "" && !slices.Contains(shrunk, small) {
				shrunk = append(shrunk, small)
				t.Errorf("a smallest form of that mismatch, on fresh servers:\n%s", small)
			}
		}
	}
	share := float64(cached) / float64(max(n, 1))
	t.Logf("%d requests in %v: %d compared, %d (%.1f%%) answered by the cache, %d aborted on purpose; %s",
		n, time.Since(start).Round(time.Millisecond), compared, cached, 100*share, aborted, replay)
	if failed > 0 {
		t.Errorf("%d of %d compared requests differ between the cache and the ordinary path; %s", failed, compared, replay)
	}
	if n >= 500 && share < 0.2 {
		t.Errorf("only %.1f%% of the requests were answered by the cache; the generator must exercise it (%s)", 100*share, replay)
	}
	for _, e := range []*endpoint{p.full, p.ord} {
		if logs := e.logs.String(); logs != "" {
			t.Logf("%s server log:\n%s", e.name, logs)
		}
	}
}

// diffConfig is a set of options both sides of a comparison are built
// with, and the middleware New puts around the routes for them.
type diffConfig struct {
	name    string
	opts    []Option
	cors    bool // WithCORS(true)
	observe bool // WithObserver
}

var diffConfigs = []diffConfig{
	{name: "default", opts: []Option{WithLimits(Limits{MaxDelay: 10 * time.Millisecond})}},
	{name: "cors-observer", opts: []Option{WithLimits(Limits{MaxDelay: 10 * time.Millisecond, MaxBody: 16}), WithRedirectHosts("example.org")},
		cors: true, observe: true},
}

// diffPair is the two sides of a comparison: the whole handler of one
// Server and the ordinary path of another, each behind a loopback server.
type diffPair struct {
	cfg    diffConfig
	full   *endpoint
	ord    *endpoint
	nextID uint64
	filler map[cacheKey]*genRequest // the first request to reach each slot of the cache
}

func newDiffPair(t *testing.T, cfg diffConfig) *diffPair {
	p := &diffPair{cfg: cfg, filler: map[cacheKey]*genRequest{}}
	p.full = newEndpoint(t, "full", func(obs Observer) http.Handler {
		opts := slices.Clone(cfg.opts)
		if cfg.cors {
			opts = append(opts, WithCORS(true))
		}
		if cfg.observe {
			opts = append(opts, WithObserver(obs))
		}
		return New(opts...)
	})
	p.ord = newEndpoint(t, "ordinary", func(obs Observer) http.Handler {
		// New's handler with its routes (the mux behind the cleaning of
		// the status routes' paths, which Cache does too) in place of
		// Cache(mux): CORS inside, Observe outside.
		s := New(cfg.opts...)
		var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p := cleanStatusPath(r); p != "" {
				serveCleaned(w, r, p, s.mux)
				return
			}
			s.mux.ServeHTTP(w, r)
		})
		if cfg.cors {
			h = CORS(h)
		}
		if cfg.observe {
			h = Observe(h, obs)
		}
		return h
	})
	return p
}

func (p *diffPair) close() {
	p.full.close()
	p.ord.close()
}

// outcome is what one request through both sides showed.
type outcome struct {
	compared  bool
	cacheable bool
	key       cacheKey
	aborted   bool
	diffs     []string
	broken    string // the test itself failed: no comparison is possible
}

// run sends q through the full handler twice, then through the ordinary
// path, and compares the first answers and the second ones. The ordinary
// path answers once, and both full answers are compared with it, unless q
// names a seed: then it answers twice, so that both Servers draw the same
// sequence of random codes.
func (p *diffPair) run(t *testing.T, q *genRequest) outcome {
	t.Helper()
	sides := []*endpoint{p.full, p.full, p.ord, p.ord}
	if !q.seeded {
		sides = sides[:3] // the ordinary path answers the same twice
	}
	var got [4]exchanged
	for i, e := range sides {
		p.nextID++
		got[i] = e.exchange(t, q, p.nextID)
		if got[i].broken != "" {
			return outcome{broken: e.name + ": " + got[i].broken}
		}
	}
	if !q.seeded {
		got[3] = got[2]
	}
	out := outcome{cacheable: got[1].h.cacheable, key: got[1].h.key, aborted: got[1].h.aborted}
	for _, x := range got {
		if x.h.panicked != "" {
			return outcome{broken: "panic: " + x.h.panicked}
		}
	}
	if q.random() {
		return out
	}
	out.compared = true
	for i, which := range []string{"first", "second"} {
		for _, d := range compareExchanges(got[i], got[2+i]) {
			out.diffs = append(out.diffs, which+" answer: "+d)
		}
	}
	return out
}

// shrink looks for a smaller sequence of requests that still shows a
// mismatch on fresh servers: seq ends with the request that differed and
// may start with the one that filled its slot of the cache. It returns
// that sequence, printed, or "" when seq does not fail on fresh servers.
func shrink(t *testing.T, cfg diffConfig, seq []*genRequest) string {
	t.Helper()
	fails := func(seq []*genRequest) bool {
		p := newDiffPair(t, cfg)
		defer p.close()
		var out outcome
		for _, q := range seq {
			out = p.run(t, q)
			if out.broken != "" {
				return false
			}
		}
		return len(out.diffs) > 0
	}
	if len(seq) == 2 && fails(seq[1:]) {
		seq = seq[1:]
	}
	if !fails(seq) {
		return ""
	}
	seq = slices.Clone(seq)
	for changed := true; changed; {
		changed = false
		for i, q := range seq {
			for _, smaller := range q.smaller() {
				try := slices.Clone(seq)
				try[i] = smaller
				if fails(try) {
					seq, changed = try, true
					break
				}
			}
		}
	}
	var b strings.Builder
	for i, q := range seq {
		if i < len(seq)-1 {
			b.WriteString("after (filling the cache):\n")
		}
		b.WriteString(q.String() + "\n")
	}
	return b.String()
}

// The test-only request fields the wrapper reads and removes.
const (
	diffIDField    = "X-Difftest-Id"
	diffProtoField = "X-Difftest-Proto"
)

type diffIDKey struct{}

// cacheKey is the slot of the cache a request reaches: as serveCached
// computes it, for the test's report of which request filled a slot.
type cacheKey struct{ code, media, route, head, proto int }

// handled is what the wrapper saw of one request inside a server.
type handled struct {
	cacheable bool
	key       cacheKey
	aborted   bool   // the handler panicked with http.ErrAbortHandler
	panicked  string // any other panic, with its stack
	obs       *Observation
}

// endpoint is one handler behind a loopback server, and the test's
// connection to it.
type endpoint struct {
	name string
	ts   *httptest.Server
	conn net.Conn
	br   *bufio.Reader
	done chan uint64 // the id of each request whose handler returned
	logs lockedBuffer

	mu   sync.Mutex
	seen map[uint64]*handled
}

func newEndpoint(t *testing.T, name string, build func(Observer) http.Handler) *endpoint {
	e := &endpoint{name: name, done: make(chan uint64, 1), seen: map[uint64]*handled{}}
	obs := func(r *http.Request, o Observation) {
		id, _ := r.Context().Value(diffIDKey{}).(uint64)
		o.Duration = 0
		e.mu.Lock()
		if h := e.seen[id]; h != nil {
			h.obs = &o
		}
		e.mu.Unlock()
	}
	e.ts = httptest.NewUnstartedServer(e.wrap(build(obs)))
	e.ts.Config.ErrorLog = log.New(&e.logs, "", 0)
	e.ts.Start()
	t.Cleanup(e.close)
	return e
}

func (e *endpoint) close() {
	e.drop()
	e.ts.Close()
}

// drop closes the connection to the server; the next exchange dials again.
func (e *endpoint) drop() {
	if e.conn != nil {
		e.conn.Close()
		e.conn, e.br = nil, nil
	}
}

// wrap returns next behind the test's wrapper: it removes the test-only
// fields, sets the protocol version they name, records whether the cache
// can answer the request, and catches a panic of the handler.
func (e *endpoint) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseUint(r.Header.Get(diffIDField), 10, 64)
		proto := r.Header.Get(diffProtoField)
		r.Header.Del(diffIDField)
		r.Header.Del(diffProtoField)
		// A copy: net/http keeps the original, with the version spoken on
		// the connection.
		r = r.WithContext(context.WithValue(r.Context(), diffIDKey{}, id))
		if major, minor, ok := http.ParseHTTPVersion(proto); ok {
			r.Proto, r.ProtoMajor, r.ProtoMinor = proto, major, minor
		}
		h := &handled{}
		if code, route, _ := cacheable(r); code != 0 {
			h.cacheable = true
			h.key = cacheKey{code: code, media: mediaIndex(respond.Negotiate(r)), route: route}
			if r.Method == http.MethodHead {
				h.key.head = 1
			}
			if r.ProtoMajor != 1 {
				h.key.proto = 1
			}
		}
		e.mu.Lock()
		e.seen[id] = h
		e.mu.Unlock()
		defer func() {
			v := recover()
			e.mu.Lock()
			if v == http.ErrAbortHandler {
				h.aborted = true
			} else if v != nil {
				h.panicked = fmt.Sprintf("%v\n%s", v, debug.Stack())
			}
			e.mu.Unlock()
			select {
			case e.done <- id:
			default: // the test gave up on an earlier request
			}
			if v != nil {
				panic(http.ErrAbortHandler) // close the connection, quietly
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// exchanged is one request and its answer, as the client and the wrapper
// saw them.
type exchanged struct {
	res    response
	h      handled
	broken string
}

// response is what the client received.
type response struct {
	err     string   // no complete response arrived
	interim []string // the interim responses, status and fields
	proto   string
	status  int
	header  http.Header
	te      []string
	length  int64
	close   bool
	body    []byte
	redial  bool // the connection cannot be used again: not compared
}

// exchange sends q to the server and reads its answer, then waits for its
// handler to return.
func (e *endpoint) exchange(t *testing.T, q *genRequest, id uint64) exchanged {
	t.Helper()
	var x exchanged
	var err error
	x.res, err = e.roundTrip(q, id)
	if err != nil {
		return exchanged{broken: err.Error()}
	}
	select {
	case got := <-e.done:
		if got != id {
			return exchanged{broken: fmt.Sprintf("handler of request %d returned during request %d", got, id)}
		}
	case <-time.After(10 * time.Second):
		return exchanged{broken: fmt.Sprintf("the handler did not run or did not return (client got %d %q)", x.res.status, x.res.err)}
	}
	e.mu.Lock()
	x.h = *e.seen[id]
	delete(e.seen, id)
	e.mu.Unlock()
	if x.h.aborted || x.res.redial || x.res.err != "" {
		e.drop()
	}
	return x
}

// roundTrip writes q and reads the responses to it. An error means the
// request could not be sent.
func (e *endpoint) roundTrip(q *genRequest, id uint64) (response, error) {
	if e.conn == nil {
		c, err := net.Dial("tcp", e.ts.Listener.Addr().String())
		if err != nil {
			return response{}, err
		}
		e.conn, e.br = c, bufio.NewReader(c)
	}
	_ = e.conn.SetDeadline(time.Now().Add(10 * time.Second))
	head, body := q.wire(id)
	// A client that sent Expect: 100-continue holds the body back until
	// the server asks for it, answers without it, or keeps it waiting a
	// while, and then sends it: net/http reads a body the handler left
	// before it closes the connection, also when the handler aborted (so a
	// client that never sent it would wait for the close in vain). When
	// the body goes changes nothing the server sends: net/http sends 100
	// Continue when the handler reads the body, whether it has arrived or
	// not, and closes the connection when the handler did not read it,
	// whether it was sent or not.
	hold := q.expectsContinue() && !q.http10 && len(body) > 0
	out := head
	if !hold {
		out = append(out, body...)
	}
	if _, err := e.conn.Write(out); err != nil {
		return response{}, fmt.Errorf("writing the request: %w", err)
	}
	var sendBody sync.Once
	conn := e.conn // the timer's goroutine must not read e.conn, which exchange may drop
	send := func() {
		// An error means that the server closed the connection: its
		// answer tells the rest.
		sendBody.Do(func() { _, _ = conn.Write(body) })
	}
	if hold {
		defer time.AfterFunc(50*time.Millisecond, send).Stop()
	}
	var res response
	for {
		r, err := http.ReadResponse(e.br, &http.Request{Method: q.method})
		if err != nil {
			res.err = err.Error()
			return res, nil
		}
		if r.StatusCode < 200 && r.StatusCode != http.StatusSwitchingProtocols {
			res.interim = append(res.interim, fmt.Sprintf("%d %v", r.StatusCode, r.Header))
			if r.StatusCode == http.StatusContinue && hold {
				send()
			}
			continue
		}
		if hold {
			send()
		}
		res.proto, res.status, res.header = r.Proto, r.StatusCode, r.Header
		res.te, res.length, res.close = r.TransferEncoding, r.ContentLength, r.Close
		res.redial = r.Close || hold || r.StatusCode == http.StatusSwitchingProtocols
		res.body, err = io.ReadAll(r.Body)
		if err != nil {
			res.err = "reading the body: " + err.Error()
		}
		return res, nil
	}
}

// compareExchanges lists the differences between an answer of the full
// handler and one of the ordinary path to the same request.
func compareExchanges(full, ord exchanged) []string {
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	if (full.h.obs == nil) != (ord.h.obs == nil) {
		add("observed: full %v, ordinary %v", full.h.obs != nil, ord.h.obs != nil)
	} else if full.h.obs != nil && *full.h.obs != *ord.h.obs {
		add("observation: full %+v, ordinary %+v", *full.h.obs, *ord.h.obs)
	}
	if full.h.aborted != ord.h.aborted {
		add("aborted: full %v, ordinary %v", full.h.aborted, ord.h.aborted)
		return d
	}
	if full.h.aborted {
		return d // cut off on purpose; what arrived before depends on timing
	}
	f, o := full.res, ord.res
	if f.err != "" || o.err != "" {
		add("the exchange failed without an abort: full %q, ordinary %q", f.err, o.err)
		return d
	}
	if f.status != o.status {
		add("status: full %d, ordinary %d", f.status, o.status)
	}
	if f.proto != o.proto {
		add("protocol: full %s, ordinary %s", f.proto, o.proto)
	}
	if !slices.Equal(f.interim, o.interim) {
		add("interim responses: full %q, ordinary %q", f.interim, o.interim)
	}
	if !slices.Equal(f.te, o.te) || f.length != o.length || f.close != o.close {
		add("framing: full TE %q length %d close %v, ordinary TE %q length %d close %v", f.te, f.length, f.close, o.te, o.length, o.close)
	}
	if fd, od := f.header["Date"], o.header["Date"]; len(fd) != len(od) {
		add("Date: full %q, ordinary %q", fd, od)
	} else {
		for _, v := range slices.Concat(fd, od) {
			if err := checkDate(v); err != nil {
				add("Date: %v", err)
			}
		}
	}
	names := map[string]bool{}
	for k := range f.header {
		names[k] = true
	}
	for k := range o.header {
		names[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(names)) {
		if k == "Date" {
			continue
		}
		fv, fok := f.header[k]
		ov, ook := o.header[k]
		if fok != ook || !slices.Equal(fv, ov) {
			add("%s: full %s, ordinary %s", k, fieldValues(fv, fok), fieldValues(ov, ook))
		}
	}
	if !bytes.Equal(f.body, o.body) {
		add("content: full %q, ordinary %q", clip(f.body), clip(o.body))
	}
	return d
}

// checkDate reports whether a Date value is a current HTTP date.
func checkDate(v string) error {
	d, err := http.ParseTime(v)
	if err != nil {
		return err
	}
	if age := time.Since(d); age < -2*time.Second || age > 10*time.Second {
		return fmt.Errorf("%q is %v away from now", v, age)
	}
	return nil
}

func fieldValues(v []string, ok bool) string {
	if !ok {
		return "absent"
	}
	return fmt.Sprintf("%q", v)
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// lockedBuffer collects a server's error log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// genRequest is one generated request, written on the wire by hand.
type genRequest struct {
	method string
	target string // the request target: a path and query, or an absolute URL
	http10 bool   // HTTP/1.0 on the wire; otherwise HTTP/1.1
	proto  string // the version the wrapper sets on the request, such as HTTP/2.0, or ""
	fields [][2]string
	body   string
	framed string // how the body is framed: "" (Content-Length, when there is a body), "chunked" or "zero" (Content-Length: 0)
	seeded bool   // a seed control was given
}

// wire returns the header section and the content of q as sent.
func (q *genRequest) wire(id uint64) (head, body []byte) {
	var b bytes.Buffer
	version := "HTTP/1.1"
	if q.http10 {
		version = "HTTP/1.0"
	}
	fmt.Fprintf(&b, "%s %s %s\r\nHost: example.test\r\n", q.method, q.target, version)
	for _, f := range q.fields {
		fmt.Fprintf(&b, "%s: %s\r\n", f[0], f[1])
	}
	switch {
	case q.framed == "zero":
		b.WriteString("Content-Length: 0\r\n")
	case q.framed == "chunked":
		b.WriteString("Transfer-Encoding: chunked\r\n")
		for _, part := range []string{q.body[:len(q.body)/2], q.body[len(q.body)/2:]} {
			if part != "" {
				body = fmt.Appendf(body, "%x\r\n%s\r\n", len(part), part)
			}
		}
		body = append(body, "0\r\n\r\n"...)
	case q.body != "":
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(q.body))
		body = []byte(q.body)
	}
	if q.proto != "" {
		fmt.Fprintf(&b, "%s: %s\r\n", diffProtoField, q.proto)
	}
	fmt.Fprintf(&b, "%s: %d\r\n\r\n", diffIDField, id)
	return b.Bytes(), body
}

// String shows q as it is sent, without the request id.
func (q *genRequest) String() string {
	head, body := q.wire(0)
	s := strings.Replace(string(head), diffIDField+": 0\r\n", "", 1) + string(body)
	if q.proto != "" {
		s = strings.Replace(s, diffProtoField+": "+q.proto+"\r\n", "", 1)
		return fmt.Sprintf("  %q\n  with Proto %s set on the request", s, q.proto)
	}
	return fmt.Sprintf("  %q", s)
}

func (q *genRequest) expectsContinue() bool {
	for _, f := range q.fields {
		if strings.EqualFold(f[0], "Expect") && strings.EqualFold(strings.TrimSpace(f[1]), "100-continue") {
			return true
		}
	}
	return false
}

// random reports whether q may be answered with a random code: a list of
// codes without a seed. It errs on the side of yes.
func (q *genRequest) random() bool {
	if q.seeded {
		return false
	}
	u, err := url.ParseRequestURI(q.target)
	if err != nil {
		return false
	}
	p := u.Path
	return strings.HasPrefix(p, "/random/") || (strings.HasPrefix(p, "/status/") && len(p) != len("/status/200"))
}

// smaller returns simpler variants of q, for shrink: one field fewer, no
// query, one escaped byte of the path decoded, no content, HTTP/1.1, no
// version set, GET.
func (q *genRequest) smaller() []*genRequest {
	var out []*genRequest
	variant := func(change func(*genRequest)) {
		c := *q
		c.fields = slices.Clone(q.fields)
		change(&c)
		out = append(out, &c)
	}
	for i := range q.fields {
		variant(func(c *genRequest) { c.fields = slices.Delete(c.fields, i, i+1) })
	}
	path, query, hasQuery := strings.Cut(q.target, "?")
	if hasQuery {
		variant(func(c *genRequest) { c.target = path })
	}
	for i := strings.IndexByte(path, '%'); i >= 0 && i+2 < len(path); {
		if b, err := strconv.ParseUint(path[i+1:i+3], 16, 8); err == nil {
			decoded := path[:i] + string([]byte{byte(b)}) + path[i+3:]
			if hasQuery {
				decoded += "?" + query
			}
			variant(func(c *genRequest) { c.target = decoded })
		}
		next := strings.IndexByte(path[i+1:], '%')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	if q.body != "" || q.framed != "" {
		variant(func(c *genRequest) { c.body, c.framed = "", "" })
	}
	if q.http10 {
		variant(func(c *genRequest) { c.http10 = false })
	}
	if q.proto != "" {
		variant(func(c *genRequest) { c.proto = "" })
	}
	if q.method != http.MethodGet {
		variant(func(c *genRequest) { c.method = http.MethodGet })
	}
	return out
}

// reqGen generates requests. A third are plain (what the cache answers,
// with any header field that is no control), a third are plain but for one
// thing that should make the cache decline, and a third are anything.
type reqGen struct{ r *rand.Rand }

func (g *reqGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *reqGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *reqGen) request() *genRequest {
	q := &genRequest{method: g.pick(http.MethodGet, http.MethodGet, http.MethodHead)}
	switch n := g.r.IntN(100); {
	case n < 35:
		q.target = g.codePath()
		g.version(q)
		g.fields(q)
	case n < 70:
		q.target = g.codePath()
		g.version(q)
		g.fields(q)
		g.perturb(q)
	default:
		q.method = g.pick("GET", "GET", "HEAD", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW", "get", "TRACE")
		q.target = g.anyPath()
		if g.chance(0.5) {
			q.target += g.query(q)
		}
		g.version(q)
		g.fields(q)
		for g.chance(0.4) {
			g.control(q)
		}
		if g.chance(0.15) {
			g.origin(q)
		}
		if g.chance(0.2) {
			g.content(q)
		}
	}
	if q.http10 && q.framed == "chunked" {
		q.framed = "" // HTTP/1.0 has no chunked coding
	}
	return q
}

// perturb changes one thing of a plain request, of the kind the cache
// declines or keys on.
func (g *reqGen) perturb(q *genRequest) {
	switch g.r.IntN(9) {
	case 0:
		q.method = g.pick("POST", "PUT", "DELETE", "OPTIONS", "BREW", "get", "head", "PATCH")
	case 1, 2:
		q.target += g.query(q)
	case 3, 4:
		g.control(q)
	case 5:
		g.origin(q)
	case 6:
		g.content(q)
	case 7:
		q.target = g.anyPath()
	case 8:
		prefix := g.pick("/", "/status/")
		q.target = prefix + strconv.Itoa(g.pickInt(100, 101, 102, 103, 199, 206, 444))
	}
}

func (g *reqGen) pickInt(xs ...int) int { return xs[g.r.IntN(len(xs))] }

// hotCodes are drawn often, so that requests that differ in what the
// cache ignores meet in the same slot of the cache.
var hotCodes = []int{100, 101, 103, 200, 201, 202, 204, 205, 206, 299, 301, 302, 303, 304, 307, 308,
	401, 404, 405, 407, 413, 416, 418, 426, 429, 444, 451, 500, 503, 599}

func (g *reqGen) code() int {
	if g.chance(0.6) {
		return hotCodes[g.r.IntN(len(hotCodes))]
	}
	return 100 + g.r.IntN(500)
}

func (g *reqGen) codePath() string {
	return g.pick("/", "/status/") + strconv.Itoa(g.code())
}

func (g *reqGen) anyPath() string {
	switch g.r.IntN(11) {
	case 0, 1, 2:
		return g.codePath()
	case 3:
		return g.pick("/", "/status/") + g.pick("099", "600", "abc", "20", "2000", "+20", "-20", "1e2", "2%200", "0x1", "20a",
			"%D9%A2%D9%A0%D9%A0", "%C2%B2%C2%B2", "", "200.", "2.0", "%00200", "200%00")
	case 4, 5:
		return g.escape(g.codePath())
	case 6:
		return g.pick("/random/", "/status/") + g.pick("200,500-504", "200", "201,202", "200:1,503:0", "200:0.9,503:0.1",
			"100-599", "444,200", "abc", "200,,500", "504-500", "101,103", "200:1", "200-200")
	case 7:
		return g.escape(g.pick("/random/", "/status/") + g.pick("200,500-504", "200:1,503:0", "201,202"))
	case 8:
		return "http://" + g.pick("example.test", "example.org", "other.test:8080") + g.codePath()
	default:
		return g.pick("/", "/openapi.json", "/no/such/thing", "/status", "/status/", "/random", "/random/", "/200/",
			"//200", "/status//200", "/./200", "/status/../200", "/STATUS/200", "/200/x", "/200.json", "/status/200/",
			"/Status/404", "/%2F200", "/%2e/200", "/status/%2e%2e/200", "/200?", "/favicon.ico")
	}
}

// escape percent-encodes some of the bytes of a path after its first
// slash, slashes included.
func (g *reqGen) escape(p string) string {
	var b strings.Builder
	b.WriteByte(p[0])
	for i := 1; i < len(p); i++ {
		switch {
		case !g.chance(0.3):
			b.WriteByte(p[i])
		case g.chance(0.5):
			fmt.Fprintf(&b, "%%%02X", p[i])
		default:
			fmt.Fprintf(&b, "%%%02x", p[i])
		}
	}
	return b.String()
}

var queryParams = []string{
	"delay=0", "sleep=0", "delay=0s", "delay=1h", "delay=-1", "delay=soon", "delay=%zz",
	"delay-after-headers=0", "dribble=0", "dribble=true", "dribbleBody=false",
	"fault=before-headers", "fault=after-headers", "fault=in-body", "fault=sideways", "abortDuringBody=true", "abortBeforeHeaders=false",
	"suppressBody=true", "suppress-body=false", "suppressBody=perhaps",
	"header=X-A:1", "header=X-A%3A%201", "header=X-B:2&header=X-B:3", "header=Connection:close", "header=Location:/z",
	"header=Vary:Origin", "header=Content-Type:text/x", "header=Retry-After:120", "header=X-A",
	"location=/x", "location=/status/200", "location=https://example.org/y", "location=https://evil.example/",
	"user=ann&password=pw", "user=ann", "password=pw",
	"seed=42", "seed=7", "seed=-1",
	"retry-after=2500ms", "retry-after=0", "retry-after=x",
	"bogus=1", "", "=", "a=%ZZ", "DELAY=0", "SuppressBody=true", "_=1712345", "_", "delay=0&sleep=0", "delay=0&delay=0",
	"fault=in-body&abortAfterHeaders=true", "header=Content-Type:text/x", "header=X-Content-Type-Options:none",
	"header=Cache-Control:max-age=5",
}

// slowParams hold a request for a while: a few of them go a long way.
var slowParams = []string{"delay=1ms", "sleepAfterHeaders=1ms", "dribble=1ms"}

// query returns a query string: "?" alone, or one to three parameters.
func (g *reqGen) query(q *genRequest) string {
	if g.chance(0.1) {
		return g.pick("?", "?&", "?&&")
	}
	var ps []string
	for i := 0; i == 0 || (i < 3 && g.chance(0.3)); i++ {
		p := g.pick(queryParams...)
		if g.chance(0.02) {
			p = g.pick(slowParams...)
		}
		if strings.HasPrefix(p, "seed=") {
			q.seeded = true
		}
		ps = append(ps, p)
	}
	return "?" + strings.Join(ps, "&")
}

func (g *reqGen) version(q *genRequest) {
	switch n := g.r.IntN(100); {
	case n < 10:
		q.http10 = true
		if g.chance(0.5) {
			q.fields = append(q.fields, [2]string{"Connection", "keep-alive"})
		}
	case n < 30:
		q.proto = "HTTP/2.0"
	case n < 33:
		q.proto = "HTTP/3.0"
	case n < 35:
		q.proto = "HTTP/1.0" // on the request only
	}
}

var accepts = []string{
	"*/*", "application/json", "text/html", "text/plain", "application/problem+json", "text/*", "application/*",
	"text/html;q=0.9, application/json;q=0.8", "text/plain;q=0", "image/png", "application/json;q=abc",
	"*/*;q=0.1, text/html", " text/html ", "TEXT/HTML", "text/html, application/xhtml+xml, */*;q=0.8",
	"application/json; charset=utf-8", "text/plain;q=0.5, text/html;q=0.5", "", "*", "text", "text/plain;q=1.0001",
	"application/problem+json;q=0, */*", "text/html;level=1;q=0.7",
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

var otherFields = [][2]string{
	{"User-Agent", "difftest/1"}, {"X-Foo", "bar"}, {"Cookie", "a=b"}, {"Accept-Language", "en, fr;q=0.5"},
	{"Accept-Encoding", "gzip"}, {"If-None-Match", sampleETag}, {"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"},
	{"Cache-Control", "no-cache"}, {"Referer", "https://app.example/"}, {"X-Forwarded-For", "192.0.2.1"},
	{"Forwarded", "for=192.0.2.1"}, {"Accept-Charset", "utf-8"}, {"Date", "Sat, 01 Jan 2000 00:00:00 GMT"},
	{"Te", "trailers"}, {"Pragma", "no-cache"}, {"X-Requested-With", "XMLHttpRequest"}, {"Access-Control-Request-Method", "PUT"},
	{"Via", "1.1 proxy"}, {"Keep-Alive", "timeout=5"}, {"X-Httpstatus", "not a control"}, {"X-HttpStatusDelay", "5"},
	{"Content-Type", "application/json"}, {"Prefer", "respond-async"}, {"If-Range", sampleETag},
}

// fields adds header fields that are no control and no content framing.
func (g *reqGen) fields(q *genRequest) {
	add := func(name, value string) {
		switch {
		case g.chance(0.1):
			name = strings.ToLower(name)
		case g.chance(0.05):
			name = strings.ToUpper(name)
		}
		q.fields = append(q.fields, [2]string{name, value})
	}
	if g.chance(0.55) {
		for i := 0; i == 0 || (i < 3 && g.chance(0.25)); i++ {
			add("Accept", g.pick(accepts...))
		}
	}
	if g.chance(0.1) {
		add("Range", g.pick("bytes=0-10", "bytes=1000-", "bytes=-5", "bytes=5000-", "bytes=0-0,5-9", "items=1-2", "garbage", "bytes=-0"))
	}
	creds := []string{basicAuth("ann", "pw"), basicAuth("ann", "no"), basicAuth("bo", "s3"), "Bearer abc", "Basic !!!", "basic " + base64.StdEncoding.EncodeToString([]byte("ann:pw"))}
	if g.chance(0.1) {
		add("Authorization", g.pick(creds...))
	}
	if g.chance(0.07) {
		add("Proxy-Authorization", g.pick(creds...))
	}
	switch {
	case g.chance(0.08):
		add("Upgrade", g.pick("websocket", "websocket, foo", "h2c", "TLS/1.2"))
		if g.chance(0.7) {
			add("Connection", g.pick("Upgrade", "keep-alive, Upgrade", "upgrade"))
		}
	case g.chance(0.08):
		add("Connection", g.pick("keep-alive", "close", "Upgrade", "Upgrade, close", "X-Foo"))
	}
	if g.chance(0.06) {
		add("Expect", g.pick("100-continue", "100-Continue"))
	}
	if g.chance(0.04) {
		q.framed = "zero"
	}
	for g.chance(0.3) {
		f := otherFields[g.r.IntN(len(otherFields))]
		add(f[0], f[1])
	}
}

var controlFields = [][2]string{
	{"X-HttpStatus-Delay", "0"}, {"X-HttpStatus-Sleep", "0"}, {"X-HttpStatus-Sleep", "-1"}, {"x-httpstatus-delay", "0"},
	{"X-HTTPSTATUS-SLEEP", "0"}, {"X-HttpStatus-Delay-After-Headers", "0"}, {"X-HttpStatus-Dribble", "true"},
	{"X-HttpStatus-Response-X-B", "2"}, {"X-HttpStatus-Response-Retry-After", "120"}, {"X-HttpStatus-Response-Vary", "Origin"},
	{"X-HttpStatus-Response-Location", "/elsewhere"}, {"X-HttpStatus-Response-Content-Length", "5"},
	{"X-HttpStatus-Location", "/y"}, {"X-HttpStatus-User", "ann"}, {"X-HttpStatus-Password", "pw"},
	{"X-HttpStatus-Bogus", "1"}, {"X-HttpStatus-Suppress-Body", "true"}, {"X-HttpStatus-SuppressBody", "false"},
	{"X-HttpStatus-Retry-After", "1s"}, {"X-HttpStatus-AbortBeforeHeaders", "true"}, {"X-HttpStatus-AbortDuringBody", "false"},
	{"X-HttpStatus-Fault", "after-headers"}, {"X-Httpstatus-", "x"},
}

// control adds one control: a header field, or a query parameter. A
// request may get several control header fields: parse reads them in the
// order of their names, so that of two bad ones, or two that set one
// control, the same is reported on either path.
func (g *reqGen) control(q *genRequest) {
	if g.chance(0.4) {
		sep := "?"
		if strings.Contains(q.target, "?") {
			sep = "&"
		}
		q.target += sep + g.pick(queryParams...)
		if strings.Contains(q.target, "seed=") {
			q.seeded = true
		}
		return
	}
	if g.chance(0.08) {
		q.fields = append(q.fields, [2]string{"X-HttpStatus-Seed", g.pick("5", "42", "x")})
		q.seeded = true
		return
	}
	q.fields = append(q.fields, controlFields[g.r.IntN(len(controlFields))])
}

func (g *reqGen) origin(q *genRequest) {
	q.fields = append(q.fields, [2]string{g.pick("Origin", "origin"), g.pick("https://app.example", "null", "")})
	if g.chance(0.3) {
		q.method = http.MethodOptions
		q.fields = append(q.fields, [2]string{"Access-Control-Request-Method", g.pick("DELETE", "GET", "bad method")},
			[2]string{"Access-Control-Request-Headers", "authorization, x-httpstatus-sleep"})
	}
}

// content gives q a body: a small one, one over the body limit of the
// second configuration, or a chunked one.
func (g *reqGen) content(q *genRequest) {
	q.body = g.pick("hello", "x", strings.Repeat("body ", 8))
	q.framed = g.pick("", "", "chunked")
}
