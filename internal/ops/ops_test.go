package ops

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/server"
)

// TestRunDrains checks that Run lets an in-flight request finish when its
// context is cancelled, answers 503 on the health probe meanwhile, and
// reports a request that outlasts the drain timeout.
func TestRunDrains(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		hold   time.Duration
		drain  time.Duration
		wantOK bool
	}{
		{"drained", 300 * time.Millisecond, 10 * time.Second, true},
		{"drain timeout", 20 * time.Second, 50 * time.Millisecond, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			health := new(Health)
			started := make(chan struct{})
			mux := http.NewServeMux()
			mux.Handle("/healthz", health)
			mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
				close(started)
				select {
				case <-time.After(tt.hold):
				case <-r.Context().Done():
				}
				_, _ = io.WriteString(w, "done")
			})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ran := make(chan error, 1)
			go func() { ran <- Run(ctx, mux, health, Config{Listener: ln, DrainTimeout: tt.drain}) }()
			got := make(chan int, 1)
			go func() {
				res, err := http.Get("http://" + ln.Addr().String() + "/slow")
				if err != nil {
					got <- 0
					return
				}
				_, err = io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					got <- -1
					return
				}
				got <- res.StatusCode
			}()
			<-started
			cancel()
			for !health.draining.Load() {
				time.Sleep(time.Millisecond)
			}
			w := httptest.NewRecorder()
			health.ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
				t.Errorf("health while draining: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
			}
			runErr := <-ran
			status := <-got
			if tt.wantOK && (runErr != nil || status != 200) {
				t.Errorf("Run: %v, in-flight status %d; want nil and 200", runErr, status)
			}
			if !tt.wantOK && (runErr == nil || status == 200) {
				t.Errorf("Run: %v, in-flight status %d; want a drain error and a cut request", runErr, status)
			}
		})
	}
}

// TestRunRefusesHalfTLS checks that a certificate without a key is an error
// before anything listens.
func TestRunRefusesHalfTLS(t *testing.T) {
	t.Parallel()
	err := Run(context.Background(), http.NotFoundHandler(), nil, Config{Addr: "127.0.0.1:0", CertFile: "cert.pem"})
	if err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("Run with a certificate and no key: %v", err)
	}
}

// TestMetricsObserve checks the counters an observation feeds, the label
// set kept bounded, and the waiting gauge read from its function.
func TestMetricsObserve(t *testing.T) {
	t.Parallel()
	waiting := 3
	m, err := NewMetrics(Gauges{
		Waiting: func() int { return waiting },
		Memory:  func() server.MemoryStats { return server.MemoryStats{Keys: 7, Bytes: 4096, Evicted: 2} },
	})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/404", nil)
	m.Observe(r, server.Observation{Method: "GET", Code: 404, Route: "/{code}"})
	m.Observe(r, server.Observation{Method: "GET", Code: 404, Route: "/{code}"})
	m.Observe(r, server.Observation{Method: "BREW", Code: 418})
	m.Observe(r, server.Observation{Method: "GET", Code: 503, Limit: "waiting"})
	m.Observe(r, server.Observation{Method: "GET", Code: 9999})
	w := httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`httpstatus_requests_total{code="404",method="GET"} 2`,
		`httpstatus_requests_total{code="418",method="OTHER"} 1`,
		`httpstatus_requests_total{code="0",method="GET"} 1`,
		`httpstatus_requests_rejected_total{limit="waiting"} 1`,
		`httpstatus_requests_waiting 3`,
		`httpstatus_route_requests_total{route="/{code}"} 2`,
		`httpstatus_route_requests_total{route=""} 3`,
		`httpstatus_keys 7`,
		`httpstatus_keys_bytes 4096`,
		`httpstatus_keys_evicted_total 2`,
		`process_`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	w = httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest("DELETE", "/metrics", nil))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("DELETE /metrics: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}
