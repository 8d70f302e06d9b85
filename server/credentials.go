package server

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// challenge answers 401 or 407 with its challenge, or 200 when the request
// sends the Basic credentials its user and password controls name, in
// Authorization for 401 and Proxy-Authorization for 407.
func (s *Server) challenge(w http.ResponseWriter, x *exchange) {
	field := "Authorization"
	if x.code == http.StatusProxyAuthRequired {
		field = "Proxy-Authorization"
	}
	if !credentialsMatch(&x.ctl, x.r.Header.Get(field)) {
		s.respond(w, x, "")
		return
	}
	x.code = http.StatusOK
	s.respond(w, x, "the credentials the request named were sent: access granted")
}

// credentialsMatch reports whether an Authorization or Proxy-Authorization
// value carries the Basic credentials the request named with the user and
// password controls.
func credentialsMatch(c *controls, authorization string) bool {
	if !c.hasUser {
		return false
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil {
		return false
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	return ok && subtle.ConstantTimeCompare([]byte(user), []byte(c.user)) == 1 &&
		subtle.ConstantTimeCompare([]byte(pass), []byte(c.password)) == 1
}
