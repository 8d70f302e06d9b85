// Command bare is the yardstick of the benchmarks: a bare net/http server
// whose handler writes "404 Not Found", first sleeping for the duration a
// request's ?delay= names, when it names one (as the memory benchmark needs).
//
// The flags turn it, one step at a time, into a server that does what
// "httpstatus serve" must do, so that the load benchmark can show what each
// step costs by itself:
//
//   - -cancellable ends a delay when the client goes away, as the status
//     server's does; without it, the handler uses time.Sleep.
//   - -read-header-timeout, -idle-timeout and -max-header-bytes configure
//     the http.Server as the status server configures its own.
//   - -mirror URL fetches URL once at start-up and then answers every
//     request with the same status, header fields and body (net/http adds
//     Date and Content-Length itself, as it does for the bare 404).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	cancellable := flag.Bool("cancellable", false, "end a delay when the client goes away")
	readHeaderTimeout := flag.Duration("read-header-timeout", 0, "http.Server.ReadHeaderTimeout (0: none, net/http's default)")
	idleTimeout := flag.Duration("idle-timeout", 0, "http.Server.IdleTimeout (0: none, net/http's default)")
	maxHeaderBytes := flag.Int("max-header-bytes", 0, "http.Server.MaxHeaderBytes (0: net/http's default)")
	mirror := flag.String("mirror", "", "answer every request with the response of a GET of this URL, fetched once")
	flag.Parse()

	status, header, body := http.StatusNotFound, http.Header(nil), []byte("404 Not Found")
	if *mirror != "" {
		var err error
		if status, header, body, err = fetch(*mirror); err != nil {
			log.Fatal(err)
		}
	}
	handler := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if d, err := time.ParseDuration(r.URL.Query().Get("delay")); err == nil {
				if !*cancellable {
					time.Sleep(d)
				} else {
					t := time.NewTimer(d)
					select {
					case <-t.C:
					case <-r.Context().Done():
						t.Stop()
						return
					}
				}
			}
		}
		if header != nil {
			h := w.Header()
			for k, v := range header {
				h[k] = v
			}
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           http.HandlerFunc(handler),
		ReadHeaderTimeout: *readHeaderTimeout,
		IdleTimeout:       *idleTimeout,
		MaxHeaderBytes:    *maxHeaderBytes,
	}
	log.Fatal(srv.ListenAndServe())
}

// fetch returns the status, header fields (less those net/http writes
// itself) and body of a GET of url.
func fetch(url string) (int, http.Header, []byte, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("mirror: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("mirror: reading %s: %w", url, err)
	}
	h := res.Header.Clone()
	h.Del("Date")
	h.Del("Content-Length")
	return res.StatusCode, h, body, nil
}
