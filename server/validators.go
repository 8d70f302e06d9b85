package server

import (
	"net/http"
	"strings"
	"time"
)

// validators are what a request's preconditions are evaluated against.
type validators struct {
	etag         string    // a strong entity-tag with its quotes, such as `"r3-9f2c"`; "" when none
	lastModified time.Time // zero when none; compared at one-second precision
	exists       bool      // whether the target resource has a current representation
}

// current returns the entity-tag of the current representation; ok is
// false when there is none, or when v.etag is not an entity-tag.
func (v validators) current() (tag entityTag, ok bool) {
	if !v.exists {
		return entityTag{}, false
	}
	tag, rest, ok := cutEntityTag(v.etag)
	return tag, ok && rest == ""
}

// modified returns the current representation's modification time in
// whole seconds since the Unix epoch, the precision of an HTTP-date; ok is
// false when it has none.
func (v validators) modified() (seconds int64, ok bool) {
	if !v.exists || v.lastModified.IsZero() {
		return 0, false
	}
	return v.lastModified.Unix(), true
}

// evaluatePreconditions applies the precondition fields of r in the order
// of RFC 9110 §13.2.2 and returns 0 (go on: perform the method), 304 or
// 412. It does not look at If-Range, which only decides whether a Range is
// honoured: see ifRangeHolds.
func evaluatePreconditions(r *http.Request, v validators) int {
	h := r.Header
	now := time.Now()
	getOrHead := r.Method == http.MethodGet || r.Method == http.MethodHead
	lm, hasLM := v.modified()

	// Steps 1 and 2: If-Unmodified-Since only counts without If-Match
	// (§13.1.4), and only against a modification time we have.
	if list := h.Values("If-Match"); len(list) > 0 {
		if !ifMatch(list, v) {
			return http.StatusPreconditionFailed
		}
	} else if date, ok := fieldDate(h, "If-Unmodified-Since", now); ok && hasLM && lm > date {
		return http.StatusPreconditionFailed
	}

	// Steps 3 and 4: If-Modified-Since only counts without If-None-Match,
	// and only for GET and HEAD (§13.1.3).
	if list := h.Values("If-None-Match"); len(list) > 0 {
		if !ifNoneMatch(list, v, getOrHead) {
			if getOrHead {
				return http.StatusNotModified
			}
			return http.StatusPreconditionFailed
		}
	} else if getOrHead {
		if date, ok := fieldDate(h, "If-Modified-Since", now); ok && hasLM && lm <= date {
			return http.StatusNotModified
		}
	}
	return 0
}

// ifMatch evaluates an If-Match field, given as its field lines (§13.1.1):
// "*" holds when the resource has a current representation, a list when
// one of its tags matches the current one by strong comparison.
func ifMatch(lines []string, v validators) bool {
	list := joinLines(lines)
	if list == "*" {
		return v.exists
	}
	cur, ok := v.current()
	found, wellFormed := anyTag(list, func(t entityTag) bool { return ok && t.strongMatch(cur) })
	// A list we cannot read matches nothing: If-Match guards a change
	// against lost updates, and a 412 is safer than acting on a guess.
	return wellFormed && found
}

// ifNoneMatch evaluates an If-None-Match field, given as its field lines
// (§13.1.2): "*" fails when the resource has a current representation, a
// list when one of its tags matches the current one by weak comparison.
func ifNoneMatch(lines []string, v validators, getOrHead bool) bool {
	list := joinLines(lines)
	if list == "*" {
		return !v.exists
	}
	cur, ok := v.current()
	found, wellFormed := anyTag(list, func(t entityTag) bool { return ok && t.weakMatch(cur) })
	if !wellFormed {
		// A list we cannot read never earns a 304 (the client may hold
		// no copy to reuse), and never lets another method go ahead
		// past a guard the client meant to set: GET and HEAD get the
		// whole representation, the others 412.
		return getOrHead
	}
	return !found
}

// ifRangeHolds reports whether a Range in r should be honoured: true when
// r has no If-Range, otherwise the If-Range condition of RFC 9110 §13.1.5.
// An entity-tag must match the current one by strong comparison, so a weak
// tag never holds; an HTTP-date must be the current Last-Modified to the
// second. A value that is neither, or more than one If-Range line, is
// false, which sends the whole representation: always a correct answer.
//
// §13.1.5 also asks that a date be a strong validator (§8.8.2.2): the
// caller must give a lastModified only for a representation that cannot
// change twice within one second, as for content the server generates.
func ifRangeHolds(r *http.Request, v validators) bool {
	if len(r.Header.Values("If-Range")) == 0 {
		return true
	}
	value, ok := singleField(r.Header, "If-Range")
	if !ok {
		return false
	}
	if strings.HasPrefix(value, `"`) || strings.HasPrefix(value, "W/") {
		tag, rest, ok := cutEntityTag(value)
		cur, has := v.current()
		return ok && rest == "" && has && tag.strongMatch(cur)
	}
	date, ok := parseHTTPDate(value, time.Now())
	lm, has := v.modified()
	return ok && has && lm == date
}

// An entityTag is an entity-tag of RFC 9110 §8.8.3: whether it is weak,
// and its opaque-tag with the quotes.
type entityTag struct {
	weak   bool
	opaque string
}

// strongMatch is the strong comparison of §8.8.3.2: both tags strong, and
// the same opaque-tag.
func (t entityTag) strongMatch(u entityTag) bool {
	return !t.weak && !u.weak && t.opaque == u.opaque
}

// weakMatch is the weak comparison of §8.8.3.2: the same opaque-tag,
// whether either is weak or not.
func (t entityTag) weakMatch(u entityTag) bool { return t.opaque == u.opaque }

// cutEntityTag reads the entity-tag at the start of s and returns it with
// what follows it; ok is false when s does not start with one. The weak
// prefix is case-sensitive, and inside the quotes any character but a
// quote, a space, a control or DEL may stand (etagc of §8.8.3), a comma
// included: a list cannot be split at its commas.
func cutEntityTag(s string) (tag entityTag, rest string, ok bool) {
	if strings.HasPrefix(s, "W/") {
		tag.weak, s = true, s[2:]
	}
	if s == "" || s[0] != '"' {
		return entityTag{}, "", false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			tag.opaque = s[:i+1]
			return tag, s[i+1:], true
		case c <= ' ' || c == 0x7f:
			return entityTag{}, "", false
		}
	}
	return entityTag{}, "", false // no closing quote
}

// anyTag reports whether match holds for one of the entity-tags of list, a
// #entity-tag list (RFC 9110 §5.6.1: optional whitespace around the
// commas, empty elements skipped). wellFormed is false when list is not
// such a list; found is then false.
func anyTag(list string, match func(entityTag) bool) (found, wellFormed bool) {
	for s := list; ; {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return found, true
		}
		tag, rest, ok := cutEntityTag(s)
		if !ok {
			return false, false
		}
		found = found || match(tag)
		s = strings.TrimLeft(rest, " \t")
		if s != "" && s[0] != ',' {
			return false, false
		}
	}
}

// joinLines joins the field lines of a list field into one list (RFC 9110
// §5.3), without the optional whitespace at its ends.
func joinLines(lines []string) string {
	return strings.Trim(strings.Join(lines, ","), " \t")
}

// singleField returns the value of the field name of h, without optional
// whitespace at its ends, when h has exactly one line of it. A field that
// holds one item, such as If-Range, If-Modified-Since or Range, means
// nothing when it comes twice: RFC 9110 §5.3 makes the two lines one
// list, and a list is not a single value.
func singleField(h http.Header, name string) (string, bool) {
	lines := h.Values(name)
	if len(lines) != 1 {
		return "", false
	}
	return strings.Trim(lines[0], " \t"), true
}

// fieldDate returns the HTTP-date of the field name of h, as whole seconds
// since the Unix epoch; ok is false when the field is absent, repeated or
// not a valid HTTP-date, all of which §13.1.3 and §13.1.4 say to ignore.
func fieldDate(h http.Header, name string, now time.Time) (seconds int64, ok bool) {
	value, ok := singleField(h, name)
	if !ok {
		return 0, false
	}
	return parseHTTPDate(value, now)
}

// parseHTTPDate reads an HTTP-date of RFC 9110 §5.6.7 in any of its three
// forms, the forms http.ParseTime reads, and returns it as whole seconds
// since the Unix epoch. now places the two-digit year of the obsolete RFC
// 850 form.
func parseHTTPDate(s string, now time.Time) (seconds int64, ok bool) {
	if t, err := time.Parse(http.TimeFormat, s); err == nil {
		return t.Unix(), true
	}
	if t, err := time.Parse(time.ANSIC, s); err == nil {
		return t.Unix(), true
	}
	t, err := time.Parse(time.RFC850, s)
	if err != nil {
		return 0, false
	}
	// The layout takes any zone name, and reads one it does not know
	// as GMT; an HTTP-date is always GMT, and a date in another zone
	// would be read hours off. (UTC is the same clock, so it passes.)
	if name, offset := t.Zone(); offset != 0 || (name != "GMT" && name != "UTC") {
		return 0, false
	}
	// time.Parse puts a two-digit year in 1969-2068; §5.6.7 wants the
	// latest year with those digits that is at most 50 years ahead.
	year := now.UTC().Year()/100*100 + t.Year()%100
	if year > now.UTC().Year()+50 {
		year -= 100
	}
	return t.AddDate(year-t.Year(), 0, 0).Unix(), true
}
