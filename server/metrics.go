package server

import (
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// methods are the request methods the metrics name; any other method is
// counted as OTHER, so that a client cannot grow the label set.
var methods = [...]string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER"}

func methodIndex(m string) int {
	for i, name := range methods[:len(methods)-1] {
		if m == name {
			return i
		}
	}
	return len(methods) - 1
}

// metrics are the Prometheus collectors of one Server.
type metrics struct {
	requests *prometheus.CounterVec
	waiting  prometheus.Gauge
	rejected *prometheus.CounterVec
	handler  http.Handler

	// counters caches the child of requests for each code and method, so
	// that counting a request neither allocates nor hashes labels. The
	// children of a code are looked up when the code is first counted;
	// a full table would be pointers the garbage collector scans on
	// every cycle, most of them nil.
	counters [600]atomic.Pointer[codeCounters]
}

// codeCounters are the children of requests for one code, by method.
type codeCounters [len(methods)]atomic.Pointer[counterBox]

type counterBox struct{ c prometheus.Counter }

// newMetrics registers the server's collectors with reg, and the Go and
// process collectors unless reg already has them.
func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_requests_total",
			Help: "Requests answered, by the status code sent (or meant, for a closed connection) and the request method.",
		}, []string{"code", "method"}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "httpstatus_requests_waiting",
			Help: "Requests currently held by a delay or a slow body.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_requests_rejected_total",
			Help: "Requests refused by a limit, by the limit.",
		}, []string{"limit"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.waiting, m.rejected} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		var already prometheus.AlreadyRegisteredError
		if err := reg.Register(c); err != nil && !errors.As(err, &already) {
			return nil, err
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m, nil
}

// count adds one request with code and method.
func (m *metrics) count(code int, method string) {
	if code < 0 || code >= len(m.counters) {
		code = 0
	}
	mi := methodIndex(method)
	byCode := loadOrStore(&m.counters[code], func() *codeCounters { return new(codeCounters) })
	box := loadOrStore(&byCode[mi], func() *counterBox {
		return &counterBox{m.requests.WithLabelValues(strconv.Itoa(code), methods[mi])}
	})
	box.c.Inc()
}
