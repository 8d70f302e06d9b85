package server_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/ops"
	"github.com/httpstatus/httpstatus/respond"
	"github.com/httpstatus/httpstatus/server"
)

// The limits of the hostile-input test: short, so that a request that
// stalls ends soon, and far below the guard each exchange has.
const (
	hostileReadHeader  = time.Second
	hostileBodyTimeout = 500 * time.Millisecond
	hostileMaxDelay    = 2 * time.Second
	hostileGuard       = 8 * time.Second // past every limit: reaching it is a hang
)

// A hostileCase is one malformed request, written on the wire as is.
type hostileCase struct {
	name      string
	raw       string
	halfClose bool  // close the client's sending side after the request
	allow     []int // codes other than 4xx that the case may get, with the reason in its name
}

// hostileCases returns the malformed requests: request lines, header
// names and values, encodings, absurd numbers, huge lists, control
// characters, bodies, HTTP/1.0 and HTTP/2 with prior knowledge.
func hostileCases() []hostileCase {
	get := func(target string, fields ...string) string {
		return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + strings.Join(fields, "") + "\r\n"
	}
	field := func(name, value string) string { return name + ": " + value + "\r\n" }
	var cs []hostileCase
	add := func(name, raw string) { cs = append(cs, hostileCase{name: name, raw: raw}) }

	// Request lines.
	for _, line := range []string{
		"GET", "GET /200", "GET /200 HTTP/1.1 extra", "GET  /200 HTTP/1.1", "GET /200  HTTP/1.1", "GET /200 HTTP/1.a",
		"GET /200 http/1.1", "GET /200 HTTP/01.1", "GET /200 HTTP/1.10", "GET /200 HTTP/1", "G\x00T /200 HTTP/1.1",
		"GET\t/200\tHTTP/1.1", "(GET) /200 HTTP/1.1", "GET /2\x0000 HTTP/1.1", " GET /200 HTTP/1.1", "GET * HTTP/1.1",
		"GET ../200 HTTP/1.1", "GET 200 HTTP/1.1", "GET http://[::1 HTTP/1.1", "GET /200?a\x01b HTTP/1.1",
		"GET /200\x1b[31m HTTP/1.1", "GET /\xff\xfe HTTP/1.1", "\r\n\r\nGET /nope HTTP/1.1",
	} {
		add(fmt.Sprintf("request line %q", line), line+"\r\nHost: x\r\n\r\n")
	}
	add("request line over the header limit", get("/"+strings.Repeat("a", 40_000)))
	add("version 9.9", "GET /200 HTTP/9.9\r\nHost: x\r\n\r\n")
	cs[len(cs)-1].allow = []int{http.StatusHTTPVersionNotSupported} // net/http's 505, as RFC 9110, section 15.6.6, has it

	// Header names and values.
	for _, f := range []string{
		"X A: 1", "X-A : 1", ": 1", "\x00: 1", "X-A\x00: 1", "X(A): 1", "X-A: a\x00b", "X-A: a\rb", "X-A: a\x01b",
		"X-A: a\x7fb", "Host: a b", "Host: a\x00b", "Host: y", "Content-Length: abc", "Content-Length: -5", "Content-Length: 1e3",
		"Content-Length: 0x10", "Content-Length: +3", "Content-Length: 5, 6", "Content-Length: 99999999999999999999",
		"Content-Length: 1\r\nContent-Length: 2", "X-HttpStatus-Delay: soon", "X-HttpStatus-Delay: -1", "X-HttpStatus-Bogus: 1",
		"X-HttpStatus-: 1", "X-HttpStatus-Response-: 1", "X-HttpStatus-Response-Connection: close",
		"X-HttpStatus-Response-Content-Length: 9", "X-HttpStatus-Response-Transfer-Encoding: chunked",
		"X-HttpStatus-Location: //evil.example/", "X-HttpStatus-Location: /\\evil.example", "X-HttpStatus-Response-Refresh: 0;url=//evil.example",
		"X-HttpStatus-Fault: in-body\r\nX-HttpStatus-Suppress-Body: true", "X-HttpStatus-Delay: 0\r\nX-HttpStatus-Sleep: 0",
		"X-HttpStatus-Fault: sideways", "X-HttpStatus-Seed: x", "X-HttpStatus-Key: a b", "X-HttpStatus-Key: " + strings.Repeat("k", 65),
		"Expect: 200-ok",
	} {
		add(fmt.Sprintf("field %q", f), get("/200", f+"\r\n"))
	}
	add("no Host", "GET /200 HTTP/1.1\r\n\r\n")
	add("two Hosts", get("/200", field("Host", "y")))
	add("header section over the limit", get("/200", strings.Repeat(field("X-Filler", strings.Repeat("f", 100)), 400)))
	add("more extra fields than allowed", get("/200", func() string {
		var b strings.Builder
		for i := range 40 {
			b.WriteString(field(fmt.Sprintf("X-HttpStatus-Response-X-%d", i), "1"))
		}
		return b.String()
	}()))
	for _, te := range []string{"gzip", "chunked, chunked", "identity", "chunked\r\nTransfer-Encoding: gzip"} {
		add("transfer coding "+te, "POST /200 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "+te+"\r\n\r\n0\r\n\r\n")
		// RFC 9112, section 6.1: a transfer coding the server does not
		// understand SHOULD get 501; net/http sends it before any handler.
		cs[len(cs)-1].allow = []int{http.StatusNotImplemented}
	}

	// Encodings in the path and the query.
	for _, target := range []string{
		"/%zz", "/200%ZZ", "/%", "/2%0", "/%C0%AF200", "/%C0%AE%C0%AE/200", "/status/%C0%AE%C0%AE/200", "/%00200", "/200%00",
		"/status/200%00", "/random/200,%00", "/%E2%80%AE002", "/%EF%BB%BF200", "/%F0%9F%92%A9", "/status/%FF", "/200?delay=%zz",
		"/200?%zz=1", "/200?delay=1%", "/200?header=X:%00", "/200?header=X-A:%0d%0aSet-Cookie:%20a=b", "/200?header=%00:1",
		"/200?header=X%20A:1", "/200?header=Connection:close", "/200?header=Content-Length:1", "/200?header=Transfer-Encoding:chunked",
		"/302?location=%0d%0a", "/302?location=javascript:alert(1)", "/302?location=//evil.example", "/302?location=%2F%2F%2Fevil.example",
		"/302?location=http:evil.example", "/302?header=Refresh:0;url=http://elsewhere/", "/200?a;b", "/200?de%00lay=1",
		"/200?delay=1%C0%80", "/200?fault=IN-BODY%00",
	} {
		add("encoding "+target, get(target))
	}

	// Absurd numbers.
	for _, target := range []string{
		"/99999999999999999999", "/" + strings.Repeat("9", 50), "/status/" + strings.Repeat("1", 50), "/random/1-" + strings.Repeat("9", 50),
		"/random/200:" + strings.Repeat("9", 400), "/random/200:1e309", "/status/200:-0,500:0", "/status/200:0x10", "/random/200:NaN,500:1",
		"/200?delay=99999999999999999999", "/200?delay=9223372036854775807ns", "/200?delay=1e400s", "/200?delay=-1", "/200?dribble=99999999999h",
		"/200?delay-after-headers=3s", "/200?delay=1s&dribble=1500ms", "/200?body-timeout=3s", "/503?retry-after=99999999999999999999",
		"/random/200,201?seed=18446744073709551616", "/random/200,201?seed=-1", "/200?rate-limit=99999999999/1s", "/200?rate-limit=1/99999999999s",
		"/200?rate-limit=0/1s", "/resource?size=99999999999999999999", "/resource?size=-1", "/redirect/99999999999999999999", "/redirect/-1",
		"/redirect-loop/99999999999", "/sequence/" + strings.Repeat("200,", 101) + "200",
	} {
		add("number "+target[:min(len(target), 60)], get(target))
	}

	// Huge lists.
	add("random list of 10,000 items", get("/random/"+strings.Repeat("200,", 9_999)+"200"))
	add("random list of 5,000 items", get("/random/"+strings.Repeat("200,", 4_999)+"200"))
	add("status list of 10,000 items", get("/status/"+strings.Repeat("200:1,", 9_999)+"200"))
	add("sequence of 1,000 codes", get("/sequence/"+strings.Repeat("503,", 999)+"200"))
	add("33 extra fields", get("/200?"+strings.Repeat("header=X-A:1&", 33)))
	add("one control a thousand times", get("/200?"+strings.Repeat("delay=0&", 1_000)))
	add("a thousand unknown parameters", get("/200?"+strings.Repeat("x=1&", 1_000)))

	// Bodies.
	post := func(target, head, body string) string {
		return "POST " + target + " HTTP/1.1\r\nHost: x\r\n" + head + "\r\n" + body
	}
	add("bad chunk size", post("/302", field("Transfer-Encoding", "chunked"), "zz\r\n"))
	add("chunk size overflow", post("/200", field("Transfer-Encoding", "chunked"), "ffffffffffffffffffff\r\n"))
	add("chunk without its line end", post("/201", field("Transfer-Encoding", "chunked"), "3\r\nabcXY"))
	add("trailer without a colon", post("/200", field("Transfer-Encoding", "chunked"), "0\r\nX-A\r\n\r\n"))
	add("trailer with NUL", post("/200", field("Transfer-Encoding", "chunked"), "0\r\nX-A: \x00\r\n\r\n"))
	add("trailer that never ends", post("/200", field("Transfer-Encoding", "chunked"), "0\r\ngarbage"))
	add("body over the limit", post("/200", field("Content-Length", "100000"), strings.Repeat("b", 100_000)))
	add("body that stalls", post("/200", field("Content-Length", "50"), "abc"))
	add("unread body that stalls", post("/410?key=hostile", field("Content-Length", "50"), "abc"))
	add("resource body that stalls", "PUT /resource?key=hostile HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nabc")
	for _, target := range []string{"/404?fault=in-body", "/200?fault=before-headers", "/404?fault=after-headers", "/444"} {
		add("body never sent behind Expect, "+target, post(target, field("Content-Length", "10")+field("Expect", "100-continue"), ""))
	}
	for _, target := range []string{"/204", "/200", "/206", "/resource?key=hostile"} {
		cs = append(cs, hostileCase{name: "body cut short, " + target, raw: post(target, field("Content-Length", "50"), "abc"), halfClose: true})
	}

	// Stalled header sections: net/http closes them at its limit.
	add("header section never ends", "GET /200 HTTP/1.1\r\nHost: x\r\n")
	add("request line never ends", "GET /200 HT")

	// HTTP/1.0.
	for _, raw := range []string{
		"GET /101 HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
		"GET /nope HTTP/1.0\r\n\r\n",
		"GET /200?delay=soon HTTP/1.0\r\n\r\n",
		"GET /200 HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
		"GET /200 HTTP/1.0\r\nContent-Length: x\r\n\r\n",
		"GET /426 HTTP/1.0\r\n\r\n",
		"GET /status HTTP/1.0\r\n\r\n",
		"GET /200?fault=in-body&suppress-body=true HTTP/1.0\r\n\r\n",
	} {
		add(fmt.Sprintf("HTTP/1.0 %q", strings.SplitN(raw, "\r\n", 2)[0]), raw)
	}
	cs = append(cs, hostileCase{name: "HTTP/1.0 body cut short", raw: "POST /200 HTTP/1.0\r\nContent-Length: 10\r\n\r\nabc", halfClose: true})

	// HTTP/2 with prior knowledge, and garbage after its preface.
	const preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
	frame := func(length int, typ, flags byte, stream uint32, payload string) string {
		return string([]byte{byte(length >> 16), byte(length >> 8), byte(length), typ, flags,
			byte(stream >> 24), byte(stream >> 16), byte(stream >> 8), byte(stream)}) + payload
	}
	for name, raw := range map[string]string{
		"garbage":                      preface + "GARBAGEGARBAGEGARBAGE",
		"preface cut":                  "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n",
		"SETTINGS of 5 bytes":          preface + frame(5, 0x4, 0, 0, "12345"),
		"HEADERS on stream 0":          preface + frame(0, 0x4, 0, 0, "") + frame(3, 0x1, 0x5, 0, "abc"),
		"HEADERS of bad HPACK":         preface + frame(0, 0x4, 0, 0, "") + frame(4, 0x1, 0x5, 1, "\xff\xff\xff\xff"),
		"frame of 16 MiB":              preface + frame(0, 0x4, 0, 0, "") + frame(1<<24-1, 0x0, 0, 1, "x"),
		"WINDOW_UPDATE of 0":           preface + frame(0, 0x4, 0, 0, "") + frame(4, 0x8, 0, 0, "\x00\x00\x00\x00"),
		"DATA on an idle stream":       preface + frame(0, 0x4, 0, 0, "") + frame(3, 0x0, 0x1, 7, "abc"),
		"CONTINUATION with no HEADERS": preface + frame(0, 0x4, 0, 0, "") + frame(3, 0x9, 0x4, 1, "abc"),
	} {
		add("h2 "+name, raw)
	}
	return cs
}

// TestHostileInput sends every hostile case over raw TCP to a loopback
// server running the status server as "httpstatus serve" composes it
// (its cache in front of a mux of its routes, behind Recover, CORS and an
// observer that writes the access log; the web reference and the metrics,
// which are not the server's, left out), on the http.Server ops builds,
// with HTTP/2 by prior knowledge. Each case must get a 4xx or a closed
// connection before the guard deadline, which lies past every limit:
// never a 5xx (but where the case names net/http's), never a panic or an
// error in the logs. Afterwards the server still answers GET /200, and
// holds no request.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	var logs lockedLog
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var mu sync.Mutex
	var fiveHundreds []string
	status := server.New(server.WithLogger(logger), server.WithLimits(server.Limits{
		MaxDelay: hostileMaxDelay, BodyTimeout: hostileBodyTimeout, MaxBody: 64 << 10, MaxWaiting: 64}))
	mux := http.NewServeMux()
	status.Register(mux)
	h := server.Observe(server.CORS(respond.Recover(status.Cache(mux), logger)), ops.AccessLog(logger),
		func(r *http.Request, o server.Observation) {
			if o.Code >= 500 && !o.Aborted {
				mu.Lock()
				fiveHundreds = append(fiveHundreds, fmt.Sprintf("%s %q: %d", r.Method, r.URL.RequestURI(), o.Code))
				mu.Unlock()
			}
		})
	hs := ops.HTTPServer(h, ops.Config{H2C: true, ReadHeaderTimeout: hostileReadHeader, Logger: logger})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	addr := ln.Addr().String()

	cases := hostileCases()
	if len(cases) < 100 {
		t.Fatalf("%d hostile cases, want at least 100", len(cases))
	}
	t.Run("cases", func(t *testing.T) {
		for i, c := range cases {
			t.Run(fmt.Sprintf("%03d", i), func(t *testing.T) {
				t.Parallel()
				code, err := hostileExchange(addr, c)
				t.Logf("%s: %d (0: closed)", c.name, code)
				switch {
				case err != nil:
					t.Errorf("%s: %v", c.name, err)
				case code == 0: // closed without an answer
				case code >= 400 && code < 500:
				case containsInt(c.allow, code):
				default:
					t.Errorf("%s: answered %d, want a 4xx or a closed connection", c.name, code)
				}
			})
		}
	})

	// Requests that are well-formed HTTP/2, with bad controls or codes
	// that do not exist over HTTP/2, get their 4xx over HTTP/2 too.
	t.Run("h2", func(t *testing.T) {
		tr := &http.Transport{Protocols: new(http.Protocols)}
		tr.Protocols.SetUnencryptedHTTP2(true)
		defer tr.CloseIdleConnections()
		c := &http.Client{Transport: tr, Timeout: hostileGuard}
		for _, target := range []string{"/200?delay=soon", "/101", "/426", "/200?fault=in-body&suppress-body=true", "/status",
			"/nope", "/random/" + strings.Repeat("200,", 100) + "200", "/200?delay=0&sleep=0", "/302?location=//evil.example"} {
			res, err := c.Get("http://" + addr + target)
			if err != nil {
				t.Errorf("h2 GET %s: %v", target, err)
				continue
			}
			res.Body.Close()
			if res.ProtoMajor != 2 || res.StatusCode < 400 || res.StatusCode >= 500 {
				t.Errorf("h2 GET %s: %s %d, want a 4xx over HTTP/2", target, res.Proto, res.StatusCode)
			}
		}
		res, err := c.Post("http://"+addr+"/200", "text/plain", strings.NewReader(strings.Repeat("b", 100_000)))
		if err != nil {
			t.Errorf("h2 POST over the body limit: %v", err)
		} else if res.Body.Close(); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("h2 POST over the body limit: %d, want 413", res.StatusCode)
		}
	})

	// The server is healthy afterwards, and holds nothing.
	res, err := http.Get("http://" + addr + "/200")
	if err != nil {
		t.Fatalf("GET /200 after the hostile requests: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /200 after the hostile requests: %d", res.StatusCode)
	}
	deadline := time.Now().Add(hostileGuard)
	for status.Waiting() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := status.Waiting(); n != 0 {
		t.Errorf("%d requests still held after the hostile requests", n)
	}
	mu.Lock()
	for _, f := range fiveHundreds {
		t.Errorf("the server sent a 5xx: %s", f)
	}
	mu.Unlock()
	for line := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(line, "panic") || strings.Contains(line, "level=ERROR") {
			t.Errorf("the log has %q", line)
		}
	}
}

// hostileExchange sends c and returns the status of the first final
// response, or 0 when the server closed the connection without one. It
// fails when the guard deadline passes first: a hang.
func hostileExchange(addr string, c hostileCase) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(hostileGuard))
	if _, err := io.WriteString(conn, c.raw); err != nil && !isClosed(err) {
		return 0, fmt.Errorf("writing the request: %w", err)
	}
	if c.halfClose {
		_ = conn.(*net.TCPConn).CloseWrite()
	}
	method, _, _ := strings.Cut(c.raw, " ")
	br := bufio.NewReader(conn)
	for {
		res, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			if isTimeout(err) {
				return 0, errors.New("no answer and no close before the guard deadline: a hang")
			}
			// Not an HTTP/1 response (the GOAWAY of HTTP/2, or nothing):
			// the server must close the connection.
			if _, err := io.Copy(io.Discard, br); isTimeout(err) {
				return 0, errors.New("the connection stayed open past the guard deadline")
			}
			return 0, nil
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 200 {
			return res.StatusCode, nil
		}
	}
}

// isTimeout reports whether err is a deadline that passed.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isClosed reports whether err says the server closed the connection.
func isClosed(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset by peer") || strings.Contains(err.Error(), "broken pipe")
}

// containsInt reports whether x is one of xs.
func containsInt(xs []int, x int) bool { return slices.Contains(xs, x) }

// lockedLog collects the server's log records.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p to the log.
func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns the log so far.
func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
