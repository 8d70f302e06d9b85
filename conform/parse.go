package conform

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// isOWS reports whether c is optional white space.
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// trimOWS removes optional white space from both ends of s.
func trimOWS(s string) string { return strings.Trim(s, " \t") }

// parseAllow parses an Allow field value (RFC 9110, section 10.2.1) into
// its method names. An empty value is valid and means no method.
func parseAllow(v string) ([]string, error) {
	if trimOWS(v) == "" {
		return nil, nil
	}
	var methods []string
	for _, m := range strings.Split(v, ",") {
		m = trimOWS(m)
		switch {
		case m == "":
			return nil, errors.New("the list has an empty element")
		case !httptext.IsToken(m):
			return nil, fmt.Errorf("%q is not a method name", m)
		}
		methods = append(methods, m)
	}
	return methods, nil
}

// Why parseDecimal refused a value.
var (
	errNotDecimal = errors.New("not a decimal number")
	errTooLarge   = errors.New("too large")
)

// parseDecimal parses one or more ASCII digits as a non-negative int64.
func parseDecimal(v string) (int64, error) {
	if v == "" {
		return 0, errNotDecimal
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, errNotDecimal
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		// Only digits, so the only failure is a value past int64.
		return 0, errTooLarge
	}
	return n, nil
}

// deltaSecondsCap is what a value of seconds too large to represent counts
// as (RFC 9111, section 1.2.2).
const deltaSecondsCap = 1 << 31

// parseDelaySeconds parses delay-seconds (Retry-After) or delta-seconds
// (max-age): one or more digits. A value too large to represent is still
// well formed and counts as deltaSecondsCap.
func parseDelaySeconds(v string) (int64, bool) {
	n, err := parseDecimal(v)
	switch {
	case errors.Is(err, errTooLarge):
		return deltaSecondsCap, true
	case err != nil:
		return 0, false
	}
	return n, true
}

// parseHTTPDate parses an HTTP date in the IMF-fixdate form a sender must
// generate (RFC 9110, section 5.6.7), rejecting the obsolete forms and any
// deviation such as a wrong day name.
func parseHTTPDate(v string) (time.Time, error) {
	t, err := time.Parse(http.TimeFormat, v)
	if err != nil {
		if _, err2 := http.ParseTime(v); err2 == nil {
			return time.Time{}, fmt.Errorf("%q uses an obsolete date format; generate the form %q", v, http.TimeFormat)
		}
		return time.Time{}, fmt.Errorf("%q is not an HTTP date", v)
	}
	if t.Format(http.TimeFormat) != v {
		return time.Time{}, fmt.Errorf("%q is not in canonical form (is the day name right?): expected %q", v, t.Format(http.TimeFormat))
	}
	return t, nil
}

// parseRetryAfter parses a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v string) error {
	v = trimOWS(v)
	if _, ok := parseDelaySeconds(v); ok {
		return nil
	}
	if _, err := parseHTTPDate(v); err != nil {
		return fmt.Errorf("%q is neither a whole number of seconds nor an HTTP date", v)
	}
	return nil
}

// parseContentLength parses the values of the Content-Length fields of a
// message: one non-negative decimal number.
func parseContentLength(values []string) (int64, error) {
	if len(values) != 1 {
		return 0, fmt.Errorf("the field appears %d times", len(values))
	}
	v := trimOWS(values[0])
	n, err := parseDecimal(v)
	if err != nil {
		return 0, fmt.Errorf("%q is %w", values[0], err)
	}
	return n, nil
}

// contentRange is a parsed Content-Range value.
type contentRange struct {
	unit        string
	first, last int64 // the range sent, when satisfied
	complete    int64 // the complete length, or -1 when unknown ("*")
	unsatisfied bool  // the form "*/LENGTH"
}

// parseContentRange parses a Content-Range value (RFC 9110, section 14.4).
// For units other than bytes it checks only that a unit and a value are
// present.
func parseContentRange(v string) (contentRange, error) {
	unit, rest, ok := strings.Cut(v, " ")
	if !ok || !httptext.IsToken(unit) || rest == "" {
		return contentRange{}, fmt.Errorf("%q is not a range unit, a space and a range", v)
	}
	cr := contentRange{unit: unit, complete: -1}
	if !strings.EqualFold(unit, "bytes") {
		for i := 0; i < len(rest); i++ {
			if rest[i] <= ' ' || rest[i] == 0x7f {
				return contentRange{}, fmt.Errorf("%q has a space or control character in the range", v)
			}
		}
		return cr, nil
	}
	rng, length, ok := strings.Cut(rest, "/")
	if !ok {
		return contentRange{}, fmt.Errorf("%q lacks the /LENGTH part", v)
	}
	if length == "*" {
		if rng == "*" {
			return contentRange{}, fmt.Errorf("%q gives neither a range nor a length", v)
		}
	} else {
		n, err := parseDecimal(length)
		if err != nil {
			return contentRange{}, fmt.Errorf("%q: the complete length %q is %w", v, length, err)
		}
		cr.complete = n
	}
	if rng == "*" {
		cr.unsatisfied = true
		return cr, nil
	}
	f, l, ok := strings.Cut(rng, "-")
	first, err1 := parseDecimal(f)
	last, err2 := parseDecimal(l)
	if !ok || err1 != nil || err2 != nil {
		return contentRange{}, fmt.Errorf("%q: the range %q is not FIRST-LAST in decimal numbers that fit in 63 bits", v, rng)
	}
	cr.first, cr.last = first, last
	switch {
	case last < first:
		return contentRange{}, fmt.Errorf("%q: the last position is before the first", v)
	case cr.complete >= 0 && cr.complete <= last:
		return contentRange{}, fmt.Errorf("%q: the complete length does not exceed the last position", v)
	}
	return cr, nil
}

// challenge is one parsed authentication challenge.
type challenge struct {
	scheme  string
	token68 string
	params  [][2]string
}

// parseChallenges parses a WWW-Authenticate or Proxy-Authenticate value
// (RFC 9110, section 11.6.1): one or more challenges.
func parseChallenges(v string) ([]challenge, error) {
	p := &lexer{s: v}
	var out []challenge
	for {
		p.skipListSeparators()
		if p.done() {
			break
		}
		scheme := p.token()
		if scheme == "" {
			return nil, fmt.Errorf("expected an authentication scheme at %q", p.rest())
		}
		c := challenge{scheme: scheme}
		sp := p.skipOWS()
		if !p.done() && p.peek() != ',' {
			if !sp {
				return nil, fmt.Errorf("expected a space after the scheme %q", scheme)
			}
			if t, ok := p.token68(); ok {
				c.token68 = t
			} else {
				for {
					name, value, err := p.authParam()
					if err != nil {
						return nil, err
					}
					c.params = append(c.params, [2]string{name, value})
					p.skipOWS()
					if p.done() || !p.nextIsParam() {
						break
					}
				}
			}
		}
		out = append(out, c)
		p.skipOWS()
		if !p.done() && p.peek() != ',' {
			return nil, fmt.Errorf("unexpected text %q", p.rest())
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no challenge")
	}
	return out, nil
}

// lexer scans a field value.
type lexer struct {
	s string
	i int
}

func (p *lexer) done() bool   { return p.i >= len(p.s) }
func (p *lexer) peek() byte   { return p.s[p.i] }
func (p *lexer) rest() string { return p.s[p.i:] }

// skipOWS skips white space and reports whether there was any.
func (p *lexer) skipOWS() bool {
	start := p.i
	for !p.done() && isOWS(p.peek()) {
		p.i++
	}
	return p.i > start
}

// skipListSeparators skips white space and commas.
func (p *lexer) skipListSeparators() {
	for !p.done() && (isOWS(p.peek()) || p.peek() == ',') {
		p.i++
	}
}

func (p *lexer) token() string {
	start := p.i
	for !p.done() && httptext.IsToken(p.s[p.i:p.i+1]) {
		p.i++
	}
	return p.s[start:p.i]
}

// token68 reads a token68 that is followed by the end of the challenge (the
// end of the value or a comma); otherwise it reads nothing and reports false.
func (p *lexer) token68() (string, bool) {
	start := p.i
	j := p.i
	for j < len(p.s) && isToken68Char(p.s[j]) {
		j++
	}
	if j == start {
		return "", false
	}
	for j < len(p.s) && p.s[j] == '=' {
		j++
	}
	k := j
	for k < len(p.s) && isOWS(p.s[k]) {
		k++
	}
	if k < len(p.s) && p.s[k] != ',' {
		return "", false
	}
	// "name=" followed by a comma could be a parameter with an empty value,
	// which is invalid anyway; take it as token68.
	p.i = j
	return p.s[start:j], true
}

func isToken68Char(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}

// nextIsParam reports whether the text after a comma is another auth-param
// of the same challenge rather than a new challenge.
func (p *lexer) nextIsParam() bool {
	q := lexer{s: p.s, i: p.i}
	q.skipListSeparators()
	if q.token() == "" {
		return false
	}
	q.skipOWS()
	return !q.done() && q.peek() == '='
}

// authParam reads name BWS "=" BWS ( token / quoted-string ).
func (p *lexer) authParam() (name, value string, err error) {
	p.skipListSeparators()
	name = p.token()
	if name == "" {
		return "", "", fmt.Errorf("expected a parameter name at %q", p.rest())
	}
	p.skipOWS()
	if p.done() || p.peek() != '=' {
		return "", "", fmt.Errorf("expected '=' after the parameter %q", name)
	}
	p.i++
	p.skipOWS()
	if !p.done() && p.peek() == '"' {
		value, err = p.quoted()
		return name, value, err
	}
	value = p.token()
	if value == "" {
		return "", "", fmt.Errorf("the parameter %q has no value", name)
	}
	return name, value, nil
}

// quoted reads a quoted-string and returns its unescaped content.
func (p *lexer) quoted() (string, error) {
	p.i++ // the opening quote
	var b strings.Builder
	for !p.done() {
		c := p.peek()
		p.i++
		switch {
		case c == '"':
			return b.String(), nil
		case c == '\\':
			if p.done() {
				return "", errors.New("a quoted string ends in a backslash")
			}
			b.WriteByte(p.peek())
			p.i++
		case c < ' ' && c != '\t', c == 0x7f:
			return "", errors.New("a quoted string contains a control character")
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("a quoted string is not closed")
}

// parseURIReference checks that v is a URI reference (RFC 3986, section
// 4.1): only URI characters, well-formed percent-encoding, at most one
// fragment, and a structure url.Parse accepts.
func parseURIReference(v string) (*url.URL, error) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '%':
			if i+2 >= len(v) || !isHex(v[i+1]) || !isHex(v[i+2]) {
				return nil, fmt.Errorf("%q has a %% not followed by two hex digits", v)
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		case c == ' ':
			return nil, fmt.Errorf("%q contains a space; encode it as %%20", v)
		case c >= 0x80:
			return nil, fmt.Errorf("%q contains non-ASCII text; percent-encode it", v)
		default:
			return nil, fmt.Errorf("%q contains the character %q, which must be percent-encoded", v, c)
		}
	}
	if strings.Count(v, "#") > 1 {
		return nil, fmt.Errorf("%q has more than one '#'", v)
	}
	u, err := url.Parse(v)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%q is not a URI reference: %w", v, err)
	}
	if scheme, _, ok := strings.Cut(v, ":"); ok && u.Scheme != "" && !validScheme(scheme) {
		return nil, fmt.Errorf("%q has an invalid scheme", v)
	}
	return u, nil
}

func validScheme(s string) bool {
	if s == "" || !('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z') && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f'
}

// mediaType returns the lower-cased media type of a Content-Type value,
// without parameters.
func mediaType(v string) string {
	t, _, _ := strings.Cut(v, ";")
	return strings.ToLower(trimOWS(t))
}
