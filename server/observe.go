package server

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// An Observation is what Observe reports about one finished request.
type Observation struct {
	Method string
	// Route is the pattern of the route that answered, such as "/{code}",
	// or "" when the request matched none.
	Route string
	// Code is the final status sent. When the server closed the connection
	// before sending one (a fault before the header section, 444), it is
	// the status the server meant to send.
	Code int
	// Bytes counts the content bytes written.
	Bytes int64
	// Duration is the time from the start of the request's handling to its end.
	Duration time.Duration
	// Aborted reports that the server cut the response off, closing the
	// connection (HTTP/1) or resetting the stream (HTTP/2): on purpose (a
	// fault, 444), or because the client went away during a wait.
	Aborted bool
	// Limit names the server's limit that refused the request ("body",
	// "body-timeout", "delay" or "waiting"), or is "".
	Limit string
}

// An Observer is told about every finished request. It runs on the
// request's goroutine, after the response, and must not keep r.
type Observer func(r *http.Request, o Observation)

// Observe returns a handler that serves next and then calls each observer
// once with what next sent: also when next aborted the response with
// http.ErrAbortHandler, which Observe then raises again. A Server anywhere
// inside next tells Observe the status it meant to send when it cut the
// response off before the status line.
func Observe(next http.Handler, observers ...Observer) http.Handler {
	o := &observing{next: next, observers: observers}
	o.writers.New = func() any { return new(observedWriter) }
	return o
}

type observing struct {
	next      http.Handler
	observers []Observer
	writers   sync.Pool
}

// reportKey is the context key of the report a Server fills in.
type reportKey struct{}

// A report is what a Server inside Observe knows that the writer cannot
// see: the status it meant to send and the limit that refused the request.
type report struct {
	meant int
	limit string
}

// reportOf returns the report of the Observe around r, or nil.
func reportOf(r *http.Request) *report {
	rep, _ := r.Context().Value(reportKey{}).(*report)
	return rep
}

// ServeHTTP keeps a small frame, with the rest out of line in begin and
// finish (see "The way to a wait" in pipeline.go).
func (o *observing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ow, r := o.begin(w, r)
	defer o.finish(ow, r)
	o.next.ServeHTTP(ow, r)
}

// begin returns the writer that observes the response and the request
// that carries its report.
//
//go:noinline
func (o *observing) begin(w http.ResponseWriter, r *http.Request) (*observedWriter, *http.Request) {
	ow := o.writers.Get().(*observedWriter)
	*ow = observedWriter{ResponseWriter: w, start: time.Now()}
	return ow, r.WithContext(context.WithValue(r.Context(), reportKey{}, &ow.report))
}

// finish calls the observers, then raises again a panic of the handler.
func (o *observing) finish(ow *observedWriter, r *http.Request) {
	v := recover()
	ob := Observation{
		Method:   r.Method,
		Route:    r.Pattern,
		Code:     ow.status,
		Bytes:    ow.bytes,
		Duration: time.Since(ow.start),
		Aborted:  v != nil,
		Limit:    ow.limit,
	}
	if ob.Code == 0 {
		ob.Code = ow.meant
	}
	if ob.Code == 0 && v == nil {
		ob.Code = http.StatusOK // net/http's answer to a handler that writes nothing
	}
	for _, fn := range o.observers {
		fn(r, ob)
	}
	*ow = observedWriter{}
	o.writers.Put(ow)
	if v != nil {
		panic(v)
	}
}

// observedWriter learns the status and size of a response.
type observedWriter struct {
	http.ResponseWriter
	status int   // the final status written, 0 before
	bytes  int64 // content bytes written
	start  time.Time
	report
}

// WriteHeader sends the status, remembering it when it is final.
func (ow *observedWriter) WriteHeader(code int) {
	if ow.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		ow.status = code
	}
	ow.ResponseWriter.WriteHeader(code)
}

func (ow *observedWriter) Write(b []byte) (int, error) {
	if ow.status == 0 {
		ow.status = http.StatusOK
	}
	n, err := ow.ResponseWriter.Write(b)
	ow.bytes += int64(n)
	return n, err
}

// Flush sends what is buffered to the client.
func (ow *observedWriter) Flush() {
	if ow.status == 0 {
		ow.status = http.StatusOK
	}
	_ = http.NewResponseController(ow.ResponseWriter).Flush()
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (ow *observedWriter) Unwrap() http.ResponseWriter { return ow.ResponseWriter }
