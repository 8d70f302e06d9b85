package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// bodyServer returns a loopback server over a Server with opts and an
// observer, and the observations it made, by request target.
func bodyServer(t *testing.T, opts ...Option) (*httptest.Server, func(target string) (Observation, bool)) {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]Observation{}
	opts = append(opts, WithObserver(func(r *http.Request, o Observation) {
		mu.Lock()
		defer mu.Unlock()
		seen[r.URL.RequestURI()] = o
	}))
	ts := httptest.NewServer(New(opts...))
	t.Cleanup(ts.Close)
	observed := func(target string) (Observation, bool) {
		t.Helper()
		// The observer runs after the response is written, on the
		// server's goroutine: wait for it.
		var o Observation
		var ok bool
		waitFor(t, func() bool {
			mu.Lock()
			defer mu.Unlock()
			o, ok = seen[target]
			return ok
		})
		return o, ok
	}
	return ts, observed
}

// rawConn is a client connection that writes a request in parts.
type rawConn struct {
	t  *testing.T
	c  *net.TCPConn
	br *bufio.Reader
}

// dialRaw connects to ts, with a guard deadline on the connection.
func dialRaw(t *testing.T, ts *httptest.Server) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// A guard against a hang, far longer than any answer takes.
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawConn{t: t, c: c.(*net.TCPConn), br: bufio.NewReader(c)}
}

// send writes s on the connection.
func (rc *rawConn) send(s string) {
	rc.t.Helper()
	if _, err := io.WriteString(rc.c, s); err != nil {
		rc.t.Fatalf("writing %q: %v", s, err)
	}
}

// response reads one response and its body; it fails the test when none
// arrives.
func (rc *rawConn) response(method string) (*http.Response, string) {
	rc.t.Helper()
	res, err := http.ReadResponse(rc.br, &http.Request{Method: method})
	if err != nil {
		rc.t.Fatalf("no response: %v", err)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		rc.t.Fatalf("reading the body: %v", err)
	}
	return res, string(b)
}

// closed reports whether the server closes the connection before the
// guard deadline: what it sends first is read and dropped.
func (rc *rawConn) closed() bool {
	_, err := io.Copy(io.Discard, rc.br)
	ne, ok := err.(net.Error)
	return err == nil || !ok || !ne.Timeout()
}

// TestBadBodies checks that a request body that is malformed or cut short
// is answered with a 400 problem that closes the connection, never an
// empty 200, and that the observer records the 400.
func TestBadBodies(t *testing.T) {
	t.Parallel()
	ts, observed := bodyServer(t)
	tests := []struct {
		name, target, head, body string
		halfClose                bool
	}{
		{"bad chunk size", "/302", "Transfer-Encoding: chunked\r\n", "zz\r\n", false},
		{"bad chunk after a good one", "/200", "Transfer-Encoding: chunked\r\n", "3\r\nabc\r\nq\r\n", false},
		{"chunk without its line end", "/201", "Transfer-Encoding: chunked\r\n", "3\r\nabcXY", false},
		{"cut short", "/204", "Content-Length: 50\r\n", "abc", true},
		{"chunked cut short", "/202", "Transfer-Encoding: chunked\r\n", "10\r\nabc", true},
		{"1xx then a bad chunk", "/103", "Transfer-Encoding: chunked\r\n", "zz\r\n", false},
		{"206 cut short", "/206", "Content-Length: 9\r\n", "ab", true},
		{"resource cut short", "/resource?key=bad-body", "Content-Length: 9\r\n", "ab", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := "POST"
			if strings.HasPrefix(tt.target, "/resource") {
				method = "PUT"
			}
			rc := dialRaw(t, ts)
			rc.send(method + " " + tt.target + " HTTP/1.1\r\nHost: x\r\n" + tt.head + "\r\n" + tt.body)
			if tt.halfClose {
				_ = rc.c.CloseWrite()
			}
			var res *http.Response
			var body string
			for {
				res, body = rc.response(method)
				if res.StatusCode >= 200 {
					break
				}
			}
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(problemDetail(t, body), "malformed or cut short") {
				t.Fatalf("status %d, body %q; want a 400 problem about the body", res.StatusCode, body)
			}
			if !res.Close {
				t.Errorf("the 400 does not say Connection: close")
			}
			if !rc.closed() {
				t.Errorf("the connection stayed open after the 400")
			}
			if o, _ := observed(tt.target); o.Code != http.StatusBadRequest {
				t.Errorf("observed %+v, want the 400 that was sent", o)
			}
		})
	}
}

// TestBodyTimeout checks the deadline of a request body: a body that
// stops coming is answered 408 and its connection closed, also when the
// server leaves it unread and net/http reads it; the deadline starts
// after the request's own delay; body-timeout gives a slow upload more
// time, within the longest hold; and a held response outlives the body
// timeout.
func TestBodyTimeout(t *testing.T) {
	t.Parallel()
	const bt = 100 * time.Millisecond
	ts, observed := bodyServer(t, WithLimits(Limits{BodyTimeout: bt, MaxDelay: 5 * time.Second}))

	t.Run("stalled body", func(t *testing.T) {
		t.Parallel()
		rc := dialRaw(t, ts)
		rc.send("POST /200 HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nabc")
		res, body := rc.response("POST")
		if res.StatusCode != http.StatusRequestTimeout || !res.Close || !strings.Contains(problemDetail(t, body), "body-timeout") {
			t.Fatalf("status %d, close %v, body %q; want a 408 problem with Connection: close", res.StatusCode, res.Close, body)
		}
		if !rc.closed() {
			t.Errorf("the connection stayed open after the 408")
		}
		if o, _ := observed("/200"); o.Code != http.StatusRequestTimeout || o.Limit != "body-timeout" {
			t.Errorf("observed %+v, want 408 refused by body-timeout", o)
		}
	})
	t.Run("stalled body the server does not read", func(t *testing.T) {
		t.Parallel()
		rc := dialRaw(t, ts)
		rc.send("POST /500 HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nabc")
		res, _ := rc.response("POST")
		if res.StatusCode != http.StatusInternalServerError || !res.Close {
			t.Fatalf("status %d, close %v; want the 500 asked for, closing the connection", res.StatusCode, res.Close)
		}
		if !rc.closed() {
			t.Errorf("the connection stayed open")
		}
	})
	t.Run("stalled body behind Expect", func(t *testing.T) {
		t.Parallel()
		rc := dialRaw(t, ts)
		rc.send("PUT /resource?key=stall HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\nExpect: 100-continue\r\n\r\n")
		res, _ := rc.response("PUT")
		if res.StatusCode != http.StatusContinue {
			t.Fatalf("status %d, want 100 Continue first", res.StatusCode)
		}
		rc.send("abc")
		if res, _ = rc.response("PUT"); res.StatusCode != http.StatusRequestTimeout {
			t.Fatalf("status %d, want 408", res.StatusCode)
		}
	})
	// The client sends each piece of the body 250 ms after the last:
	// always after the server's 100 ms, always within a body-timeout of 4 s.
	slowUpload := func(t *testing.T, target string) *http.Response {
		rc := dialRaw(t, ts)
		rc.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab")
		for _, piece := range []string{"cd", "ef"} {
			time.Sleep(250 * time.Millisecond)
			if _, err := io.WriteString(rc.c, piece); err != nil {
				break // the server gave up; its answer tells
			}
		}
		res, _ := rc.response("POST")
		return res
	}
	t.Run("slow upload", func(t *testing.T) {
		t.Parallel()
		if res := slowUpload(t, "/200"); res.StatusCode != http.StatusRequestTimeout {
			t.Errorf("a slow upload without body-timeout: %d, want 408", res.StatusCode)
		}
		if res := slowUpload(t, "/201?body-timeout=4s"); res.StatusCode != http.StatusCreated {
			t.Errorf("a slow upload with body-timeout=4s: %d, want 201", res.StatusCode)
		}
	})
	t.Run("body read after the delay", func(t *testing.T) {
		t.Parallel()
		// More than net/http buffers with the header section, so that the
		// server reads most of it from the connection, after the delay.
		body := strings.Repeat("x", 64<<10)
		rc := dialRaw(t, ts)
		rc.send("POST /200?delay=300ms HTTP/1.1\r\nHost: x\r\nContent-Length: 65536\r\n\r\n" + body)
		if res, _ := rc.response("POST"); res.StatusCode != http.StatusOK {
			t.Errorf("a body sent at once, read after a 300ms delay: %d, want 200", res.StatusCode)
		}
	})
	t.Run("held response after the body", func(t *testing.T) {
		t.Parallel()
		for _, target := range []string{"/200?dribble=400ms", "/200?delay-after-headers=300ms", "/503?dribble=400ms"} {
			rc := dialRaw(t, ts)
			rc.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
			res, err := http.ReadResponse(rc.br, &http.Request{Method: "POST"})
			if err != nil {
				t.Fatalf("%s: %v", target, err)
			}
			if _, err := io.ReadAll(res.Body); err != nil {
				t.Errorf("%s: the held response was cut: %v", target, err)
			}
		}
	})
	t.Run("over the longest hold", func(t *testing.T) {
		t.Parallel()
		for _, q := range []string{"?body-timeout=6s", "?body-timeout=3s&delay=3s", "?body-timeout=soon"} {
			res, _ := do(t, ts.Client(), newReq(t, "GET", ts.URL+"/200"+q))
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", q, res.StatusCode)
			}
		}
	})
}

// TestAbortWithUnsentBody checks that a response cut off on purpose
// closes the connection at once when the request's body never came: a
// client that sent Expect: 100-continue and got a response instead of a
// 100 does not send it, and net/http would wait for it before closing.
// The body timeout is longer than the test's guard, so only the abort can
// end the wait.
func TestAbortWithUnsentBody(t *testing.T) {
	t.Parallel()
	ts, _ := bodyServer(t, WithLimits(Limits{BodyTimeout: time.Hour}))
	for _, target := range []string{"/500?fault=in-body", "/404?fault=after-headers", "/200?fault=before-headers", "/444",
		"/503?abortDuringBody=true&delay=10ms"} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			rc := dialRaw(t, ts)
			rc.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n")
			if !rc.closed() {
				t.Errorf("the connection was still open after 10 s")
			}
		})
	}
}

// TestHalfClosedClient checks that a client that closes its side of the
// connection after its request, which net/http takes for a client gone,
// gets no empty 200 after a delay or an interim response: the server
// closes the connection.
func TestHalfClosedClient(t *testing.T) {
	t.Parallel()
	ts, observed := bodyServer(t)
	for _, target := range []string{"/503?delay=100ms", "/103?delay=100ms", "/status/200,201?delay=100ms"} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			rc := dialRaw(t, ts)
			rc.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")
			_ = rc.c.CloseWrite()
			got, _ := io.ReadAll(rc.br)
			if strings.Contains(string(got), " 200 ") {
				t.Errorf("got %q, want no 200", got)
			}
			if o, _ := observed(target); !o.Aborted {
				t.Errorf("observed %+v, want the connection closed", o)
			}
		})
	}
}
