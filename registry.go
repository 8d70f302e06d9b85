package httpstatus

import (
	"iter"
	"slices"
	"strconv"
	"time"
)

//go:generate go run gen.go

// Entry is one meaning of one status code: the IANA registration, or a
// vendor's use of the number. Look-ups return pointers into the generated
// tables, so that they cost no more than net/http's StatusText: an Entry
// is shared by every caller and must be treated as read-only.
type Entry struct {
	Code          int    // the number, 100 to 599
	Phrase        string // the current reason phrase, or a label when PhraseIsLabel
	PhraseIsLabel bool   // the vendor gives the code no reason phrase; Phrase is a short label of ours in the vendor's terms
	Class         Class  // the class the first digit names
	Origin        string // "IANA" for registered codes, otherwise the vendor, such as "nginx"
	State         State  // the registry state, or Unofficial for a vendor code

	Ref          Reference // the document that defines the code; Ref.Status says whether it is Experimental, a draft, ...
	Registered   Date      // the day IANA registered the code, where the registry records it (temporary registrations)
	Extended     []Date    // the days IANA extended a temporary registration, oldest first
	Expires      Date      // for a temporary registration, the day it lapses; zero otherwise
	Withdrawn    Date      // for a vendor code its vendor withdrew or deprecated, the day it did so; zero otherwise
	WithdrawnRef Reference // the document that records the withdrawal

	Summary     string // one line, no final full stop
	Description string // what it means, when a server sends it, what a client does

	Condition    Condition // whether the condition is temporary or permanent
	ConditionRef Reference
	Content      Content // whether the response may carry content
	ContentRef   Reference
	Caching      Caching // whether a cache may store the response by default
	CachingRef   Reference
	Retry        Retry  // whether a client may repeat the request
	RetryAdvice  string // one sentence on when and how to retry
	RetryRef     Reference

	Headers []HeaderRule // the header fields the code requires, recommends or forbids
	Usage   []UsageRule  // who may send the code, and when it must or should not be sent
	Names   []Name       // former phrases, earlier definitions and other spellings of this meaning
	Related []int        // other codes worth reading about

	GoConstant string // net/http's constant, such as "StatusNotFound"; empty when Go has none
	GoText     string // what http.StatusText returns for the code; empty when Go has none
}

// Lapsed reports whether the entry is a temporary registration that has
// lapsed at t: whether t is on or after the day it expires (midnight UTC).
// It reports false for every other entry.
func (e *Entry) Lapsed(t time.Time) bool {
	return e.State == StateTemporary && !e.Expires.IsZero() && !t.Before(e.Expires.Time())
}

// Official reports whether the entry is registered with IANA.
func (e *Entry) Official() bool { return e.Origin == OriginIANA }

// HeaderRule returns the rule for the named header field (compared without
// regard to case) and whether the entry has one.
func (e *Entry) HeaderRule(field string) (HeaderRule, bool) {
	for _, h := range e.Headers {
		if equalFold(h.Field, field) {
			return h, true
		}
	}
	return HeaderRule{}, false
}

// String returns the code and its phrase, such as "404 Not Found".
func (e *Entry) String() string { return strconv.Itoa(e.Code) + " " + e.Phrase }

// OriginIANA is the Origin of every entry registered with IANA.
const OriginIANA = "IANA"

// A HeaderRule is a requirement that a status code places on a response
// header field.
type HeaderRule struct {
	Field   string  // canonical field name, such as "Allow"
	Level   Level   // MUST, SHOULD, MAY, MUST NOT or SHOULD NOT
	Applies Applies // when the rule applies, as a program can test it
	When    string  // when the rule applies, in a few words; "always" when it always does
	Ref     Reference
}

// A UsageRule is a requirement on sending the code at all, rather than on
// a header field of the response: who may send it (421 never comes from a
// proxy) or when it must not be sent (208 only to a client that announced
// support for it).
type UsageRule struct {
	Level Level  // MUST, SHOULD, MAY, MUST NOT or SHOULD NOT
	When  string // the rule in a few words, such as "by a proxy"
	Ref   Reference
}

// A ClientRule is a requirement on a client: what it does with the answer
// of some codes, such as waiting as Retry-After asks or keeping the method
// when it follows a 307. Package verdict judges a client by them.
type ClientRule struct {
	ID      string // stable, such as "retry-after-honoured"
	Level   Level  // MUST, SHOULD, MAY, MUST NOT or SHOULD NOT
	Codes   []int  // the codes whose answers the rule is about
	Summary string // what the client does, in a few words, after "A client MUST"
	Ref     Reference
	// Note says where the level comes from when the referenced text sets
	// none itself, or which later correction states it; "" otherwise.
	Note string
}

// ClientRules returns every rule on clients, in the registry's order.
func ClientRules() []ClientRule { return slices.Clone(clientRules[:]) }

// ClientRules returns the rules on what a client does with the answer of
// e's code, for a registered code; a vendor's meaning of a number has none.
func (e *Entry) ClientRules() []ClientRule {
	if !e.Official() {
		return nil
	}
	var out []ClientRule
	for _, r := range clientRules {
		if slices.Contains(r.Codes, e.Code) {
			out = append(out, r)
		}
	}
	return out
}

// A Name is another phrase for the same meaning: a former reason phrase
// with the document that used it, an earlier document that defined the
// code under the same phrase, or a spelling a vendor or a reference site
// uses.
type Name struct {
	Phrase string
	Ref    Reference
	Note   string
}

// A Reference points at the document, and the section of it, that states a fact.
type Reference struct {
	Document string    // such as "RFC 9110" or "nginx documentation"
	Section  string    // such as "15.5.6"; empty for the whole document
	URL      string    // where to read it
	Status   DocStatus // the document's standing: Standards Track, Experimental, an Internet-Draft, a vendor's page...
}

// String returns the reference as a person would cite it, such as
// "RFC 9110, section 15.5.6".
func (r Reference) String() string {
	if r.Section == "" {
		return r.Document
	}
	return r.Document + ", section " + r.Section
}

// Lookup returns the primary meaning of code: its IANA registration when it
// has one, otherwise its most widely used vendor meaning. It reports false
// for a number the registry does not know. Lookup does not allocate.
func Lookup(code int) (*Entry, bool) {
	if uint(code) >= uint(len(primaryIndex)) {
		return nil, false
	}
	i := primaryIndex[code]
	if i == 0 {
		return nil, false
	}
	return &entries[i-1], true
}

// Meanings returns every meaning of code, the primary one first, or nil
// when the registry does not know the number. Like Lookup, it returns
// pointers into the registry's tables, and the slice itself is shared
// too: modify neither. Meanings does not allocate.
func Meanings(code int) []*Entry {
	if uint(code) >= uint(len(primaryIndex)) || primaryIndex[code] == 0 {
		return nil
	}
	start := int(primaryIndex[code] - 1)
	end := start + 1
	for end < len(entries) && entries[end].Code == code {
		end++
	}
	return entryPointers[start:end:end]
}

// entryPointers holds a pointer to each of entries, in the same order, so
// that Meanings can answer with a slice of it.
var entryPointers = func() (p [len(entries)]*Entry) {
	for i := range entries {
		p[i] = &entries[i]
	}
	return p
}()

// Known reports whether the registry has any meaning for code.
func Known(code int) bool {
	_, ok := Lookup(code)
	return ok
}

// Text returns the current IANA reason phrase for code, as RFC 9110 and
// later documents spell it, or the empty string for a code IANA does not
// register. It is a drop-in replacement for net/http's StatusText; the
// two differ where an IANA entry's GoText is empty (Go lacks the code) or
// not its Phrase (a later RFC renamed the code, as RFC 9110 did 413).
func Text(code int) string {
	if e, ok := Lookup(code); ok && e.Origin == OriginIANA {
		return e.Phrase
	}
	return ""
}

// All returns an iterator over every entry, ordered by code; the meanings
// of one number come primary first.
func All() iter.Seq[*Entry] {
	return func(yield func(*Entry) bool) {
		for i := range entries {
			if !yield(&entries[i]) {
				return
			}
		}
	}
}

// Codes returns an iterator over the primary meaning of every known number,
// in ascending order.
func Codes() iter.Seq[*Entry] {
	return func(yield func(*Entry) bool) {
		for i := range entries {
			if i > 0 && entries[i-1].Code == entries[i].Code {
				continue
			}
			if !yield(&entries[i]) {
				return
			}
		}
	}
}

// LookupPhrase finds the meaning a reason phrase names. It accepts current,
// former and vendor phrases, and ignores case, spaces and punctuation, so
// "request-uri too long", "Request URI Too Long" and "URI Too Long" all find
// 414. When a phrase names several meanings, the IANA one wins. It reports
// false when no entry carries the phrase.
func LookupPhrase(phrase string) (*Entry, bool) {
	var buf [64]byte
	key := phraseKey(buf[:0], phrase)
	if len(key) == 0 {
		return nil, false
	}
	lo, hi := 0, len(phraseIndex)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if phraseIndex[m].key < string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(phraseIndex) && phraseIndex[lo].key == string(key) {
		return &entries[phraseIndex[lo].entry], true
	}
	return nil, false
}

// phraseKey appends to dst the letters and digits of s, lower-cased; it is
// the form in which phrases are compared. Letters outside ASCII are dropped,
// which folds typographic apostrophes and dashes away with the rest of the
// punctuation.
func phraseKey(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			dst = append(dst, c)
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+('a'-'A'))
		}
	}
	return dst
}

// equalFold compares two ASCII strings without regard to case.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// phraseEntry maps a phrase key to the index of the entry it names.
type phraseEntry struct {
	key   string
	entry uint16
}
