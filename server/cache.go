package server

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/httpstatus/httpstatus/internal/lazy"
	"github.com/httpstatus/httpstatus/respond"
)

// The cache: a GET or HEAD of /{code} or /status/{code} with no query, no
// control header and no body is answered from a response rendered once,
// by the pipeline like any other request, and kept. The response of such a
// request depends only on the code, the route, the method, the media type
// Accept negotiates and whether the protocol is HTTP/1 (426 adds
// Connection: Upgrade there), which together are the key. cacheable, next
// to the control table, lists every input of a request and what the cache
// does with it.

// cached is a rendered response. Its header map and body are shared by
// every response served from it and never modified.
type cached struct {
	status int
	fields []cachedField
	body   []byte
}

// cachedField is one header field of a cached response. Content-Length is
// left out when the body is small: net/http computes it for a body under
// its 2 KiB chunking buffer without touching the header map.
type cachedField struct {
	name   string
	values []string
}

// responseCache holds the rendered responses, by code, media type, route,
// method and protocol (HTTP/1 or later). The slots of a code are allocated
// when the code is first served: a full table would be 150 KiB of pointers
// that the garbage collector scans on every cycle, most of them for codes
// nobody asks for.
type responseCache struct {
	codes [600]atomic.Pointer[codeResponses]
}

// codeResponses are the rendered responses of one code, by media type,
// route, method and protocol.
type codeResponses [4][2][2][2]atomic.Pointer[cached]

// slots returns the slots of code, allocating them on first use.
func (rc *responseCache) slots(code int) *codeResponses {
	return lazy.Load(&rc.codes[code], func() *codeResponses { return new(codeResponses) })
}

func mediaIndex(media string) int {
	switch media {
	case respond.MediaJSON:
		return 1
	case respond.MediaHTML:
		return 2
	case respond.MediaText:
		return 3
	}
	return 0
}

// serveCached answers r from the cache, rendering the response through
// the pipeline first when it is not there yet, and reports whether it did.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request) bool {
	code, route, prefix := cacheable(r)
	if code == 0 {
		return false
	}
	r.Pattern = s.routes[route].Pattern // as the mux would have set it, for the observers
	head, proto := 0, 0
	if r.Method == http.MethodHead {
		head = 1
	}
	if r.ProtoMajor != 1 {
		proto = 1
	}
	slot := &s.cache.slots(code)[mediaIndex(respond.Negotiate(r))][route][head][proto]
	c := slot.Load()
	if c == nil {
		c = s.render(r, code, route, prefix)
		if c == nil {
			return false
		}
		slot.Store(c)
	}
	h := w.Header()
	for _, f := range c.fields {
		h[f.name] = f.values
	}
	h["Date"] = s.date.value()
	w.WriteHeader(c.status)
	if len(c.body) > 0 {
		_, _ = w.Write(c.body)
	}
	return true
}

// render writes the response for code through the ordinary path into a
// capture, or returns nil when that response cannot be kept.
func (s *Server) render(r *http.Request, code, route int, prefix string) *cached {
	cw := &capture{header: http.Header{}}
	s.serve(cw, &exchange{r: r, route: s.routes[route].Pattern, prefix: prefix, code: code})
	if cw.status < 200 {
		return nil
	}
	c := &cached{status: cw.status, body: cw.body}
	for k, v := range cw.header {
		if k == "Content-Length" && len(cw.body) > 0 && len(cw.body) < 2048 {
			continue
		}
		// Capacity equal to length: a writer that appends to a shared value
		// copies it rather than writing into the next response's.
		c.fields = append(c.fields, cachedField{k, v[:len(v):len(v)]})
	}
	return c
}

// dateField keeps the value of the Date header field for one second, so
// that the cache formats it once a second rather than net/http
// formatting it for every response.
type dateField struct {
	last atomic.Pointer[dateValue]
}

type dateValue struct {
	unix  int64
	value []string // shared by every response of that second; never modified
}

// value returns the Date field value of the current second.
func (d *dateField) value() []string {
	now := time.Now()
	sec := now.Unix()
	if v := d.last.Load(); v != nil && v.unix == sec {
		return v.value
	}
	v := &dateValue{unix: sec, value: []string{now.UTC().Format(http.TimeFormat)}}
	d.last.Store(v)
	return v.value
}

// capture is a ResponseWriter that keeps the response in memory.
type capture struct {
	header http.Header
	status int
	body   []byte
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(code int) {
	if c.status == 0 && code >= 200 {
		c.status = code
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return len(b), nil
}
