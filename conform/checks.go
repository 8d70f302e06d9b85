package conform

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// checkCode reports codes that are invalid, unknown, unofficial,
// deprecated, unused or only temporarily registered.
func (c *checker) checkCode(in *input) {
	if !httpstatus.IsValid(in.code) {
		c.report(in, RuleInvalidCode, httpstatus.Reference{}, "status code %d is outside 100 to 599", in.code)
		return
	}
	if !in.known {
		c.report(in, RuleUnknownCode, httpstatus.Reference{},
			"status code %d is not in the registry; clients will treat it as %d", in.code, in.code/100*100)
		return
	}
	e := in.entry
	switch e.State {
	case httpstatus.StateUnofficial:
		c.report(in, RuleUnofficialCode, e.Ref, "%s is a code of %s, not registered with IANA", in.name, e.Origin)
	case httpstatus.StateDeprecated, httpstatus.StateObsoleted:
		c.report(in, RuleDeprecatedCode, e.Ref, "%s is %s (%s)", in.name, e.State, e.Origin)
	case httpstatus.StateUnused:
		c.report(in, RuleUnusedCode, e.Ref, "%s is reserved and has no meaning in use", in.name)
	case httpstatus.StateTemporary:
		c.report(in, RuleTemporaryCode, e.Ref, "%s is registered only until %s", in.name, e.Expires)
	}
	if in.phrase != "" {
		if other, ok := httpstatus.LookupPhrase(in.phrase); ok && other.Code != in.code {
			c.report(in, RuleReasonPhrase, httpstatus.Reference{},
				"%d is sent with the reason phrase %q, which names %s", in.code, in.phrase, other)
		}
	}
}

// checkHeaderRules applies the header rules of the code's registry entry.
func (c *checker) checkHeaderRules(in *input) {
	if !in.known {
		return
	}
	// Rules whose condition the checker cannot evaluate are gathered by
	// level and condition, so that one finding names all their fields.
	type group struct {
		rule   httpstatus.HeaderRule
		fields []string
	}
	var pending []*group
	for _, h := range in.entry.Headers {
		present := len(in.header.Values(h.Field)) > 0
		applies, known := condition(h.Applies, in)
		if !known {
			applies, known = in.against200(h)
		}
		if known && !applies {
			continue
		}
		switch h.Level {
		case httpstatus.LevelMust, httpstatus.LevelShould, httpstatus.LevelMay:
			if present {
				continue
			}
		case httpstatus.LevelMustNot, httpstatus.LevelShouldNot:
			if !present {
				continue
			}
		}
		if !known && h.Level != httpstatus.LevelMay {
			i := slices.IndexFunc(pending, func(g *group) bool { return g.rule.Level == h.Level && g.rule.When == h.When })
			if i < 0 {
				pending = append(pending, &group{rule: h})
				i = len(pending) - 1
			}
			pending[i].fields = append(pending[i].fields, h.Field)
			continue
		}
		cond := h.Level.String() + ", " + h.When
		switch h.Level {
		case httpstatus.LevelMust:
			c.report(in, RuleRequiredHeader, h.Ref, "%s has no %s field (%s)", in.name, h.Field, cond)
		case httpstatus.LevelShould:
			c.report(in, RuleRecommendedHeader, h.Ref, "%s has no %s field (%s)", in.name, h.Field, cond)
		case httpstatus.LevelMay:
			c.report(in, RuleOptionalHeader, h.Ref, "%s has no %s field (%s: %s)", in.name, h.Field, h.Level, h.When)
		case httpstatus.LevelMustNot:
			c.report(in, RuleForbiddenHeader, h.Ref, "%s carries a %s field (%s)", in.name, h.Field, cond)
		case httpstatus.LevelShouldNot:
			c.report(in, RuleDiscouragedHeader, h.Ref, "%s carries a %s field (%s)", in.name, h.Field, cond)
		}
	}
	for _, g := range pending {
		fields := strings.Join(g.fields, ", ")
		switch g.rule.Level {
		case httpstatus.LevelMustNot, httpstatus.LevelShouldNot:
			c.report(in, RuleConditionalHeader, g.rule.Ref, "%s carries %s; check the condition (%s: %s)",
				in.name, fields, g.rule.Level, g.rule.When)
		default:
			c.report(in, RuleConditionalHeader, g.rule.Ref, "%s has no %s; check the condition (%s: %s)",
				in.name, fields, g.rule.Level, g.rule.When)
		}
	}
}

// condition evaluates when a header rule applies against the response. It
// reports whether the rule applies, and whether the checker could tell:
// it can see the request method (CONNECT; POST when the request is known),
// whether the request asked for ranges or carried If-Range, whether a
// partial response is single-part or multipart, and, in raw input that
// holds a whole exchange, whether an interim response follows another with
// the same code; a condition only the sender can judge is left to a person.
func condition(a httpstatus.Applies, in *input) (applies, known bool) {
	switch a {
	case httpstatus.AppliesAlways:
		return true, true
	case httpstatus.AppliesToConnect:
		return in.method == http.MethodConnect, true
	case httpstatus.AppliesToRangeRequest:
		// Without the request, a response that depends on a range request
		// is assumed to answer one.
		return in.req == nil || in.req.Header.Get("Range") != "", true
	case httpstatus.AppliesToSinglePart, httpstatus.AppliesToMultipart:
		multipart := mediaType(in.header.Get("Content-Type")) == "multipart/byteranges"
		return multipart == (a == httpstatus.AppliesToMultipart), true
	case httpstatus.AppliesToPost:
		return in.method == http.MethodPost, in.req != nil
	case httpstatus.AppliesToIfRange:
		return in.req != nil && in.req.Header.Get("If-Range") != "", in.req != nil
	case httpstatus.AppliesToLaterInterim:
		return in.earlier > 0, in.sequenced
	}
	return false, false
}

// against200 evaluates a rule left to judgement against the 200 to the
// same request, when it is known and the request carried no If-Range. The
// registry's judgement MUST rules (of 304 and 206) require a field when
// that 200 carries it, and its judgement MUST NOT on Content-Length
// forbids a length other than the 200's; other judgement rules stay
// unknown.
func (in *input) against200(h httpstatus.HeaderRule) (applies, known bool) {
	if in.ok200 == nil || h.Applies != httpstatus.AppliesByJudgement {
		return false, false
	}
	if in.req != nil && in.req.Header.Get("If-Range") != "" {
		// Answering If-Range, a 206 repeats less of the 200.
		return false, false
	}
	switch {
	case h.Level == httpstatus.LevelMust:
		return len(in.ok200.Values(h.Field)) > 0, true
	case h.Level == httpstatus.LevelMustNot && http.CanonicalHeaderKey(h.Field) == "Content-Length" && in.ok200Len >= 0:
		n, err := parseContentLength(in.header.Values(h.Field))
		return err != nil || n != in.ok200Len, true
	}
	return false, false
}

// checkContent reports content where there must be none, content without
// a media type, and error responses without an explanation.
func (c *checker) checkContent(in *input) {
	n := len(in.body) + len(in.extra)
	noContent := in.known && in.entry.Content == httpstatus.ContentNone
	switch {
	case in.method == http.MethodHead:
		if n > 0 {
			c.report(in, RuleHeadContent, httpstatus.Reference{}, "the %s response to HEAD carries %d bytes of content", in.name, n)
		}
		return
	case noContent && n > 0:
		c.report(in, RuleContentNotAllowed, in.entry.ContentRef, "%s carries %d bytes of content", in.name, n)
		return
	case noContent:
		// Content-Length announces content, unless the code has a rule of
		// its own for the field (304 states the length a 200 would have).
		if !hasRule(in.entry, "Content-Length") {
			if cl, err := parseContentLength(in.header.Values("Content-Length")); err == nil && cl > 0 {
				c.report(in, RuleContentNotAllowed, in.entry.ContentRef, "%s announces %d bytes of content in Content-Length", in.name, cl)
			}
		}
		return
	}
	if n > 0 && len(in.header.Values("Content-Type")) == 0 {
		c.report(in, RuleContentTypeMissing, httpstatus.Reference{}, "%s carries %d bytes of content but no Content-Type", in.name, n)
	}
	if httpstatus.IsError(in.code) && n == 0 && in.complete {
		c.report(in, RuleErrorWithoutContent, httpstatus.Reference{}, "%s has no content explaining the error", in.name)
	}
}

// checkContentLength reports an invalid Content-Length, one sent with
// Transfer-Encoding, and one that does not match the content.
func (c *checker) checkContentLength(in *input) {
	values := in.header.Values("Content-Length")
	if len(values) == 0 {
		return
	}
	cl, err := parseContentLength(values)
	if err != nil {
		c.report(in, RuleContentLengthInvalid, httpstatus.Reference{}, "%s: Content-Length is invalid: %v", in.name, err)
		return
	}
	if in.chunked || len(in.header.Values("Transfer-Encoding")) > 0 {
		c.report(in, RuleTransferEncodingLength, httpstatus.Reference{}, "%s has both Transfer-Encoding and Content-Length: %d", in.name, cl)
		return
	}
	if in.framedWithoutContent() || in.decoded {
		return
	}
	got := int64(len(in.body))
	switch {
	case in.short:
		c.report(in, RuleContentLengthMismatch, httpstatus.Reference{}, "%s: Content-Length is %d but the content ended after %d bytes", in.name, cl, got)
	case len(in.extra) > 0:
		c.report(in, RuleContentLengthMismatch, httpstatus.Reference{}, "%s: Content-Length is %d but %d more bytes follow the content", in.name, cl, len(in.extra))
	case in.complete && got != cl:
		c.report(in, RuleContentLengthMismatch, httpstatus.Reference{}, "%s: Content-Length is %d but the content is %d bytes", in.name, cl, got)
	}
}

// checkLocation reports a Location that is not one URI reference, and a
// redirect back to the URI requested.
func (c *checker) checkLocation(in *input) {
	value, ok := c.single(in, RuleLocationInvalid, "Location")
	if !ok {
		return
	}
	u, err := parseURIReference(trimOWS(value))
	if err != nil {
		c.report(in, RuleLocationInvalid, httpstatus.Reference{}, "%s: Location %v", in.name, err)
		return
	}
	// A redirect of a GET or HEAD to its own URI repeats the same request.
	if !httpstatus.IsRedirection(in.code) || in.req == nil || in.req.URL == nil || !in.req.URL.IsAbs() ||
		(in.method != http.MethodGet && in.method != http.MethodHead) {
		return
	}
	target := in.req.URL.ResolveReference(u)
	self := *in.req.URL
	target.Fragment, target.RawFragment, self.Fragment, self.RawFragment = "", "", "", ""
	if target.String() == self.String() {
		c.report(in, RuleRedirectToSelf, httpstatus.Reference{}, "%s: Location %q points back at %s", in.name, value, self.String())
	}
}

// checkContentRange reports a malformed Content-Range, the wrong form for
// 206 or 416, and partial content of the wrong length.
func (c *checker) checkContentRange(in *input) {
	value, ok := c.single(in, RuleContentRangeSyntax, "Content-Range")
	if !ok {
		return
	}
	cr, err := parseContentRange(trimOWS(value))
	if err != nil {
		c.report(in, RuleContentRangeSyntax, httpstatus.Reference{}, "%s: Content-Range %v", in.name, err)
		return
	}
	if !strings.EqualFold(cr.unit, "bytes") {
		return
	}
	switch {
	case in.code == http.StatusRequestedRangeNotSatisfiable && !cr.unsatisfied:
		c.report(in, RuleContentRangeForm, httpstatus.Reference{}, "%s: Content-Range %q should be bytes */LENGTH", in.name, value)
	case in.code == http.StatusPartialContent && cr.unsatisfied:
		c.report(in, RuleContentRangeForm, httpstatus.Reference{}, "%s: Content-Range %q names no range, though part of the content is sent", in.name, value)
	case in.code == http.StatusPartialContent && in.complete && !in.short && !in.framedWithoutContent():
		if want := cr.last - cr.first + 1; int64(len(in.body)) != want {
			c.report(in, RuleContentRangeMismatch, httpstatus.Reference{}, "%s: Content-Range %q announces %d bytes but the content is %d bytes",
				in.name, value, want, len(in.body))
		}
	}
}

// checkAllow reports an Allow that is not a list of methods, and a 405
// that lists the method it refuses.
func (c *checker) checkAllow(in *input) {
	values := in.header.Values("Allow")
	if len(values) == 0 {
		return
	}
	methods, err := parseAllow(strings.Join(values, ","))
	if err != nil {
		c.report(in, RuleAllowSyntax, httpstatus.Reference{}, "%s: Allow %q is invalid: %v", in.name, strings.Join(values, ", "), err)
		return
	}
	if in.code == http.StatusMethodNotAllowed && in.req != nil {
		for _, m := range methods {
			if m == in.method {
				c.report(in, RuleAllowListsMethod, httpstatus.Reference{}, "%s refuses %s yet lists it in Allow: %s", in.name, in.method, strings.Join(values, ", "))
				return
			}
		}
	}
}

// checkChallenges reports WWW-Authenticate and Proxy-Authenticate values
// that are not challenges.
func (c *checker) checkChallenges(in *input) {
	for _, f := range []struct{ field, id string }{
		{"WWW-Authenticate", RuleWWWAuthenticateSyntax},
		{"Proxy-Authenticate", RuleProxyAuthenticateSyntax},
	} {
		for _, v := range in.header.Values(f.field) {
			if _, err := parseChallenges(v); err != nil {
				c.report(in, f.id, httpstatus.Reference{}, "%s: %s %q is invalid: %v", in.name, f.field, v, err)
				break
			}
		}
	}
}

// checkRetryAfter reports a Retry-After that is neither seconds nor a date.
func (c *checker) checkRetryAfter(in *input) {
	if value, ok := c.single(in, RuleRetryAfterSyntax, "Retry-After"); ok {
		if err := parseRetryAfter(value); err != nil {
			c.report(in, RuleRetryAfterSyntax, httpstatus.Reference{}, "%s: Retry-After %v", in.name, err)
		}
	}
}

// checkDates reports Date and Last-Modified values that are not IMF-fixdate,
// and a missing Date.
func (c *checker) checkDates(in *input) {
	for _, field := range []string{"Date", "Last-Modified"} {
		if value, ok := c.single(in, RuleDateSyntax, field); ok {
			if _, err := parseHTTPDate(trimOWS(value)); err != nil {
				c.report(in, RuleDateSyntax, httpstatus.Reference{}, "%s: %s %v", in.name, field, err)
			}
		}
	}
	class := httpstatus.ClassOf(in.code)
	if class >= httpstatus.ClassSuccess && class <= httpstatus.ClassClientError && len(in.header.Values("Date")) == 0 {
		// The registry may require Date of the code itself (206, 304);
		// then checkHeaderRules speaks for it.
		if !in.known || !hasRule(in.entry, "Date") {
			c.report(in, RuleDateMissing, httpstatus.Reference{}, "%s has no Date field", in.name)
		}
	}
}

// checkCaching reports explicit freshness on a code that must not be stored.
func (c *checker) checkCaching(in *input) {
	if !in.known || in.entry.Caching != httpstatus.CachingNoStore {
		return
	}
	var invite string
	for _, v := range in.header.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			name, arg, _ := strings.Cut(trimOWS(d), "=")
			switch strings.ToLower(trimOWS(name)) {
			case "no-store":
				return
			case "public":
				invite = "public"
			case "max-age", "s-maxage":
				if n, ok := parseDelaySeconds(strings.Trim(trimOWS(arg), `"`)); ok && n > 0 && invite == "" {
					invite = trimOWS(d)
				}
			}
		}
	}
	if invite == "" && len(in.header.Values("Expires")) > 0 {
		if exp, err := http.ParseTime(in.header.Get("Expires")); err == nil {
			if date, err := http.ParseTime(in.header.Get("Date")); err == nil && exp.After(date) {
				invite = "Expires"
			}
		}
	}
	if invite != "" {
		c.report(in, RuleStoredNoStore, in.entry.CachingRef, "%s must not be stored by caches, yet it sends %s", in.name, invite)
	}
}

// checkProblem checks an RFC 9457 problem document.
func (c *checker) checkProblem(in *input) {
	if mediaType(in.header.Get("Content-Type")) != "application/problem+json" ||
		in.method == http.MethodHead || !in.complete || in.short || len(in.body) == 0 {
		return
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(in.body, &doc); err != nil || doc == nil {
		what := "not a JSON object"
		if err != nil {
			what = "not valid JSON: " + err.Error()
		}
		c.report(in, RuleProblemNotObject, httpstatus.Reference{}, "%s: the application/problem+json content is %s", in.name, what)
		return
	}
	typ := "about:blank"
	for _, m := range []string{"type", "title", "detail", "instance"} {
		raw, ok := doc[m]
		if !ok {
			continue
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			c.report(in, RuleProblemMemberType, httpstatus.Reference{}, "%s: problem member %q is %s, not a string", in.name, m, jsonKind(raw))
			continue
		}
		if m == "type" || m == "instance" {
			if _, err := parseURIReference(s); err != nil {
				c.report(in, RuleProblemMemberType, httpstatus.Reference{}, "%s: problem member %q is not a URI reference: %v", in.name, m, err)
				continue
			}
		}
		if m == "type" {
			typ = s
		}
	}
	if raw, ok := doc["status"]; ok {
		var n json.Number
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		status, err := int64(0), d.Decode(&n)
		if err == nil {
			status, err = strconv.ParseInt(n.String(), 10, 64)
		}
		switch {
		case err != nil:
			c.report(in, RuleProblemMemberType, httpstatus.Reference{}, "%s: problem member \"status\" is %s, not an integer", in.name, jsonKind(raw))
		case status != int64(in.code):
			c.report(in, RuleProblemStatusMismatch, httpstatus.Reference{}, "%s: the problem document says status %d", in.name, status)
		}
	}
	if raw, ok := doc["title"]; ok && typ == "about:blank" && in.known && in.entry.Official() {
		var title string
		if json.Unmarshal(raw, &title) == nil {
			if e, ok := httpstatus.LookupPhrase(title); !ok || e.Code != in.code {
				c.report(in, RuleProblemTitle, httpstatus.Reference{}, "%s: a problem of type about:blank has the title %q", in.name, title)
			}
		}
	}
}

// jsonKind names the JSON type of a raw value.
func jsonKind(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" {
		return "empty"
	}
	switch s[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// stackTracePatterns match the traces common server runtimes print.
var stackTracePatterns = []*regexp.Regexp{
	regexp.MustCompile(`goroutine \d+ \[[a-zA-Z ,0-9]+\]:`),                     // Go
	regexp.MustCompile(`(?m)^panic: .*(?:\n.*){0,40}\.go:\d+`),                  // Go panic message then a file
	regexp.MustCompile(`\S+\.go:\d+ \+0x[0-9a-f]+`),                             // Go frame
	regexp.MustCompile(`Traceback \(most recent call last\):`),                  // Python
	regexp.MustCompile(`(?m)^\s+at [\w$.<>]+\([\w$]+\.(?:java|kt|scala):\d+\)`), // JVM
	regexp.MustCompile(`(?m)^\s+at .+\(.+\.[cm]?[jt]s:\d+:\d+\)`),               // Node.js
	regexp.MustCompile(`(?m)^\s+at .+ in .+\.cs:line \d+`),                      // .NET
	regexp.MustCompile(`(?m)^#\d+ /.+\.php\(\d+\): `),                           // PHP
}

// checkStackTrace reports error content that contains a stack trace.
func (c *checker) checkStackTrace(in *input) {
	if !httpstatus.IsError(in.code) || len(in.body) == 0 {
		return
	}
	for _, re := range stackTracePatterns {
		if loc := re.FindIndex(in.body); loc != nil {
			excerpt := string(in.body[loc[0]:loc[1]])
			if i := strings.IndexByte(excerpt, '\n'); i >= 0 {
				excerpt = excerpt[:i]
			}
			excerpt = httptext.Clip(excerpt, 60)
			c.report(in, RuleStackTraceLeak, httpstatus.Reference{}, "%s content contains a stack trace (%q)", in.name, excerpt)
			return
		}
	}
}

// single returns the value of a field that a response may carry once. It
// reports false when the field is absent, and when it is repeated, which
// it reports as a finding of the rule id.
func (c *checker) single(in *input, id, field string) (string, bool) {
	values := in.header.Values(field)
	if len(values) > 1 {
		c.report(in, id, httpstatus.Reference{}, "%s has %d %s fields; it may have one", in.name, len(values), field)
	}
	if len(values) != 1 {
		return "", false
	}
	return values[0], true
}

// hasRule reports whether the entry has a header rule for field.
func hasRule(e *httpstatus.Entry, field string) bool {
	_, ok := e.HeaderRule(field)
	return ok
}
