package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"200,500-504", "200:0.9,503:0.1", "1000:1", "200:-1", "200:NaN", "100-599", "504-500", ",", "200:0,500:0", "200:1e308,201:1e308"} {
		f.Add(s, 0.5, 0.5)
	}
	f.Fuzz(func(t *testing.T, s string, u, v float64) {
		sp, err := parseSpec(s)
		if err != nil {
			return
		}
		if u < 0 || u >= 1 || v < 0 || v >= 1 || u != u || v != v {
			u, v = 0.5, 0.5
		}
		if code := sp.pick(u, v); code < 100 || code > 599 {
			t.Fatalf("pick of %q gave %d", s, code)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"1500", "1.5s", "-1s", "99999999999999999999", "", "1h", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := parseDuration(s); err == nil && d < 0 {
			t.Fatalf("parseDuration(%q) = %v, negative", s, d)
		}
	})
}

// FuzzRequest sends arbitrary paths, query strings and control headers to
// the whole handler: the answer is never a 500 and never a panic other
// than the deliberate connection aborts.
func FuzzRequest(f *testing.F) {
	for _, s := range [][3]string{
		{"/404", "", ""},
		{"/status/200:0.9,503:0.1", "seed=3", ""},
		{"/random/200,500-504", "delay=1ms", "X-HttpStatus-Sleep"},
		{"/302", "location=//evil", ""},
		{"/200", "header=X-A:%01", "X-HttpStatus-Response-X"},
		{"/206", "", "Range"},
		{"/401", "user=a&password=b", "Authorization"},
	} {
		f.Add(s[0], s[1], s[2], "1")
	}
	errs := &errorCounter{}
	s := New(WithLimits(Limits{MaxDelay: 5 * time.Millisecond}), WithLogger(slog.New(errs)))
	f.Fuzz(func(t *testing.T, path, query, hname, hvalue string) {
		u := &url.URL{Path: path, RawQuery: query}
		if !strings.HasPrefix(path, "/") {
			return
		}
		req, err := http.NewRequest("GET", u.String(), nil)
		if err != nil {
			return
		}
		if hname != "" && httptext.IsToken(hname) && validValue(hvalue) {
			req.Header.Set(hname, hvalue)
		}
		w := httptest.NewRecorder()
		func() {
			defer func() {
				if v := recover(); v != nil && v != http.ErrAbortHandler {
					t.Fatalf("%s: panic %v", u, v)
				}
			}()
			s.ServeHTTP(w, req)
		}()
		if n := errs.n.Load(); n > 0 {
			t.Fatalf("%s: the server logged %d errors (a 500 of its own)", u, n)
		}
	})
}

// errorCounter is a slog handler that counts error records.
type errorCounter struct{ n atomic.Int64 }

func (e *errorCounter) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (e *errorCounter) Handle(context.Context, slog.Record) error {
	e.n.Add(1)
	return nil
}
func (e *errorCounter) WithAttrs([]slog.Attr) slog.Handler { return e }
func (e *errorCounter) WithGroup(string) slog.Handler      { return e }
