package respond

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// Problem is an error that knows how to answer a request: an RFC 9457
// problem details object plus the response headers its status code needs
// and the error that caused it.
//
// The zero Type means "about:blank", and with it the title is always the
// registry's phrase for Status. Detail is written for the client and
// always reaches it. Cause is for the server's logs: Error and Unwrap
// expose it to Go code, but its text reaches the client only when Expose
// is true and Detail is empty. Wrap sets Expose for 4xx codes and leaves it
// false for 5xx, so an internal error's text never leaks by default.
//
// The With methods modify the Problem and return it, so that calls chain.
// A Problem is not safe for concurrent modification.
type Problem struct {
	Status     int            // the status code, 100 to 599
	Type       string         // a URI reference naming the problem type; empty means "about:blank"
	Title      string         // a short summary of the type; ignored when Type is "about:blank"
	Detail     string         // an explanation of this occurrence, for the client
	Instance   string         // a URI reference naming this occurrence
	Extensions map[string]any // extra members, written at the top level of the JSON object
	Header     http.Header    // response header fields, written over those already set on the ResponseWriter
	Cause      error          // the underlying error, for logs and errors.Is/As
	Expose     bool           // whether the Cause's text may be shown as the detail

	condition httpstatus.Condition // set by WithCondition; 0 for the registry's
}

// New returns a Problem with the given status and no detail.
func New(status int) *Problem { return &Problem{Status: status} }

// Errorf returns a Problem whose detail is the formatted message.
//
// When the format wraps an error with %w, the formatted error becomes the
// Cause, so that errors.Is and errors.As see through the Problem. For a 5xx
// status the message then stays out of the response, because it contains
// the cause's text; set Expose to show it anyway.
func Errorf(status int, format string, args ...any) *Problem {
	err := fmt.Errorf(format, args...)
	p := &Problem{Status: status}
	switch err.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }:
		p.Cause = err
		p.Expose = status < 500
	default:
		p.Detail = err.Error()
	}
	return p
}

// Wrap returns a Problem with the given status caused by err. For a status
// below 500 the client reads err's text as the detail; for 5xx it does not
// unless Expose is set to true. Wrap(status, nil) is New(status).
func Wrap(status int, err error) *Problem {
	return &Problem{Status: status, Cause: err, Expose: err != nil && status < 500}
}

// Error returns the status, phrase, detail and cause, such as
// "500 Internal Server Error: loading user 7: connection refused". It is
// meant for logs: unlike the response, it always includes the cause.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(p.Status))
	b.WriteByte(' ')
	b.WriteString(entryFor(p.Status).Phrase)
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	if p.Cause != nil {
		b.WriteString(": ")
		b.WriteString(p.Cause.Error())
	}
	return b.String()
}

// Unwrap returns the Cause.
func (p *Problem) Unwrap() error { return p.Cause }

// Is reports whether target is a *Problem with the same status and, when
// target names one, the same type, so that
//
//	errors.Is(err, respond.New(http.StatusNotFound))
//
// reports whether err is, or wraps, a 404 problem.
func (p *Problem) Is(target error) bool {
	t, ok := target.(*Problem)
	if !ok || t == nil {
		return false
	}
	return t.Status == p.Status && (t.Type == "" || t.Type == p.typeURI())
}

// WithDetail sets the explanation of this occurrence that the client reads.
func (p *Problem) WithDetail(detail string) *Problem {
	p.Detail = detail
	return p
}

// WithType sets the problem type URI.
func (p *Problem) WithType(uri string) *Problem {
	p.Type = uri
	return p
}

// WithTitle sets the title of the problem type. It has no effect while the
// type is "about:blank", whose title is the status phrase.
func (p *Problem) WithTitle(title string) *Problem {
	p.Title = title
	return p
}

// WithInstance sets the URI reference that names this occurrence.
func (p *Problem) WithInstance(uri string) *Problem {
	p.Instance = uri
	return p
}

// WithExtension adds a member to the problem object. The value must be
// encodable by encoding/json. A key that names a standard member (type,
// title, status, detail, instance) or one this package writes (summary,
// condition, retry, retryAfter, retryAt) is ignored when the body is
// written, so an extension never overwrites them.
func (p *Problem) WithExtension(key string, v any) *Problem {
	if p.Extensions == nil {
		p.Extensions = make(map[string]any)
	}
	p.Extensions[key] = v
	return p
}

// WithHeader adds a value to a response header field.
func (p *Problem) WithHeader(name, value string) *Problem {
	p.header().Add(name, value)
	return p
}

// WithAllow sets Allow to the methods the target resource supports; a 405
// cannot be written without it. When GET is listed, HEAD is added, as
// net/http serves HEAD with a GET handler. With no methods the header is
// present and empty, which says the resource currently allows none.
func (p *Problem) WithAllow(methods ...string) *Problem {
	p.header().Set("Allow", allowValue(methods))
	return p
}

// WithChallenge adds authentication challenges, such as
// `Bearer realm="api"`: to Proxy-Authenticate when the registry's entry for
// the status has a rule for it (407), otherwise to WWW-Authenticate. A 401
// or 407 cannot be written without one.
func (p *Problem) WithChallenge(challenges ...string) *Problem {
	field := "WWW-Authenticate"
	if e, ok := httpstatus.Lookup(p.Status); ok {
		if _, ok := e.HeaderRule("Proxy-Authenticate"); ok {
			field = "Proxy-Authenticate"
		}
	}
	for _, c := range challenges {
		if c = strings.TrimSpace(c); c != "" {
			p.header().Add(field, c)
		}
	}
	return p
}

// WithUpgrade sets Upgrade to the protocols the client must switch to,
// such as "TLS/1.3" or "websocket", and adds the "upgrade" option to
// Connection, which every message that carries Upgrade needs (RFC 9110,
// section 7.8); a 426 cannot be written without them. Empty names are
// dropped.
func (p *Problem) WithUpgrade(protocols ...string) *Problem {
	v := joinNonEmpty(protocols)
	if v != "" {
		p.header().Set("Upgrade", v)
		if !httptext.ListHas(p.header().Values("Connection"), "upgrade") {
			p.header().Add("Connection", "upgrade")
		}
	}
	return p
}

// WithRetryAfter sets Retry-After to d, rounded up to whole seconds, and
// the body's retryAfter member with it. A negative d counts as zero.
func (p *Problem) WithRetryAfter(d time.Duration) *Problem {
	p.header().Set("Retry-After", strconv.FormatInt(httptext.CeilSeconds(d), 10))
	return p
}

// WithRetryAt sets Retry-After to the time t, as an HTTP date, and the
// body's retryAt and retryAfter members with it.
func (p *Problem) WithRetryAt(t time.Time) *Problem {
	p.header().Set("Retry-After", t.UTC().Format(http.TimeFormat))
	return p
}

// WithContentRange sets Content-Range to "bytes */length", the current
// length of the representation, as a 416 answer to a byte-range request
// should carry. A negative length is ignored.
func (p *Problem) WithContentRange(length int64) *Problem {
	if length >= 0 {
		p.header().Set("Content-Range", "bytes */"+strconv.FormatInt(length, 10))
	}
	return p
}

// WithCondition says whether the condition is temporary (the same request
// may succeed later) or permanent (repeating it will not help), in place of
// what the registry says of the status. It matters for codes whose meaning
// leaves this open, such as 404; the body's condition member reports it.
// The zero Condition, or any value other than the package's constants,
// leaves the registry's word.
func (p *Problem) WithCondition(c httpstatus.Condition) *Problem {
	switch c {
	case httpstatus.ConditionNone, httpstatus.ConditionTemporary, httpstatus.ConditionPermanent, httpstatus.ConditionEither:
		p.condition = c
	default:
		p.condition = 0
	}
	return p
}

func (p *Problem) header() http.Header {
	if p.Header == nil {
		p.Header = make(http.Header)
	}
	return p.Header
}

// typeURI returns the problem type, "about:blank" when none is set.
func (p *Problem) typeURI() string {
	if p.Type == "" {
		return aboutBlank
	}
	return p.Type
}

const aboutBlank = "about:blank"

func allowValue(methods []string) string {
	seen := make([]string, 0, len(methods)+1)
	get, head := false, false
	for _, m := range methods {
		m = strings.ToUpper(strings.TrimSpace(m))
		if m == "" || slices.Contains(seen, m) {
			continue
		}
		get = get || m == http.MethodGet
		head = head || m == http.MethodHead
		seen = append(seen, m)
	}
	if get && !head {
		seen = append(seen, http.MethodHead)
	}
	return strings.Join(seen, ", ")
}

func joinNonEmpty(list []string) string {
	var parts []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Errors Write returns when the caller asked for a response that would
// break a rule; the response written instead is a 500 problem.
var (
	// ErrMissingHeader reports a Problem without a header field its status
	// code requires: Allow on a 405, a challenge on a 401 or 407, Upgrade
	// on a 426, and any other MUST the registry records.
	ErrMissingHeader = errors.New("respond: missing required header")
	// ErrInvalidStatus reports a status outside 100 to 599.
	ErrInvalidStatus = errors.New("respond: invalid status code")
	// ErrNilError reports a call to Write with a nil error.
	ErrNilError = errors.New("respond: nil error")
	// ErrExtension reports an extension member encoding/json cannot encode.
	ErrExtension = errors.New("respond: extension member cannot be encoded")
)
