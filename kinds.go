package httpstatus

import (
	"errors"
	"fmt"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// Class is the class of a status code, named by its first digit.
type Class int

// The five classes of RFC 9110, section 15.
const (
	ClassInformational Class = 1 // 1xx: interim response
	ClassSuccess       Class = 2 // 2xx: the request succeeded
	ClassRedirection   Class = 3 // 3xx: further action is needed
	ClassClientError   Class = 4 // 4xx: the client seems to have erred
	ClassServerError   Class = 5 // 5xx: the server failed
)

// ClassOf returns the class of code, or 0 when code is outside 100 to 599.
func ClassOf(code int) Class {
	if code < 100 || code > 599 {
		return 0
	}
	return Class(code / 100)
}

// String returns the class as "4xx", or "invalid" for the zero Class.
func (c Class) String() string {
	if c < ClassInformational || c > ClassServerError {
		return "invalid"
	}
	return string([]byte{byte('0' + c), 'x', 'x'})
}

// Name returns the class's name in RFC 9110, such as "Client Error".
func (c Class) Name() string {
	switch c {
	case ClassInformational:
		return "Informational"
	case ClassSuccess:
		return "Successful"
	case ClassRedirection:
		return "Redirection"
	case ClassClientError:
		return "Client Error"
	case ClassServerError:
		return "Server Error"
	}
	return "Invalid"
}

// ParseClass reads a class written as "4xx" (in any case) or as its digit
// alone, "4". It reports false for anything else.
func ParseClass(s string) (Class, bool) {
	if len(s) == 3 && (s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X') || len(s) == 1 {
		if c := Class(int(s[0]) - '0'); c >= ClassInformational && c <= ClassServerError {
			return c, true
		}
	}
	return 0, false
}

// ErrNotCode is wrapped by every error ParseCode returns.
var ErrNotCode = errors.New("a status code is a number from 100 to 599")

// ParseCode reads a status code written as exactly three ASCII digits, 100
// to 599, whether or not the registry knows the number: "404" and "477"
// parse, "99", "0404", "+404" and "600" do not. The error wraps ErrNotCode
// and quotes s, shortened when it is long. ParseCode does not allocate
// when it succeeds.
func ParseCode(s string) (int, error) {
	if len(s) != 3 {
		return 0, notCode(s)
	}
	n := 0
	for i := 0; i < 3; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, notCode(s)
		}
		n = n*10 + int(c-'0')
	}
	if !IsValid(n) {
		return 0, notCode(s)
	}
	return n, nil
}

func notCode(s string) error {
	return fmt.Errorf("%q: %w", httptext.Clip(s, 40), ErrNotCode)
}

// MarshalText encodes the class as "4xx".
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// IsInformational reports whether code is a 1xx code.
func IsInformational(code int) bool { return ClassOf(code) == ClassInformational }

// IsSuccess reports whether code is a 2xx code.
func IsSuccess(code int) bool { return ClassOf(code) == ClassSuccess }

// IsRedirection reports whether code is a 3xx code.
func IsRedirection(code int) bool { return ClassOf(code) == ClassRedirection }

// IsClientError reports whether code is a 4xx code.
func IsClientError(code int) bool { return ClassOf(code) == ClassClientError }

// IsServerError reports whether code is a 5xx code.
func IsServerError(code int) bool { return ClassOf(code) == ClassServerError }

// IsError reports whether code is a 4xx or 5xx code.
func IsError(code int) bool { return IsClientError(code) || IsServerError(code) }

// IsValid reports whether code is a three-digit status code, 100 to 599,
// whether or not the registry knows it.
func IsValid(code int) bool { return ClassOf(code) != 0 }

// State is the standing of an entry: its state in the IANA registry, or
// StateUnofficial for a vendor's code.
type State int

// The states an entry can be in.
const (
	StateStandard   State = iota + 1 // registered and in use
	StateTemporary                   // a temporary IANA registration that lapses on Entry.Expires
	StateUnused                      // reserved by IANA, not to be used (306, 418)
	StateObsoleted                   // marked obsoleted by IANA (510)
	StateDeprecated                  // deprecated by its defining document (305) or withdrawn by its vendor
	StateUnofficial                  // used by a vendor, not registered with IANA
)

var stateNames = [...]string{"", "standard", "temporary", "unused", "obsoleted", "deprecated", "unofficial"}
var stateDescriptions = [...]string{"", "Registered with IANA", "Temporary IANA registration", "Reserved by IANA, not to be used", "Obsoleted", "Deprecated", "Unofficial: used by a vendor, not registered with IANA"}

// String returns the state in lower case, as the data file spells it.
func (s State) String() string { return enumString(stateNames[:], int(s)) }

// MarshalText encodes the state as its String.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Describe says in a few words what the state means, for people.
func (s State) Describe() string { return enumString(stateDescriptions[:], int(s)) }

// Condition says whether the condition a code reports is temporary or permanent.
type Condition int

// The conditions a code can report.
const (
	ConditionNone      Condition = iota + 1 // neither an error nor a redirect: nothing to persist
	ConditionTemporary                      // temporary: the same request may succeed later
	ConditionPermanent                      // permanent: repeating the request will not help
	ConditionEither                         // the code itself does not say; the response should
)

var conditionNames = [...]string{"", "none", "temporary", "permanent", "either"}
var conditionDescriptions = [...]string{"", "Not applicable: neither an error nor a redirect", "Temporary: the same request may succeed later", "Permanent: repeating the request will not help", "Either: the code does not say; the response should make it clear"}

// String returns "none", "temporary", "permanent" or "either".
func (c Condition) String() string { return enumString(conditionNames[:], int(c)) }

// MarshalText encodes the condition as its String.
func (c Condition) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Describe says in a few words what the condition means, for people.
func (c Condition) Describe() string { return enumString(conditionDescriptions[:], int(c)) }

// Content says whether a response with the code may carry content.
type Content int

// Whether content is allowed.
const (
	ContentAllowed Content = iota + 1 // content is allowed (never on a response to HEAD)
	ContentNone                       // the response ends after its header section
)

var contentNames = [...]string{"", "allowed", "none"}
var contentDescriptions = [...]string{"", "Allowed (never in a response to HEAD)", "None: the response ends after its header section"}

// String returns "allowed" or "none".
func (c Content) String() string { return enumString(contentNames[:], int(c)) }

// MarshalText encodes the content rule as its String.
func (c Content) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Describe says in a few words what the content means, for people.
func (c Content) Describe() string { return enumString(contentDescriptions[:], int(c)) }

// Caching says whether a cache may store a response with the code.
type Caching int

// The caching rules of RFC 9110, section 15.1, and RFC 6585.
const (
	CachingHeuristic Caching = iota + 1 // cacheable by default, even without explicit freshness
	CachingExplicit                     // stored only when the response gives explicit freshness
	CachingNoStore                      // must not be stored by any cache
)

var cachingNames = [...]string{"", "heuristic", "explicit", "no-store"}
var cachingDescriptions = [...]string{"", "Cacheable by default, even without explicit freshness", "Stored only when the response gives explicit freshness", "Must not be stored by any cache"}

// String returns "heuristic", "explicit" or "no-store".
func (c Caching) String() string { return enumString(cachingNames[:], int(c)) }

// MarshalText encodes the caching rule as its String.
func (c Caching) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Describe says in a few words what the caching means, for people.
func (c Caching) Describe() string { return enumString(cachingDescriptions[:], int(c)) }

// Retry says whether a client may send the same request again.
type Retry int

// The retry guidance an entry gives.
const (
	RetryNotApplicable Retry = iota + 1 // the request succeeded or the response is interim
	RetryYes                            // the same request may be repeated
	RetryLater                          // repeat after a wait, honouring Retry-After
	RetryModified                       // repeat only after changing the request
	RetryNo                             // do not repeat the request
)

var retryNames = [...]string{"", "n/a", "yes", "later", "modified", "no"}
var retryDescriptions = [...]string{"", "Not applicable", "Yes: the same request may be repeated", "Later: after a wait, honouring Retry-After", "Only after changing the request", "No: do not repeat the request"}

// String returns "n/a", "yes", "later", "modified" or "no".
func (r Retry) String() string { return enumString(retryNames[:], int(r)) }

// MarshalText encodes the retry guidance as its String.
func (r Retry) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Describe says in a few words what the retry means, for people.
func (r Retry) Describe() string { return enumString(retryDescriptions[:], int(r)) }

// Level is the strength of a requirement, in the words of RFC 2119.
type Level int

// The requirement levels, strongest first.
const (
	LevelMust Level = iota + 1
	LevelMustNot
	LevelShould
	LevelShouldNot
	LevelMay
)

var levelNames = [...]string{"", "MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"}

// String returns the level as RFC 2119 writes it, such as "MUST NOT".
func (l Level) String() string { return enumString(levelNames[:], int(l)) }

// MarshalText encodes the level as its String.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Applies says when a header rule applies, in terms a program can test
// against a request and its response. HeaderRule.When says the same in words.
type Applies int

// When a header rule applies.
const (
	AppliesAlways         Applies = iota + 1 // to every response with the code
	AppliesToConnect                         // to a response to a CONNECT request
	AppliesToRangeRequest                    // to a response to a request with a Range field
	AppliesToSinglePart                      // to a partial response that sends one range
	AppliesToMultipart                       // to a partial response that sends several ranges as multipart/byteranges
	AppliesByJudgement                       // when a condition only the sender can judge holds (When names it)
	AppliesToLaterInterim                    // to an informational response after the first one with the same code to one request
	AppliesToIfRange                         // to a response to a request with an If-Range field
	AppliesToPost                            // to a response to a POST request
)

var appliesNames = [...]string{"", "always", "connect", "range-request", "single-part", "multipart", "judgement", "later-interim", "if-range", "post"}

// String returns the value as the data file spells it, such as "range-request".
func (a Applies) String() string { return enumString(appliesNames[:], int(a)) }

// MarshalText encodes the value as its String.
func (a Applies) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// DocStatus is the standing of a document a Reference cites: the category
// of an RFC (its current one, when the IESG has changed it), or the kind
// of document it is.
type DocStatus int

// The standings a document can have.
const (
	DocStandardsTrack DocStatus = iota + 1 // an RFC on the standards track (Proposed or Internet Standard, or BCP)
	DocInformational                       // an Informational RFC
	DocExperimental                        // an Experimental RFC
	DocHistoric                            // an RFC the IESG has moved to Historic
	DocInternetDraft                       // an Internet-Draft, a work in progress
	DocRegistry                            // the IANA registry itself
	DocOther                               // a vendor's document or another web page
)

var docStatusNames = [...]string{"", "standards-track", "informational", "experimental", "historic", "internet-draft", "registry", "other"}
var docStatusDescriptions = [...]string{"", "Standards Track", "Informational", "Experimental", "Historic", "Internet-Draft", "IANA registry", "Vendor or other document"}

// String returns the status as the data file spells it, such as
// "experimental".
func (s DocStatus) String() string { return enumString(docStatusNames[:], int(s)) }

// MarshalText encodes the status as its String.
func (s DocStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Describe says in a word or two what the status is, for people, such as
// "Experimental".
func (s DocStatus) Describe() string { return enumString(docStatusDescriptions[:], int(s)) }

// Required reports whether the level is MUST or MUST NOT.
func (l Level) Required() bool { return l == LevelMust || l == LevelMustNot }

func enumString(names []string, i int) string {
	if i <= 0 || i >= len(names) {
		return fmt.Sprintf("invalid(%d)", i)
	}
	return names[i]
}
