package server

import (
	"net/http"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// handleSession serves /sessions/{key}: DELETE forgets the key, so that a
// run can start again from its first step, a full rate-limit window and
// the resource as it is created.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if s.exchangeOf(w, r, routeSessions) == nil {
		return // a control, which this route takes none of
	}
	switch r.Method {
	case http.MethodDelete:
	case http.MethodOptions:
		w.Header().Set("Allow", "DELETE, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		s.fail(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(http.MethodDelete, http.MethodOptions).
			WithDetail("DELETE forgets the key"))
		return
	}
	if !validKey(key) && !isAddressKey(key) {
		s.fail(w, r, respond.New(http.StatusBadRequest).WithDetail(
			"\""+httptext.Clip(key, maxEcho)+"\" is not a key: 1 to 64 letters, digits, '-', '.', '_' or '~', or addr: and a client's IP address"))
		return
	}
	if !s.memory.forget(key, s.now()) {
		s.fail(w, r, respond.New(http.StatusNotFound).WithDetail("the server remembers nothing of the key "+key))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// isAddressKey reports whether k has the form of the key of a request
// that named none.
func isAddressKey(k string) bool {
	if len(k) <= len(addressKeyPrefix) || len(k) > len(addressKeyPrefix)+64 || k[:len(addressKeyPrefix)] != addressKeyPrefix {
		return false
	}
	for i := len(addressKeyPrefix); i < len(k); i++ {
		c := k[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == '.' || c == ':' || c == '%') {
			return false
		}
	}
	return true
}
