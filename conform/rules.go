package conform

import (
	"sync"

	"github.com/httpstatus/httpstatus"
)

// RuleInfo describes one rule of the checker.
type RuleInfo struct {
	ID          string   // stable and readable, such as "required-header"
	Severity    Severity // the level of every finding the rule reports
	Summary     string   // what the rule checks, in one line
	Explanation string   // why it matters, in a few sentences
	// Ref is the document that states the rule. For the rules read from
	// the registry (PerCode), each finding carries the reference of the
	// code's own entry instead, and Ref names the general section.
	Ref httpstatus.Reference
	// PerCode reports whether the requirement comes from the registry
	// entry of each status code rather than from one section of a document.
	PerCode bool
	// Probe reports whether only Probe reports the rule, because it
	// compares the answers to several requests.
	Probe bool
}

// Rule ids. They are stable: a rule may be reworded, never renamed.
const (
	RuleRequiredHeader          = "required-header"
	RuleForbiddenHeader         = "forbidden-header"
	RuleRecommendedHeader       = "recommended-header"
	RuleDiscouragedHeader       = "discouraged-header"
	RuleOptionalHeader          = "optional-header"
	RuleConditionalHeader       = "conditional-header"
	RuleContentNotAllowed       = "content-not-allowed"
	RuleHeadContent             = "head-content"
	RuleContentLengthMismatch   = "content-length-mismatch"
	RuleContentLengthInvalid    = "content-length-invalid"
	RuleTransferEncodingLength  = "transfer-encoding-with-length"
	RuleLocationInvalid         = "location-invalid"
	RuleRedirectToSelf          = "redirect-to-self"
	RuleContentRangeSyntax      = "content-range-syntax"
	RuleContentRangeForm        = "content-range-form"
	RuleContentRangeMismatch    = "content-range-mismatch"
	RuleAllowSyntax             = "allow-syntax"
	RuleAllowListsMethod        = "allow-lists-method"
	RuleWWWAuthenticateSyntax   = "www-authenticate-syntax"
	RuleProxyAuthenticateSyntax = "proxy-authenticate-syntax"
	RuleRetryAfterSyntax        = "retry-after-syntax"
	RuleDateSyntax              = "date-syntax"
	RuleDateMissing             = "date-missing"
	RuleContentTypeMissing      = "content-type-missing"
	RuleProblemStatusMismatch   = "problem-status-mismatch"
	RuleProblemMemberType       = "problem-member-type"
	RuleProblemNotObject        = "problem-not-object"
	RuleProblemTitle            = "problem-title"
	RuleInvalidCode             = "invalid-code"
	RuleUnknownCode             = "unknown-code"
	RuleUnofficialCode          = "unofficial-code"
	RuleDeprecatedCode          = "deprecated-code"
	RuleUnusedCode              = "unused-code"
	RuleTemporaryCode           = "temporary-code"
	RuleReasonPhrase            = "reason-phrase"
	RuleErrorWithoutContent     = "error-without-explanation"
	RuleStoredNoStore           = "cacheable-no-store"
	RuleStackTraceLeak          = "stack-trace-leak"

	// The status code against the request.
	RulePreconditionNotSent = "precondition-not-sent"
	RuleRangeNotSent        = "range-not-sent"
	RuleExpectNotSent       = "expect-not-sent"
	RuleContinueNotExpected = "continue-not-expected"
	RuleUpgradeNotRequested = "upgrade-not-requested"
	RuleCreatedSafeMethod   = "created-safe-method"

	// Fields.
	RuleLocationTarget         = "location-target"
	RuleContentRangeUnexpected = "content-range-unexpected"
	RuleCacheControlSyntax     = "cache-control-syntax"
	RuleCacheControlValue      = "cache-control-value"
	RuleCacheControlDuplicate  = "cache-control-duplicate"
	RuleCacheControlConflict   = "cache-control-conflict"
	RuleVarySyntax             = "vary-syntax"
	RuleVaryRedundant          = "vary-redundant"
	RuleETagSyntax             = "etag-syntax"
	RuleFieldNameSyntax        = "field-name-syntax"
	RuleSingletonRepeated      = "singleton-repeated"

	// Content.
	RuleContentCodingInvalid = "content-coding-invalid"
	RuleCharsetMismatch      = "charset-mismatch"

	// The rules of Probe, which compare the answers to several requests.
	RuleIfNoneMatchIgnored        = "if-none-match-ignored"
	RuleIfModifiedSinceIgnored    = "if-modified-since-ignored"
	RuleRangeIgnored              = "range-ignored"
	RulePartialContentBytes       = "partial-content-bytes"
	RuleRangeOtherPart            = "range-other-part"
	RuleContentRangeLength        = "content-range-length"
	RuleUnsatisfiableRangePartial = "unsatisfiable-range-partial"
	RuleMultipartInvalid          = "multipart-byteranges-invalid"
	RuleHeadStatusMismatch        = "head-status-mismatch"
	RuleHeadLengthMismatch        = "head-length-mismatch"
	RuleHeadFieldsMismatch        = "head-fields-mismatch"
	RuleVaryMissing               = "vary-missing"
	RuleNegotiationInconsistent   = "negotiation-inconsistent"
	RuleStrongETagShared          = "strong-etag-shared"
	RuleOptionsWithoutAllow       = "options-without-allow"
	RuleUnknownMethodStatus       = "unknown-method-status"
	RuleMethodOutsideAllow        = "method-outside-allow"
)

// rfc returns a reference to a section of an RFC on rfc-editor.org.
func rfc(number, section string) httpstatus.Reference {
	r := httpstatus.Reference{Document: "RFC " + number, Section: section,
		URL: "https://www.rfc-editor.org/rfc/rfc" + number + ".html"}
	if section != "" {
		r.URL += "#section-" + section
	}
	return r
}

// ruleTable is every rule, in the order of the documentation.
func ruleTable() []RuleInfo {
	return []RuleInfo{
		// Header fields the registry attaches to codes.
		{ID: RuleRequiredHeader, Severity: SeverityError, PerCode: true, Ref: rfc("9110", "15"),
			Summary:     "a header field the status code requires is missing",
			Explanation: "The registry entry of this status code lists the field as one the response must carry. Without it a client cannot act on the response as the code intends, for example it cannot learn which methods are allowed or which authentication scheme to use."},
		{ID: RuleForbiddenHeader, Severity: SeverityError, PerCode: true, Ref: rfc("9110", "15"),
			Summary:     "a header field the status code forbids is present",
			Explanation: "The registry entry of this status code lists the field as one the response must not carry. Clients and intermediaries may misread the message framing or the meaning of the response when it is there; remove it."},
		{ID: RuleRecommendedHeader, Severity: SeverityWarning, PerCode: true, Ref: rfc("9110", "15"),
			Summary:     "a header field the status code recommends is missing",
			Explanation: "The registry entry of this status code says the response should carry the field. Leaving it out is allowed only for a good reason; most clients work better, or only work as intended, when it is there."},
		{ID: RuleDiscouragedHeader, Severity: SeverityWarning, PerCode: true, Ref: rfc("9110", "15"),
			Summary:     "a header field the status code discourages is present",
			Explanation: "The registry entry of this status code says the response should not carry the field. Drop it unless there is a specific reason to keep it."},
		{ID: RuleOptionalHeader, Severity: SeverityInfo, PerCode: true, Ref: rfc("9110", "15"),
			Summary:     "a header field the status code may carry is absent",
			Explanation: "The registry entry of this status code mentions an optional field that helps clients, such as Retry-After on an overloaded server. Nothing is broken; consider sending it."},
		{ID: RuleConditionalHeader, Severity: SeverityInfo, PerCode: true, Ref: rfc("9110", "15"),
			Summary:     "a header-field rule of the status code depends on a condition the checker cannot see",
			Explanation: "The status code requires, recommends or forbids the field only in some situations, and the checker cannot tell from the response alone whether this is one of them. Check by hand whether the condition holds."},

		// Content and framing.
		{ID: RuleContentNotAllowed, Severity: SeverityError, Ref: rfc("9110", "6.4.1"),
			Summary:     "a response whose status code has no content carries content",
			Explanation: "Responses with this status code end right after the header section. Bytes sent after it are read by the client as the start of the next response on the connection, which corrupts it, or are silently dropped. Send no content, and no Content-Length other than one the code allows."},
		{ID: RuleHeadContent, Severity: SeverityError, Ref: rfc("9110", "9.3.2"),
			Summary:     "a response to HEAD carries content",
			Explanation: "A response to HEAD has the header section a GET would get, and never any content. A client does not read content after it, so the bytes end up parsed as the next response."},
		{ID: RuleContentLengthMismatch, Severity: SeverityError, Ref: rfc("9112", "6.3"),
			Summary:     "Content-Length does not match the length of the content",
			Explanation: "Content-Length tells the client where the message ends. When it is larger than the content, the client waits for bytes that never come, or reports a truncated message; when it is smaller, the rest is read as the next response. Let the server compute the length, or send exactly as many bytes as declared."},
		{ID: RuleContentLengthInvalid, Severity: SeverityError, Ref: rfc("9110", "8.6"),
			Summary:     "Content-Length is not a single decimal number",
			Explanation: "The value must be one non-negative decimal integer. A list, a sign, spaces inside the number or two different values leave the message length ambiguous, and proxies may split the stream differently from the client, which is how request smuggling starts."},
		{ID: RuleTransferEncodingLength, Severity: SeverityError, Ref: rfc("9112", "6.2"),
			Summary:     "both Transfer-Encoding and Content-Length are present",
			Explanation: "When a message is sent with a transfer coding its length comes from the coding, and Content-Length must be absent. Sending both invites two parties on the path to disagree on where the message ends."},
		{ID: RuleContentTypeMissing, Severity: SeverityWarning, Ref: rfc("9110", "8.3"),
			Summary:     "content is sent without Content-Type",
			Explanation: "Without a media type the client has to guess what the bytes are, and guessing (sniffing) has led to security holes. Label every response that has content."},

		// Location.
		{ID: RuleLocationInvalid, Severity: SeverityError, Ref: rfc("9110", "10.2.2"),
			Summary:     "Location is not one valid URI reference",
			Explanation: "Location must hold exactly one URI reference: an absolute URI or a relative one, with characters outside the URI set percent-encoded. Clients handle spaces, raw non-ASCII text or a list of values differently, so the redirect or the link to the new resource may go nowhere."},
		{ID: RuleRedirectToSelf, Severity: SeverityWarning, Ref: rfc("9110", "15.4"),
			Summary:     "a redirect points at the URI that was requested",
			Explanation: "Following the redirect sends the same request again, which gets the same answer, and the client loops until its redirect limit. Point Location at a different URI."},

		// Content-Range.
		{ID: RuleContentRangeSyntax, Severity: SeverityError, Ref: rfc("9110", "14.4"),
			Summary:     "Content-Range is malformed or describes an impossible range",
			Explanation: "The value is a range unit, a space, and either first-last/length or */length, with the last position not below the first and the length above the last position. A client that cannot parse it cannot place the bytes it received."},
		{ID: RuleContentRangeForm, Severity: SeverityWarning, Ref: rfc("9110", "14.4"),
			Summary:     "Content-Range uses the wrong form for the status code",
			Explanation: "A 416 response says no part of the range could be served and carries only the current length, as bytes */LENGTH; a 206 response carries the part it sends, as bytes FIRST-LAST/LENGTH. The other form leaves the client unable to use the response."},
		{ID: RuleContentRangeMismatch, Severity: SeverityWarning, Ref: rfc("9110", "15.3.7"),
			Summary:     "the content of a partial response is not as long as its Content-Range says",
			Explanation: "The part sent must be exactly the range named in Content-Range. A client that assembles a file from ranges will otherwise write the bytes in the wrong place."},

		// Other header syntax.
		{ID: RuleAllowSyntax, Severity: SeverityError, Ref: rfc("9110", "10.2.1"),
			Summary:     "Allow is not a comma-separated list of method names",
			Explanation: "Allow lists method names, which are tokens, separated by commas; an empty value means no method is allowed. Clients and tools that read it to offer the right method cannot parse other text."},
		{ID: RuleAllowListsMethod, Severity: SeverityWarning, Ref: rfc("9110", "15.5.6"),
			Summary:     "a 405 response lists the rejected method in Allow",
			Explanation: "The response refuses the method of the request yet claims the resource supports it. The client cannot tell which of the two to believe; the list should hold only the methods that would work."},
		{ID: RuleWWWAuthenticateSyntax, Severity: SeverityError, Ref: rfc("9110", "11.6.1"),
			Summary:     "WWW-Authenticate does not hold valid challenges",
			Explanation: "Each challenge is a scheme name optionally followed by either one token68 or a comma-separated list of name=value parameters, with values as tokens or quoted strings. A client that cannot parse the challenge cannot authenticate."},
		{ID: RuleProxyAuthenticateSyntax, Severity: SeverityError, Ref: rfc("9110", "11.7.1"),
			Summary:     "Proxy-Authenticate does not hold valid challenges",
			Explanation: "The field has the same syntax as WWW-Authenticate: one or more challenges, each a scheme name with a token68 or name=value parameters. A client that cannot parse it cannot authenticate to the proxy."},
		{ID: RuleRetryAfterSyntax, Severity: SeverityError, Ref: rfc("9110", "10.2.3"),
			Summary:     "Retry-After is neither a number of seconds nor an HTTP date",
			Explanation: "The value is either a whole number of seconds or a date in the fixed form \"Sun, 06 Nov 1994 08:49:37 GMT\". Fractions, units, other date styles and negative numbers make clients ignore the hint or retry at once."},
		{ID: RuleDateSyntax, Severity: SeverityError, Ref: rfc("9110", "5.6.7"),
			Summary:     "a date field is not in the fixed HTTP date format",
			Explanation: "Date and Last-Modified, like every HTTP date a sender generates, must use the form \"Sun, 06 Nov 1994 08:49:37 GMT\": English day and month names, two-digit day, 24-hour time and GMT. Caches compare these dates; another format may be misread or ignored."},
		{ID: RuleDateMissing, Severity: SeverityWarning, Ref: rfc("9110", "6.6.1"),
			Summary:     "a 2xx, 3xx or 4xx response has no Date",
			Explanation: "An origin server with a clock is required to date its 2xx, 3xx and 4xx responses, and caches use the date to compute the age of what they store. Only servers without a usable clock may leave it out, so the checker warns rather than fails."},
		{ID: RuleStoredNoStore, Severity: SeverityWarning, Ref: rfc("9111", "3"),
			Summary:     "a response whose status code must not be stored invites caching",
			Explanation: "Caches must not store responses with this status code, yet the response sends explicit freshness (max-age, s-maxage, public or Expires). The directives are contradictory at best; drop them or send no-store."},

		// Problem details.
		{ID: RuleProblemStatusMismatch, Severity: SeverityError, Ref: rfc("9457", "3.1.2"),
			Summary:     "the status member of a problem document differs from the response's status code",
			Explanation: "The status member only repeats the real status code, for readers who see the document without the response. When the two differ, the client cannot know which one is true; generate both from the same value."},
		{ID: RuleProblemMemberType, Severity: SeverityWarning, Ref: rfc("9457", "3.1"),
			Summary:     "a member of a problem document has the wrong type",
			Explanation: "type, title, detail and instance are strings, type and instance hold URI references, and status is an integer. Clients ignore a member of the wrong type, so the information it carried is lost."},
		{ID: RuleProblemNotObject, Severity: SeverityWarning, Ref: rfc("9457", "3"),
			Summary:     "content labelled application/problem+json is not a JSON object",
			Explanation: "A problem document is a single JSON object. Content that does not parse, or parses to an array or a bare value, breaks every client that trusts the media type."},
		{ID: RuleProblemTitle, Severity: SeverityWarning, Ref: rfc("9457", "4.2.1"),
			Summary:     "a problem of type about:blank has a title other than the status phrase",
			Explanation: "about:blank says the problem means no more than its status code, so its title is expected to be that code's phrase. Use a type URI of your own when the problem is more specific than the code."},

		// The status code itself.
		{ID: RuleInvalidCode, Severity: SeverityError, Ref: rfc("9110", "15"),
			Summary:     "the status code is outside 100 to 599",
			Explanation: "HTTP status codes are three-digit numbers from 100 to 599. Clients reject other values or treat them as a generic failure."},
		{ID: RuleUnknownCode, Severity: SeverityWarning, Ref: httpstatus.Reference{Document: "IANA HTTP Status Code Registry", URL: "https://www.iana.org/assignments/http-status-codes/"},
			Summary:     "the status code is neither registered nor a known vendor code",
			Explanation: "A client that does not know a code treats it as the x00 code of its class, so whatever the number was meant to say is lost. Use a registered code, and put the detail in the content."},
		{ID: RuleUnofficialCode, Severity: SeverityWarning, Ref: httpstatus.Reference{Document: "IANA HTTP Status Code Registry", URL: "https://www.iana.org/assignments/http-status-codes/"},
			Summary:     "the status code is a vendor's, not registered with IANA",
			Explanation: "Only the vendor's own software gives this code a meaning; other clients and proxies treat it as the x00 code of its class. Prefer a registered code unless every client is the vendor's."},
		{ID: RuleDeprecatedCode, Severity: SeverityWarning, Ref: httpstatus.Reference{Document: "IANA HTTP Status Code Registry", URL: "https://www.iana.org/assignments/http-status-codes/"},
			Summary:     "the status code is deprecated or obsoleted",
			Explanation: "The document that defined the code, or IANA, has withdrawn it, usually because clients did not or could not implement it safely. Use the code that replaced it."},
		{ID: RuleUnusedCode, Severity: SeverityWarning, Ref: httpstatus.Reference{Document: "IANA HTTP Status Code Registry", URL: "https://www.iana.org/assignments/http-status-codes/"},
			Summary:     "the status code is reserved and unused",
			Explanation: "IANA keeps the number so that no one gives it a new meaning; it has no defined meaning today. Clients treat it as the x00 code of its class."},
		{ID: RuleTemporaryCode, Severity: SeverityInfo, Ref: httpstatus.Reference{Document: "IANA HTTP Status Code Registry", URL: "https://www.iana.org/assignments/http-status-codes/"},
			Summary:     "the status code has only a temporary registration",
			Explanation: "The code is registered for an Internet-Draft and lapses unless the draft advances. Its meaning may still change, and clients may not know it."},
		{ID: RuleReasonPhrase, Severity: SeverityInfo, Ref: rfc("9112", "4"),
			Summary:     "the reason phrase names a different status code",
			Explanation: "Clients ignore the reason phrase, but people read it in logs and tools. A phrase that names another code suggests the status was set by mistake or the phrase was copied without care."},
		{ID: RuleErrorWithoutContent, Severity: SeverityWarning, Ref: rfc("9110", "15.5"),
			Summary:     "an error response carries no explanation",
			Explanation: "Except in answer to HEAD, a 4xx or 5xx response is expected to carry content that explains the error and says whether it is temporary. A problem-details document is a good way to do it."},
		{ID: RuleStackTraceLeak, Severity: SeverityWarning, Ref: httpstatus.Reference{Document: "OWASP Top 10 (2021)", Section: "A05 Security Misconfiguration", URL: "https://owasp.org/Top10/A05_2021-Security_Misconfiguration/"},
			Summary:     "an error response leaks a panic message or stack trace",
			Explanation: "A stack trace tells an attacker the language, libraries, file layout and code paths of the server, and it helps no legitimate client. Log it on the server and send a short explanation instead."},

		// The status code against the request; they need the request.
		{ID: RulePreconditionNotSent, Severity: SeverityWarning, Ref: rfc("9110", "15.5.13"),
			Summary:     "a 412 answers a request that carries no precondition",
			Explanation: "412 Precondition Failed says that a condition the client put in If-Match, If-None-Match, If-Modified-Since or If-Unmodified-Since was false. Without one, the client has nothing to correct; use the status code that names the real problem, such as 409 or 428."},
		{ID: RuleRangeNotSent, Severity: SeverityWarning, Ref: rfc("9110", "14.2"),
			Summary:     "a 206 or 416 answers a request that has no Range",
			Explanation: "Partial content and Range Not Satisfiable only make sense for a client that asked for part of the representation. A client that asked for the whole gets a fragment it did not request, or an error about a range it never sent."},
		{ID: RuleExpectNotSent, Severity: SeverityWarning, Ref: rfc("9110", "15.5.18"),
			Summary:     "a 417 answers a request that has no Expect",
			Explanation: "417 Expectation Failed says the server cannot meet what the request's Expect field asked. Sent to a request without one, it tells the client to drop something it never sent."},
		{ID: RuleContinueNotExpected, Severity: SeverityInfo, Ref: rfc("9110", "10.1.1"),
			Summary:     "a 100 Continue answers a request that did not send Expect: 100-continue",
			Explanation: "The server tells the client to go on sending content it was not holding back. Clients have to cope with an unexpected 1xx response, but it costs a round of parsing for nothing and confuses some older ones."},
		{ID: RuleUpgradeNotRequested, Severity: SeverityError, Ref: rfc("9110", "7.8"),
			Summary:     "a 101 switches to a protocol the request did not offer in Upgrade",
			Explanation: "A server may only switch to one of the protocols the client listed in its Upgrade field. A client that did not offer the protocol cannot speak it, and the connection is lost."},
		{ID: RuleCreatedSafeMethod, Severity: SeverityWarning, Ref: rfc("9110", "9.2.1"),
			Summary:     "a 201 answers a safe method",
			Explanation: "201 Created says the request made a new resource, but GET, HEAD, OPTIONS and TRACE are safe: a client, a crawler or a prefetching browser may send them at any time and expects them to change nothing. Create resources with POST or PUT, and answer a GET with 200."},

		// More fields.
		{ID: RuleLocationTarget, Severity: SeverityWarning, Ref: rfc("9110", "10.2.2"),
			Summary:     "a redirect leads to a URI a client cannot or should not follow",
			Explanation: "The Location of a redirect, resolved against the URI requested, should be an http or https URI with a host. A redirect from https to http sends the client's next request, with its cookies and credentials, unencrypted; a redirect to another scheme is not followed by most clients."},
		{ID: RuleContentRangeUnexpected, Severity: SeverityInfo, Ref: rfc("9110", "14.4"),
			Summary:     "Content-Range appears on a status code that gives it no meaning",
			Explanation: "Content-Range describes the part sent in a 206 or the current length in a 416. On other responses, a 200 for example, clients ignore it, and a cache or download manager that does not may misplace the content."},
		{ID: RuleCacheControlSyntax, Severity: SeverityError, Ref: rfc("9111", "5.2"),
			Summary:     "Cache-Control is not a list of directives",
			Explanation: "Cache-Control holds comma-separated directives, each a token with an optional token or quoted-string argument after '='. Caches that cannot parse the field may ignore all of it, and then store or reuse the response against the sender's intent."},
		{ID: RuleCacheControlValue, Severity: SeverityError, Ref: rfc("9111", "1.2.2"),
			Summary:     "a Cache-Control directive has the wrong argument",
			Explanation: "max-age, s-maxage, stale-while-revalidate and stale-if-error take a whole number of seconds in the unquoted form, and no-store, public, must-revalidate, immutable and the like take no argument. A cache that meets a wrong argument may treat the response as stale or ignore the directive."},
		{ID: RuleCacheControlDuplicate, Severity: SeverityWarning, Ref: rfc("9111", "4.2.1"),
			Summary:     "Cache-Control repeats a directive",
			Explanation: "When a directive appears twice, caches either use the first one or treat the response as stale, so the second copy changes nothing or makes caching fail. Send each directive once."},
		{ID: RuleCacheControlConflict, Severity: SeverityWarning, Ref: rfc("9111", "5.2.2"),
			Summary:     "Cache-Control combines directives that contradict each other",
			Explanation: "public and private, private and s-maxage, or no-store with a positive max-age, s-maxage, public or immutable ask caches for two opposite things. Each cache resolves the conflict its own way, usually by the stricter directive; say what you mean once."},
		{ID: RuleVarySyntax, Severity: SeverityError, Ref: rfc("9110", "12.5.5"),
			Summary:     "a Vary member is neither a field name nor \"*\"",
			Explanation: "Vary lists the request fields that select the representation, by name, or holds \"*\". A cache that cannot read a member cannot tell which stored response fits which request, and may give one client's variant to another."},
		{ID: RuleVaryRedundant, Severity: SeverityInfo, Ref: rfc("9110", "12.5.5"),
			Summary:     "Vary repeats a member or lists \"*\" with field names",
			Explanation: "A repeated member adds nothing, and \"*\" already says the response varies on more than request fields, which makes the names beside it pointless. Nothing breaks, but the field may not say what was meant."},
		{ID: RuleETagSyntax, Severity: SeverityError, Ref: rfc("9110", "8.8.3"),
			Summary:     "ETag is not a quoted entity tag",
			Explanation: "An entity tag is a string in double quotes, optionally after W/ for a weak one, such as \"v1\" or W/\"v1\". A client that cannot parse it cannot send it back in If-None-Match or If-Match, and caches cannot revalidate."},
		{ID: RuleFieldNameSyntax, Severity: SeverityError, Ref: rfc("9110", "5.1"),
			Summary:     "a field name is not a token",
			Explanation: "Field names are tokens: letters, digits and a few symbols, with no white space, not even before the colon. Intermediaries reject or rewrite such a message, and parsers that disagree about where the name ends open the way to smuggling attacks."},
		{ID: RuleSingletonRepeated, Severity: SeverityError, Ref: rfc("9110", "5.3"),
			Summary:     "a field that takes one value appears more than once",
			Explanation: "A sender may only repeat a field whose value is a comma-separated list. Content-Type, ETag, Expires, Age, Content-Location and the CORS fields take one value, and recipients that pick different copies disagree about the message."},

		// Content.
		{ID: RuleContentCodingInvalid, Severity: SeverityError, Ref: rfc("9110", "8.4.1"),
			Summary:     "the content does not decode with the content coding it is labelled with",
			Explanation: "Content-Encoding names the codings applied to the content, so that the client can undo them. Content labelled gzip or deflate that does not decompress (deflate meaning the zlib format) is unusable, and browsers show an error page instead. The checker decodes gzip and deflate; it cannot decode br or zstd with the standard library, and leaves them unchecked."},
		{ID: RuleCharsetMismatch, Severity: SeverityWarning, Ref: rfc("9110", "8.3.2"),
			Summary:     "the content's bytes do not fit the charset its Content-Type declares",
			Explanation: "A client decodes the text with the charset that Content-Type names. Bytes that are not valid UTF-8 under charset=utf-8, or not ASCII under us-ascii, turn into replacement characters or garbled text; declare the charset the content is really written in."},

		// Probes: follow-up requests compared with the first answer.
		{ID: RuleIfNoneMatchIgnored, Severity: SeverityError, Probe: true, Ref: rfc("9110", "13.1.2"),
			Summary:     "a GET whose If-None-Match names the current ETag does not get 304",
			Explanation: "When the entity tag a client holds still matches, the origin server must not send the representation again: a GET or HEAD gets 304 Not Modified. A server that answers 200 makes every revalidation a full download, and one that answers another status breaks the client's cache."},
		{ID: RuleIfModifiedSinceIgnored, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "13.1.3"),
			Summary:     "a GET whose If-Modified-Since is the current Last-Modified does not get 304",
			Explanation: "A resource that has not changed since the date the client gives should be answered with 304 Not Modified instead of the whole content. Caches and browsers revalidate with this field when there is no ETag, so ignoring it costs every client a full download."},
		{ID: RuleRangeIgnored, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "14.3"),
			Summary:     "a resource that advertises Accept-Ranges: bytes ignores a byte range",
			Explanation: "Accept-Ranges: bytes tells clients they can resume downloads and fetch parts. A server may ignore Range, but then it should not advertise support: clients that trust it download the whole content again on every resume."},
		{ID: RulePartialContentBytes, Severity: SeverityError, Probe: true, Ref: rfc("9110", "15.3.7"),
			Summary:     "a partial response sends other bytes than those its Content-Range names",
			Explanation: "The part of a 206 response must be exactly the bytes of the selected representation at the positions Content-Range states. A client that writes them there corrupts its copy, and nothing tells it so."},
		{ID: RuleRangeOtherPart, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "14.2"),
			Summary:     "a partial response sends a range that does not cover the one asked for",
			Explanation: "A server may merge or reorder the ranges it was asked for, but the part it sends should contain what the client asked; otherwise the client has to ask again, and some clients give up."},
		{ID: RuleContentRangeLength, Severity: SeverityError, Probe: true, Ref: rfc("9110", "14.4"),
			Summary:     "the complete length in Content-Range is not the length of the content",
			Explanation: "The number after the slash is the current length of the whole selected representation. Clients use it to size the file they assemble from parts and to know when they have all of it; a wrong number truncates or pads the result."},
		{ID: RuleUnsatisfiableRangePartial, Severity: SeverityError, Probe: true, Ref: rfc("9110", "15.5.17"),
			Summary:     "a range past the end of the content gets 206",
			Explanation: "No byte of a range that starts at or after the end of the content exists, so there is nothing a 206 could carry. The server answers 416 Range Not Satisfiable, with Content-Range: bytes */LENGTH, or ignores the Range and sends 200."},
		{ID: RuleMultipartInvalid, Severity: SeverityError, Probe: true, Ref: rfc("9110", "14.6"),
			Summary:     "a multipart/byteranges response does not parse into parts with Content-Range",
			Explanation: "An answer to several ranges at once is a multipart/byteranges document: a boundary parameter, and parts that each carry a Content-Range and the bytes it names. A client that cannot split it cannot use any of the parts."},
		{ID: RuleHeadStatusMismatch, Severity: SeverityError, Probe: true, Ref: rfc("9110", "9.3.2"),
			Summary:     "HEAD gets another status code than GET",
			Explanation: "HEAD is GET without the content: the answer is the same, status code included. Clients and crawlers use HEAD to learn whether a resource exists or has changed before fetching it, so a different status misleads them."},
		{ID: RuleHeadLengthMismatch, Severity: SeverityError, Probe: true, Ref: rfc("9110", "8.6"),
			Summary:     "Content-Length on a HEAD response is not the length of the GET content",
			Explanation: "A response to HEAD may leave Content-Length out, but when it sends one it must be the number of bytes a GET would get. Download managers and caches size their buffers and progress bars from it."},
		{ID: RuleHeadFieldsMismatch, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "9.3.2"),
			Summary:     "a HEAD response lacks or changes header fields of the GET response",
			Explanation: "The server should send the same header fields for HEAD as for GET, only without content. A client that checks Content-Type, ETag or Last-Modified with HEAD before downloading decides on wrong information otherwise."},
		{ID: RuleVaryMissing, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "12.5.5"),
			Summary:     "the response depends on a request field that Vary does not list",
			Explanation: "When the representation sent depends on a request field, such as Accept-Encoding, Vary must name it; otherwise a shared cache stores one answer and gives it to every client, for example gzip content to a client that cannot decode it."},
		{ID: RuleNegotiationInconsistent, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "12.5.3"),
			Summary:     "another Accept-Encoding changes the status code, the validators or Vary",
			Explanation: "Asking for another content coding should change at most the coding: a server that cannot offer it sends the identity coding. A different status, a validator present in one answer only, or a different Vary breaks caches that hold both."},
		{ID: RuleStrongETagShared, Severity: SeverityError, Probe: true, Ref: rfc("9110", "8.8.3.3"),
			Summary:     "one strong ETag names two different contents",
			Explanation: "A strong entity tag changes whenever the bytes of the representation change, content coding included, because caches and range requests rely on it to combine bytes. Give each coding its own tag (for example a suffix), or use a weak tag."},
		{ID: RuleOptionsWithoutAllow, Severity: SeverityInfo, Probe: true, Ref: rfc("9110", "9.3.7"),
			Summary:     "a successful OPTIONS response does not say which methods work",
			Explanation: "OPTIONS asks what the resource supports. Allow is the usual way to answer; without it a client learns nothing from the request."},
		{ID: RuleUnknownMethodStatus, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "9.1"),
			Summary:     "a method no server implements gets neither 501 nor 405",
			Explanation: "A server that does not recognise a method should answer 501 Not Implemented, and one that knows it but not for this resource 405 Method Not Allowed with Allow. Treating it as GET, or answering 400 or 404, hides the mistake from the client."},
		{ID: RuleMethodOutsideAllow, Severity: SeverityWarning, Probe: true, Ref: rfc("9110", "9.1"),
			Summary:     "a method that Allow leaves out succeeds",
			Explanation: "Allow lists the methods the resource supports, and a method it leaves out should be refused with 405. When it works anyway, Allow is wrong, and clients and security reviews that trust it are misled."},
	}
}

// Rules returns every rule the checker applies, in the order of the
// documentation. The caller may modify the returned slice.
func Rules() []RuleInfo { return ruleTable() }

// ruleSet indexes the rule table by id.
type ruleSet map[string]RuleInfo

// ruleIndex returns the rule table indexed by id, built on first use and
// shared by every check; it is never modified.
var ruleIndex = sync.OnceValue(func() ruleSet {
	set := make(ruleSet)
	for _, r := range ruleTable() {
		set[r.ID] = r
	}
	return set
})
