package conform

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
)

// fakeCode is a code the test registry gives one header rule of each level.
const fakeCode = 590

// testChecker returns a checker whose registry knows fakeCode besides the
// real codes, so that every kind of header rule can be exercised whatever
// the real data holds.
func testChecker() *checker {
	fake := &httpstatus.Entry{
		Code: fakeCode, Phrase: "Fake Rules", Class: httpstatus.ClassServerError, Origin: httpstatus.OriginIANA,
		State: httpstatus.StateStandard, Content: httpstatus.ContentAllowed, Caching: httpstatus.CachingExplicit,
		Ref: httpstatus.Reference{Document: "Test", URL: "https://example.com/test"},
		Headers: []httpstatus.HeaderRule{
			{Field: "X-Needed", Level: httpstatus.LevelMust, Applies: httpstatus.AppliesAlways, When: "always", Ref: httpstatus.Reference{Document: "Test", Section: "1"}},
			{Field: "X-Banned", Level: httpstatus.LevelMustNot, Applies: httpstatus.AppliesAlways, When: "always", Ref: httpstatus.Reference{Document: "Test", Section: "2"}},
			{Field: "X-Wanted", Level: httpstatus.LevelShould, Applies: httpstatus.AppliesAlways, When: "always", Ref: httpstatus.Reference{Document: "Test", Section: "3"}},
			{Field: "X-Unwanted", Level: httpstatus.LevelShouldNot, Applies: httpstatus.AppliesAlways, When: "always", Ref: httpstatus.Reference{Document: "Test", Section: "4"}},
			{Field: "X-Maybe", Level: httpstatus.LevelMay, Applies: httpstatus.AppliesByJudgement, When: "to help clients", Ref: httpstatus.Reference{Document: "Test", Section: "5"}},
			{Field: "X-Cond", Level: httpstatus.LevelMust, Applies: httpstatus.AppliesByJudgement, When: "when the moon is full", Ref: httpstatus.Reference{Document: "Test", Section: "6"}},
		},
	}
	c := newChecker()
	c.lookup = func(code int) (*httpstatus.Entry, bool) {
		if code == fakeCode {
			return fake, true
		}
		return httpstatus.Lookup(code)
	}
	return c
}

// A ruleCase is a response that breaks a rule and one that does not.
type ruleCase struct {
	id        string
	method    string // the request method; empty for no request
	url       string // the request URL, when it matters
	reqHeader string // a request header line, when it matters
	goodReq   string // the request header line of the good response, when it differs
	bad, good string // raw responses; "\n" becomes CRLF
}

const (
	date     = "Date: Mon, 02 Jan 2006 15:04:05 GMT\n"
	text     = "Content-Type: text/plain\n"
	dateText = date + text
	fakeOK   = "HTTP/1.1 590 Fake Rules\n" + dateText + "X-Needed: 1\nX-Wanted: 1\nX-Maybe: 1\nX-Cond: 1\n"
	problem  = "Content-Type: application/problem+json\n" + date
	// not304Fields are the fields a 304 must repeat from its 200.
	not304Fields = "ETag: \"v1\"\nContent-Location: /a\nVary: Accept\nCache-Control: max-age=60\nExpires: Mon, 02 Jan 2006 15:05:05 GMT\n"
)

var ruleCases = []ruleCase{
	{id: RuleRequiredHeader,
		bad:  "HTTP/1.1 590 Fake Rules\n" + dateText + "X-Wanted: 1\nX-Maybe: 1\nX-Cond: 1\nContent-Length: 2\n\nno",
		good: fakeOK + "Content-Length: 2\n\nok"},
	{id: RuleRequiredHeader,
		bad:  "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Allow: GET, HEAD\nContent-Length: 2\n\nno"},
	{id: RuleForbiddenHeader,
		bad:  fakeOK + "X-Banned: 1\nContent-Length: 2\n\nok",
		good: fakeOK + "Content-Length: 2\n\nok"},
	{id: RuleForbiddenHeader,
		bad:  "HTTP/1.1 204 No Content\n" + date + "Content-Length: 0\n\n",
		good: "HTTP/1.1 204 No Content\n" + date + "\n"},
	{id: RuleRequiredHeader,
		bad:  "HTTP/1.1 426 Upgrade Required\n" + dateText + "Upgrade: TLS/1.3\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 426 Upgrade Required\n" + dateText + "Upgrade: TLS/1.3\nConnection: upgrade\nContent-Length: 2\n\nno"},
	// Location belongs in the first 104 to a request, and in no later one.
	{id: RuleForbiddenHeader,
		bad: "HTTP/1.1 104 Upload Resumption Supported\nUpload-Draft-Interop-Version: 6\nLocation: /upload/1\n\n" +
			"HTTP/1.1 104 Upload Resumption Supported\nUpload-Draft-Interop-Version: 6\nLocation: /upload/1\n\n" +
			"HTTP/1.1 201 Created\n" + dateText + "Location: /upload/1\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 104 Upload Resumption Supported\nUpload-Draft-Interop-Version: 6\nLocation: /upload/1\n\n" +
			"HTTP/1.1 104 Upload Resumption Supported\nUpload-Draft-Interop-Version: 6\n\n" +
			"HTTP/1.1 201 Created\n" + dateText + "Location: /upload/1\nContent-Length: 2\n\nok"},
	{id: RuleRecommendedHeader, method: http.MethodPost,
		bad:  "HTTP/1.1 201 Created\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 201 Created\n" + dateText + "Location: /items/1\nContent-Length: 2\n\nok"},
	{id: RuleRecommendedHeader,
		bad:  "HTTP/1.1 590 Fake Rules\n" + dateText + "X-Needed: 1\nX-Maybe: 1\nX-Cond: 1\nContent-Length: 2\n\nok",
		good: fakeOK + "Content-Length: 2\n\nok"},
	{id: RuleRecommendedHeader,
		bad:  "HTTP/1.1 301 Moved Permanently\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 301 Moved Permanently\n" + dateText + "Location: /new\nContent-Length: 2\n\nok"},
	{id: RuleRecommendedHeader, method: http.MethodGet, reqHeader: "Range: bytes=100-",
		bad:  "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Length: 2\n\nno"},
	{id: RuleContentRangeSyntax,
		bad:  "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Range: bytes */10\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Length: 2\n\nno"},
	{id: RuleDiscouragedHeader,
		bad:  fakeOK + "X-Unwanted: 1\nContent-Length: 2\n\nok",
		good: fakeOK + "Content-Length: 2\n\nok"},
	{id: RuleDiscouragedHeader,
		bad:  "HTTP/1.1 511 Network Authentication Required\n" + dateText + "WWW-Authenticate: Basic realm=\"wifi\"\nContent-Length: 5\n\nlogin",
		good: "HTTP/1.1 511 Network Authentication Required\n" + dateText + "Content-Length: 5\n\nlogin"},
	{id: RuleDiscouragedHeader, method: http.MethodGet, reqHeader: "If-Range: \"v1\"",
		bad:  "HTTP/1.1 206 Partial Content\n" + dateText + "ETag: \"v1\"\nLast-Modified: Mon, 02 Jan 2006 15:04:05 GMT\nContent-Range: bytes 0-1/10\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 206 Partial Content\n" + dateText + "ETag: \"v1\"\nContent-Range: bytes 0-1/10\nContent-Length: 2\n\nok"},
	{id: RuleOptionalHeader,
		bad:  "HTTP/1.1 590 Fake Rules\n" + dateText + "X-Needed: 1\nX-Wanted: 1\nX-Cond: 1\nContent-Length: 2\n\nok",
		good: fakeOK + "Content-Length: 2\n\nok"},
	{id: RuleOptionalHeader,
		bad:  "HTTP/1.1 503 Service Unavailable\n" + dateText + "Content-Length: 4\n\nbusy",
		good: "HTTP/1.1 503 Service Unavailable\n" + dateText + "Retry-After: 30\nContent-Length: 4\n\nbusy"},
	{id: RuleConditionalHeader,
		bad:  "HTTP/1.1 590 Fake Rules\n" + dateText + "X-Needed: 1\nX-Wanted: 1\nX-Maybe: 1\nContent-Length: 2\n\nok",
		good: fakeOK + "Content-Length: 2\n\nok"},
	{id: RuleConditionalHeader,
		bad:  "HTTP/1.1 413 Content Too Large\n" + dateText + "Content-Length: 3\n\nbig",
		good: "HTTP/1.1 413 Content Too Large\n" + dateText + "Retry-After: 60\nContent-Length: 3\n\nbig"},
	{id: RuleContentNotAllowed,
		bad:  "HTTP/1.1 204 No Content\n" + date + "\nleftover",
		good: "HTTP/1.1 204 No Content\n" + date + "\n\n"},
	{id: RuleContentNotAllowed,
		bad:  "HTTP/1.1 205 Reset Content\n" + date + "Content-Length: 5\n\nreset",
		good: "HTTP/1.1 205 Reset Content\n" + date + "Content-Length: 0\n\n"},
	{id: RuleContentNotAllowed,
		bad:  "HTTP/1.1 100 Continue\n\nsurprise\nHTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleHeadContent, method: http.MethodHead,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5\n\n"},
	{id: RuleContentLengthMismatch,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 10\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5\n\nhello"},
	{id: RuleContentLengthMismatch,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 3\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5\n\nhello\n"},
	{id: RuleContentLengthInvalid,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5, 5\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5\n\nhello"},
	{id: RuleContentLengthInvalid,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Length: +5\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "\nhello"},
	{id: RuleTransferEncodingLength,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Transfer-Encoding: chunked\nContent-Length: 5\n\n5\nhello\n0\n\n",
		good: "HTTP/1.1 200 OK\n" + dateText + "Transfer-Encoding: chunked\n\n5\nhello\n0\n\n"},
	{id: RuleContentTypeMissing,
		bad:  "HTTP/1.1 200 OK\n" + date + "Content-Length: 5\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 5\n\nhello"},
	{id: RuleLocationInvalid,
		bad:  "HTTP/1.1 302 Found\n" + dateText + "Location: /a b\nContent-Length: 0\n\n",
		good: "HTTP/1.1 302 Found\n" + dateText + "Location: /a%20b\nContent-Length: 0\n\n"},
	{id: RuleLocationInvalid,
		bad:  "HTTP/1.1 201 Created\n" + dateText + "Location: /a\nLocation: /b\nContent-Length: 0\n\n",
		good: "HTTP/1.1 201 Created\n" + dateText + "Location: https://example.com/a?b=c#d\nContent-Length: 0\n\n"},
	{id: RuleLocationInvalid,
		bad:  "HTTP/1.1 307 Temporary Redirect\n" + dateText + "Location: http://[::1/x\nContent-Length: 0\n\n",
		good: "HTTP/1.1 307 Temporary Redirect\n" + dateText + "Location: http://[::1]/x\nContent-Length: 0\n\n"},
	{id: RuleRedirectToSelf, method: http.MethodGet, url: "https://example.com/a?x=1",
		bad:  "HTTP/1.1 302 Found\n" + dateText + "Location: /a?x=1\nContent-Length: 0\n\n",
		good: "HTTP/1.1 302 Found\n" + dateText + "Location: /a?x=2\nContent-Length: 0\n\n"},
	{id: RuleContentRangeSyntax,
		bad:  "HTTP/1.1 206 Partial Content\n" + dateText + "Content-Range: bytes 5-3/10\nContent-Length: 3\n\nabc",
		good: "HTTP/1.1 206 Partial Content\n" + dateText + "Content-Range: bytes 3-5/10\nContent-Length: 3\n\nabc"},
	{id: RuleContentRangeSyntax,
		bad:  "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */ten\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Length: 2\n\nno"},
	{id: RuleContentRangeForm,
		bad:  "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes 0-1/10\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Length: 2\n\nno"},
	{id: RuleContentRangeMismatch,
		bad:  "HTTP/1.1 206 Partial Content\n" + dateText + "Content-Range: bytes 0-9/100\nContent-Length: 3\n\nabc",
		good: "HTTP/1.1 206 Partial Content\n" + dateText + "Content-Range: bytes 0-2/100\nContent-Length: 3\n\nabc"},
	{id: RuleAllowSyntax,
		bad:  "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Allow: GET POST\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Allow: GET, POST\nContent-Length: 2\n\nno"},
	{id: RuleAllowSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Allow: GET,,POST\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Allow:\nContent-Length: 2\n\nno"},
	{id: RuleAllowListsMethod, method: http.MethodDelete,
		bad:  "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Allow: GET, DELETE\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 405 Method Not Allowed\n" + dateText + "Allow: GET, HEAD\nContent-Length: 2\n\nno"},
	{id: RuleWWWAuthenticateSyntax,
		bad:  "HTTP/1.1 401 Unauthorized\n" + dateText + "WWW-Authenticate: Basic realm=\"api\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 401 Unauthorized\n" + dateText + "WWW-Authenticate: Basic realm=\"api\", charset=\"UTF-8\", Bearer\nContent-Length: 2\n\nno"},
	{id: RuleWWWAuthenticateSyntax,
		bad:  "HTTP/1.1 401 Unauthorized\n" + dateText + "WWW-Authenticate: \nContent-Length: 2\n\nno",
		good: "HTTP/1.1 401 Unauthorized\n" + dateText + "WWW-Authenticate: Negotiate a87421000492aa874209af8bc028==\nContent-Length: 2\n\nno"},
	{id: RuleProxyAuthenticateSyntax,
		bad:  "HTTP/1.1 407 Proxy Authentication Required\n" + dateText + "Proxy-Authenticate: realm=\"proxy\"\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 407 Proxy Authentication Required\n" + dateText + "Proxy-Authenticate: Basic realm=proxy\nContent-Length: 2\n\nno"},
	{id: RuleRetryAfterSyntax,
		bad:  "HTTP/1.1 503 Service Unavailable\n" + dateText + "Retry-After: 1.5\nContent-Length: 4\n\nbusy",
		good: "HTTP/1.1 503 Service Unavailable\n" + dateText + "Retry-After: 120\nContent-Length: 4\n\nbusy"},
	{id: RuleRetryAfterSyntax,
		bad:  "HTTP/1.1 429 Too Many Requests\n" + dateText + "Retry-After: Monday, 02-Jan-06 15:04:05 GMT\nContent-Length: 4\n\nslow",
		good: "HTTP/1.1 429 Too Many Requests\n" + dateText + "Retry-After: Mon, 02 Jan 2006 15:05:05 GMT\nContent-Length: 4\n\nslow"},
	{id: RuleRetryAfterSyntax,
		bad:  "HTTP/1.1 503 Service Unavailable\n" + dateText + "Retry-After: 120\nRetry-After: 60\nContent-Length: 4\n\nbusy",
		good: "HTTP/1.1 503 Service Unavailable\n" + dateText + "Retry-After: 120\nContent-Length: 4\n\nbusy"},
	{id: RuleDateSyntax,
		bad:  "HTTP/1.1 200 OK\nDate: Tue, 02 Jan 2006 15:04:05 GMT\n" + text + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleDateSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Last-Modified: 2006-01-02T15:04:05Z\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Last-Modified: Sun, 01 Jan 2006 15:04:05 GMT\nContent-Length: 2\n\nok"},
	{id: RuleDateSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Last-Modified: Sun, 01 Jan 2006 15:04:05 GMT\nLast-Modified: Sun, 01 Jan 2006 15:04:05 GMT\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Last-Modified: Sun, 01 Jan 2006 15:04:05 GMT\nContent-Length: 2\n\nok"},
	{id: RuleDateMissing,
		bad:  "HTTP/1.1 200 OK\n" + text + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleStoredNoStore,
		bad:  "HTTP/1.1 429 Too Many Requests\n" + dateText + "Cache-Control: public, max-age=600\nContent-Length: 4\n\nslow",
		good: "HTTP/1.1 429 Too Many Requests\n" + dateText + "Cache-Control: no-store\nContent-Length: 4\n\nslow"},
	{id: RuleProblemStatusMismatch,
		bad:  "HTTP/1.1 404 Not Found\n" + problem + "\n{\"status\": 400}",
		good: "HTTP/1.1 404 Not Found\n" + problem + "\n{\"status\": 404}"},
	{id: RuleProblemMemberType,
		bad:  "HTTP/1.1 404 Not Found\n" + problem + "\n{\"status\": \"404\", \"title\": 5}",
		good: "HTTP/1.1 404 Not Found\n" + problem + "\n{\"status\": 404, \"title\": \"Not Found\"}"},
	{id: RuleProblemMemberType,
		bad:  "HTTP/1.1 404 Not Found\n" + problem + "\n{\"type\": \"https://example.com/not a uri\"}",
		good: "HTTP/1.1 404 Not Found\n" + problem + "\n{\"type\": \"https://example.com/probs/gone\", \"instance\": \"/req/1\"}"},
	{id: RuleProblemNotObject,
		bad:  "HTTP/1.1 400 Bad Request\n" + problem + "\n[\"bad\"]",
		good: "HTTP/1.1 400 Bad Request\n" + problem + "\n{}"},
	{id: RuleProblemNotObject,
		bad:  "HTTP/1.1 400 Bad Request\n" + problem + "\n{\"status\": 400",
		good: "HTTP/1.1 400 Bad Request\n" + problem + "\n{\"status\": 400}"},
	{id: RuleProblemTitle,
		bad:  "HTTP/1.1 404 Not Found\n" + problem + "\n{\"title\": \"Bad Request\"}",
		good: "HTTP/1.1 404 Not Found\n" + problem + "\n{\"type\": \"https://example.com/probs/x\", \"title\": \"No such order\"}"},
	{id: RuleInvalidCode,
		bad:  "HTTP/1.1 600 Odd\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleUnknownCode,
		bad:  "HTTP/1.1 299 Odd\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleUnofficialCode,
		bad:  "HTTP/1.1 499 Client Closed Request\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 400 Bad Request\n" + dateText + "Content-Length: 2\n\nno"},
	{id: RuleDeprecatedCode,
		bad:  "HTTP/1.1 305 Use Proxy\n" + dateText + "Location: http://proxy/\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 307 Temporary Redirect\n" + dateText + "Location: http://proxy/\nContent-Length: 2\n\nno"},
	{id: RuleDeprecatedCode,
		bad:  "HTTP/1.1 510 Not Extended\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 500 Internal Server Error\n" + dateText + "Content-Length: 2\n\nno"},
	{id: RuleUnusedCode,
		bad:  "HTTP/1.1 418 I'm a teapot\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 400 Bad Request\n" + dateText + "Content-Length: 2\n\nno"},
	{id: RuleTemporaryCode,
		bad:  "HTTP/1.1 104 Upload Resumption Supported\nLocation: /upload/1\n\nHTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleReasonPhrase,
		bad:  "HTTP/1.1 404 OK\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 404 Nothing Here\n" + dateText + "Content-Length: 2\n\nno"},
	{id: RuleErrorWithoutContent,
		bad:  "HTTP/1.1 404 Not Found\n" + dateText + "Content-Length: 0\n\n",
		good: "HTTP/1.1 404 Not Found\n" + dateText + "Content-Length: 9\n\nnot found"},
	{id: RuleStackTraceLeak,
		bad:  "HTTP/1.1 500 Internal Server Error\n" + dateText + "\npanic: runtime error: index out of range\n\ngoroutine 7 [running]:\nmain.handler()\n\t/srv/app/main.go:42 +0x1d\n",
		good: "HTTP/1.1 500 Internal Server Error\n" + dateText + "\nSomething went wrong on our side; the request id is 42.\n"},
	{id: RuleStackTraceLeak,
		bad:  "HTTP/1.1 502 Bad Gateway\n" + dateText + "\nTraceback (most recent call last):\n  File \"app.py\", line 3\n",
		good: "HTTP/1.1 502 Bad Gateway\n" + dateText + "\nThe upstream server did not answer.\n"},
	{id: RulePreconditionNotSent, method: http.MethodPut, goodReq: "If-Match: \"v1\"",
		bad:  "HTTP/1.1 412 Precondition Failed\n" + dateText + "Content-Length: 4\n\nstop",
		good: "HTTP/1.1 412 Precondition Failed\n" + dateText + "Content-Length: 4\n\nstop"},
	{id: RuleRangeNotSent, method: http.MethodGet, goodReq: "Range: bytes=0-2",
		bad:  "HTTP/1.1 206 Partial Content\n" + dateText + "Content-Range: bytes 0-2/10\nContent-Length: 3\n\nabc",
		good: "HTTP/1.1 206 Partial Content\n" + dateText + "Content-Range: bytes 0-2/10\nContent-Length: 3\n\nabc"},
	{id: RuleRangeNotSent, method: http.MethodGet, goodReq: "Range: bytes=20-",
		bad:  "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Length: 2\n\nno",
		good: "HTTP/1.1 416 Range Not Satisfiable\n" + dateText + "Content-Range: bytes */10\nContent-Length: 2\n\nno"},
	{id: RuleExpectNotSent, method: http.MethodPost, goodReq: "Expect: 100-continue",
		bad:  "HTTP/1.1 417 Expectation Failed\n" + dateText + "Content-Length: 2\n\nno",
		good: "HTTP/1.1 417 Expectation Failed\n" + dateText + "Content-Length: 2\n\nno"},
	{id: RuleContinueNotExpected, method: http.MethodPost, goodReq: "Expect: 100-continue",
		bad:  "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok",
		good: "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleUpgradeNotRequested, method: http.MethodGet, goodReq: "Upgrade: websocket",
		bad:  "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n",
		good: "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n"},
	{id: RuleUpgradeNotRequested, method: http.MethodGet, reqHeader: "Upgrade: websocket",
		bad:  "HTTP/1.1 101 Switching Protocols\nUpgrade: h2c\nConnection: Upgrade\n\n",
		good: "HTTP/1.1 101 Switching Protocols\nUpgrade: WebSocket\nConnection: Upgrade\n\n"},
	{id: RuleCreatedSafeMethod, method: http.MethodGet,
		bad:  "HTTP/1.1 201 Created\n" + dateText + "Location: /a/1\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleCreatedSafeMethod, method: http.MethodHead,
		bad:  "HTTP/1.1 201 Created\n" + dateText + "Location: /a/1\n\n",
		good: "HTTP/1.1 200 OK\n" + dateText + "\n"},
	{id: RuleLocationTarget, method: http.MethodGet, url: "https://example.com/a",
		bad:  "HTTP/1.1 301 Moved Permanently\n" + dateText + "Location: http://example.com/b\nContent-Length: 0\n\n",
		good: "HTTP/1.1 301 Moved Permanently\n" + dateText + "Location: //example.com/b\nContent-Length: 0\n\n"},
	{id: RuleLocationTarget,
		bad:  "HTTP/1.1 302 Found\n" + dateText + "Location: javascript:alert(1)\nContent-Length: 0\n\n",
		good: "HTTP/1.1 302 Found\n" + dateText + "Location: /login?next=%2F\nContent-Length: 0\n\n"},
	{id: RuleLocationTarget,
		bad:  "HTTP/1.1 307 Temporary Redirect\n" + dateText + "Location: https:/no-host\nContent-Length: 0\n\n",
		good: "HTTP/1.1 307 Temporary Redirect\n" + dateText + "Location: https://example.com/host\nContent-Length: 0\n\n"},
	{id: RuleContentRangeUnexpected,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Range: bytes 0-1/2\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Accept-Ranges: bytes\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: max-age=60; public\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: max-age=60, public\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: no-cache=\"Set-Cookie\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: no-cache=\"Set-Cookie, Authorization\", ,private\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlValue,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: max-age=1.5\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: max-age=99999999999999999999\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlValue,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: s-maxage=\"60\", no-store=1\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: s-maxage=60, stale-while-revalidate=30\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlDuplicate,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: max-age=60\nCache-Control: MAX-AGE=600\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: max-age=60\nCache-Control: s-maxage=600\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlConflict,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: public, private, max-age=60\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: private, max-age=60\nContent-Length: 2\n\nok"},
	{id: RuleCacheControlConflict,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: no-store, max-age=3600\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Cache-Control: no-store, max-age=0\nContent-Length: 2\n\nok"},
	{id: RuleVarySyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Vary: Accept-Encoding; Accept\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Vary: Accept-Encoding, Accept\nContent-Length: 2\n\nok"},
	{id: RuleVaryRedundant,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Vary: *, Accept\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Vary: *\nContent-Length: 2\n\nok"},
	{id: RuleVaryRedundant,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Vary: Accept\nVary: accept, Origin\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Vary: Accept\nVary: Origin\nContent-Length: 2\n\nok"},
	{id: RuleETagSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "ETag: v1\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "ETag: W/\"v1\"\nContent-Length: 2\n\nok"},
	{id: RuleFieldNameSyntax,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "X-Thing : 1\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "X-Thing: 1\nContent-Length: 2\n\nok"},
	{id: RuleSingletonRepeated,
		bad:  "HTTP/1.1 200 OK\n" + date + "Content-Type: text/plain\nContent-Type: text/html\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Length: 2\n\nok"},
	{id: RuleSingletonRepeated,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "ETag: \"a\"\nETag: \"b\"\nContent-Length: 2\n\nok",
		good: "HTTP/1.1 200 OK\n" + dateText + "ETag: \"a\"\nVary: Accept\nVary: Origin\nContent-Length: 2\n\nok"},
	{id: RuleContentCodingInvalid,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Encoding: gzip\nContent-Length: 5\n\nhello",
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Encoding: gzip\nContent-Length: " + fmt.Sprint(len(gzipped("hello"))) + "\n\n" + gzipped("hello")},
	{id: RuleContentCodingInvalid,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Encoding: deflate\nContent-Length: " + fmt.Sprint(len(rawDeflated("hello"))) + "\n\n" + rawDeflated("hello"),
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Encoding: deflate\nContent-Length: " + fmt.Sprint(len(zlibbed("hello"))) + "\n\n" + zlibbed("hello")},
	{id: RuleContentCodingInvalid,
		bad:  "HTTP/1.1 200 OK\n" + dateText + "Content-Encoding: gzip, deflate\nContent-Length: " + fmt.Sprint(len(gzipped("hello"))) + "\n\n" + gzipped("hello"),
		good: "HTTP/1.1 200 OK\n" + dateText + "Content-Encoding: br\nContent-Length: 5\n\nhello"},
	{id: RuleCharsetMismatch,
		bad:  "HTTP/1.1 200 OK\n" + date + "Content-Type: text/plain; charset=utf-8\nContent-Length: 4\n\ncaf\xe9",
		good: "HTTP/1.1 200 OK\n" + date + "Content-Type: text/plain; charset=utf-8\nContent-Length: 5\n\ncaf\xc3\xa9"},
	{id: RuleCharsetMismatch,
		bad:  "HTTP/1.1 200 OK\n" + date + "Content-Type: text/plain; charset=us-ascii\nContent-Encoding: gzip\nContent-Length: " + fmt.Sprint(len(gzipped("caf\xc3\xa9"))) + "\n\n" + gzipped("caf\xc3\xa9"),
		good: "HTTP/1.1 200 OK\n" + date + "Content-Type: text/plain; charset=iso-8859-1\nContent-Length: 4\n\ncaf\xe9"},
	{id: RuleConditionalHeader, // Content-Type on a 304
		bad:  "HTTP/1.1 304 Not Modified\n" + dateText + not304Fields + "\n",
		good: "HTTP/1.1 304 Not Modified\n" + date + not304Fields + "\n"},
}

// gzipped, zlibbed and rawDeflated encode s in a content coding.
func gzipped(s string) string {
	return encoded(s, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
}

func zlibbed(s string) string {
	return encoded(s, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
}

func rawDeflated(s string) string {
	return encoded(s, func(w io.Writer) io.WriteCloser { fw, _ := flate.NewWriter(w, flate.DefaultCompression); return fw })
}

func encoded(s string, open func(io.Writer) io.WriteCloser) string {
	var b bytes.Buffer
	w := open(&b)
	io.WriteString(w, s)
	w.Close()
	return b.String()
}

// crlf turns the test's LF line ends into CRLF in the header section, so
// that the cases cover both.
func crlf(raw string) string {
	head, body, ok := strings.Cut(raw, "\n\n")
	if !ok {
		return strings.ReplaceAll(raw, "\n", "\r\n")
	}
	return strings.ReplaceAll(head, "\n", "\r\n") + "\r\n\r\n" + body
}

func (rc ruleCase) findings(t *testing.T, raw, reqHeader string) []Finding {
	t.Helper()
	var req *http.Request
	if rc.method != "" {
		target := rc.url
		if target == "" {
			target = "/"
		}
		var err error
		if req, err = http.NewRequest(rc.method, target, nil); err != nil {
			t.Fatal(err)
		}
		if name, value, ok := strings.Cut(reqHeader, ":"); ok {
			req.Header.Set(name, strings.TrimSpace(value))
		}
	}
	msgs, err := readRaw([]byte(raw), req)
	if err != nil {
		t.Fatalf("readRaw: %v\n%s", err, raw)
	}
	c := testChecker()
	var out []Finding
	for _, in := range msgs {
		out = append(out, c.check(in)...)
	}
	return out
}

func hasID(fs []Finding, id string) (Finding, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

// TestRuleFiresAndStaysSilent shows every rule firing on a bad response
// and staying silent on a good one, with LF and with CRLF line ends.
func TestRuleFiresAndStaysSilent(t *testing.T) {
	t.Parallel()
	for i, rc := range ruleCases {
		t.Run(fmt.Sprintf("%s/%d", rc.id, i), func(t *testing.T) {
			t.Parallel()
			for _, raw := range []string{rc.bad, crlf(rc.bad)} {
				fs := rc.findings(t, raw, rc.reqHeader)
				f, ok := hasID(fs, rc.id)
				if !ok {
					t.Fatalf("bad response: %s did not fire; findings: %v\n%s", rc.id, fs, raw)
				}
				if f.Summary == "" || f.Ref.Document == "" || f.Explanation == "" || f.Code == 0 {
					t.Errorf("finding lacks a summary, explanation, code or reference: %+v", f)
				}
			}
			for _, raw := range []string{rc.good, crlf(rc.good)} {
				goodReq := rc.goodReq
				if goodReq == "" {
					goodReq = rc.reqHeader
				}
				if f, ok := hasID(rc.findings(t, raw, goodReq), rc.id); ok {
					t.Fatalf("good response: %s fired: %s\n%s", rc.id, f.Summary, raw)
				}
			}
		})
	}
}

// TestEveryRuleHasACase fails when a rule lacks a bad and good pair.
func TestEveryRuleHasACase(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, rc := range ruleCases {
		covered[rc.id] = true
	}
	probed := map[string]bool{}
	for _, pc := range probeCases {
		covered[pc.id], probed[pc.id] = true, true
	}
	for _, r := range Rules() {
		// A probe rule is shown by probing; the rules of one response may
		// also fire on a probe's follow-up, as required-header does.
		if r.Probe && !probed[r.ID] {
			t.Errorf("probe rule %s has no case in probeCases", r.ID)
		}
	}
	for _, r := range Rules() {
		if !covered[r.ID] {
			t.Errorf("rule %s has no bad/good pair in ruleCases or probeCases", r.ID)
		}
	}
}

// TestRuleTable checks that ids are unique and every rule is documented.
func TestRuleTable(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if r.Summary == "" || r.Explanation == "" || r.Ref.Document == "" || r.Ref.URL == "" {
			t.Errorf("rule %s lacks a summary, explanation or reference", r.ID)
		}
		if r.Severity < SeverityInfo || r.Severity > SeverityError {
			t.Errorf("rule %s has level %v", r.ID, r.Severity)
		}
		if strings.ToLower(r.ID) != r.ID || strings.ContainsAny(r.ID, " _") {
			t.Errorf("rule id %q is not lower-case kebab", r.ID)
		}
	}
}
