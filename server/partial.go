package server

import (
	"net/http"
	"strconv"
	"strings"
)

// sample is the representation 206 serves parts of: 1,024 bytes of text, so
// that a client can check the bytes it got against the range it asked for.
var sample = strings.Repeat("0123456789abcdef", 64)

// sampleETag is the entity tag of sample, sent with 206 and 304.
const sampleETag = `"httpstatus-sample-1"`

// defaultRange is what 206 sends when the request has no usable Range: a
// client that asks for /206 gets a 206, whatever it sends.
var defaultRange = []byteRange{{0, 99}}

// partial answers 206 with real partial content of sample, by the range
// code of the resource (ranges.go): the ranges the request's Range field
// names, in one part or as multipart/byteranges, or the first 100 bytes
// when it names none the server reads. A Range none of whose ranges is
// satisfiable gets 416, and an If-Range that does not hold the whole
// sample with 200 (RFC 9110, section 13.1.5).
func (s *Server) partial(w http.ResponseWriter, x *exchange) {
	r := x.r
	ranges, outcome := defaultRange, rangeOutcomeIgnore
	if v, ok := singleField(r.Header, "Range"); ok {
		ranges, outcome = parseRanges(v, int64(len(sample)))
	}
	v := validators{etag: sampleETag, exists: true}
	switch {
	case r.Header.Get("If-Range") != "" && !ifRangeHolds(r, v):
		// The Range is ignored, whatever it asks (section 13.1.5).
		ranges = []byteRange{{0, int64(len(sample)) - 1}}
		x.code = http.StatusOK
	case outcome == rangeOutcomeUnsatisfiable:
		x.code = http.StatusRequestedRangeNotSatisfiable
		s.respond(w, x, "no range the request asked for lies within the "+strconv.Itoa(len(sample))+" bytes of the sample resource")
		return
	case outcome == rangeOutcomeIgnore:
		ranges = defaultRange
	}
	if !s.drainBody(w, x) {
		return
	}
	h := w.Header()
	setRuleHeaders(h, x)
	setFields(h, x.fields)
	h.Set("Accept-Ranges", "bytes")
	h.Set("Etag", sampleETag)
	rr := newRangeResponse(ranges, int64(len(sample)), "text/plain; charset=utf-8", boundaryFor(sampleETag, ranges))
	if x.code == http.StatusOK || rr.contentRange == "" {
		h.Del("Content-Range") // a whole answer, or multipart: each part has its own
	} else {
		h.Set("Content-Range", rr.contentRange)
	}
	h.Set("Content-Type", rr.contentType)
	h.Set("Content-Length", strconv.FormatInt(rr.length, 10))
	setExtraHeaders(h, x)
	inPhases(w, x, func(w http.ResponseWriter) {
		w.WriteHeader(x.code)
		if r.Method != http.MethodHead {
			_ = rr.write(w, strings.NewReader(sample))
		}
	})
}
