package ops

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/httpstatus/httpstatus/internal/lazy"
	"github.com/httpstatus/httpstatus/server"
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

// Metrics are the Prometheus collectors of "httpstatus serve", in a
// registry of their own. Observe counts a finished request; ServeHTTP
// serves the exposition.
type Metrics struct {
	requests *prometheus.CounterVec
	rejected *prometheus.CounterVec
	byRoute  *prometheus.CounterVec
	handler  http.Handler

	// counters caches the child of requests for each code and method, so
	// that counting a request neither allocates nor hashes labels. The
	// children of a code are looked up when the code is first counted;
	// a full table would be pointers the garbage collector scans on
	// every cycle, most of them nil.
	counters [600]atomic.Pointer[codeCounters]
	// routes caches the child of byRoute for each route pattern, a set
	// the muxes bound.
	routes sync.Map // of string to prometheus.Counter
}

func (m *Metrics) routeCounter(route string) prometheus.Counter {
	if c, ok := m.routes.Load(route); ok {
		return c.(prometheus.Counter)
	}
	c, _ := m.routes.LoadOrStore(route, m.byRoute.WithLabelValues(route))
	return c.(prometheus.Counter)
}

// codeCounters are the children of requests for one code, by method.
type codeCounters [len(methods)]atomic.Pointer[counterBox]

type counterBox struct{ c prometheus.Counter }

// Gauges are the readings of the status server that the metrics expose.
type Gauges struct {
	// Waiting returns the requests held by a delay now.
	Waiting func() int
	// Memory returns what the server remembers of the keys of runs.
	Memory func() server.MemoryStats
}

// NewMetrics registers the collectors: requests by code and method, by
// route, and refused by a limit; the gauges; and the Go and process
// collectors.
func NewMetrics(g Gauges) (*Metrics, error) {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_requests_total",
			Help: "Requests answered, by the status code sent (or meant, for a closed connection) and the request method.",
		}, []string{"code", "method"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_requests_rejected_total",
			Help: "Requests refused by a limit, by the limit.",
		}, []string{"limit"}),
		byRoute: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_route_requests_total",
			Help: `Requests answered, by the pattern of the route that answered ("" for none).`,
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{
		m.requests,
		m.rejected,
		m.byRoute,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "httpstatus_requests_waiting",
			Help: "Requests currently held by a delay or a slow body.",
		}, func() float64 { return float64(g.Waiting()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "httpstatus_keys",
			Help: "Keys of runs the server remembers (sequences, rate limits, resources).",
		}, func() float64 { return float64(g.Memory().Keys) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "httpstatus_keys_bytes",
			Help: "Bytes the remembered keys hold, as the server estimates them for its memory limit.",
		}, func() float64 { return float64(g.Memory().Bytes) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "httpstatus_keys_evicted_total",
			Help: "Keys forgotten before their idle time to stay within the key and memory limits.",
		}, func() float64 { return float64(g.Memory().Evicted) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, errors.Join(errors.New("ops: registering a metric"), err)
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m, nil
}

// Observe counts one finished request; it is a server.Observer.
func (m *Metrics) Observe(_ *http.Request, o server.Observation) {
	code := o.Code
	if code < 0 || code >= len(m.counters) {
		code = 0
	}
	mi := methodIndex(o.Method)
	byCode := lazy.Load(&m.counters[code], func() *codeCounters { return new(codeCounters) })
	box := lazy.Load(&byCode[mi], func() *counterBox {
		return &counterBox{m.requests.WithLabelValues(strconv.Itoa(code), methods[mi])}
	})
	box.c.Inc()
	m.routeCounter(o.Route).Inc()
	if o.Limit != "" {
		m.rejected.WithLabelValues(o.Limit).Inc()
	}
}

// ServeHTTP serves the metrics to GET and HEAD.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if getOrHead(w, r) {
		m.handler.ServeHTTP(w, r)
	}
}
