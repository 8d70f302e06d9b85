// Command bare is the yardstick of the benchmarks: a bare net/http server
// whose handler writes "404 Not Found", first sleeping for the duration a
// request's ?delay= names, when it names one (as the memory benchmark needs).
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	flag.Parse()
	body := []byte("404 Not Found")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if d, err := time.ParseDuration(r.URL.Query().Get("delay")); err == nil {
				time.Sleep(d)
			}
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
