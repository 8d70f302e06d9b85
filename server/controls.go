package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// The controls table of docs/server.md is generated from Controls.
//go:generate go test -run TestDocsAreFresh -update

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

// String returns the fault as the fault control names it.
func (f fault) String() string {
	for name, g := range faultNames {
		if g == f {
			return "fault=" + name
		}
	}
	return "no fault"
}

// controls are the per-request switches a client sets by query parameter
// or by request header, parsed and validated.
type controls struct {
	delay        time.Duration // before the header section
	delayAfter   time.Duration // between the header section and the content
	dribble      time.Duration // spread the content over this long
	bodyTimeout  time.Duration // the time the request body may take, when hasBody
	retryAfter   time.Duration
	seed         uint64
	headers      []field // extra response header fields, validated
	location     string  // a redirect or Location target, checked by admit
	user         string  // credentials that answer 401 and 407
	password     string
	fault        fault
	suppressBody bool
	hasSeed      bool
	hasUser      bool
	hasRetry     bool
	hasBody      bool // the body-timeout control was given

	// The controls of the routes that remember (memory.go).
	key          string    // the run's key; "" for the client's address
	rateLimit    rateLimit // zero: none
	rateFields   rateFields
	cycle        bool  // a sequence starts over after its last code
	redirectCode int   // the status of the redirect routes; 0 for 302
	absolute     bool  // the redirect routes send absolute URLs
	size         int64 // the resource's size, when it is created
	hasSize      bool
	mediaType    string
	cacheControl string
	requireCond  bool // an unconditional write of the resource is a 428

	// given has bit i set when the request gave params()[i], so that a
	// route can refuse the controls that do not apply to it.
	given uint64
}

// field is one header field.
type field struct{ name, value string }

// plain reports whether the response is written in one go, with its body.
func (c *controls) plain() bool {
	return c.delayAfter == 0 && c.dribble == 0 && c.fault == faultNone && !c.suppressBody
}

// impossible says why a control of c cannot happen on any answer to a
// request with method on route, or returns "". A fault in the content
// needs content to cut: HEAD has none, nor an answer whose content the
// request suppresses, nor the resource's answers to anything but GET.
func (c *controls) impossible(method, route string) string {
	if c.fault != faultInBody {
		return ""
	}
	switch {
	case method == http.MethodHead:
		return "fault=in-body cannot happen on HEAD: the answer has no content to cut"
	case c.suppressBody:
		return "fault=in-body cannot happen with suppress-body: the answer has no content to cut"
	case slices.Contains(resourceRoutes, route) && method != http.MethodGet:
		return "fault=in-body cannot happen on " + httptext.Clip(method, maxEcho) +
			" of the resource: only its answers to GET have content to cut"
	}
	return ""
}

// impossibleOn says why a control of c cannot happen on an answer with
// code, or returns "": 444 sends nothing at all, so neither a header
// field nor a fault after the header section; 101 and the codes without
// content (204, 205, 304) have no content to cut. An interim code is
// followed by a final 200, which the faults apply to.
func (c *controls) impossibleOn(code int) string {
	switch {
	case code == 444 && (c.fault == faultAfterHeaders || c.fault == faultInBody):
		return c.fault.String() + " cannot happen on 444, which closes the connection without sending anything"
	case code == 444 && len(c.headers) > 0:
		return "header cannot happen on 444, which closes the connection without sending a header section"
	case c.fault != faultInBody:
		return ""
	case code == http.StatusSwitchingProtocols:
		return "fault=in-body cannot happen on 101, which has no content: the connection closes after its header section"
	}
	if e, ok := httpstatus.Lookup(code); ok && code >= 200 && e.Content == httpstatus.ContentNone {
		return "fault=in-body cannot happen on " + strconv.Itoa(code) + ", whose answers have no content to cut"
	}
	return ""
}

// mayFail reports whether c holds a control that impossibleOn judges, so
// that a list of codes is checked only then.
func (c *controls) mayFail() bool { return c.fault != faultNone || len(c.headers) > 0 }

// waits reports whether the request holds its connection for a while: the
// requests the waiting limit counts.
func (c *controls) waits() bool { return c.delay > 0 || c.delayAfter > 0 || c.dribble > 0 }

// hold is the longest the request asks the server to hold it: its delays,
// its slow body and the time its own body may take.
func (c *controls) hold() time.Duration {
	d := c.delay + c.delayAfter + c.dribble
	if c.hasBody {
		d += c.bodyTimeout
	}
	return d
}

// A Control is one per-request switch of the server, which a client sets
// by a query parameter or by a request header field.
type Control struct {
	// Name says what the control does, in a few words.
	Name string
	// Query lists its query parameter names: ours first, then the
	// spellings httpstat.us used, so that a test suite can switch by
	// changing the host.
	Query []string
	// Headers lists its request header field names, in the same order.
	// "{Name}" stands for the name of the response field to add.
	Headers []string
	// Value says which values it accepts.
	Value string
	// Routes lists the patterns of the routes that take it; nil means
	// every route but /sessions/{key} and the 404 of any other path. A
	// route refuses a control it does not take with a 400, rather than
	// ignore it.
	Routes []string
}

// A param is a Control with the function that applies a value of it.
type param struct {
	Control
	set func(c *controls, v string) error
	// group names the setting the param shares with others, such as the
	// fault and its httpstat.us spellings: a request may give one param of
	// a group, once. "" is a group of the param alone.
	group string
	// repeatable marks the one control a request may give many times.
	repeatable bool
	// carried marks the controls the server carries into the URLs it
	// sends a client to (ownURL): a client that follows one sends the
	// header it gave again, so the two forms may come together when they
	// agree.
	carried bool
	index   int // in params(), for controls.given
}

// Takes reports whether the control applies to the route pattern.
func (c *Control) Takes(route string) bool {
	if c.Routes == nil {
		return slices.Contains(codeRoutes, route) || slices.Contains(redirectRoutes, route) || slices.Contains(resourceRoutes, route)
	}
	return slices.Contains(c.Routes, route)
}

// Controls returns every control the server accepts, in the order
// docs/server.md lists them.
func Controls() []Control {
	ps := params()
	out := make([]Control, len(ps))
	for i, p := range ps {
		out[i] = p.Control
	}
	return out
}

// responseHeaderPrefix introduces a request header that becomes a response
// header: "X-HttpStatus-Response-Foo: bar" sends "Foo: bar".
const responseHeaderPrefix = "X-Httpstatus-Response-"

// controlHeaderPrefix is the prefix of every control header, in the
// canonical form Go gives header names.
const controlHeaderPrefix = "X-Httpstatus-"

// maxExtraHeaders bounds the extra response header fields of one request.
const maxExtraHeaders = 32

// maxEcho bounds how much of a bad input an error message repeats.
const maxEcho = 40

// duration is the Value of the controls that take a duration.
const duration = "a duration such as 1500 (milliseconds) or 1.5s"

// params lists every control. The control table is built from it, and so
// are the error messages for bad values, the controls table of
// docs/server.md and the parameters of the OpenAPI document.
func params() []param {
	return []param{
		{
			Control: Control{Name: "delay before the header section",
				Query: []string{"delay", "sleep"}, Headers: []string{"X-HttpStatus-Delay", "X-HttpStatus-Sleep"},
				Value: duration},
			set: func(c *controls, v string) (err error) { c.delay, err = parseDuration(v); return err },
		},
		{
			Control: Control{Name: "delay between the header section and the content",
				Query:   []string{"delay-after-headers", "sleepAfterHeaders"},
				Headers: []string{"X-HttpStatus-Delay-After-Headers", "X-HttpStatus-SleepAfterHeaders"},
				Value:   duration},
			set: func(c *controls, v string) (err error) { c.delayAfter, err = parseDuration(v); return err },
		},
		{
			Control: Control{Name: "slow body: the content is sent in up to 64 pieces, spread over this long",
				Query: []string{"dribble", "dribbleBody"}, Headers: []string{"X-HttpStatus-Dribble", "X-HttpStatus-DribbleBody"},
				Value: "true (one second) or " + duration},
			set: setDribble,
		},
		{
			Control: Control{Name: "slow upload: the time the request body may take to arrive, instead of the server's body timeout",
				Query: []string{"body-timeout"}, Headers: []string{"X-HttpStatus-Body-Timeout"},
				Value: duration + "; counted with the delays against the longest hold"},
			set: func(c *controls, v string) (err error) {
				c.bodyTimeout, err = parseDuration(v)
				c.hasBody = true
				return err
			},
		},
		{
			Control: Control{Name: "fault: the connection closes at that point instead of finishing the response",
				Query: []string{"fault"}, Headers: []string{"X-HttpStatus-Fault"},
				Value: "before-headers, after-headers or in-body"},
			group: faultGroup,
			set: func(c *controls, v string) error {
				f, ok := faultNames[strings.ToLower(v)]
				if !ok {
					return fmt.Errorf("%q is not a fault", httptext.Clip(v, maxEcho))
				}
				c.fault = f
				return nil
			},
		},
		faultAlias("abortBeforeHeaders", "X-HttpStatus-AbortBeforeHeaders", faultBeforeHeaders, "before-headers"),
		faultAlias("abortAfterHeaders", "X-HttpStatus-AbortAfterHeaders", faultAfterHeaders, "after-headers"),
		faultAlias("abortDuringBody", "X-HttpStatus-AbortDuringBody", faultInBody, "in-body"),
		{
			Control: Control{Name: "no content: the status and header section only",
				Query: []string{"suppress-body", "suppressBody"}, Headers: []string{"X-HttpStatus-Suppress-Body", "X-HttpStatus-SuppressBody"},
				Value: "true or false"},
			set: func(c *controls, v string) (err error) { c.suppressBody, err = parseBool(v); return err },
		},
		{
			Control: Control{Name: "extra response header field, repeatable (at most 32); hop-by-hop and framing fields are refused",
				Query: []string{"header"}, Headers: []string{"X-HttpStatus-Response-{Name}"},
				Value: "Name:value (in the header form, the value alone)"},
			repeatable: true,
			set: func(c *controls, v string) error {
				name, value, ok := strings.Cut(v, ":")
				if !ok {
					return fmt.Errorf("%q has no colon", httptext.Clip(v, maxEcho))
				}
				return c.addHeader(name, value)
			},
		},
		{
			Control: Control{Name: "random seed: the same seed and list give the same sequence of codes",
				Query: []string{"seed"}, Headers: []string{"X-HttpStatus-Seed"},
				Value: "an unsigned 64-bit integer", Routes: []string{routeStatus, routeRandom}},
			set: func(c *controls, v string) (err error) {
				c.seed, err = strconv.ParseUint(v, 10, 64)
				if err != nil {
					return fmt.Errorf("%q is not an unsigned 64-bit integer", httptext.Clip(v, maxEcho))
				}
				c.hasSeed = true
				return nil
			},
		},
		{
			Control: Control{Name: "the target of Location, on redirects and wherever the registry asks for the field",
				Query: []string{"location"}, Headers: []string{"X-HttpStatus-Location"},
				Value: "a path on this server, or an http(s) URL whose host is on the redirect allow-list", Routes: codeRoutes},
			set: func(c *controls, v string) error { c.location = v; return nil },
		},
		{
			Control: Control{Name: "the user whose Basic credentials turn 401 and 407 into 200",
				Query: []string{"user"}, Headers: []string{"X-HttpStatus-User"},
				Value: "a user name", Routes: codeRoutes},
			set: func(c *controls, v string) error { c.user, c.hasUser = v, true; return nil },
		},
		{
			Control: Control{Name: "the password of that user",
				Query: []string{"password"}, Headers: []string{"X-HttpStatus-Password"},
				Value: "a password", Routes: codeRoutes},
			set: func(c *controls, v string) error { c.password = v; return nil },
		},
		{
			Control: Control{Name: "the value of Retry-After, wherever the registry asks for the field",
				Query: []string{"retry-after"}, Headers: []string{"X-HttpStatus-Retry-After"},
				Value:  "whole seconds, as the field states them (2), or a duration (1.5s), sent rounded up to whole seconds",
				Routes: append(codeRoutes[:len(codeRoutes):len(codeRoutes)], redirectRoutes...)},
			set: func(c *controls, v string) (err error) {
				if httptext.IsDigits(v) && len(v) <= 9 {
					secs, _ := strconv.Atoi(v)
					c.retryAfter, c.hasRetry = time.Duration(secs)*time.Second, true
					return nil
				}
				c.retryAfter, err = parseDuration(v)
				c.hasRetry = true
				return err
			},
		},
		{
			Control: Control{Name: "the key of a run: the requests of one key share a sequence's position, a rate limit's window and a resource",
				Query: []string{"key"}, Headers: []string{"X-HttpStatus-Key"},
				Value: "1 to 64 letters, digits, '-', '.', '_' or '~'; without it, the client's IP address is the key"},
			carried: true,
			set: func(c *controls, v string) error {
				if !validKey(v) {
					return fmt.Errorf("%q is not a key", httptext.Clip(v, maxEcho))
				}
				c.key = v
				return nil
			},
		},
		{
			Control: Control{Name: "rate limit: the key's first N requests in each fixed window are answered as asked, the others 429",
				Query: []string{"rate-limit"}, Headers: []string{"X-HttpStatus-Rate-Limit"},
				Value: "N/DURATION, such as 5/10s: 1 to 1000000 requests in a window of whole seconds (1s to 24h)"},
			set: func(c *controls, v string) (err error) { c.rateLimit, err = parseRateLimit(v); return err },
		},
		{
			Control: Control{Name: "which rate-limit fields every answer under a rate limit carries",
				Query: []string{"rate-limit-fields"}, Headers: []string{"X-HttpStatus-Rate-Limit-Fields"},
				Value: "ietf (RateLimit-Policy and RateLimit, the default), x-ratelimit (X-RateLimit-Limit, -Remaining, -Reset) or both"},
			set: func(c *controls, v string) error {
				f, ok := rateFieldsNames[strings.ToLower(v)]
				if !ok {
					return fmt.Errorf("%q is not ietf, x-ratelimit or both", httptext.Clip(v, maxEcho))
				}
				c.rateFields = f
				return nil
			},
		},
		{
			Control: Control{Name: "start the sequence over after its last code, instead of repeating the last",
				Query: []string{"cycle"}, Headers: []string{"X-HttpStatus-Cycle"},
				Value: "true or false", Routes: []string{routeSequence}},
			set: func(c *controls, v string) (err error) { c.cycle, err = parseBool(v); return err },
		},
		{
			Control: Control{Name: "the status of each redirect",
				Query: []string{"code"}, Headers: []string{"X-HttpStatus-Code"},
				Value: "301, 302 (the default), 303, 307 or 308", Routes: redirectRoutes},
			carried: true,
			set:     setRedirectCode,
		},
		{
			Control: Control{Name: "send absolute URLs of this same host in Location, instead of paths",
				Query: []string{"absolute"}, Headers: []string{"X-HttpStatus-Absolute"},
				Value: "true or false", Routes: redirectRoutes},
			carried: true,
			set:     func(c *controls, v string) (err error) { c.absolute, err = parseBool(v); return err },
		},
		{
			Control: Control{Name: "the size of the resource, in bytes, when the key's resource is created",
				Query: []string{"size"}, Headers: []string{"X-HttpStatus-Size"},
				Value: "0 to the request body limit (1 MiB by default); 1024 when not given", Routes: resourceRoutes},
			set: func(c *controls, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < 0 || !httptext.IsDigits(v) {
					return fmt.Errorf("%q is not a size in bytes", httptext.Clip(v, maxEcho))
				}
				c.size, c.hasSize = n, true
				return nil
			},
		},
		{
			Control: Control{Name: "the media type of the resource, when the key's resource is created",
				Query: []string{"type"}, Headers: []string{"X-HttpStatus-Type"},
				Value: "a media type such as application/json; text/plain; charset=utf-8 when not given", Routes: resourceRoutes},
			set: func(c *controls, v string) error {
				t, err := parseMediaType(v)
				c.mediaType = t
				return err
			},
		},
		{
			Control: Control{Name: "the Cache-Control field of the resource's answers",
				Query: []string{"cache-control"}, Headers: []string{"X-HttpStatus-Cache-Control"},
				Value: "a Cache-Control value such as max-age=60; no-cache when not given", Routes: resourceRoutes},
			set: func(c *controls, v string) error {
				if v == "" || len(v) > 256 || !validValue(v) {
					return fmt.Errorf("%q is not a Cache-Control value", httptext.Clip(v, maxEcho))
				}
				c.cacheControl = v
				return nil
			},
		},
		{
			Control: Control{Name: "answer 428 to a PUT, PATCH or DELETE of the resource without If-Match, If-Unmodified-Since or If-None-Match",
				Query: []string{"require-precondition"}, Headers: []string{"X-HttpStatus-Require-Precondition"},
				Value: "true or false", Routes: resourceRoutes},
			set: func(c *controls, v string) (err error) { c.requireCond, err = parseBool(v); return err },
		},
	}
}

func setRedirectCode(c *controls, v string) error {
	code, err := httpstatus.ParseCode(v)
	switch {
	case err != nil:
		return err
	case code != 301 && code != 302 && code != 303 && code != 307 && code != 308:
		return fmt.Errorf("%d is not a redirect status this route sends", code)
	}
	c.redirectCode = code
	return nil
}

// faultGroup is the group of the fault control and its httpstat.us
// spellings, which all choose the one fault of a response.
const faultGroup = "fault"

// faultAlias is the param of the httpstat.us spelling of the fault name,
// which sets f when true.
func faultAlias(query, header string, f fault, name string) param {
	return param{
		Control: Control{Name: "fault=" + name + ", as httpstat.us spelled it",
			Query: []string{query}, Headers: []string{header}, Value: "true or false"},
		group: faultGroup,
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
	if on, err := parseBool(v); err == nil && !httptext.IsDigits(v) {
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

// The cache (cache.go) answers a request from a response the pipeline
// rendered once for an earlier request. That is correct only while every
// input of a request that the pipeline reads is either part of the cache's
// key or a reason for the cache to decline the request. These are all of
// them; an input a step starts to read belongs in this list and in
// cacheable, and the differential test (TestCacheMatchesPipeline) fails
// for the ones that are missing.
//
//	input                              the cache
//	method                             keys on GET and HEAD; declines the others
//	path                               keys on the code and on /{code} or /status/{code}; declines the others
//	escaped path (/status%2F200)       declines: the mux routes the escaped form, in which %2F is no slash
//	unclean path (//200, /./200)       sees the clean form: cleaning runs in front of the cache and of the mux alike
//	query string, even an empty one    declines (every control is a query parameter)
//	X-HttpStatus-* header fields       declines (every control is a header field)
//	Accept                             keys on the media type respond negotiates
//	protocol version                   keys on HTTP/1 against later ones (426, Connection)
//	request content                    declines any (a Content-Length other than 0, or chunked)
//	code 1xx, 206, 444                 declines (interim responses, Range, closed connections)
//	Range, Upgrade, Connection         read only for 206 and 1xx, which the cache declines
//	Authorization, Proxy-Authorization read only with the user control, which the cache declines
//	Origin                             declines: the CORS middleware around the server then adds to the
//	                                   header fields, which in a cached response are shared, and lists
//	                                   them all, Content-Length included, which the cache leaves to net/http
func cacheable(r *http.Request) (code int, route int, prefix string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return 0, 0, ""
	}
	if r.URL.RawQuery != "" || r.URL.ForceQuery || r.URL.RawPath != "" || r.ContentLength != 0 {
		return 0, 0, ""
	}
	p := r.URL.Path
	switch {
	case len(p) == 4 && p[0] == '/':
		route, prefix = 0, "/"
	case len(p) == 11 && strings.HasPrefix(p, "/status/"):
		route, prefix = 1, "/status/"
	default:
		return 0, 0, ""
	}
	code, err := httpstatus.ParseCode(p[len(p)-3:])
	if err != nil || code < 200 || code == http.StatusPartialContent || code == 444 {
		return 0, 0, ""
	}
	if r.Header["Origin"] != nil {
		return 0, 0, ""
	}
	for k := range r.Header {
		if len(k) >= len(controlHeaderPrefix) && k[:len(controlHeaderPrefix)] == controlHeaderPrefix {
			return 0, 0, ""
		}
	}
	return code, route, prefix
}

// controlTable indexes the controls by query name, in lower case, and by
// canonical header name. It is built once per Server and only read
// afterwards.
type controlTable struct {
	byQuery  map[string]*param
	byHeader map[string]*param
	list     []param
	// groups holds, for each param, the bits of controls.given of the
	// params a request may not give next to it: itself and its group.
	groups []uint64
	header *param // the repeatable header control, which X-HttpStatus-Response-* gives too
}

// newControlTable indexes params(), and works out each param's group.
func newControlTable() *controlTable {
	t := &controlTable{byQuery: map[string]*param{}, byHeader: map[string]*param{}, list: params()}
	t.groups = make([]uint64, len(t.list))
	for i := range t.list {
		p := &t.list[i]
		p.index = i
		for _, q := range p.Query {
			t.byQuery[strings.ToLower(q)] = p
		}
		for _, h := range p.Headers {
			if !strings.Contains(h, "{") {
				t.byHeader[textproto.CanonicalMIMEHeaderKey(h)] = p
			}
		}
		if p.repeatable {
			t.header = p
		}
		for j := range t.list {
			if j == i || (p.group != "" && t.list[j].group == p.group) {
				t.groups[i] |= 1 << j
			}
		}
	}
	return t
}

// queryNames lists the accepted query parameters, for error messages.
func (t *controlTable) queryNames() string {
	var names []string
	for _, p := range t.list {
		names = append(names, p.Query...)
	}
	return strings.Join(names, ", ")
}

// errBadControl is wrapped by every error of parse.
var errBadControl = errors.New("bad control")

// cacheBuster is the query parameter that browsers' scripts (jQuery's
// cache: false) add to make every URL new; parse ignores it.
const cacheBuster = "_"

// parse reads the controls of r: the control header fields in the order
// of their names, then the query parameters in order, so that of several
// mistakes the same one is reported every time. It fails on an unknown
// parameter or control header, on a bad value, and on a control given
// twice in any of its spellings (but header, which repeats, and a carried
// control whose header and parameter agree), or next to another of its
// group. Query names are matched without regard to case,
// as header names are; the cache-buster "_" is ignored. The work is split
// into small functions, with errors built out of line, to keep the way to
// a wait shallow (see "The way to a wait" in pipeline.go).
func (t *controlTable) parse(r *http.Request, c *controls) error {
	if err := t.parseHeaders(r, c); err != nil {
		return err
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	return t.parseQuery(r, c)
}

// parseHeaders applies the control header fields, in the order of their
// names. It is out of line, with its list of names, so that parse's frame
// stays small under parseQuery (see "The way to a wait" in pipeline.go).
//
//go:noinline
func (t *controlTable) parseHeaders(r *http.Request, c *controls) error {
	var buf [4]string
	names := buf[:0]
	for name := range r.Header {
		if strings.HasPrefix(name, controlHeaderPrefix) {
			names = append(names, name)
		}
	}
	if len(names) > 1 {
		sortNames(names)
	}
	for _, name := range names {
		if err := t.parseHeader(r, name, c); err != nil {
			return err
		}
	}
	return nil
}

func (t *controlTable) parseHeader(r *http.Request, name string, c *controls) error {
	values := r.Header[name]
	if strings.HasPrefix(name, responseHeaderPrefix) {
		for _, v := range values {
			if err := c.addHeader(name[len(responseHeaderPrefix):], v); err != nil {
				return badHeader(name, err, nil)
			}
		}
		c.given |= 1 << t.header.index
		return nil
	}
	p, ok := t.byHeader[name]
	if !ok {
		return unknownHeader(name)
	}
	for _, v := range values {
		if c.given&t.groups[p.index] != 0 {
			return t.givenTwice(r, p, t.headerSpelling(p, name))
		}
		if err := p.set(c, strings.TrimSpace(v)); err != nil {
			return badHeader(t.headerSpelling(p, name), err, p)
		}
		c.given |= 1 << p.index
	}
	return nil
}

// sortNames sorts the names of the control header fields, out of line
// (see parseHeaders).
//
//go:noinline
func sortNames(names []string) { slices.Sort(names) }

// badHeader and unknownHeader are parseHeader's errors, out of line
// (see "The way to a wait" in pipeline.go). p is the control of the field, or
// nil for X-HttpStatus-Response-*.
//
//go:noinline
func badHeader(name string, err error, p *param) error {
	if p == nil {
		return badControl("header %s: %w", name, err)
	}
	return badControl("header %s: %w; it takes %s", name, err, p.Value)
}

//go:noinline
func unknownHeader(name string) error {
	return badControl("unknown control header %s; see /openapi.json for the accepted ones", httptext.Clip(name, maxEcho))
}

// parseQuery applies the query parameters in order, without building a
// map of them. Its errors are built out of line, by the functions below
// (see "The way to a wait" in pipeline.go).
func (t *controlTable) parseQuery(r *http.Request, c *controls) error {
	query := r.URL.RawQuery
	var byQuery uint64 // the controls the query gave, of those in c.given
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
			return badQueryString(pair)
		}
		if name == cacheBuster {
			continue
		}
		p, ok := t.byQuery[strings.ToLower(name)]
		if !ok {
			return t.unknownParameter(name)
		}
		if c.given&t.groups[p.index] != 0 && !p.repeatable {
			if p.carried && byQuery&(1<<p.index) == 0 && t.headerSays(r, p, value) {
				continue // the server's own URL, followed with the header again
			}
			return t.givenTwice(r, p, name)
		}
		if err := p.set(c, value); err != nil {
			return badParameter(name, err, p)
		}
		c.given |= 1 << p.index
		byQuery |= 1 << p.index
	}
	return nil
}

// headerSays reports whether r gives p by its header with the value v.
func (t *controlTable) headerSays(r *http.Request, p *param, v string) bool {
	for _, h := range p.Headers {
		if vs := r.Header.Values(h); len(vs) == 1 && strings.EqualFold(strings.TrimSpace(vs[0]), v) {
			return true
		}
	}
	return false
}

// headerSpelling returns the name of a control header as the control
// lists it (X-HttpStatus-Delay), for the canonical form a request's
// field arrives in (X-Httpstatus-Delay).
func (t *controlTable) headerSpelling(p *param, canonical string) string {
	for _, h := range p.Headers {
		if textproto.CanonicalMIMEHeaderKey(h) == canonical {
			return h
		}
	}
	return canonical
}

// givenTwice is the error of a control given when p's group already has
// one: it names the earlier spelling, found again in the order parse
// reads, and the later one.
//
//go:noinline
func (t *controlTable) givenTwice(r *http.Request, p *param, later string) error {
	mask := t.groups[p.index]
	earlier, first := later, p
	found := false
	var names []string
	for name := range r.Header {
		if strings.HasPrefix(name, controlHeaderPrefix) && !strings.HasPrefix(name, responseHeaderPrefix) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if q, ok := t.byHeader[name]; ok && mask&(1<<q.index) != 0 {
			earlier, first, found = t.headerSpelling(q, name), q, true
			break
		}
	}
	for query := r.URL.RawQuery; query != "" && !found; {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		rawName, _, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if q, ok := t.byQuery[strings.ToLower(name)]; ok && err == nil && mask&(1<<q.index) != 0 {
			earlier, first, found = name, q, true
		}
	}
	earlier, later = httptext.Clip(earlier, maxEcho), httptext.Clip(later, maxEcho)
	switch {
	case earlier == later:
		return badControl("%s is given twice; give each control once (only header repeats)", later)
	case first == p:
		return badControl("%s and %s are two spellings of one control (%s); give one of them", earlier, later, p.Name)
	}
	return badControl("%s and %s contradict each other: both choose the %s; give one of them", earlier, later, p.group)
}

// refused returns the first control c gives that the route does not
// take, or nil.
func (t *controlTable) refused(c *controls, route string) *param {
	for i := range t.list {
		if c.given&(1<<i) != 0 && !t.list[i].Takes(route) {
			return &t.list[i]
		}
	}
	return nil
}

//go:noinline
func badQueryString(pair string) error {
	return badControl("the query string does not parse at %q", httptext.Clip(pair, maxEcho))
}

//go:noinline
func (t *controlTable) unknownParameter(name string) error {
	return badControl("unknown query parameter %q; accepted: %s", httptext.Clip(name, maxEcho), t.queryNames())
}

//go:noinline
func badParameter(name string, err error, p *param) error {
	return badControl("parameter %s: %w; it takes %s", name, err, p.Value)
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

// addHeader validates and records an extra response header field. Only
// the optional whitespace of RFC 9110, section 5.6.3 (spaces and tabs),
// is trimmed: a CR or LF at either end is a control character, refused
// like one inside.
func (c *controls) addHeader(name, value string) error {
	name = strings.Trim(name, " \t")
	value = strings.Trim(value, " \t")
	if !httptext.IsToken(name) {
		return fmt.Errorf("%q is not a valid header field name", httptext.Clip(name, maxEcho))
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
