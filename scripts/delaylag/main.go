// Command delaylag measures how exact a server's delays are: it opens n
// connections at once, sends one delayed request on each as soon as it is
// connected, and times each from the moment its request is written to the
// moment its response's header section has been read. It prints the median,
// 99th percentile and largest of those times and of their excess over the
// delay asked, the number of requests in flight at the peak, and how many
// failed; and, for scripts/bench-delay.sh, a tab-separated line of the
// figures in microseconds. It exits 1 if any request failed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18098", "server address")
	path := flag.String("path", "/200?delay=1s", "request target")
	n := flag.Int("n", 1000, "concurrent requests")
	delay := flag.Duration("delay", time.Second, "the delay the target asks for")
	want := flag.Int("status", 200, "expected status")
	timeout := flag.Duration("timeout", time.Minute, "longest wait for one response")
	flag.Parse()

	request := "GET " + *path + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
	type timing struct{ asked, answered time.Time }
	timings := make([]timing, *n)
	errs := make([]error, *n)
	var wg sync.WaitGroup
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			timings[i].asked, timings[i].answered, errs[i] = ask(*addr, request, *want, *timeout)
		}()
	}
	wg.Wait()

	var took, late []time.Duration
	var failed int
	var firstErr error
	first, last := time.Time{}, time.Time{}
	type event struct {
		at    time.Time
		delta int
	}
	var events []event
	for i, t := range timings {
		if errs[i] != nil {
			failed++
			if firstErr == nil {
				firstErr = errs[i]
			}
			continue
		}
		d := t.answered.Sub(t.asked)
		took = append(took, d)
		late = append(late, d-*delay)
		if first.IsZero() || t.asked.Before(first) {
			first = t.asked
		}
		if t.asked.After(last) {
			last = t.asked
		}
		events = append(events, event{t.asked, 1}, event{t.answered, -1})
	}
	// The most requests that were asked and not yet answered at once.
	slices.SortFunc(events, func(a, b event) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta // an answer before a request at the same instant
	})
	peak, inFlight := 0, 0
	for _, e := range events {
		inFlight += e.delta
		peak = max(peak, inFlight)
	}
	slices.Sort(took)
	slices.Sort(late)
	q := func(s []time.Duration, p float64) time.Duration {
		if len(s) == 0 {
			return 0
		}
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	fmt.Printf("%d requests for %s: %d answered, %d failed; asked over %v, %d in flight at the peak\n",
		*n, *path, len(took), failed, last.Sub(first).Round(time.Millisecond), peak)
	fmt.Printf("  answered - asked: median %v, p99 %v, max %v\n", q(took, 0.5).Round(time.Microsecond), q(took, 0.99).Round(time.Microsecond), q(took, 1).Round(time.Microsecond))
	fmt.Printf("  beyond the %v delay: median %v, p99 %v, max %v\n", *delay, q(late, 0.5).Round(time.Microsecond), q(late, 0.99).Round(time.Microsecond), q(late, 1).Round(time.Microsecond))
	us := func(d time.Duration) int64 { return d.Microseconds() }
	fmt.Printf("figures\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", us(q(took, 0.5)), us(q(took, 0.99)), us(q(late, 0.5)), us(q(late, 0.99)), peak, len(took), failed)
	if failed > 0 {
		fmt.Fprintln(os.Stderr, "first error:", firstErr)
		os.Exit(1)
	}
}

// ask connects, sends request and returns when it was written and when the
// response's header section was read.
func ask(addr, request string, want int, timeout time.Duration) (asked, answered time.Time, err error) {
	var conn net.Conn
	for try := 0; try < 5; try++ {
		if conn, err = net.DialTimeout("tcp", addr, 10*time.Second); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return asked, answered, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	asked = time.Now()
	if _, err := io.WriteString(conn, request); err != nil {
		return asked, answered, err
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return asked, answered, err
	}
	answered = time.Now()
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return asked, answered, err
	}
	if res.StatusCode != want {
		return asked, answered, fmt.Errorf("status %d, want %d", res.StatusCode, want)
	}
	return asked, answered, nil
}
