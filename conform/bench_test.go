package conform

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkCheckRaw checks a small, conforming 404 as curl prints it.
func BenchmarkCheckRaw(b *testing.B) {
	raw := "HTTP/1.1 404 Not Found\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckRaw(strings.NewReader(raw), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMiddleware serves a small JSON response through Middleware,
// which checks every one, and without it.
func BenchmarkMiddleware(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, `{"id": 1, "name": "`+strings.Repeat("x", 1000)+`"}`)
	})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"plain", h},
		{"checked", Middleware(h, WithRate(1<<30, time.Second), WithReport(func(*http.Request, int, []Finding) {}))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			b.ReportAllocs()
			for b.Loop() {
				bc.h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
