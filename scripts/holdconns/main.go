// Command holdconns opens n connections to a server at once, sends one
// delayed request on each, prints "ready" once every request is sent, and
// then waits for every response. It prints how many came back with the
// expected status and how many failed, and exits 1 if any failed. The
// memory benchmark measures the server while the requests wait.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "server address")
	path := flag.String("path", "/200?delay=20s", "request target")
	n := flag.Int("n", 10000, "concurrent requests")
	want := flag.Int("status", 200, "expected status")
	flag.Parse()

	var sent, ok, failed atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	request := "GET " + *path + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
	for range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := hold(*addr, request, *want, &sent)
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			ok.Add(1)
		}()
	}
	deadline := time.Now().Add(60 * time.Second)
	for sent.Load()+failed.Load() < int64(*n) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("ready", sent.Load())
	wg.Wait()
	fmt.Printf("done ok=%d failed=%d\n", ok.Load(), failed.Load())
	if failed.Load() > 0 {
		fmt.Fprintln(os.Stderr, "first error:", firstErr.Load())
		os.Exit(1)
	}
}

func hold(addr, request string, want int, sent *atomic.Int64) error {
	var conn net.Conn
	var err error
	for try := 0; try < 5; try++ {
		if conn, err = net.DialTimeout("tcp", addr, 10*time.Second); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(request)); err != nil {
		return err
	}
	sent.Add(1)
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		return fmt.Errorf("status %d, want %d", res.StatusCode, want)
	}
	return nil
}
