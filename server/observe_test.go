package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestObserve checks what an observer is told, on the cached and the
// ordinary path, for answers that were sent, refused or cut off.
func TestObserve(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	got := map[string]Observation{}
	s := New(WithLimits(Limits{MaxDelay: time.Second, MaxBody: 4}), WithObserver(func(r *http.Request, o Observation) {
		mu.Lock()
		defer mu.Unlock()
		got[r.Method+" "+r.URL.RequestURI()] = o
	}))
	tests := []struct {
		method, target string
		body           string
		want           Observation
	}{
		{"GET", "/404", "", Observation{Method: "GET", Route: "/{code}", Code: 404}},
		{"HEAD", "/status/404", "", Observation{Method: "HEAD", Route: "/status/{codes}", Code: 404}},
		{"GET", "/418?delay=1ms", "", Observation{Method: "GET", Route: "/{code}", Code: 418}},
		{"GET", "/200?delay=2s", "", Observation{Method: "GET", Route: "/{code}", Code: 400, Limit: "delay"}},
		{"POST", "/200", "too long", Observation{Method: "POST", Route: "/{code}", Code: 413, Limit: "body"}},
		{"GET", "/103", "", Observation{Method: "GET", Route: "/{code}", Code: 200}},
		{"GET", "/444", "", Observation{Method: "GET", Route: "/{code}", Code: 444, Aborted: true}},
		{"GET", "/502?fault=before-headers", "", Observation{Method: "GET", Route: "/{code}", Code: 502, Aborted: true}},
		{"GET", "/500?fault=in-body", "", Observation{Method: "GET", Route: "/{code}", Code: 500, Aborted: true}},
		{"GET", "/abc", "", Observation{Method: "GET", Route: "/{code}", Code: 400}},
		{"GET", "/no/such/route", "", Observation{Method: "GET", Route: "/", Code: 404}},
	}
	for _, tt := range tests {
		var body *strings.Reader
		if tt.body != "" {
			body = strings.NewReader(tt.body)
		}
		r := httptest.NewRequest(tt.method, tt.target, nil)
		if body != nil {
			r = httptest.NewRequest(tt.method, tt.target, body)
		}
		w := httptest.NewRecorder()
		func() {
			defer func() {
				if v := recover(); v != nil && v != http.ErrAbortHandler {
					t.Errorf("%s %s: panic %v", tt.method, tt.target, v)
				}
			}()
			s.ServeHTTP(w, r)
		}()
		mu.Lock()
		o, ok := got[tt.method+" "+tt.target]
		mu.Unlock()
		if !ok {
			t.Errorf("%s %s: not observed", tt.method, tt.target)
			continue
		}
		if o.Duration <= 0 {
			t.Errorf("%s %s: duration %v", tt.method, tt.target, o.Duration)
		}
		if tt.method == "GET" && !tt.want.Aborted && tt.want.Code != 200 && o.Bytes != int64(w.Body.Len()) {
			t.Errorf("%s %s: %d bytes observed, %d written", tt.method, tt.target, o.Bytes, w.Body.Len())
		}
		o.Duration, o.Bytes = 0, 0
		if o != tt.want {
			t.Errorf("%s %s: observed %+v, want %+v", tt.method, tt.target, o, tt.want)
		}
	}
}

// TestObserveSwitchingProtocols checks that a hijacked 101 is observed as
// 101, although no status went through the writer.
func TestObserveSwitchingProtocols(t *testing.T) {
	t.Parallel()
	seen := make(chan Observation, 1)
	ts := httptest.NewServer(New(WithObserver(func(_ *http.Request, o Observation) { seen <- o })))
	defer ts.Close()
	got := rawExchange(t, ts.Listener.Addr().String(), "GET /101 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 101 ") {
		t.Fatalf("response %q", got)
	}
	if o := <-seen; o.Code != http.StatusSwitchingProtocols || o.Aborted {
		t.Errorf("observed %+v, want code 101, not aborted", o)
	}
}
