package conform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/httpstatus/httpstatus"
)

// MaxContent is how much content Check reads from a response body. Rules
// that need the whole content skip a response that is longer.
const MaxContent = 1 << 20

// checker applies the rule table with a registry look-up. Tests give it a
// look-up with entries of their own.
type checker struct {
	lookup func(code int) (*httpstatus.Entry, bool)
	rules  ruleSet
}

func newChecker() *checker {
	return &checker{lookup: httpstatus.Lookup, rules: ruleIndex()}
}

// input is one response as the checks see it.
type input struct {
	code   int
	phrase string // the reason phrase as sent; empty when unknown
	name   string // the code and its phrase, such as "405 Method Not Allowed"
	header http.Header
	req    *http.Request // nil when unknown
	method string        // the request method; GET when unknown

	// In raw input that holds a whole exchange, sequenced is set and
	// earlier counts the interim responses with the same code that came
	// before this one in answer to the same request.
	sequenced bool
	earlier   int

	entry *httpstatus.Entry // nil when the registry does not know the code
	known bool

	body     []byte // the content, up to MaxContent
	complete bool   // body holds the whole content
	short    bool   // the content ended before the length its framing announced
	decoded  bool   // the body was already decoded from its transfer coding (curl output)
	raw      bool   // the message was read from raw text, as curl prints it
	uncoded  bool   // the body was already decoded from its content codings (HAR)

	// The 200 to the same request, when known (Probe, HAR): its header
	// and its content length, -1 when unknown.
	ok200    http.Header
	ok200Len int64
	chunked  bool   // the message was sent with a transfer coding
	extra    []byte // bytes after the end of the message that do not start another response

	findings []Finding
}

// report adds a finding of the rule id; ref overrides the rule's reference
// when it is not empty.
func (c *checker) report(in *input, id string, ref httpstatus.Reference, format string, args ...any) {
	in.findings = append(in.findings, c.finding(in.code, id, ref, fmt.Sprintf(format, args...)))
}

// finding returns a finding of the rule id about a response with the
// code; ref overrides the rule's reference when it is not empty.
func (c *checker) finding(code int, id string, ref httpstatus.Reference, summary string) Finding {
	r, ok := c.rules[id]
	if !ok {
		panic("conform: unknown rule id " + id)
	}
	if ref.Document == "" {
		ref = r.Ref
	}
	return Finding{ID: id, Severity: r.Severity, Code: code, Ref: ref, Summary: summary, Explanation: r.Explanation}
}

// Check inspects resp and returns its findings, the most serious first.
// It uses resp.Request, when set, for the method and the target URI. It
// reads up to MaxContent bytes of resp.Body and puts back a body that
// yields the same bytes, so the caller may still read it; it does not
// close the body.
func Check(resp *http.Response) []Finding {
	if resp == nil {
		return nil
	}
	in := responseInput(resp)
	if resp.Body != nil && resp.Body != http.NoBody {
		read, complete, short := readContent(resp.Body, MaxContent)
		in.body, in.complete, in.short = read[:min(len(read), MaxContent)], complete, short
		resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(read), resp.Body), Closer: resp.Body}
	}
	return newChecker().check(in)
}

// responseInput returns the input for resp without its content, as if it
// had none.
func responseInput(resp *http.Response) *input {
	in := &input{
		code:     resp.StatusCode,
		phrase:   phraseOf(resp.Status, resp.StatusCode),
		header:   resp.Header,
		req:      resp.Request,
		chunked:  len(resp.TransferEncoding) > 0,
		complete: true,
	}
	if in.header == nil {
		in.header = http.Header{}
	}
	return in
}

// readContent reads up to limit bytes of r, and one more to tell whether
// there are more. It reports whether what it read is the whole content,
// and whether the content ended before the length its framing announced.
func readContent(r io.Reader, limit int) (read []byte, complete, short bool) {
	read, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		short, complete = true, true
	case err == nil && len(read) <= limit:
		complete = true
	}
	return read, complete, short
}

// replayBody yields the bytes Check read, then the rest of the original body.
type replayBody struct {
	io.Reader
	io.Closer
}

// phraseOf returns the reason phrase of a Status such as "404 Not Found".
func phraseOf(status string, code int) string {
	prefix := strconv.Itoa(code)
	if len(status) > len(prefix) && status[:len(prefix)] == prefix && status[len(prefix)] == ' ' {
		return status[len(prefix)+1:]
	}
	return ""
}

// check runs every check on in and returns the findings, most serious first.
func (c *checker) check(in *input) []Finding {
	in.method = methodOf(in.req)
	in.entry, in.known = c.lookup(in.code)
	in.name = strconv.Itoa(in.code)
	if in.known {
		in.name = in.entry.String()
	}
	for _, f := range []func(*input){
		c.checkCode,
		c.checkHeaderRules,
		c.checkContent,
		c.checkContentLength,
		c.checkLocation,
		c.checkContentRange,
		c.checkAllow,
		c.checkChallenges,
		c.checkRetryAfter,
		c.checkDates,
		c.checkCaching,
		c.checkProblem,
		c.checkStackTrace,
		c.checkAgainstRequest,
		c.checkLocationTarget,
		c.checkContentRangeStatus,
		c.checkCacheControl,
		c.checkVary,
		c.checkFieldLines,
		c.checkETag,
		c.checkCodings,
	} {
		f(in)
	}
	slices.SortStableFunc(in.findings, func(a, b Finding) int { return int(b.Severity - a.Severity) })
	return in.findings
}

// methodOf returns the method of req, or GET when the request is unknown.
func methodOf(req *http.Request) string {
	if req != nil && req.Method != "" {
		return req.Method
	}
	return http.MethodGet
}

// framedWithoutContent reports whether an HTTP/1.1 message with the code
// ends at its header section whatever its header fields say (RFC 9112,
// section 6.3): 1xx, 204 and 304 responses, and every response to HEAD.
func (in *input) framedWithoutContent() bool {
	return in.method == http.MethodHead || httpstatus.IsInformational(in.code) ||
		in.code == http.StatusNoContent || in.code == http.StatusNotModified
}
