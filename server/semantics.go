package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Which header fields a code needs comes from the registry
// (httpstatus.Entry.Headers); a generator only supplies a working value for
// a field. A generator that returns "" leaves the field out: the rules that
// make 206 and 304 repeat the fields "a 200 to the same request would
// carry" name some fields this server's 200 does not carry.

// A generator returns the value of one header field for an exchange.
type generator func(x *exchange) string

// generators maps a canonical field name to its generator.
var generators = map[string]generator{
	"Location": func(x *exchange) string { return x.target },
	"Www-Authenticate": func(x *exchange) string {
		return basicChallenge
	},
	"Proxy-Authenticate": func(x *exchange) string {
		return basicChallenge
	},
	"Allow": func(x *exchange) string { return allowFor(x.r.Method) },
	"Upgrade": func(x *exchange) string {
		return "HTTP/2.0" // a 426 asks for a protocol this server does not speak over this connection
	},
	// RFC 9110, section 7.8: a message with Upgrade names it in Connection.
	// Only HTTP/1 has either field (RFC 9113, section 8.2.2).
	"Connection": func(x *exchange) string {
		if x.r.ProtoMajor == 1 {
			return "Upgrade"
		}
		return ""
	},
	// The interop version of draft-ietf-httpbis-resumable-upload-05, the
	// draft 104's registration cites.
	"Upload-Draft-Interop-Version": func(*exchange) string { return "6" },
	"Retry-After": func(x *exchange) string {
		d := time.Second
		if x.c.hasRetry {
			d = x.c.retryAfter
		}
		return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
	},
	"Content-Range": func(x *exchange) string {
		// 206 sets its own; any other code (416) names the length only.
		return "bytes */" + strconv.Itoa(len(sample))
	},
	"Etag": func(x *exchange) string {
		if x.code == http.StatusOK {
			return "" // this server's 200 is a fresh problem document, not the sample
		}
		return sampleETag
	},
	"Vary": func(x *exchange) string { return "Accept" },
	"Link": func(x *exchange) string {
		if x.code == http.StatusUnavailableForLegalReasons {
			return `</>; rel="blocked-by"`
		}
		return `</openapi.json>; rel=preload; as=fetch; crossorigin`
	},
	"Ms-Echo-Request": func(x *exchange) string { return "httpstatus-echo" },
	// Sent by net/http itself.
	"Date": func(*exchange) string { return "" },
	// This server's 200 carries none of these, so neither do 206 and 304.
	"Cache-Control":    func(*exchange) string { return "" },
	"Expires":          func(*exchange) string { return "" },
	"Content-Location": func(*exchange) string { return "" },
	"Last-Modified":    func(*exchange) string { return "" },
	"Content-Encoding": func(*exchange) string { return "" },
	"Content-Language": func(*exchange) string { return "" },
	// Only a multipart 206 needs it; this server sends a single part.
	"Content-Type": func(*exchange) string { return "" },
	// Exchange ActiveSync's 451 is not the primary meaning of 451.
	"X-Ms-Location": func(*exchange) string { return "" },
}

// basicChallenge is the challenge of 401 and 407.
const basicChallenge = `Basic realm="httpstatus", charset="UTF-8"`

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

// errTarget is wrapped by every error of checkTarget.
var errTarget = errors.New("a redirect target must be a relative reference, such as /status/200, or an http(s) URL on the server's allow-list")

// checkTarget accepts a relative reference, or an absolute http or https
// URL whose host is on the allow-list.
func (s *Server) checkTarget(t string) error {
	if !validValue(t) || strings.ContainsAny(t, "\\ ") {
		return fmt.Errorf("%q contains a space, a backslash or a control character: %w", clip(t), errTarget)
	}
	u, err := url.Parse(t)
	if err != nil {
		return fmt.Errorf("%q does not parse: %w", clip(t), errTarget)
	}
	if u.Scheme == "" && u.Host == "" && u.Opaque == "" {
		return nil
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: %w", clip(t), errTarget)
	}
	if !slices.Contains(s.allowHosts, strings.ToLower(u.Hostname())) {
		if len(s.allowHosts) == 0 {
			return fmt.Errorf("%q: %w (the allow-list is empty)", clip(t), errTarget)
		}
		return fmt.Errorf("%q: %w (allowed: %s)", clip(t), errTarget, strings.Join(s.allowHosts, ", "))
	}
	return nil
}
