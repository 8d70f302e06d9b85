package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// A fault is a way to break a response on purpose.
type fault uint8

const (
	faultNone          fault = iota
	faultBeforeHeaders       // close the connection before any byte of the response
	faultAfterHeaders        // send the header section, then close
	faultInBody              // send part of the content, then close
)

var faultNames = map[string]fault{
	"before-headers": faultBeforeHeaders,
	"after-headers":  faultAfterHeaders,
	"in-body":        faultInBody,
}

// controls are the per-request switches a client sets by query parameter
// or by request header.
type controls struct {
	delay        time.Duration // before the header section
	delayAfter   time.Duration // between the header section and the content
	dribble      time.Duration // spread the content over this long
	retryAfter   time.Duration
	seed         uint64
	headers      []field // extra response header fields, validated
	location     string  // a redirect or Location target, validated later
	user         string  // credentials that answer 401 and 407
	password     string
	fault        fault
	suppressBody bool
	hasSeed      bool
	hasUser      bool
	hasRetry     bool
}

// field is one header field.
type field struct{ name, value string }

// plain reports whether the response is written in one go, with its body.
func (c *controls) plain() bool {
	return c.delayAfter == 0 && c.dribble == 0 && c.fault == faultNone && !c.suppressBody
}

// waits reports whether the request holds its connection for a while: the
// requests the concurrency limit counts.
func (c *controls) waits() bool { return c.delay > 0 || c.delayAfter > 0 || c.dribble > 0 }

// A param is one control: its query parameter names and request header
// names, the canonical one first, and how to apply a value.
type param struct {
	query   []string
	headers []string
	value   string // what the value is, for documentation and errors
	doc     string
	set     func(c *controls, v string) error
}

// responseHeaderPrefix introduces a request header that becomes a response
// header: "X-HttpStatus-Response-Foo: bar" sends "Foo: bar".
const responseHeaderPrefix = "X-Httpstatus-Response-"

// controlHeaderPrefix is the prefix of every control header, in the
// canonical form Go gives header names.
const controlHeaderPrefix = "X-Httpstatus-"

// maxExtraHeaders bounds the extra response header fields of one request.
const maxExtraHeaders = 32

// params lists every control. The names httpstat.us used are accepted as
// aliases, so that a test suite can switch by changing the host.
func params() []param {
	return []param{
		{
			query: []string{"delay", "sleep"}, headers: []string{"X-HttpStatus-Delay", "X-HttpStatus-Sleep"},
			value: "milliseconds or Go duration", doc: "wait before sending the header section",
			set: func(c *controls, v string) (err error) { c.delay, err = parseDuration(v); return err },
		},
		{
			query:   []string{"delay-after-headers", "sleepAfterHeaders"},
			headers: []string{"X-HttpStatus-Delay-After-Headers", "X-HttpStatus-SleepAfterHeaders"},
			value:   "milliseconds or Go duration", doc: "wait between the header section and the content",
			set: func(c *controls, v string) (err error) { c.delayAfter, err = parseDuration(v); return err },
		},
		{
			query: []string{"dribble", "dribbleBody"}, headers: []string{"X-HttpStatus-Dribble", "X-HttpStatus-DribbleBody"},
			value: "milliseconds, Go duration, or true (1s)", doc: "send the content slowly, spread over this long",
			set: setDribble,
		},
		{
			query: []string{"fault"}, headers: []string{"X-HttpStatus-Fault"},
			value: "before-headers, after-headers or in-body", doc: "close the connection at that point instead of finishing the response",
			set: func(c *controls, v string) error {
				f, ok := faultNames[strings.ToLower(v)]
				if !ok {
					return fmt.Errorf("%q is not a fault; use before-headers, after-headers or in-body", clip(v))
				}
				c.fault = f
				return nil
			},
		},
		faultAlias("abortBeforeHeaders", "X-HttpStatus-AbortBeforeHeaders", faultBeforeHeaders),
		faultAlias("abortAfterHeaders", "X-HttpStatus-AbortAfterHeaders", faultAfterHeaders),
		faultAlias("abortDuringBody", "X-HttpStatus-AbortDuringBody", faultInBody),
		{
			query: []string{"suppress-body", "suppressBody"}, headers: []string{"X-HttpStatus-Suppress-Body", "X-HttpStatus-SuppressBody"},
			value: "true or false", doc: "send the status and header section without content",
			set: func(c *controls, v string) (err error) { c.suppressBody, err = parseBool(v); return err },
		},
		{
			query: []string{"header"}, headers: []string{"X-HttpStatus-Response-{Name}"},
			value: "Name: value (query); the value (header)", doc: "add a response header field; hop-by-hop and framing fields are refused",
			set: func(c *controls, v string) error {
				name, value, ok := strings.Cut(v, ":")
				if !ok {
					return fmt.Errorf("header %q: write it as Name: value", clip(v))
				}
				return c.addHeader(name, value)
			},
		},
		{
			query: []string{"seed"}, headers: []string{"X-HttpStatus-Seed"},
			value: "unsigned integer", doc: "make the sequence of random codes repeatable",
			set: func(c *controls, v string) (err error) {
				c.seed, err = strconv.ParseUint(v, 10, 64)
				if err != nil {
					return fmt.Errorf("seed %q is not an unsigned 64-bit integer", clip(v))
				}
				c.hasSeed = true
				return nil
			},
		},
		{
			query: []string{"location"}, headers: []string{"X-HttpStatus-Location"},
			value: "relative reference, or URL on the allow-list", doc: "the target of Location on redirects and 201",
			set: func(c *controls, v string) error { c.location = v; return nil },
		},
		{
			query: []string{"user"}, headers: []string{"X-HttpStatus-User"},
			value: "user name", doc: "the user whose Basic credentials turn 401 and 407 into 200",
			set: func(c *controls, v string) error { c.user, c.hasUser = v, true; return nil },
		},
		{
			query: []string{"password"}, headers: []string{"X-HttpStatus-Password"},
			value: "password", doc: "the password of that user",
			set: func(c *controls, v string) error { c.password = v; return nil },
		},
		{
			query: []string{"retry-after"}, headers: []string{"X-HttpStatus-Retry-After"},
			value: "milliseconds or Go duration (whole seconds are sent)", doc: "the Retry-After of 413, 429 and 503",
			set: func(c *controls, v string) (err error) {
				c.retryAfter, err = parseDuration(v)
				c.hasRetry = true
				return err
			},
		},
	}
}

func faultAlias(query, header string, f fault) param {
	return param{
		query: []string{query}, headers: []string{header},
		value: "true or false", doc: "httpstat.us spelling of fault",
		set: func(c *controls, v string) error {
			on, err := parseBool(v)
			if on {
				c.fault = f
			}
			return err
		},
	}
}

func setDribble(c *controls, v string) error {
	if on, err := parseBool(v); err == nil && !isDigits(v) {
		c.dribble = 0
		if on {
			c.dribble = time.Second
		}
		return nil
	}
	d, err := parseDuration(v)
	c.dribble = d
	return err
}

// controlTable indexes the controls by query name and by canonical header
// name. It is built once per Server and only read afterwards.
type controlTable struct {
	byQuery  map[string]*param
	byHeader map[string]*param
	list     []param
}

func newControlTable() *controlTable {
	t := &controlTable{byQuery: map[string]*param{}, byHeader: map[string]*param{}, list: params()}
	for i := range t.list {
		p := &t.list[i]
		for _, q := range p.query {
			t.byQuery[q] = p
		}
		for _, h := range p.headers {
			if !strings.Contains(h, "{") {
				t.byHeader[textproto.CanonicalMIMEHeaderKey(h)] = p
			}
		}
	}
	return t
}

// queryNames lists the accepted query parameters, for error messages.
func (t *controlTable) queryNames() string {
	var names []string
	for _, p := range t.list {
		names = append(names, p.query...)
	}
	return strings.Join(names, ", ")
}

// errBadControl is wrapped by every error of parse.
var errBadControl = errors.New("bad control")

// parse reads the controls of r: request headers first, then query
// parameters, so that a query parameter wins over a header. It fails on an
// unknown parameter or control header and on a bad value. The work is
// split into small functions, with errors built out of line, so that a
// request that goes on to wait holds a small goroutine stack.
func (t *controlTable) parse(r *http.Request, c *controls) error {
	for name, values := range r.Header {
		if strings.HasPrefix(name, controlHeaderPrefix) {
			if err := t.parseHeader(name, values, c); err != nil {
				return err
			}
		}
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	return t.parseQuery(r.URL.RawQuery, c)
}

func (t *controlTable) parseHeader(name string, values []string, c *controls) error {
	if strings.HasPrefix(name, responseHeaderPrefix) {
		for _, v := range values {
			if err := c.addHeader(name[len(responseHeaderPrefix):], v); err != nil {
				return badControl("header %s: %w", name, err)
			}
		}
		return nil
	}
	p, ok := t.byHeader[name]
	if !ok {
		return badControl("unknown control header %s; see /openapi.json for the accepted ones", clip(name))
	}
	for _, v := range values {
		if err := p.set(c, strings.TrimSpace(v)); err != nil {
			return badControl("header %s: %w", name, err)
		}
	}
	return nil
}

// parseQuery applies the query parameters in order, without building a
// map of them.
func (t *controlTable) parseQuery(query string, c *controls) error {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(rawName)
		value, err2 := url.QueryUnescape(rawValue)
		if err1 != nil || err2 != nil {
			return badControl("the query string does not parse at %q", clip(pair))
		}
		p, ok := t.byQuery[name]
		if !ok {
			return badControl("unknown query parameter %q; accepted: %s", clip(name), t.queryNames())
		}
		if err := p.set(c, value); err != nil {
			return badControl("parameter %s: %w", name, err)
		}
	}
	return nil
}

// badControl builds the error of a bad control.
//
//go:noinline
func badControl(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadControl}, args...)...)
}

// forbiddenExtra lists the fields a client may not add to a response: the
// connection-specific ones of RFC 9110, section 7.6.1, and the framing
// fields the server computes itself.
var forbiddenExtra = map[string]string{
	"Connection":          "hop-by-hop",
	"Keep-Alive":          "hop-by-hop",
	"Proxy-Connection":    "hop-by-hop",
	"Te":                  "hop-by-hop",
	"Trailer":             "hop-by-hop",
	"Transfer-Encoding":   "hop-by-hop",
	"Upgrade":             "hop-by-hop",
	"Content-Length":      "computed by the server",
	"Http2-Settings":      "hop-by-hop",
	"Alt-Used":            "a request field",
	"Proxy-Authorization": "a request field",
}

// addHeader validates and records an extra response header field.
func (c *controls) addHeader(name, value string) error {
	name = strings.TrimSpace(name)
	value = strings.TrimSpace(value)
	if !validToken(name) {
		return fmt.Errorf("%q is not a valid header field name", clip(name))
	}
	canonical := textproto.CanonicalMIMEHeaderKey(name)
	if why, bad := forbiddenExtra[canonical]; bad {
		return fmt.Errorf("%s cannot be set (%s)", canonical, why)
	}
	if !validValue(value) {
		return fmt.Errorf("the value of %s contains a control character", canonical)
	}
	if len(c.headers) >= maxExtraHeaders {
		return fmt.Errorf("more than %d extra header fields", maxExtraHeaders)
	}
	c.headers = append(c.headers, field{canonical, value})
	return nil
}

// validToken reports whether s is an RFC 9110 token.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validValue reports whether s is a field value without control
// characters (horizontal tab is allowed).
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
