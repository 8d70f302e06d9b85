package cli

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWaitingRequestStacks holds delayed requests of the common kinds on
// what serve composes and checks the goroutine stack each keeps while it
// waits. A waiting request holds the largest stack its goroutine grew to
// on the way to the wait: net/http's connection goroutine starts small and
// doubles, and a request that stays within 4 KiB before its wait costs
// half the stack of one that went past it, for as long as it waits. With
// a few thousand clients waiting on delays, that is most of the server's
// memory (scripts/bench-memory.sh measures it). net/http's background
// reader of each connection adds a small stack of its own.
//
// The race detector makes frames larger and its stacks start twice as
// large, which hides a regression of a few hundred bytes; so a test binary
// built with -race runs this test again through the go command, without.
func TestWaitingRequestStacks(t *testing.T) {
	if testing.Short() {
		t.Skip("holds hundreds of connections")
	}
	if raceEnabled {
		goTool, err := exec.LookPath("go")
		if err != nil {
			t.Skip("built with -race, and no go command to run the test without it")
		}
		out, err := exec.CommandContext(t.Context(), goTool, "test", "-count=1", "-v", "-run", "^TestWaitingRequestStacks$", ".").CombinedOutput()
		if err != nil {
			t.Fatalf("without -race: %v\n%s", err, out)
		}
		for line := range strings.Lines(string(out)) {
			if strings.Contains(line, "bytes of stack") {
				t.Logf("without -race: %s", strings.TrimSpace(line))
			}
		}
		return
	}
	base, c, _ := composed(t, "--access-log=false")
	addr := strings.TrimPrefix(base, "http://")
	waits := []struct{ target, header string }{
		{"/200?delay=10s", ""},
		{"/503?delay=10s&retry-after=5", ""},
		{"/status/504?delay=10s", ""},
		{"/random/200,500-504?delay=10s", ""},
		{"/status/200:0.9,503:0.1?delay=10s", ""},
		{"/200?sleep=10s", ""},
		{"/200", "X-HttpStatus-Delay: 10s\r\n"},
		{"/302?delay=10s&location=/200", ""},
		{"/401?delay=10s", "Authorization: Basic dTpw\r\n"},
		{"/200?delay=10s&header=X-A:1", "Origin: http://example.com\r\nAccept: text/html\r\n"},
		{"/sequence/503,200?delay=10s&key=stacks", ""},
	}
	const perKind = 30
	n := perKind * len(waits)

	runtime.GC()
	var before, during runtime.MemStats
	runtime.ReadMemStats(&before)
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, conn := range conns {
			conn.Close()
		}
	}()
	for i := range n {
		w := waits[i%len(waits)]
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", w.target, addr, w.header); err != nil {
			t.Fatal(err)
		}
	}
	waitingReaches(t, c, base, n)
	runtime.GC()
	runtime.ReadMemStats(&during)

	limit := 4096 + 2048 + 1024 // the request's 4 KiB, the reader's 2 KiB, slack
	perConn := (int64(during.StackInuse) - int64(before.StackInuse)) / int64(n)
	t.Logf("%d waiting requests: %d bytes of stack each (bound %d)", n, perConn, limit)
	if perConn > int64(limit) {
		t.Errorf("%d waiting requests hold %d bytes of goroutine stack each, over %d: a request grows its stack past 4 KiB before its wait (find where with debug.SetMaxStack(4096) while one waits)", n, perConn, limit)
	}
}

// waitingReaches polls /metrics until n requests are waiting.
func waitingReaches(t *testing.T, c *http.Client, base string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := -1
		if res, err := c.Get(base + "/metrics"); err == nil {
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "httpstatus_requests_waiting "); ok {
					f, _ := strconv.ParseFloat(v, 64)
					got = int(f)
				}
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests waiting after 10s, want %d", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
