package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// CORS returns a handler that lets browsers call next from any origin,
// with credentials too. It answers preflight requests itself, allowing the
// method and the request header fields asked for, for ten minutes. On
// every response to a request with Origin it reflects that origin in
// Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true,
// and lists every other header field of the response, Date included, by
// name in Access-Control-Expose-Headers, so that a script can read
// Location, WWW-Authenticate, Retry-After and the rest. Every response,
// with Origin or without, carries Vary: Origin, added to any Vary the
// response has.
//
// Reflecting the origin with credentials lets any page send cookies or
// Authorization here and read the answer. That is safe for a test server
// that keeps no secrets and checks only the credentials a request itself
// names (the user and password controls); a handler that does keep
// secrets must not be put behind CORS.
func CORS(next http.Handler) http.Handler { return &corsHandler{next: next} }

// corsHandler is the handler CORS returns; a type of its own rather than
// a HandlerFunc, for one frame less
// (see "The way to a wait" in pipeline.go).
type corsHandler struct{ next http.Handler }

func (ch *corsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	origin := allowOrigin(r)
	if origin != "" && r.Method == http.MethodOptions && r.Header["Access-Control-Request-Method"] != nil {
		preflight(w, r, origin)
		return
	}
	ch.next.ServeHTTP(&corsWriter{ResponseWriter: w, origin: origin}, r)
}

// allowOrigin returns the value of Access-Control-Allow-Origin for r, or
// "" when r has no Origin.
//
// The value is r's own origin whether or not r carries credentials: the
// preflight of a credentialed request carries none, yet must allow them,
// and a response the browser cached for a request without credentials may
// serve one with them. A literal * would fail every credentialed request.
// An Origin that is not one origin (two fields, a list, a control
// character), which no browser sends, gets * instead of an echo.
func allowOrigin(r *http.Request) string {
	values := r.Header["Origin"]
	switch {
	case len(values) == 0:
		return ""
	case len(values) == 1 && isOrigin(values[0]):
		return values[0]
	}
	return "*"
}

// isOrigin reports whether v has the form of a serialised origin:
// "null", or a scheme, "://", and a host with an optional port, without a
// path, a space or a comma.
func isOrigin(v string) bool {
	if v == "null" {
		return true
	}
	scheme, host, ok := strings.Cut(v, "://")
	if !ok || scheme == "" || host == "" || !validValue(v) || strings.ContainsAny(host, "/?#@, \t") {
		return false
	}
	for i := 0; i < len(scheme); i++ {
		if c := scheme[i]; !isAlpha(c) && !(i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// corsWriter adds the CORS fields to each header section it sends.
type corsWriter struct {
	http.ResponseWriter
	origin string // Access-Control-Allow-Origin, "" for a request without Origin
	final  bool   // the final header section was sent
}

// WriteHeader sends the status, first adding the CORS fields to the
// header section.
func (cw *corsWriter) WriteHeader(code int) {
	if cw.final {
		return
	}
	cw.final = code >= 200 || code == http.StatusSwitchingProtocols
	h := cw.Header()
	if cw.origin != "" {
		exposeHeaders(h, cw.origin)
	}
	// Without Origin too: a cache must not answer a browser's CORS request
	// with a response that lacks the CORS fields, or the other way round.
	addVary(h, "Origin")
	cw.ResponseWriter.WriteHeader(code)
}

func (cw *corsWriter) Write(b []byte) (int, error) {
	if !cw.final {
		cw.WriteHeader(http.StatusOK)
	}
	return cw.ResponseWriter.Write(b)
}

// Flush sends what is buffered to the client.
func (cw *corsWriter) Flush() {
	if !cw.final {
		cw.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(cw.ResponseWriter).Flush()
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (cw *corsWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }

// exposeHeaders adds the CORS response fields to h, which holds every
// other field of the response, for a request from origin.
func exposeHeaders(h http.Header, origin string) {
	names := make([]string, 0, len(h)+1)
	for k, v := range h {
		if len(v) > 0 && !strings.HasPrefix(k, "Access-Control-") {
			names = append(names, k)
		}
	}
	// net/http adds Date after this, unless the handler suppressed it
	// with a nil value. The other fields it may add, Content-Length and
	// Content-Type, a script reads without being told.
	if _, set := h["Date"]; !set {
		names = append(names, "Date")
	}
	slices.Sort(names)
	h.Set("Access-Control-Allow-Origin", origin)
	if origin != "*" {
		// With credentials, * in Expose-Headers would be a field name, not
		// a wildcard: hence the names.
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Expose-Headers", strings.Join(names, ", "))
}

// preflight answers a CORS preflight request from origin.
func preflight(w http.ResponseWriter, r *http.Request, origin string) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	if origin != "*" {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	// The method and fields asked for are named back: with credentials, a
	// * in either list would not be a wildcard.
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
	v := h["Vary"]
	if field == "Origin" {
		// The two commonest cases, on every response behind CORS, take
		// shared values instead of a new slice each. Their capacity is
		// their length, so a writer that adds to them copies them.
		switch {
		case len(v) == 0:
			h["Vary"] = varyOrigin
			return
		case len(v) == 1 && v[0] == "Accept":
			h["Vary"] = varyAcceptOrigin
			return
		}
	}
	if !httptext.ListHas(v, field) && !httptext.ListHas(v, "*") {
		h.Add("Vary", field)
	}
}

// Shared Vary values of addVary; never modified.
var (
	varyOrigin       = []string{"Origin"}[:1:1]
	varyAcceptOrigin = []string{"Accept", "Origin"}[:2:2]
)
