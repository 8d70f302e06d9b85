package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// switchProtocols answers a request that asks to upgrade with 101, naming
// the first protocol it offered, and closes the connection: the server
// speaks no other protocol. A request that does not ask to upgrade, or
// comes over HTTP/2 where 101 does not exist, gets a 400 problem.
func (s *Server) switchProtocols(w http.ResponseWriter, x *exchange) {
	r := x.r
	offer := strings.TrimSpace(strings.Split(r.Header.Get("Upgrade"), ",")[0])
	if r.ProtoMajor != 1 || !r.ProtoAtLeast(1, 1) || offer == "" || !httptext.ListHas(r.Header.Values("Connection"), "upgrade") {
		s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail(
			"101 answers only an HTTP/1.1 request that asks to upgrade, with Connection: Upgrade and an Upgrade header naming a protocol"))
		return
	}
	if !validValue(offer) {
		s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail("the Upgrade header contains a control character"))
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail("this connection cannot switch protocols"))
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: %s\r\n", offer)
	// The extra fields, checked when parsed (a token name, a value without
	// control characters), go on the wire as on any other answer.
	for _, f := range x.ctl.headers {
		fmt.Fprintf(buf, "%s: %s\r\n", f.name, f.value)
	}
	_, _ = buf.WriteString("\r\n")
	_ = buf.Flush()
}

// upgradeOverHTTP2 answers a 426 asked for over HTTP/2 or later. 426 must
// name the protocol to switch to in Upgrade, a field HTTP/2 forbids (RFC
// 9113, section 8.2.2): no correct 426 exists there.
func (s *Server) upgradeOverHTTP2(w http.ResponseWriter, x *exchange) {
	s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail(
		"426 must carry Upgrade, which HTTP/2 does not allow; ask for 426 over HTTP/1.1"))
}
