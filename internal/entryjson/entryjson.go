// Package entryjson is the JSON shape of a registry entry, shared by the
// JSON API of the web reference and by the CLI's list --json, so that both
// speak the same fields. Field names are camelCase, enumerations are their
// lower-case String forms, and lists are never null.
package entryjson

import httpstatus "github.com/httpstatus/httpstatus"

// Entry is one meaning of one status code as JSON.
type Entry struct {
	Code               int       `json:"code"`
	Phrase             string    `json:"phrase"`
	PhraseIsLabel      bool      `json:"phraseIsLabel,omitempty"` // the vendor gives no reason phrase; phrase is a label of ours
	Class              string    `json:"class"`                   // "4xx"
	ClassName          string    `json:"className"`               // "Client Error"
	Official           bool      `json:"official"`                // registered with IANA
	Origin             string    `json:"origin"`                  // "IANA" or the vendor
	State              string    `json:"state"`                   // "standard", "temporary", ..., "unofficial"
	Registered         string    `json:"registered,omitempty"`    // YYYY-MM-DD, for a temporary registration
	Extended           []string  `json:"extended,omitempty"`      // YYYY-MM-DD, each extension of a temporary registration
	Expires            string    `json:"expires,omitempty"`       // YYYY-MM-DD, the day a temporary registration lapses
	Withdrawn          string    `json:"withdrawn,omitempty"`     // YYYY-MM-DD, the day the vendor withdrew the code
	WithdrawnReference Reference `json:"withdrawnReference,omitzero"`
	Summary            string    `json:"summary"`
	Description        string    `json:"description"`
	Reference          Reference `json:"reference"` // the defining document

	Condition          string    `json:"condition"` // "none", "temporary", "permanent" or "either"
	ConditionReference Reference `json:"conditionReference,omitzero"`
	Content            string    `json:"content"` // "allowed" or "none"
	ContentReference   Reference `json:"contentReference,omitzero"`
	Caching            string    `json:"caching"` // "heuristic", "explicit" or "no-store"
	CachingReference   Reference `json:"cachingReference,omitzero"`
	Retry              string    `json:"retry"` // "n/a", "yes", "later", "modified" or "no"
	RetryAdvice        string    `json:"retryAdvice"`
	RetryReference     Reference `json:"retryReference,omitzero"`

	Headers     []Header     `json:"headers"`
	Usage       []Usage      `json:"usage"`
	ClientRules []ClientRule `json:"clientRules"` // what a client does with the answer; none for a vendor's meaning
	Names       []Name       `json:"names"`
	Related     []int        `json:"related"`

	GoConstant string `json:"goConstant,omitempty"` // such as "StatusNotFound"
	GoText     string `json:"goText,omitempty"`     // what http.StatusText returns
}

// Reference is the document, and the section of it, that states a fact.
type Reference struct {
	Document string `json:"document"`
	Section  string `json:"section,omitempty"`
	URL      string `json:"url,omitempty"`
	Status   string `json:"status,omitempty"` // "standards-track", "experimental", "internet-draft", "other", ...
}

// Usage is a rule on sending the code at all, such as "MUST NOT" be sent
// "by a proxy".
type Usage struct {
	Level     string    `json:"level"` // "MUST", "MUST NOT", "SHOULD", "SHOULD NOT" or "MAY"
	When      string    `json:"when"`
	Reference Reference `json:"reference"`
}

// ClientRule is a rule on what a client does with the answer of the code,
// read after "A client": "SHOULD" "wait at least as long as Retry-After
// asks before the next request".
type ClientRule struct {
	ID        string    `json:"id"`    // stable, such as "retry-after-honoured"
	Level     string    `json:"level"` // "MUST", "MUST NOT", "SHOULD", "SHOULD NOT" or "MAY"
	Summary   string    `json:"summary"`
	Reference Reference `json:"reference"`
}

// Header is a rule a status code places on a response header field.
type Header struct {
	Field     string    `json:"field"`
	Level     string    `json:"level"`   // "MUST", "MUST NOT", "SHOULD", "SHOULD NOT" or "MAY"
	Applies   string    `json:"applies"` // "always", "connect", "range-request", "single-part", "multipart" or "judgement"
	When      string    `json:"when"`
	Reference Reference `json:"reference"`
}

// Name is another phrase for the same meaning, such as a former reason phrase.
type Name struct {
	Phrase    string    `json:"phrase"`
	Note      string    `json:"note,omitempty"`
	Reference Reference `json:"reference,omitzero"`
}

// From converts a registry entry, as Lookup, Meanings or All give it, to
// its JSON shape.
func From(e *httpstatus.Entry) Entry {
	j := Entry{
		Code:               e.Code,
		Phrase:             e.Phrase,
		PhraseIsLabel:      e.PhraseIsLabel,
		Registered:         e.Registered.String(),
		Withdrawn:          e.Withdrawn.String(),
		WithdrawnReference: ref(e.WithdrawnRef),
		Class:              e.Class.String(),
		ClassName:          e.Class.Name(),
		Official:           e.Official(),
		Origin:             e.Origin,
		State:              e.State.String(),
		Expires:            e.Expires.String(),
		Summary:            e.Summary,
		Description:        e.Description,
		Reference:          ref(e.Ref),
		Condition:          e.Condition.String(),
		ConditionReference: ref(e.ConditionRef),
		Content:            e.Content.String(),
		ContentReference:   ref(e.ContentRef),
		Caching:            e.Caching.String(),
		CachingReference:   ref(e.CachingRef),
		Retry:              e.Retry.String(),
		RetryAdvice:        e.RetryAdvice,
		RetryReference:     ref(e.RetryRef),
		Headers:            make([]Header, 0, len(e.Headers)),
		Usage:              make([]Usage, 0, len(e.Usage)),
		ClientRules:        []ClientRule{},
		Names:              make([]Name, 0, len(e.Names)),
		Related:            append(make([]int, 0, len(e.Related)), e.Related...),
		GoConstant:         e.GoConstant,
		GoText:             e.GoText,
	}
	for _, h := range e.Headers {
		j.Headers = append(j.Headers, Header{Field: h.Field, Level: h.Level.String(), Applies: h.Applies.String(), When: h.When, Reference: ref(h.Ref)})
	}
	for _, u := range e.Usage {
		j.Usage = append(j.Usage, Usage{Level: u.Level.String(), When: u.When, Reference: ref(u.Ref)})
	}
	for _, r := range e.ClientRules() {
		j.ClientRules = append(j.ClientRules, ClientRule{ID: r.ID, Level: r.Level.String(), Summary: r.Summary, Reference: ref(r.Ref)})
	}
	for _, n := range e.Names {
		j.Names = append(j.Names, Name{Phrase: n.Phrase, Note: n.Note, Reference: ref(n.Ref)})
	}
	for _, d := range e.Extended {
		j.Extended = append(j.Extended, d.String())
	}
	return j
}

// Code is every meaning of one number, the primary one first: the answer
// of the web API's /api/codes/{code} and of the CLI's show --json.
type Code struct {
	Code     int     `json:"code"`
	Meanings []Entry `json:"meanings"`
}

// FromCode converts every meaning of code, as Meanings gives them, to
// their JSON shape. It reports false when the registry does not know code.
func FromCode(code int) (Code, bool) {
	ms := httpstatus.Meanings(code)
	if len(ms) == 0 {
		return Code{}, false
	}
	c := Code{Code: code, Meanings: make([]Entry, 0, len(ms))}
	for _, m := range ms {
		c.Meanings = append(c.Meanings, From(m))
	}
	return c, true
}

// FromAll converts every entry of the registry, ordered by code, the
// primary meaning of a number first.
func FromAll() []Entry {
	var all []Entry
	for e := range httpstatus.All() {
		all = append(all, From(e))
	}
	return all
}

func ref(r httpstatus.Reference) Reference {
	j := Reference{Document: r.Document, Section: r.Section, URL: r.URL}
	if r.Status != 0 {
		j.Status = r.Status.String()
	}
	return j
}
