package respond

import (
	"net/http"
	"strings"
)

// The media types Negotiate chooses between, in the server's order of
// preference.
const (
	MediaProblemJSON = "application/problem+json"
	MediaJSON        = "application/json"
	MediaHTML        = "text/html"
	MediaText        = "text/plain"
)

var offers = [...]struct{ typ, sub string }{
	{"application", "problem+json"},
	{"application", "json"},
	{"text", "html"},
	{"text", "plain"},
}

var offerNames = [...]string{MediaProblemJSON, MediaJSON, MediaHTML, MediaText}

// Negotiate returns the media type, among application/problem+json,
// application/json, text/html and text/plain, that the Accept field of r
// prefers: the representation Write sends for an error (below 400, Write
// sends application/json where Negotiate says application/problem+json).
// A field sent on several lines counts as one list of their items, as
// RFC 9110 has it.
//
// Each offer gets the quality of the most specific media range that
// matches it (type/subtype before type/* before */*); the highest quality
// wins, then the more specific match, then the order above. A nil r, or
// one without Accept, accepts anything. When the field accepts none of the
// four, Negotiate returns application/problem+json, as RFC 9457 allows:
// sending a representation the client did not ask for beats sending none.
// Parameters other than q are ignored; a range with a malformed q is
// skipped. Negotiate does not allocate.
func Negotiate(r *http.Request) (mediaType string) {
	if r == nil {
		return MediaProblemJSON
	}
	lines := r.Header["Accept"] // the canonical key, as Values would look it up
	if len(lines) == 1 {
		switch lines[0] {
		case "", "*/*", MediaProblemJSON:
			return MediaProblemJSON
		case MediaJSON, MediaHTML, MediaText:
			return lines[0]
		}
	}
	var q [len(offers)]int    // quality in thousandths, -1 while no range matched
	var spec [len(offers)]int // specificity of the matching range: 1 */*, 2 type/*, 3 exact
	for i := range q {
		q[i] = -1
	}
	for _, line := range lines {
		rate(line, &q, &spec)
	}
	best := -1
	for i := range offers {
		if q[i] <= 0 {
			continue
		}
		if best < 0 || q[i] > q[best] || (q[i] == q[best] && spec[i] > spec[best]) {
			best = i
		}
	}
	if best < 0 {
		return MediaProblemJSON
	}
	return offerNames[best]
}

// rate gives each offer the quality and specificity of the most specific
// media range in accept, one line of the field, that matches it, unless an
// earlier line matched it more specifically.
func rate(accept string, q, spec *[len(offers)]int) {
	for rest := accept; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		mr, params, _ := strings.Cut(item, ";")
		typ, sub, ok := strings.Cut(strings.TrimSpace(mr), "/")
		if !ok {
			continue
		}
		typ, sub = strings.TrimSpace(typ), strings.TrimSpace(sub)
		if typ == "" || sub == "" || (typ == "*" && sub != "*") {
			continue
		}
		if typ != "*" && !strings.EqualFold(typ, "application") && !strings.EqualFold(typ, "text") {
			continue // a range none of the offers can match
		}
		qv, ok := quality(params)
		if !ok {
			continue
		}
		for i, o := range offers {
			s := 0
			switch {
			case typ == "*":
				s = 1
			case !strings.EqualFold(typ, o.typ):
				continue
			case sub == "*":
				s = 2
			case strings.EqualFold(sub, o.sub):
				s = 3
			default:
				continue
			}
			if s > spec[i] || (s == spec[i] && qv > q[i]) {
				spec[i], q[i] = s, qv
			}
		}
	}
}

// quality returns the q parameter among params, in thousandths: 1000 when
// there is none, and false when it is malformed.
func quality(params string) (int, bool) {
	for rest := params; rest != ""; {
		var p string
		p, rest, _ = strings.Cut(rest, ";")
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		return parseQ(strings.TrimSpace(value))
	}
	return 1000, true
}

// parseQ parses a qvalue: "0" or "1", optionally followed by a point and
// up to three digits, never above 1.
func parseQ(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	v := int(s[0]-'0') * 1000
	if len(s) > 1 {
		if s[1] != '.' {
			return 0, false
		}
		scale := 100
		for _, c := range []byte(s[2:]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v += int(c-'0') * scale
			scale /= 10
		}
	}
	if v > 1000 {
		return 0, false
	}
	return v, true
}
