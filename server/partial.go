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

// defaultRangeEnd is the last byte 206 sends when the request has no usable Range.
const defaultRangeEnd = 99

// partial answers 206 with real partial content of sample: the first range
// the request's Range header names, or the first 100 bytes when it names
// none or cannot be parsed (a server ignores a Range it does not
// understand). A range that lies wholly past the end gets 416 instead.
func (s *Server) partial(w http.ResponseWriter, x *exchange) {
	r := x.r
	start, end, ok := parseRange(r.Header.Get("Range"), len(sample))
	if !ok {
		x.code = http.StatusRequestedRangeNotSatisfiable
		s.respond(w, x, "the range the request asked for lies outside the "+strconv.Itoa(len(sample))+" bytes of the sample resource")
		return
	}
	if !s.drainBody(w, x) {
		return
	}
	h := w.Header()
	h.Set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(end)+"/"+strconv.Itoa(len(sample)))
	setRuleHeaders(h, x)
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(end-start+1))
	setExtraHeaders(h, x)
	inPhases(w, x, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusPartialContent)
		if r.Method != http.MethodHead {
			_, _ = w.Write([]byte(sample[start : end+1]))
		}
	})
}

// parseRange returns the first byte range of a Range header value for a
// representation of size bytes, clamped to it. ok is false only when the
// range is well formed but unsatisfiable; a missing or malformed header
// gives the default range.
func parseRange(header string, size int) (start, end int, ok bool) {
	start, end = 0, min(defaultRangeEnd, size-1)
	unit, set, found := strings.Cut(strings.TrimSpace(header), "=")
	if !found || !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
		return start, end, true
	}
	first, _, _ := strings.Cut(set, ",")
	first = strings.TrimSpace(first)
	a, b, found := strings.Cut(first, "-")
	switch {
	case !found:
		return start, end, true
	case a == "": // the last b bytes
		n, err := strconv.Atoi(b)
		if err != nil || n < 0 || !isDigits(b) {
			return start, end, true
		}
		if n == 0 {
			return 0, 0, false
		}
		return max(size-n, 0), size - 1, true
	}
	if !isDigits(a) || (b != "" && !isDigits(b)) || len(a) > 15 || len(b) > 15 {
		return start, end, true
	}
	first64, _ := strconv.ParseInt(a, 10, 64)
	last64 := int64(size - 1)
	if b != "" {
		last64, _ = strconv.ParseInt(b, 10, 64)
		if last64 < first64 {
			return start, end, true // invalid: ignored
		}
	}
	if first64 >= int64(size) {
		return 0, 0, false
	}
	return int(first64), int(min(last64, int64(size-1))), true
}
