// Package entryjson is the JSON shape of a registry entry, shared by the
// JSON API of the web reference and by the CLI's list --json, so that both
// speak the same fields. Field names are camelCase, enumerations are their
// lower-case String forms, and lists are never null.
package entryjson

import httpstatus "github.com/httpstatus/httpstatus"

// Entry is one meaning of one status code as JSON.
type Entry struct {
	Code        int       `json:"code"`
	Phrase      string    `json:"phrase"`
	Class       string    `json:"class"`     // "4xx"
	ClassName   string    `json:"className"` // "Client Error"
	Official    bool      `json:"official"`  // registered with IANA
	Origin      string    `json:"origin"`    // "IANA" or the vendor
	State       string    `json:"state"`     // "standard", "temporary", ..., "unofficial"
	Expires     string    `json:"expires,omitempty"`
	Summary     string    `json:"summary"`
	Description string    `json:"description"`
	Reference   Reference `json:"reference"` // the defining document

	Condition          string    `json:"condition"` // "none", "temporary", "permanent" or "either"
	ConditionReference Reference `json:"conditionReference,omitzero"`
	Content            string    `json:"content"` // "allowed" or "none"
	ContentReference   Reference `json:"contentReference,omitzero"`
	Caching            string    `json:"caching"` // "heuristic", "explicit" or "no-store"
	CachingReference   Reference `json:"cachingReference,omitzero"`
	Retry              string    `json:"retry"` // "n/a", "yes", "later", "modified" or "no"
	RetryAdvice        string    `json:"retryAdvice"`
	RetryReference     Reference `json:"retryReference,omitzero"`

	Headers []Header `json:"headers"`
	Names   []Name   `json:"names"`
	Related []int    `json:"related"`

	GoConstant string `json:"goConstant,omitempty"` // such as "StatusNotFound"
	GoText     string `json:"goText,omitempty"`     // what http.StatusText returns
}

// Reference is the document, and the section of it, that states a fact.
type Reference struct {
	Document string `json:"document"`
	Section  string `json:"section,omitempty"`
	URL      string `json:"url,omitempty"`
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
		Class:              e.Class.String(),
		ClassName:          e.Class.Name(),
		Official:           e.Official(),
		Origin:             e.Origin,
		State:              e.State.String(),
		Expires:            e.Expires,
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
		Names:              make([]Name, 0, len(e.Names)),
		Related:            append(make([]int, 0, len(e.Related)), e.Related...),
		GoConstant:         e.GoConstant,
		GoText:             e.GoText,
	}
	for _, h := range e.Headers {
		j.Headers = append(j.Headers, Header{Field: h.Field, Level: h.Level.String(), Applies: h.Applies.String(), When: h.When, Reference: ref(h.Ref)})
	}
	for _, n := range e.Names {
		j.Names = append(j.Names, Name{Phrase: n.Phrase, Note: n.Note, Reference: ref(n.Ref)})
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
	return Reference{Document: r.Document, Section: r.Section, URL: r.URL}
}
