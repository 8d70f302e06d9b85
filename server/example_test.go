package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/httpstatus/httpstatus/server"
)

// A Go test runs the status server in process, with no binary and no port
// to manage, and points the client under test at it.
func Example() {
	srv := httptest.NewServer(server.New())
	defer srv.Close()

	res, err := http.Get(srv.URL + "/503?retry-after=2s")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"))
	// Output: 503 2 application/problem+json
}

// An observer sees every request the server finished, including those it
// cut off on purpose: here a client that got no answer at all.
func ExampleWithObserver() {
	var mu sync.Mutex
	var seen []server.Observation
	srv := httptest.NewServer(server.New(server.WithObserver(func(r *http.Request, o server.Observation) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, o)
	})))
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := client.Get(srv.URL + "/504?fault=before-headers"); err != nil {
		fmt.Println("the connection closed before any response")
	}
	mu.Lock()
	defer mu.Unlock()
	o := seen[0]
	fmt.Println(o.Route, o.Code, o.Aborted)
	// Output:
	// the connection closed before any response
	// /{code} 504 true
}
