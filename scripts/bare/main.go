// Command bare is the yardstick of the benchmarks: a bare net/http server
// whose handler writes "404 Not Found", first sleeping for the duration a
// request's ?delay= names, when it names one (as the memory benchmark needs).
// With -cancellable, the wait also ends when the client goes away, as the
// status server's does; without it, the handler uses time.Sleep.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	cancellable := flag.Bool("cancellable", false, "end a delay when the client goes away")
	flag.Parse()
	body := []byte("404 Not Found")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
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
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
