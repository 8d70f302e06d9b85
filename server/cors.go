package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// CORS returns a handler that lets browsers call next from any origin: it
// answers preflight requests itself, allowing any method and any request
// header field for ten minutes, and on every response to a request with
// Origin it sends Access-Control-Allow-Origin: * and lists every other
// header field of the response, by name, in Access-Control-Expose-Headers
// (the "*" wildcard does not cover Authorization-style fields, and is
// ignored on credentialed requests), so that a script can read Location,
// WWW-Authenticate, Retry-After and the rest. A wildcard origin is safe
// for a server that sends no cookies and checks only the credentials a
// request itself names. Requests without Origin pass through untouched.
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header["Origin"] == nil {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodOptions && r.Header["Access-Control-Request-Method"] != nil {
			preflight(w, r)
			return
		}
		next.ServeHTTP(&exposingWriter{ResponseWriter: w}, r)
	})
}

// exposingWriter adds the CORS fields to each header section it sends.
type exposingWriter struct {
	http.ResponseWriter
	final bool // the final header section was sent
}

// WriteHeader sends the status, first letting the browser read every
// header field of the response.
func (ew *exposingWriter) WriteHeader(code int) {
	if ew.final {
		return
	}
	ew.final = code >= 200 || code == http.StatusSwitchingProtocols
	exposeHeaders(ew.Header())
	ew.ResponseWriter.WriteHeader(code)
}

func (ew *exposingWriter) Write(b []byte) (int, error) {
	if !ew.final {
		ew.WriteHeader(http.StatusOK)
	}
	return ew.ResponseWriter.Write(b)
}

// Flush sends what is buffered to the client.
func (ew *exposingWriter) Flush() {
	if !ew.final {
		ew.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(ew.ResponseWriter).Flush()
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (ew *exposingWriter) Unwrap() http.ResponseWriter { return ew.ResponseWriter }

// exposeHeaders adds the CORS response fields to h, which holds every
// other field of the response.
func exposeHeaders(h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		if !strings.HasPrefix(k, "Access-Control-") {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	h.Set("Access-Control-Allow-Origin", "*")
	if len(names) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(names, ", "))
	}
	addVary(h, "Origin")
}

// preflight answers a CORS preflight request.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if m := r.Header.Get("Access-Control-Request-Method"); httptext.IsToken(m) {
		h.Set("Access-Control-Allow-Methods", m)
	}
	if req := r.Header.Values("Access-Control-Request-Headers"); len(req) > 0 {
		var names []string
		for _, v := range req {
			for name := range strings.SplitSeq(v, ",") {
				if name = strings.TrimSpace(name); httptext.IsToken(name) {
					names = append(names, name)
				}
			}
		}
		if len(names) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(names, ", "))
		}
	}
	h.Set("Access-Control-Max-Age", "600")
	addVary(h, "Origin")
	addVary(h, "Access-Control-Request-Method")
	addVary(h, "Access-Control-Request-Headers")
	w.WriteHeader(http.StatusNoContent)
}

// addVary adds field to Vary unless it is already listed there, or Vary
// is "*".
func addVary(h http.Header, field string) {
	if !httptext.ListHas(h["Vary"], field) && !httptext.ListHas(h["Vary"], "*") {
		h.Add("Vary", field)
	}
}
