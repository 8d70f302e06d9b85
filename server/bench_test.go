package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is the cheapest ResponseWriter, so that the benchmarks
// measure the handler alone.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

func BenchmarkServe404(b *testing.B) {
	s := New()
	r := httptest.NewRequest(http.MethodGet, "/404", nil)
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(&discardWriter{h: http.Header{}}, r)
	}
}

func BenchmarkBare404(b *testing.B) {
	body := []byte("404 Not Found")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	})
	r := httptest.NewRequest(http.MethodGet, "/404", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discardWriter{h: http.Header{}}, r)
	}
}

func BenchmarkServeDelayed(b *testing.B) {
	s := New()
	r := httptest.NewRequest(http.MethodGet, "/200?delay=1ns", nil)
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(&discardWriter{h: http.Header{}}, r)
	}
}
