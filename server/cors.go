package server

import (
	"net/http"
	"slices"
	"strings"
)

// CORS: every route answers any origin. The server sends no cookies and
// checks only the credentials a request itself names, so a wildcard origin
// is safe. Access-Control-Expose-Headers lists every field of the response
// by name (the "*" wildcard does not cover Authorization-style fields and
// is ignored on credentialed requests), so a browser script can read
// Location, WWW-Authenticate, Retry-After and the rest.

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

// preflight answers a CORS preflight request: any method and any request
// header field the browser asks about is allowed, for ten minutes.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if m := r.Header.Get("Access-Control-Request-Method"); validToken(m) {
		h.Set("Access-Control-Allow-Methods", m)
	}
	if req := r.Header.Values("Access-Control-Request-Headers"); len(req) > 0 {
		var names []string
		for _, v := range req {
			for name := range strings.SplitSeq(v, ",") {
				if name = strings.TrimSpace(name); validToken(name) {
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

// addVary adds field to Vary unless it is already listed there.
func addVary(h http.Header, field string) {
	for _, v := range h["Vary"] {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "*" || strings.EqualFold(item, field) {
				return
			}
		}
	}
	h.Add("Vary", field)
}
