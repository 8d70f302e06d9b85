package respond

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// Write answers r with err.
//
// When err is, or wraps, a *Problem (found with errors.As), Write answers
// with that problem; any other error becomes a 500 whose body hides the
// error's text. The status may be any code from 100 to 599, registered or
// not, error or not: below 400 the JSON body is application/json rather
// than a problem.
//
// Write applies the rules the registry attaches to the status code:
//
//   - The representation is chosen with Negotiate from the request's
//     Accept header, and Vary: Accept says so.
//   - A code whose responses never carry content (such as 1xx, 204 and
//     304) gets its header section only, without Content-Type, and without
//     Content-Length where the code forbids it.
//   - HEAD gets the header section GET would get, Content-Length included,
//     and no content.
//   - A code that must not be stored (such as 429) gets
//     Cache-Control: no-store.
//   - A header field the code forbids is removed.
//   - A header field the code requires must be present, when the rule's
//     condition holds for what Write sends (always; a single part; the
//     request's method); conditions only the caller can judge, such as
//     "a 200 would carry it", are the caller's to meet. A Problem
//     that lacks one, such as a 405 without WithAllow, a 401 or 407
//     without WithChallenge, or a 426 without WithUpgrade, is not written:
//     Write answers 500 instead, a response that breaks no rule and tells
//     the client nothing of the mistake, and returns an error wrapping
//     ErrMissingHeader that names the field, for the server's log.
//
// For a 1xx code, Write sends the interim response alone; the handler
// still owes the request its final response.
//
// The body states the status, its phrase and meaning, whether the
// condition is temporary or permanent, and when to retry if that is
// known (from Retry-After). See the package documentation for its members.
//
// Write returns nil once the response is written, also when the client has
// gone away. It returns an error only when the caller broke a rule: a
// missing required header (ErrMissingHeader), a status outside 100 to 599
// (ErrInvalidStatus), an extension that encoding/json rejects
// (ErrExtension) or a nil err (ErrNilError). In each case it has written a
// 500 problem. Write must be called before anything else is written to w.
// A nil r is answered as a GET that accepts any media type.
func Write(w http.ResponseWriter, r *http.Request, err error) error {
	if r == nil {
		r = &http.Request{} // answered as a GET that accepts anything
	}
	var failure error
	if p, ok := errors.AsType[*Problem](err); ok && p != nil {
		failure = write(w, r, p)
	} else if err == nil {
		failure = ErrNilError
	} else {
		failure = write(w, r, &Problem{Status: http.StatusInternalServerError, Cause: err})
	}
	if failure == nil {
		return nil
	}
	if ferr := write(w, r, &Problem{Status: http.StatusInternalServerError, Cause: err}); ferr != nil {
		// Only a registry that required a header of every 500 gets here.
		w.WriteHeader(http.StatusInternalServerError)
	}
	return failure
}

// write answers r with p, or returns an error, having written nothing,
// when p breaks a rule of its status code.
func write(w http.ResponseWriter, r *http.Request, p *Problem) error {
	if !httpstatus.IsValid(p.Status) {
		return fmt.Errorf("%w: %d", ErrInvalidStatus, p.Status)
	}
	e := entryFor(p.Status)
	h := w.Header()
	content := e.Content != httpstatus.ContentNone
	mayFrame := true // whether no MUST NOT on Content-Length could apply
	for i := range e.Headers {
		rule := &e.Headers[i]
		switch {
		case rule.Level == httpstatus.LevelMust && applies(rule.Applies, r) == yes &&
			!present(p.Header, rule.Field) && !present(h, rule.Field):
			return missing(e, rule)
		case rule.Level == httpstatus.LevelMustNot && strings.EqualFold(rule.Field, "Content-Length"):
			switch applies(rule.Applies, r) {
			case yes:
				content, mayFrame = false, false // no length may frame it, so there is no content
			case unknown:
				mayFrame = false
			}
		}
	}
	var v view
	if content {
		if err := v.fill(p, e); err != nil {
			return err
		}
	}

	for k, vals := range p.Header {
		h[http.CanonicalHeaderKey(k)] = slices.Clone(vals)
	}
	if e.Caching == httpstatus.CachingNoStore {
		h.Set("Cache-Control", "no-store")
	}
	var body []byte
	if !content {
		h.Del("Content-Type")
		h.Del("Content-Length")
		if e.Content == httpstatus.ContentNone && mayFrame {
			// Say so explicitly, so that HEAD and GET agree (205).
			h.Set("Content-Length", "0")
		}
	} else {
		v.retryAfter(h.Get("Retry-After"))
		if v.Condition == httpstatus.ConditionEither && v.RetryKnown {
			v.Condition = httpstatus.ConditionTemporary
		}
		media := Negotiate(r)
		if media == MediaProblemJSON && p.Status < 400 {
			media = MediaJSON
		}
		var ctype string
		body, ctype = v.render(media)
		// One backing array for the four values (the keys are canonical).
		vals := [...]string{ctype, strconv.Itoa(len(body)), "nosniff", "Accept"}
		h["Content-Type"] = vals[0:1:1]
		h["Content-Length"] = vals[1:2:2]
		h["X-Content-Type-Options"] = vals[2:3:3]
		switch {
		case len(h["Vary"]) == 0:
			h["Vary"] = vals[3:4:4]
		case !httptext.ListHas(h["Vary"], "Accept") && !httptext.ListHas(h["Vary"], "*"):
			h.Add("Vary", "Accept")
		}
		if media == MediaHTML && h.Get("Content-Security-Policy") == "" {
			h.Set("Content-Security-Policy", htmlPolicy)
		}
	}
	for i := range e.Headers {
		if rule := &e.Headers[i]; rule.Level == httpstatus.LevelMustNot && applies(rule.Applies, r) != no && !wanted(e, rule.Field, r) {
			h.Del(rule.Field)
		}
	}
	w.WriteHeader(p.Status)
	if len(body) > 0 && r.Method != http.MethodHead {
		_, _ = w.Write(body) // the client has gone; there is nobody left to tell
	}
	return nil
}

// entryFor returns the registry's primary entry for code, or for a code it
// does not know, an entry with the rules of the code's class.
func entryFor(code int) *httpstatus.Entry {
	if e, ok := httpstatus.Lookup(code); ok {
		return e
	}
	c := httpstatus.ClassOf(code)
	e := httpstatus.Entry{
		Code:      code,
		Phrase:    "Status " + strconv.Itoa(code),
		Class:     c,
		Summary:   "A status code in the " + c.Name() + " class that the registry does not describe",
		Condition: httpstatus.ConditionNone,
		Content:   httpstatus.ContentAllowed,
		Caching:   httpstatus.CachingExplicit,
	}
	if c == httpstatus.ClassInformational {
		e.Content = httpstatus.ContentNone // interim responses end at their header section
	}
	if httpstatus.IsError(code) {
		e.Condition = httpstatus.ConditionEither
	}
	return &e
}

// wanted reports whether another rule of e may require or recommend field
// for the response to r: then a MUST NOT whose condition Write cannot
// judge is the caller's to honour, as the MUST is (104: Location in the
// first interim response, in no later one).
func wanted(e *httpstatus.Entry, field string, r *http.Request) bool {
	for i := range e.Headers {
		rule := &e.Headers[i]
		if (rule.Level == httpstatus.LevelMust || rule.Level == httpstatus.LevelShould) &&
			strings.EqualFold(rule.Field, field) && applies(rule.Applies, r) != no {
			return true
		}
	}
	return false
}

// tristate is the answer to whether a rule's condition holds.
type tristate int

const (
	unknown tristate = iota // the condition is one only the caller can judge
	yes
	no
)

// applies reports whether a header rule holds for the response Write is
// about to send. Write knows the request it answers (its method, CONNECT
// or POST, and whether it carried If-Range) and the number of parts in the
// content (always one); conditions on the resource or the request's
// ranges, such as "a 200 to the same request would carry it", and whether
// an interim response is the first of its code, are unknown: Write leaves
// a MUST of that kind to the caller and, to stay on the safe side, removes
// a MUST NOT field unless another rule wants it (see wanted).
func applies(a httpstatus.Applies, r *http.Request) tristate {
	switch a {
	case httpstatus.AppliesAlways, httpstatus.AppliesToSinglePart:
		return yes
	case httpstatus.AppliesToMultipart:
		return no
	case httpstatus.AppliesToConnect:
		if r.Method == http.MethodConnect {
			return yes
		}
		return no
	case httpstatus.AppliesToPost:
		if r.Method == http.MethodPost {
			return yes
		}
		return no
	case httpstatus.AppliesToIfRange:
		if r.Header.Get("If-Range") != "" {
			return yes
		}
		return no
	}
	return unknown
}

// present reports whether h has a value for field. Only Allow may be
// empty: an empty Allow says that no method is allowed.
func present(h http.Header, field string) bool {
	vals, ok := h[http.CanonicalHeaderKey(field)]
	if !ok {
		// A Header written as a literal may hold keys in another case.
		for k, v := range h {
			if strings.EqualFold(k, field) {
				vals, ok = append(vals, v...), true
			}
		}
	}
	if !ok {
		return false
	}
	if strings.EqualFold(field, "Allow") {
		return true
	}
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// missing returns the error for a Problem without a required header field.
func missing(e *httpstatus.Entry, rule *httpstatus.HeaderRule) error {
	how := "WithHeader"
	switch http.CanonicalHeaderKey(rule.Field) {
	case "Allow":
		how = "WithAllow"
	case "Www-Authenticate", "Proxy-Authenticate":
		how = "WithChallenge"
	case "Upgrade":
		how = "WithUpgrade"
	case "Content-Range":
		how = "WithContentRange"
	}
	return fmt.Errorf("%w: %s must carry %s (%s); set it with %s", ErrMissingHeader, e, rule.Field, rule.Ref, how)
}

// view is what a body shows: a Problem resolved against the registry.
type view struct {
	Status      int
	Type        string // "about:blank" or a URI reference
	Title       string
	Detail      string
	Instance    string
	Summary     string
	Condition   httpstatus.Condition
	Retry       httpstatus.Retry
	RetryAdvice string
	RetryKnown  bool   // whether Retry-After gave a time
	RetryAfter  int64  // seconds to wait, when RetryKnown
	RetryAt     string // RFC 3339, when Retry-After was a date
	Ext         []member
}

// member is an extension member: its value encoded as JSON for the JSON
// body, and as people read it for the others (a string as itself, any
// other value as JSON without HTML escapes; html/template escapes it).
type member struct {
	Key   string
	JSON  string
	Value string
}

// reserved are the members an extension must not replace. JSON decoders
// such as encoding/json match member names without regard to case, so
// neither may an extension that differs only in case.
var reserved = [...]string{"type", "title", "status", "detail", "instance", "summary", "condition", "retry", "retryAfter", "retryAt"}

func (v *view) fill(p *Problem, e *httpstatus.Entry) error {
	v.Status = p.Status
	v.Type = p.typeURI()
	v.Title = e.Phrase
	if v.Type != aboutBlank && p.Title != "" {
		v.Title = p.Title
	}
	v.Detail = p.Detail
	if v.Detail == "" && p.Expose && p.Cause != nil {
		v.Detail = p.Cause.Error()
	}
	v.Instance = p.Instance
	v.Summary = e.Summary
	v.Condition = e.Condition
	if p.condition != 0 {
		v.Condition = p.condition
	}
	v.Retry = e.Retry
	v.RetryAdvice = e.RetryAdvice
	if len(p.Extensions) == 0 {
		return nil
	}
	v.Ext = make([]member, 0, len(p.Extensions))
	for _, k := range slices.Sorted(maps.Keys(p.Extensions)) {
		if isReserved(k) {
			continue
		}
		val := p.Extensions[k]
		b, err := json.Marshal(val)
		if err != nil {
			return fmt.Errorf("%w: %q: %w", ErrExtension, k, err)
		}
		m := member{Key: k, JSON: string(b)}
		if s, ok := val.(string); ok {
			m.Value = s
		} else {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(val) // it encoded above
			m.Value = strings.TrimSuffix(buf.String(), "\n")
		}
		v.Ext = append(v.Ext, m)
	}
	return nil
}

func isReserved(key string) bool {
	for _, r := range reserved {
		if strings.EqualFold(key, r) {
			return true
		}
	}
	return false
}

// retryAfter reads a Retry-After value: delay-seconds or an HTTP date,
// which is measured from the present.
func (v *view) retryAfter(field string) {
	field = strings.TrimSpace(field)
	if field == "" {
		return
	}
	if n, err := strconv.ParseInt(field, 10, 64); err == nil && n >= 0 {
		v.RetryKnown, v.RetryAfter = true, n
		return
	}
	t, err := http.ParseTime(field)
	if err != nil {
		return
	}
	v.RetryKnown = true
	v.RetryAt = t.UTC().Format(time.RFC3339)
	v.RetryAfter = httptext.CeilSeconds(time.Until(t))
}
