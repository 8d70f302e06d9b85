// Package openapi builds and serves the OpenAPI 3.1 description of
// "httpstatus serve". Nothing in the document is written by hand that is
// stated elsewhere: the routes and their summaries come from the route
// tables of the status server, the web reference and serve, the
// parameters from the status server's controls, and every fact about a
// status code (which codes a route may answer, the header fields each
// carries, whether it carries content) from the registry.
package openapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/respond"
	"github.com/httpstatus/httpstatus/server"
)

// MediaType is the media type of the document.
const MediaType = "application/vnd.oai.openapi+json;version=3.1"

// A Route is one pattern served next to the status server, with what it
// answers.
type Route struct {
	Pattern string // a net/http ServeMux pattern
	Summary string // what the route answers, in a few words
	// Method is the method the route answers when Pattern names none
	// because its handler refuses the others itself; "GET" includes HEAD,
	// as in a pattern. Empty with a pattern that names no method: every
	// method.
	Method string
}

// Description is what the document describes.
type Description struct {
	// Status are the status server's routes, which answer every method:
	// (*server.Server).Routes. A route with a wildcard answers the code
	// or codes it names and takes the controls; the one without answers
	// any other path.
	Status []server.Route
	// Controls are the controls the status routes take: server.Controls.
	Controls []server.Control
	// Routes are the other routes served next to them: the web
	// reference and the operational routes.
	Routes []Route
}

// Handler serves the document of d to GET and HEAD, with an entity tag.
// The document is built on the first request, once.
func Handler(d Description) http.Handler {
	type built struct {
		body []byte
		etag string
	}
	get := sync.OnceValue(func() built {
		body := Document(d)
		sum := sha256.Sum256(body)
		return built{body, `"` + hex.EncodeToString(sum[:8]) + `"`}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			_ = respond.Write(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(http.MethodGet, http.MethodHead).
				WithDetail("this route answers GET and HEAD only"))
			return
		}
		doc := get()
		h := w.Header()
		h.Set("Content-Type", MediaType)
		h.Set("ETag", doc.etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(doc.body))
	})
}

// Document returns the OpenAPI 3.1 document of d, as indented JSON.
func Document(d Description) []byte {
	b := &builder{
		paths:      obj{},
		parameters: obj{},
		responses:  obj{},
		claimed:    map[string]bool{},
	}
	b.controlParameters(d.Controls)
	b.codeResponses()
	// A route whose pattern names a method is more specific than one
	// that names none, so it claims its path and method first, as
	// net/http's ServeMux would match it.
	var routes []Route
	for _, r := range d.Routes {
		if patternMethod(r.Pattern) != "" || r.Method != "" {
			routes = append(routes, r)
		}
	}
	for _, r := range d.Routes {
		if patternMethod(r.Pattern) == "" && r.Method == "" {
			routes = append(routes, r)
		}
	}
	for _, r := range routes {
		b.route(r, nil)
	}
	for _, r := range d.Status {
		b.route(Route{Pattern: r.Pattern, Summary: r.Summary}, &r)
	}
	b.hoistControls()
	doc := obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "httpstatus test server",
			"version":     "1",
			"description": infoDescription,
		},
		// The server the document was fetched from. No route needs
		// credentials: the user and password controls only name the ones
		// that then turn a 401 or 407 into a 200.
		"servers":  []any{obj{"url": "/"}},
		"security": []any{},
		"paths":    b.paths,
		"components": obj{
			"parameters": b.parameters,
			"responses":  b.responses,
			"schemas":    obj{"Problem": problemSchema()},
		},
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		panic(err) // maps of strings, slices and booleans always encode
	}
	return append(out, '\n')
}

// obj is a JSON object of the document.
type obj = map[string]any

const infoDescription = "Answers any HTTP status code from 100 to 599 the way a real server sends it, " +
	"with the header fields and content rules the registry (codes.json) gives the code, for testing HTTP clients. " +
	"Controls add delays, slow bodies, connection faults, extra header fields and random codes; each is a query parameter " +
	"and a request header field, given once: a control given twice, in any spelling, is answered 400 (header repeats, and " +
	"key, code and absolute may come in both forms when they agree). " +
	"Query names match in any case, and the cache-buster _ is ignored. Any other unknown query parameter or " +
	"X-HttpStatus-* header field is answered 400. Limits (the longest delay, the most waiting requests, the largest body) " +
	"are set by the operator. Every route whose pattern names GET answers HEAD too. docs/server.md describes each route, " +
	"control, limit and special case."

// methods are the operations of a route that answers every method, in
// the order the document lists them.
var methods = []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}

// builder holds the parts of the document while it is built.
type builder struct {
	paths      obj
	parameters obj // components.parameters
	responses  obj // components.responses
	controls   []server.Control
	refs       [][]any         // references to the parameters of each control
	codes      obj             // the responses of a route that answers the codes the request names
	claimed    map[string]bool // "path method" pairs a route answers
}

// route adds the operations of r to its path. A status route (status is
// not nil) answers its methods, or every method no other route claims;
// it answers its codes, or with none named the codes the request names,
// and it takes the controls that apply to it.
func (b *builder) route(r Route, status *server.Route) {
	path, wildcards := openAPIPath(r.Pattern)
	item, _ := b.paths[path].(obj)
	if item == nil {
		item = obj{}
		b.paths[path] = item
	}
	if len(wildcards) > 0 && item["parameters"] == nil {
		var params []any
		for _, w := range wildcards {
			params = append(params, obj{"name": w, "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
		item["parameters"] = params
	}
	method := patternMethod(r.Pattern)
	if method == "" {
		method = r.Method
	}
	ops := operationsOf(method)
	if status != nil && status.Methods != nil {
		ops = nil
		for _, m := range status.Methods {
			ops = append(ops, strings.ToLower(m))
		}
	}
	for _, m := range ops {
		key := path + " " + m
		if b.claimed[key] {
			continue
		}
		b.claimed[key] = true
		if m == "get" && method == http.MethodGet {
			b.claimed[path+" head"] = true
		}
		op := obj{"operationId": operationID(m, path), "summary": sentence(r.Summary)}
		switch {
		case status != nil && status.Pattern == "/":
			op["responses"] = b.answers([]int{http.StatusNotFound}, false)
		case status != nil:
			if params := b.controlsOf(status.Pattern); len(params) > 0 {
				op["parameters"] = params
			}
			if status.Answers == nil {
				op["description"] = codeRouteDescription
				op["responses"] = b.codes
			} else {
				op["responses"] = b.answers(status.Answers, true)
			}
		default:
			op["responses"] = obj{"default": obj{"description": sentence(r.Summary)}}
		}
		item[m] = op
	}
}

const codeRouteDescription = "Answers with the code the route names or picks, with the header fields the registry " +
	"gives the code (with working values) and its content rules. Unless the code or HEAD forbids content, the body is " +
	"RFC 9457 problem details (application/json below 400), HTML or text, as Accept prefers, saying what the code means. " +
	"A 1xx code is sent as an interim response, followed by a final 200. Each response below lists the header fields " +
	"the registry's rules for its code name. Other special cases (upgrades, partial content, credentials, closed " +
	"connections) are described in docs/server.md."

// controlsOf returns references to the parameters of the controls the
// status route pattern takes.
func (b *builder) controlsOf(pattern string) []any {
	var params []any
	for i, c := range b.controls {
		if c.Takes(pattern) {
			params = append(params, b.refs[i]...)
		}
	}
	return params
}

// answers returns the responses of a route that sends codes, with the
// problems the server sends about a request it cannot take when withOwn.
func (b *builder) answers(codes []int, withOwn bool) obj {
	out := obj{}
	add := func(code int) {
		key := strconv.Itoa(code)
		if _, ok := b.responses[key]; !ok {
			e, _ := httpstatus.Lookup(code)
			b.responses[key] = codeResponse(e, serverAnswers[code])
		}
		out[key] = ref("responses", key)
	}
	for _, code := range codes {
		add(code)
	}
	if withOwn {
		for code := range serverAnswers {
			add(code)
		}
	}
	return out
}

// hoistControls moves the controls up to the path of a status route,
// when every operation there takes the same ones, so that the document
// names them once a path instead of once an operation.
func (b *builder) hoistControls() {
	for _, v := range b.paths {
		item := v.(obj)
		var shared []any
		n := 0
		for _, m := range methods {
			op, _ := item[m].(obj)
			if op == nil {
				continue
			}
			params, _ := op["parameters"].([]any)
			if params == nil || (shared != nil && len(params) != len(shared)) {
				shared = nil
				break
			}
			shared = params
			n++
		}
		if shared == nil || n < 2 {
			continue
		}
		params, _ := item["parameters"].([]any)
		item["parameters"] = append(params, shared...)
		for _, m := range methods {
			if op, ok := item[m].(obj); ok {
				delete(op, "parameters")
			}
		}
	}
}

// operationsOf returns the operations a route with method answers.
func operationsOf(method string) []string {
	if method == "" {
		return methods
	}
	return []string{strings.ToLower(method)}
}

// patternMethod returns the method a ServeMux pattern names, or "".
func patternMethod(pattern string) string {
	if m, _, ok := strings.Cut(pattern, " "); ok {
		return m
	}
	return ""
}

// openAPIPath turns a ServeMux pattern into an OpenAPI path and the names
// of its wildcards: "GET /codes/{code}" is "/codes/{code}", "/{$}" is "/",
// "/files/{path...}" is "/files/{path}". A pattern that ends in a slash
// matches a whole subtree in ServeMux; OpenAPI has no such path, so the
// document shows it at the subtree's root.
func openAPIPath(pattern string) (string, []string) {
	if _, rest, ok := strings.Cut(pattern, " "); ok {
		pattern = strings.TrimLeft(rest, " ")
	}
	if i := strings.IndexByte(pattern, '/'); i > 0 {
		pattern = pattern[i:] // a host
	}
	segments := strings.Split(pattern, "/")
	var wildcards []string
	for i, s := range segments {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		name := strings.TrimSuffix(strings.Trim(s, "{}"), "...")
		if name == "$" {
			segments[i] = ""
			continue
		}
		segments[i] = "{" + name + "}"
		wildcards = append(wildcards, name)
	}
	return strings.Join(segments, "/"), wildcards
}

// operationID names an operation after its method and path:
// "get_api_codes_code".
func operationID(method, path string) string {
	parts := []string{method}
	for s := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		if s = strings.Trim(s, "{}"); s != "" {
			parts = append(parts, componentKey(s))
		}
	}
	if strings.HasSuffix(path, "/") {
		parts = append(parts, "index")
	}
	return strings.Join(parts, "_")
}

// controlParameters adds a query parameter for each query name of each
// control and a header parameter for each of its header names, and keeps
// references to all of them for the routes that take the controls.
func (b *builder) controlParameters(controls []server.Control) {
	b.controls = controls
	for _, c := range controls {
		b.refs = append(b.refs, nil)
		what := sentence(c.Name) + " Takes " + c.Value + "."
		for i, q := range c.Query {
			desc := what
			if i > 0 {
				desc += " The httpstat.us spelling of " + c.Query[0] + "."
			}
			if i < len(c.Headers) {
				desc += " Also the request header field " + c.Headers[i] + "."
			}
			b.parameter("query."+componentKey(q), obj{"name": q, "in": "query", "description": desc, "schema": obj{"type": "string"}})
		}
		for i, h := range c.Headers {
			desc := what
			if strings.Contains(h, "{Name}") {
				desc += " {Name} stands for the name of the response header field to add."
			}
			if i < len(c.Query) {
				desc += " The header form of the query parameter " + c.Query[i] + ", which wins when both are given."
			}
			b.parameter("header."+componentKey(h), obj{"name": h, "in": "header", "description": desc, "schema": obj{"type": "string"}})
		}
	}
}

func (b *builder) parameter(key string, p obj) {
	b.parameters[key] = p
	b.refs[len(b.refs)-1] = append(b.refs[len(b.refs)-1], ref("parameters", key))
}

// serverAnswers are the codes the status server sends of its own accord,
// on a route that answers codes, and why.
var serverAnswers = map[int]string{
	http.StatusBadRequest: "The server also answers 400 to a code, list or control value it cannot accept, " +
		"an unknown control, or an upgrade it cannot make.",
	http.StatusRequestEntityTooLarge: "The server also answers 413 when the request body is over its limit.",
	http.StatusServiceUnavailable:    "The server also answers 503, with Retry-After, when it already holds its limit of delayed requests.",
	http.StatusTooManyRequests: "The server also answers 429, with Retry-After and the rate-limit fields, when the window of the " +
		"request's rate-limit control is used up.",
}

// codeResponses adds the responses of a route that answers codes: one for
// each class, for any code of it from 100 to 599, and one for each code
// the registry gives a header field or no content, and each code the
// server sends of its own accord.
func (b *builder) codeResponses() {
	b.codes = obj{}
	for c := httpstatus.ClassInformational; c <= httpstatus.ClassServerError; c++ {
		key := strings.ToUpper(c.String())
		b.responses[key] = classResponse(c)
		b.codes[key] = ref("responses", key)
	}
	for code := 100; code <= 599; code++ {
		e, ok := httpstatus.Lookup(code)
		if !ok {
			continue
		}
		why, own := serverAnswers[code]
		if len(e.Headers) == 0 && e.Content != httpstatus.ContentNone && !own {
			continue
		}
		key := strconv.Itoa(code)
		b.responses[key] = codeResponse(e, why)
		b.codes[key] = ref("responses", key)
	}
}

// classResponse describes the codes of c the document lists no response of
// their own for.
func classResponse(c httpstatus.Class) obj {
	lo := int(c) * 100
	r := obj{"description": "Any other code from " + strconv.Itoa(lo) + " to " + strconv.Itoa(lo+99) + " (" + c.Name() +
		"), registered or not: one the registry names no header field for."}
	if !noContent(c) {
		r["content"] = bodies()
	}
	return r
}

// noContent reports whether the registry says that no code of c it knows
// carries content.
func noContent(c httpstatus.Class) bool {
	for e := range httpstatus.Codes() {
		if e.Class == c && e.Content != httpstatus.ContentNone {
			return false
		}
	}
	return true
}

// codeResponse describes the response the registry's entry e describes,
// with the header fields its rules name and, unless e says the code
// carries none, content. why says when the server also sends the code
// itself.
func codeResponse(e *httpstatus.Entry, why string) obj {
	desc := e.String() + ": " + sentence(e.Summary)
	headers := obj{}
	var forbidden []string
	for _, h := range e.Headers {
		// As the command line words a rule: "MUST Allow, always, ...".
		rule := h.Level.String() + " " + h.Field + ", " + h.When + " (" + h.Ref.String() + ")."
		if h.Level == httpstatus.LevelMustNot || h.Level == httpstatus.LevelShouldNot {
			forbidden = append(forbidden, rule)
			continue
		}
		// A field with several rules (206's Content-Type: one for a
		// multipart answer, one without If-Range) gets them all.
		if prev, ok := headers[h.Field].(obj); ok {
			prev["description"] = prev["description"].(string) + " " + rule
			prev["required"] = prev["required"].(bool) || headerRequired(h)
			continue
		}
		headers[h.Field] = obj{
			"description": rule,
			"required":    headerRequired(h),
			"schema":      obj{"type": "string"},
		}
	}
	if len(forbidden) > 0 {
		desc += " Forbidden or discouraged: " + strings.Join(forbidden, " ")
	}
	if e.Content == httpstatus.ContentNone {
		desc += " No content."
	}
	if why != "" {
		desc += " " + why
	}
	r := obj{"description": desc}
	if len(headers) > 0 {
		r["headers"] = headers
	}
	if e.Content != httpstatus.ContentNone {
		r["content"] = bodies()
	}
	return r
}

// headerRequired reports whether the document marks the header field of
// rule as required: when the registry says the code MUST carry it, always.
func headerRequired(rule httpstatus.HeaderRule) bool {
	return rule.Level == httpstatus.LevelMust && rule.Applies == httpstatus.AppliesAlways
}

// bodies are the media types a status response may carry, as respond
// negotiates them.
func bodies() obj {
	problem := obj{"schema": ref("schemas", "Problem")}
	text := obj{"schema": obj{"type": "string"}}
	return obj{
		respond.MediaProblemJSON: problem,
		respond.MediaJSON:        problem,
		respond.MediaHTML:        text,
		respond.MediaText:        text,
	}
}

// problemSchema describes the problem details respond writes.
func problemSchema() obj {
	var conditions []string
	for c := httpstatus.ConditionNone; c <= httpstatus.ConditionEither; c++ {
		conditions = append(conditions, c.String())
	}
	str := obj{"type": "string"}
	return obj{
		"type": "object",
		"description": "RFC 9457 problem details (application/json for codes below 400), with the code's summary, " +
			"whether the condition is temporary or permanent, and when to retry.",
		"properties": obj{
			"type":       str,
			"title":      str,
			"status":     obj{"type": "integer"},
			"detail":     str,
			"instance":   str,
			"summary":    str,
			"condition":  obj{"type": "string", "enum": conditions},
			"retry":      str,
			"retryAfter": obj{"type": "integer", "description": "seconds"},
			"retryAt":    str,
		},
		"required": []string{"type", "title", "status"},
	}
}

func ref(kind, key string) obj { return obj{"$ref": "#/components/" + kind + "/" + key} }

// componentKey makes s a valid key of components: letters, digits, '.',
// '-' and '_'.
func componentKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, s)
}

// sentence starts s with a capital letter and ends it with a full stop.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
