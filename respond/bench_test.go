package respond

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmarks measure the writing of a response and not a recorder.
type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }

func benchRequest(accept string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/missing", nil)
	r.Header.Set("Accept", accept)
	return r
}

// BenchmarkWrite404ProblemJSON writes a 404 as application/problem+json,
// the Problem made afresh each time as a handler would.
func BenchmarkWrite404ProblemJSON(b *testing.B) { benchWrite(b, MediaProblemJSON) }

// BenchmarkHTTPError404 is the baseline: net/http's plain-text answer.
func BenchmarkHTTPError404(b *testing.B) {
	w := &discardWriter{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		http.Error(w, "404 page not found", http.StatusNotFound)
	}
}

// BenchmarkWrite404Text and BenchmarkWrite404HTML show the cost of the
// other representations.
func BenchmarkWrite404Text(b *testing.B) { benchWrite(b, MediaText) }

// BenchmarkWrite404HTML renders the HTML page with html/template.
func BenchmarkWrite404HTML(b *testing.B) { benchWrite(b, "text/html,application/xhtml+xml,*/*;q=0.8") }

func benchWrite(b *testing.B, accept string) {
	r := benchRequest(accept)
	w := &discardWriter{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		if err := Write(w, r, New(http.StatusNotFound)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNegotiate parses a browser's Accept header.
func BenchmarkNegotiate(b *testing.B) {
	r := &http.Request{Header: http.Header{"Accept": {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}}}
	b.ReportAllocs()
	for b.Loop() {
		Negotiate(r)
	}
}
