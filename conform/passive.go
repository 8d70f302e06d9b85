package conform

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// checkAgainstRequest reports status codes that answer something the
// request did not ask: a 412 without a precondition, a 416 or 206 without
// Range, a 417 without Expect, a 100 without Expect: 100-continue, a 101
// without Upgrade, a 201 to a safe method. It needs the request.
func (c *checker) checkAgainstRequest(in *input) {
	if in.req == nil {
		return
	}
	h := in.req.Header
	has := func(field string) bool { return len(h.Values(field)) > 0 }
	switch in.code {
	case http.StatusPreconditionFailed:
		if !has("If-Match") && !has("If-None-Match") && !has("If-Modified-Since") && !has("If-Unmodified-Since") && !has("If-Range") {
			c.report(in, RulePreconditionNotSent, httpstatus.Reference{}, "%s answers the %s request, which has no If-Match, If-None-Match, If-Modified-Since or If-Unmodified-Since", in.name, in.method)
		}
	case http.StatusRequestedRangeNotSatisfiable, http.StatusPartialContent:
		if !has("Range") {
			c.report(in, RuleRangeNotSent, httpstatus.Reference{}, "%s answers the %s request, which has no Range", in.name, in.method)
		}
	case http.StatusExpectationFailed:
		if !has("Expect") {
			c.report(in, RuleExpectNotSent, httpstatus.Reference{}, "%s answers the %s request, which has no Expect", in.name, in.method)
		}
	case http.StatusContinue:
		if !httptext.ListHas(h.Values("Expect"), "100-continue") {
			c.report(in, RuleContinueNotExpected, httpstatus.Reference{}, "%s answers the %s request, which did not send Expect: 100-continue", in.name, in.method)
		}
	case http.StatusSwitchingProtocols:
		offered := h.Values("Upgrade")
		if len(offered) == 0 {
			c.report(in, RuleUpgradeNotRequested, httpstatus.Reference{}, "%s answers the %s request, which has no Upgrade", in.name, in.method)
			break
		}
		for _, v := range in.header.Values("Upgrade") {
			for p := range strings.SplitSeq(v, ",") {
				if p = trimOWS(p); p != "" && !httptext.ListHas(offered, p) {
					c.report(in, RuleUpgradeNotRequested, httpstatus.Reference{}, "%s switches to %s, which the request's Upgrade (%s) does not offer", in.name, p, strings.Join(offered, ", "))
					return
				}
			}
		}
	case http.StatusCreated:
		switch in.method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			c.report(in, RuleCreatedSafeMethod, httpstatus.Reference{}, "%s answers %s, a safe method, which creates nothing", in.name, in.method)
		}
	}
}

// checkLocationTarget reports a redirect whose Location resolves to a URI
// a client cannot follow, or that leaves https for http.
func (c *checker) checkLocationTarget(in *input) {
	values := in.header.Values("Location")
	if len(values) != 1 || !httpstatus.IsRedirection(in.code) {
		return
	}
	u, err := parseURIReference(trimOWS(values[0]))
	if err != nil {
		return // location-invalid speaks for it
	}
	if in.req != nil && in.req.URL != nil && in.req.URL.IsAbs() {
		u = in.req.URL.ResolveReference(u)
		if strings.EqualFold(in.req.URL.Scheme, "https") && strings.EqualFold(u.Scheme, "http") {
			c.report(in, RuleLocationTarget, httpstatus.Reference{}, "%s redirects from https to %s, which is not encrypted", in.name, u)
			return
		}
	}
	switch {
	case u.Scheme != "" && !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https"):
		c.report(in, RuleLocationTarget, httpstatus.Reference{}, "%s redirects to %q, a %s URI, not http or https", in.name, values[0], u.Scheme)
	case u.Scheme != "" && u.Host == "":
		c.report(in, RuleLocationTarget, httpstatus.Reference{}, "%s redirects to %q, which names no host", in.name, values[0])
	}
}

// checkContentRangeStatus reports Content-Range on a response whose code
// gives it no meaning.
func (c *checker) checkContentRangeStatus(in *input) {
	if len(in.header.Values("Content-Range")) > 0 && in.code != http.StatusPartialContent && in.code != http.StatusRequestedRangeNotSatisfiable {
		c.report(in, RuleContentRangeUnexpected, httpstatus.Reference{}, "%s carries Content-Range: %s, which only 206 and 416 give a meaning", in.name, in.header.Get("Content-Range"))
	}
}

// directive is one parsed Cache-Control directive.
type directive struct {
	name, arg      string
	hasArg, quoted bool
}

// parseCacheControl parses Cache-Control field values (RFC 9111, section
// 5.2): comma-separated tokens, each with an optional token or
// quoted-string argument.
func parseCacheControl(values []string) ([]directive, error) {
	var out []directive
	for _, v := range values {
		p := &lexer{s: v}
		for {
			p.skipListSeparators()
			if p.done() {
				break
			}
			d := directive{name: strings.ToLower(p.token())}
			if d.name == "" {
				return nil, fmt.Errorf("expected a directive name at %q", httptext.Clip(p.rest(), 30))
			}
			p.skipOWS()
			if !p.done() && p.peek() == '=' {
				p.i++
				d.hasArg = true
				if !p.done() && p.peek() == '"' {
					arg, err := p.quoted()
					if err != nil {
						return nil, fmt.Errorf("the argument of %s: %w", d.name, err)
					}
					d.arg, d.quoted = arg, true
				} else if d.arg = p.token(); d.arg == "" {
					return nil, fmt.Errorf("%s= has no argument", d.name)
				}
			}
			out = append(out, d)
			p.skipOWS()
			if !p.done() && p.peek() != ',' {
				return nil, fmt.Errorf("unexpected text %q after %s", httptext.Clip(p.rest(), 30), d.name)
			}
		}
	}
	return out, nil
}

// Cache-Control response directives by the argument they take.
var (
	ccSeconds = []string{"max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"}
	ccNoArg   = []string{"must-revalidate", "must-understand", "no-transform", "public", "proxy-revalidate", "immutable", "no-store"}
)

// checkCacheControl reports Cache-Control fields that do not parse,
// directives with the wrong argument, repeated directives and directives
// that contradict each other.
func (c *checker) checkCacheControl(in *input) {
	values := in.header.Values("Cache-Control")
	if len(values) == 0 {
		return
	}
	ds, err := parseCacheControl(values)
	if err != nil {
		c.report(in, RuleCacheControlSyntax, httpstatus.Reference{}, "%s: Cache-Control %q is invalid: %v", in.name, strings.Join(values, ", "), err)
		return
	}
	seen := map[string]directive{}
	var repeated []string
	for _, d := range ds {
		switch {
		case slices.Contains(ccSeconds, d.name) && (!d.hasArg || d.quoted || !isDigits(d.arg)):
			c.report(in, RuleCacheControlValue, httpstatus.Reference{}, "%s: Cache-Control %s needs a whole number of seconds, unquoted, not %s", in.name, d.name, describeArg(d))
		case slices.Contains(ccNoArg, d.name) && d.hasArg:
			c.report(in, RuleCacheControlValue, httpstatus.Reference{}, "%s: Cache-Control %s takes no argument, yet has %s", in.name, d.name, describeArg(d))
		}
		if _, ok := seen[d.name]; ok && !slices.Contains(repeated, d.name) {
			repeated = append(repeated, d.name)
		}
		seen[d.name] = d
	}
	if len(repeated) > 0 {
		c.report(in, RuleCacheControlDuplicate, httpstatus.Reference{}, "%s: Cache-Control repeats %s", in.name, strings.Join(repeated, ", "))
	}
	positive := func(name string) bool {
		d, ok := seen[name]
		return ok && isDigits(d.arg) && strings.Trim(d.arg, "0") != ""
	}
	var conflicts []string
	_, public := seen["public"]
	_, private := seen["private"]
	if public && private {
		conflicts = append(conflicts, "public and private")
	}
	if private && positive("s-maxage") {
		conflicts = append(conflicts, "private and s-maxage")
	}
	if _, ok := seen["no-store"]; ok {
		for _, name := range []string{"max-age", "s-maxage"} {
			if positive(name) {
				conflicts = append(conflicts, "no-store and "+name+"="+seen[name].arg)
			}
		}
		for _, name := range []string{"public", "immutable"} {
			if _, ok := seen[name]; ok {
				conflicts = append(conflicts, "no-store and "+name)
			}
		}
	}
	if len(conflicts) > 0 {
		c.report(in, RuleCacheControlConflict, httpstatus.Reference{}, "%s: Cache-Control combines %s", in.name, strings.Join(conflicts, "; "))
	}
}

func describeArg(d directive) string {
	switch {
	case !d.hasArg:
		return "none"
	case d.quoted:
		return fmt.Sprintf("%q, quoted", d.arg)
	}
	return fmt.Sprintf("%q", d.arg)
}

func isDigits(s string) bool {
	_, err := parseDecimal(s)
	return err == nil || errors.Is(err, errTooLarge)
}

// checkVary reports Vary members that are not field names, and a Vary
// that repeats a member or lists "*" with others.
func (c *checker) checkVary(in *input) {
	values := in.header.Values("Vary")
	if len(values) == 0 {
		return
	}
	var members []string
	for _, v := range values {
		for m := range strings.SplitSeq(v, ",") {
			if m = trimOWS(m); m == "" {
				continue
			}
			if m != "*" && !httptext.IsToken(m) {
				c.report(in, RuleVarySyntax, httpstatus.Reference{}, "%s: Vary member %q is not a field name", in.name, m)
				return
			}
			members = append(members, strings.ToLower(m))
		}
	}
	var notes []string
	if slices.Contains(members, "*") && len(members) > 1 {
		notes = append(notes, `"*" already varies on everything, so the other members add nothing`)
	}
	sorted := slices.Clone(members)
	slices.Sort(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] && (i == 1 || sorted[i-2] != sorted[i]) {
			notes = append(notes, sorted[i]+" is listed more than once")
		}
	}
	if len(notes) > 0 {
		c.report(in, RuleVaryRedundant, httpstatus.Reference{}, "%s: Vary: %s: %s", in.name, strings.Join(values, ", "), strings.Join(notes, "; "))
	}
}

// singletons are fields whose value is not a list, so that a message may
// carry each once. Date, Last-Modified, Location, Content-Range,
// Content-Length and Retry-After have rules of their own that say so.
var singletons = []string{"Content-Type", "ETag", "Expires", "Age", "Content-Location",
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Max-Age"}

// checkFieldLines reports field names that are not tokens and repeated
// singleton fields.
func (c *checker) checkFieldLines(in *input) {
	var bad []string
	for name := range in.header {
		if !httptext.IsToken(name) {
			bad = append(bad, fmt.Sprintf("%q", httptext.Clip(name, 40)))
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		c.report(in, RuleFieldNameSyntax, httpstatus.Reference{}, "%s has field names that are not tokens: %s", in.name, strings.Join(bad, ", "))
	}
	for _, f := range singletons {
		if values := in.header.Values(f); len(values) > 1 {
			c.report(in, RuleSingletonRepeated, httpstatus.Reference{}, "%s has %d %s fields (%s); it may have one", in.name, len(values), f, httptext.Clip(strings.Join(values, " | "), 80))
		}
	}
}

// checkETag reports an ETag that is not an entity tag.
func (c *checker) checkETag(in *input) {
	values := in.header.Values("ETag")
	if len(values) != 1 {
		return
	}
	if !validEntityTag(trimOWS(values[0])) {
		c.report(in, RuleETagSyntax, httpstatus.Reference{}, "%s: ETag %q is not a quoted entity tag, such as \"v1\" or W/\"v1\"", in.name, httptext.Clip(values[0], 60))
	}
}

// validEntityTag reports whether v is [W/] DQUOTE *etagc DQUOTE (RFC
// 9110, section 8.8.3).
func validEntityTag(v string) bool {
	v = strings.TrimPrefix(v, "W/")
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return false
	}
	for i := 1; i < len(v)-1; i++ {
		if c := v[i]; c == '"' || c < 0x21 || c == 0x7f {
			return false
		}
	}
	return true
}

// maxDecoded bounds the content that decoding a content coding may yield.
const maxDecoded = 8 * MaxContent

// checkCodings decodes content labelled gzip or deflate, reports content
// that does not decode, and checks the charset of text against the
// decoded bytes. Codings the standard library cannot decode, such as br
// and zstd, are left alone.
func (c *checker) checkCodings(in *input) {
	if !in.complete || in.short || in.framedWithoutContent() || len(in.body) == 0 {
		return
	}
	content := in.body
	if in.uncoded {
		c.checkCharset(in, content)
		return
	}
	var codings []string
	for _, v := range in.header.Values("Content-Encoding") {
		for cd := range strings.SplitSeq(v, ",") {
			if cd = strings.ToLower(trimOWS(cd)); cd != "" && cd != "identity" {
				codings = append(codings, cd)
			}
		}
	}
	// The codings were applied in the order listed; undo them backwards.
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		switch codings[i] {
		case "gzip", "x-gzip":
			content, err = decode(content, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) })
		case "deflate":
			content, err = decode(content, func(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) })
			if err != nil && len(codings) == 1 {
				if _, rawErr := decode(in.body, func(r io.Reader) (io.Reader, error) { return flate.NewReader(r), nil }); rawErr == nil {
					c.report(in, RuleContentCodingInvalid, httpstatus.Reference{}, "%s: the content labelled Content-Encoding: deflate is raw deflate, without the zlib wrapper the deflate coding has", in.name)
					return
				}
			}
		default:
			return
		}
		if err != nil {
			hint := ""
			if in.decoded || in.raw {
				hint = " (curl prints the decoded content with --compressed; check its output without it)"
			}
			c.report(in, RuleContentCodingInvalid, httpstatus.Reference{}, "%s: the content labelled Content-Encoding: %s does not decode: %v%s",
				in.name, strings.Join(codings, ", "), err, hint)
			return
		}
	}
	c.checkCharset(in, content)
}

// decode runs b through a decompressor, reading at most maxDecoded bytes.
func decode(b []byte, open func(io.Reader) (io.Reader, error)) ([]byte, error) {
	r, err := open(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(r, maxDecoded))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkCharset reports text whose bytes do not fit the charset its
// Content-Type declares: UTF-8 or US-ASCII.
func (c *checker) checkCharset(in *input, content []byte) {
	_, params, err := mime.ParseMediaType(in.header.Get("Content-Type"))
	if err != nil {
		return
	}
	charset := strings.ToLower(params["charset"])
	switch charset {
	case "utf-8", "utf8":
		if !utf8.Valid(content) {
			i := invalidUTF8(content)
			c.report(in, RuleCharsetMismatch, httpstatus.Reference{}, "%s declares charset=%s, but byte %d of the content (0x%02x) is not valid UTF-8", in.name, params["charset"], i, content[i])
		}
	case "us-ascii", "ascii":
		if i := bytes.IndexFunc(content, func(r rune) bool { return r >= 0x80 }); i >= 0 {
			c.report(in, RuleCharsetMismatch, httpstatus.Reference{}, "%s declares charset=%s, but byte %d of the content is not ASCII", in.name, params["charset"], i)
		}
	}
}

// invalidUTF8 returns the offset of the first byte of b that is not valid UTF-8.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}
