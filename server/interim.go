package server

import "net/http"

// interim sends x.code as an interim response, with the header fields of
// its rules, and reports whether the final response should follow. A
// client that speaks HTTP/1.0 gets no interim response (RFC 9110, section
// 15.2); its final response follows directly.
func (s *Server) interim(w http.ResponseWriter, x *exchange) bool {
	if !x.r.ProtoAtLeast(1, 1) {
		return true
	}
	h := w.Header()
	before := make(map[string]bool, len(h))
	for k := range h {
		before[k] = true
	}
	setRuleHeaders(h, x)
	w.WriteHeader(x.code)
	if x.code != http.StatusEarlyHints {
		// Early hints describe the final response, so 103's fields stay;
		// the fields of other interim responses are theirs alone.
		for k := range h {
			if !before[k] {
				delete(h, k)
			}
		}
	}
	return x.r.Context().Err() == nil
}
