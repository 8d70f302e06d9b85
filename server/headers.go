package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// Which header fields a code needs comes from the registry
// (httpstatus.Entry.Headers); a generator only supplies a working value for
// a field. A generator that returns "" leaves the field out: the rules that
// make 206 and 304 repeat the fields "a 200 to the same request would
// carry" name some fields this server's 200 does not carry.

// A generator supplies the value of one header field for an exchange.
type generator struct {
	value func(x *exchange) string
	// doc says what the value is, for the responses table of
	// docs/server.md; "" marks a field the server leaves out.
	doc string
}

// leaveOut is the generator of a field the server does not send.
var leaveOut = generator{value: func(*exchange) string { return "" }}

// generators maps a canonical field name to its generator.
var generators = map[string]generator{
	"Location": {func(x *exchange) string { return x.target },
		"`/200` on the `/{code}` route, `/status/200` on the others, or the `location` control"},
	"Www-Authenticate":   {func(*exchange) string { return basicChallenge }, "`" + basicChallenge + "`"},
	"Proxy-Authenticate": {func(*exchange) string { return basicChallenge }, "the same Basic challenge"},
	"Allow":              {func(x *exchange) string { return allowFor(x.r.Method) }, "the usual methods except the one the request used"},
	// A 426 asks for a protocol this server does not speak over this
	// connection.
	"Upgrade": {func(*exchange) string { return "HTTP/2.0" }, "`HTTP/2.0`"},
	// RFC 9110, section 7.8: a message with Upgrade names it in
	// Connection; a 408 closes the connection (section 15.5.9). Only
	// HTTP/1 has the field (RFC 9113, section 8.2.2).
	"Connection": {func(x *exchange) string {
		switch {
		case x.r.ProtoMajor != 1:
			return ""
		case x.code == http.StatusRequestTimeout:
			return "close"
		}
		return "Upgrade"
	}, "`close` on 408 (the server then closes the connection), `Upgrade` on the others, over HTTP/1.1"},
	// The interop version of draft-ietf-httpbis-resumable-upload-05, the
	// draft 104's registration cites.
	"Upload-Draft-Interop-Version": {func(*exchange) string { return "6" }, "`6`, the version of draft-ietf-httpbis-resumable-upload-05"},
	"Retry-After": {func(x *exchange) string {
		d := time.Second
		if x.ctl.hasRetry {
			d = x.ctl.retryAfter
		}
		return strconv.FormatInt(httptext.CeilSeconds(d), 10)
	}, "1 second, or the `retry-after` control"},
	// 206 sets its own; any other code (416) names the length only.
	"Content-Range": {func(*exchange) string { return "bytes */" + strconv.Itoa(len(sample)) },
		"`bytes */1024`, the length of the sample resource"},
	"Etag": {func(x *exchange) string {
		if x.code == http.StatusOK {
			return "" // this server's 200 is a fresh problem document, not the sample
		}
		return sampleETag
	}, "`" + sampleETag + "`, the sample resource's (not on 200, whose content is not the sample)"},
	"Vary": {func(*exchange) string { return "Accept" }, "`Accept`"},
	"Link": {func(x *exchange) string {
		if x.code == http.StatusUnavailableForLegalReasons {
			return `</>; rel="blocked-by"`
		}
		return `</openapi.json>; rel=preload; as=fetch; crossorigin`
	}, "`</>; rel=\"blocked-by\"` on 451, a preload hint on the others"},
	"Ms-Echo-Request": {func(*exchange) string { return "httpstatus-echo" }, "an opaque token"},
	// Sent by net/http itself.
	"Date": leaveOut,
	// This server's 200 carries none of these, so neither do 206 and 304.
	"Cache-Control":    leaveOut,
	"Expires":          leaveOut,
	"Content-Location": leaveOut,
	"Last-Modified":    leaveOut,
	"Content-Encoding": leaveOut,
	"Content-Language": leaveOut,
	// Only a multipart 206 needs it; this server sends a single part.
	"Content-Type": leaveOut,
	// Exchange ActiveSync's 451 is not the primary meaning of 451.
	"X-Ms-Location": leaveOut,
}

// basicChallenge is the challenge of 401 and 407.
const basicChallenge = `Basic realm="httpstatus", charset="UTF-8"`

// setRuleHeaders sets the header fields the registry's rules for x.code
// require, recommend or allow, with working values from the generators.
func setRuleHeaders(h http.Header, x *exchange) {
	e, ok := httpstatus.Lookup(x.code)
	if !ok {
		return
	}
	for _, rule := range e.Headers {
		if rule.Level == httpstatus.LevelMustNot || rule.Level == httpstatus.LevelShouldNot {
			continue
		}
		field := http.CanonicalHeaderKey(rule.Field)
		gen, ok := generators[field]
		if !ok || h.Get(field) != "" {
			continue
		}
		if v := gen.value(x); v != "" {
			h.Set(field, v)
		}
	}
	// RFC 9110, section 10.2.3: on a redirect, Retry-After asks the client
	// to wait before it follows. The registry lists the field for the
	// codes that ask for it; a request can add it to a redirect.
	if x.ctl.hasRetry && x.code >= 300 && x.code < 400 && h.Get("Retry-After") == "" {
		h.Set("Retry-After", strconv.FormatInt(httptext.CeilSeconds(x.ctl.retryAfter), 10))
	}
}

// setExtraHeaders adds the response header fields the request asked for.
// A field the server also sets is replaced.
func setExtraHeaders(h http.Header, x *exchange) {
	set := make(map[string]bool, len(x.ctl.headers))
	for _, f := range x.ctl.headers {
		if !set[f.name] {
			h.Del(f.name)
			set[f.name] = true
		}
		h.Add(f.name, f.value)
	}
}

// allowFor returns the Allow value of a 405: the usual methods, less the
// one the request used (and GET and HEAD together).
func allowFor(method string) string {
	all := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	out := make([]string, 0, len(all))
	for _, m := range all {
		if m == method || (method == "HEAD" && m == "GET") || (method == "GET" && m == "HEAD") {
			continue
		}
		out = append(out, m)
	}
	return strings.Join(out, ", ")
}
