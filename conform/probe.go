package conform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// The bounds Probe keeps to unless told otherwise.
const (
	DefaultProbeRequests = 16               // requests, the first one included
	DefaultProbeTimeout  = 30 * time.Second // for all the requests together
)

// ErrProbeRequest is wrapped by the error Probe returns for a request it
// cannot probe: nil, not a GET, or without an absolute http or https URL.
var ErrProbeRequest = errors.New("cannot probe this request")

// A ProbeOption changes how Probe works.
type ProbeOption func(*probeConfig)

type probeConfig struct {
	maxRequests int
	timeout     time.Duration
	maxBytes    int
	unsafe      bool
}

// WithMaxRequests bounds the number of requests Probe sends, the first one
// included (DefaultProbeRequests unless set). The probes that do not fit
// are listed in Report.Skipped.
func WithMaxRequests(n int) ProbeOption {
	return func(c *probeConfig) { c.maxRequests = max(n, 1) }
}

// WithProbeTimeout bounds the time all the requests of Probe take together
// (DefaultProbeTimeout unless set); a shorter deadline of the context
// counts too.
func WithProbeTimeout(d time.Duration) ProbeOption {
	return func(c *probeConfig) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithMaxBytes bounds the content Probe reads from each response
// (MaxContent unless set). The comparisons that need more of the content
// are limited to what was read.
func WithMaxBytes(n int) ProbeOption {
	return func(c *probeConfig) { c.maxBytes = max(n, 1) }
}

// WithUnsafeMethods lets Probe send PUT and DELETE, without content, to
// see whether a resource that does not list them in Allow refuses them.
// Only use it on a resource you may break: a server that ignores its own
// Allow may perform them.
func WithUnsafeMethods() ProbeOption {
	return func(c *probeConfig) { c.unsafe = true }
}

// A Report is what Probe found, with every request it sent.
type Report struct {
	URL      string     `json:"url"`
	Requests []Exchange `json:"requests"`          // every request sent, in order
	Findings []Finding  `json:"findings"`          // the most serious first
	Skipped  []string   `json:"skipped,omitempty"` // the probes not sent, each with the reason
}

// An Exchange is one request Probe sent and what came back.
type Exchange struct {
	Probe     string      `json:"probe"`            // what the request tests, such as "if-none-match"
	Method    string      `json:"method"`           // the request method
	Header    http.Header `json:"header,omitempty"` // the request fields the probe set, beyond those of the request given
	Status    int         `json:"status,omitempty"` // the status code; 0 when no response came
	Bytes     int         `json:"bytes"`            // how much content was read
	Truncated bool        `json:"truncated,omitempty"`
	Error     string      `json:"error,omitempty"` // why no response came
}

// Probe sends req, a GET, and then the follow-up requests that settle the
// rules one response cannot: the validators of the response (If-None-Match
// and If-Modified-Since should get 304, which keeps the 200's metadata),
// its ranges (a sample range, one past the end, two at once), HEAD against
// GET, another Accept-Encoding, and the methods the resource accepts
// (OPTIONS, an unknown method, TRACE when Allow does not list it), and
// another Accept. Every
// response is also checked as Check does.
//
// The follow-ups carry the header fields of req, and are sent with client
// (http.DefaultClient when nil) without following redirects. Only safe
// methods are sent, unless WithUnsafeMethods says otherwise. Probe sends at
// most DefaultProbeRequests requests, within DefaultProbeTimeout, reading
// at most MaxContent bytes of each response; the options change these
// bounds. When req has no Accept-Encoding field, Probe asks for the
// identity coding, so that it sees the bytes as the server sends them.
//
// Probe returns an error wrapping ErrProbeRequest for a request it cannot
// probe, and an error when the first request fails; a follow-up that fails
// is recorded in its Exchange.
func Probe(ctx context.Context, client *http.Client, req *http.Request, opts ...ProbeOption) (*Report, error) {
	if req == nil || req.URL == nil || !req.URL.IsAbs() || (req.URL.Scheme != "http" && req.URL.Scheme != "https") || req.URL.Host == "" {
		return nil, fmt.Errorf("conform: %w: it needs an absolute http or https URL", ErrProbeRequest)
	}
	if req.Method != "" && req.Method != http.MethodGet {
		return nil, fmt.Errorf("conform: %w: the first request must be a GET, not %s", ErrProbeRequest, httptext.Clip(req.Method, 20))
	}
	cfg := probeConfig{maxRequests: DefaultProbeRequests, timeout: DefaultProbeTimeout, maxBytes: MaxContent}
	for _, o := range opts {
		o(&cfg)
	}
	if client == nil {
		client = http.DefaultClient
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	base := req.Clone(ctx)
	base.Method, base.Body, base.GetBody, base.ContentLength = http.MethodGet, nil, nil, 0
	if base.Header == nil {
		base.Header = http.Header{}
	}
	var added http.Header
	if base.Header.Get("Accept-Encoding") == "" {
		added = http.Header{"Accept-Encoding": {"identity"}}
	}
	p := &prober{ctx: ctx, client: &c, base: base, cfg: cfg, c: newChecker(), seen: map[string]bool{},
		report: &Report{URL: req.URL.String()}}
	first := p.send("initial", http.MethodGet, added)
	if first == nil {
		return nil, fmt.Errorf("conform: GET %s: %w", p.report.URL, context.Cause(ctx))
	}
	if first.err != nil {
		return nil, fmt.Errorf("conform: GET %s: %w", p.report.URL, first.err)
	}
	base.Header.Set("Accept-Encoding", first.req.Header.Get("Accept-Encoding"))
	p.first = first
	p.run(first)
	slices.SortStableFunc(p.report.Findings, func(a, b Finding) int { return int(b.Severity - a.Severity) })
	if p.report.Findings == nil {
		p.report.Findings = []Finding{}
	}
	return p.report, nil
}

// prober runs the probes of one call of Probe.
type prober struct {
	ctx    context.Context
	client *http.Client
	base   *http.Request
	cfg    probeConfig
	c      *checker
	report *Report
	seen   map[string]bool // the findings reported, by id and summary
	first  *reply          // the answer to the first request
}

// reply is one response a probe got.
type reply struct {
	probe    string
	req      *http.Request
	code     int
	name     string // the code and its phrase
	header   http.Header
	body     []byte // up to the byte bound
	complete bool   // body is the whole content
	err      error
}

// length returns the length of the whole content, when known: the bytes
// read, or a valid Content-Length of a response that announced more.
func (r *reply) length() (int64, bool) {
	if r.complete {
		return int64(len(r.body)), true
	}
	if n, err := parseContentLength(r.header.Values("Content-Length")); err == nil {
		return n, true
	}
	return 0, false
}

// send sends the base request with method and the fields of set (an empty
// value removes a field), records it, and checks the response. It returns
// nil when the bounds leave no room for it.
func (p *prober) send(probe, method string, set http.Header) *reply {
	if len(p.report.Requests) >= p.cfg.maxRequests {
		p.skip(probe, fmt.Sprintf("the bound of %d requests is reached", p.cfg.maxRequests))
		return nil
	}
	if err := p.ctx.Err(); err != nil {
		p.skip(probe, "the time bound is reached")
		return nil
	}
	req := p.base.Clone(p.ctx)
	req.Method = method
	for k, v := range set {
		if len(v) == 0 || v[0] == "" {
			req.Header.Del(k)
		} else {
			req.Header[k] = v
		}
	}
	p.report.Requests = append(p.report.Requests, Exchange{Probe: probe, Method: method, Header: set})
	ex := &p.report.Requests[len(p.report.Requests)-1]
	r := &reply{probe: probe, req: req}
	resp, err := p.client.Do(req)
	if err != nil {
		ex.Error, r.err = err.Error(), err
		return r
	}
	read, complete, short := readContent(resp.Body, p.cfg.maxBytes)
	resp.Body.Close()
	in := responseInput(resp)
	in.req = req
	in.body, in.complete, in.short = read[:min(len(read), p.cfg.maxBytes)], complete, short
	r.code, r.header, r.body, r.complete = resp.StatusCode, in.header, in.body, complete && !short
	ex.Status, ex.Bytes, ex.Truncated = resp.StatusCode, len(in.body), !complete
	if p.first != nil && p.first.code == http.StatusOK && method == http.MethodGet {
		// The fields a 304 or 206 must repeat are those of this 200.
		in.ok200, in.ok200Len = p.first.header, -1
		if n, ok := p.first.length(); ok {
			in.ok200Len = n
		}
	}
	for _, f := range p.c.check(in) {
		label := ""
		if probe != "initial" {
			label = "(" + probe + " probe) "
		}
		p.add(f, label)
	}
	r.name = in.name
	return r
}

// add reports f, its summary after label, unless the same finding about
// an earlier response was reported.
func (p *prober) add(f Finding, label string) {
	key := f.ID + "\x00" + f.Summary
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	f.Summary = label + f.Summary
	p.report.Findings = append(p.report.Findings, f)
}

// find reports a finding of a comparison about the reply r.
func (p *prober) find(r *reply, id string, ref httpstatus.Reference, format string, args ...any) {
	p.add(p.c.finding(r.code, id, ref, fmt.Sprintf(format, args...)), "")
}

func (p *prober) skip(probe, why string) {
	p.report.Skipped = append(p.report.Skipped, probe+": "+why)
}

// run sends the follow-ups of the first response.
func (p *prober) run(first *reply) {
	p.probeHead(first)
	if first.code == http.StatusOK {
		p.probeValidators(first)
		p.probeRanges(first)
		p.probeEncoding(first)
		p.probeAccept(first)
	} else {
		p.skip("validators, ranges, accept-encoding, accept", "the first response is "+first.name+", not 200")
	}
	p.probeMethods(first)
}

// failed reports whether a probe was not sent or got no response.
func failed(r *reply) bool { return r == nil || r.err != nil }

// headIgnored are the fields a HEAD response may lack or change: framing,
// connection management and per-message fields.
var headIgnored = map[string]bool{
	"Date": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Keep-Alive": true,
	"Set-Cookie": true, "Age": true, "Trailer": true, "Server-Timing": true, "X-Request-Id": true,
}

// headCompared are the fields whose values HEAD must repeat: the metadata
// of the representation.
var headCompared = []string{"Content-Type", "Content-Encoding", "Content-Language", "Content-Location",
	"ETag", "Last-Modified", "Vary", "Cache-Control", "Location", "Accept-Ranges"}

// probeHead sends HEAD and compares it with GET.
func (p *prober) probeHead(first *reply) {
	h := p.send("head", http.MethodHead, nil)
	if failed(h) {
		return
	}
	if h.code != first.code {
		p.find(h, RuleHeadStatusMismatch, httpstatus.Reference{}, "HEAD got %s where GET got %s", h.name, first.name)
		return
	}
	if values := h.header.Values("Content-Length"); len(values) > 0 {
		n, err := parseContentLength(values)
		if full, ok := first.length(); err == nil && ok && n != full {
			p.find(h, RuleHeadLengthMismatch, httpstatus.Reference{}, "HEAD announces Content-Length: %d where GET sends %d bytes", n, full)
		}
	}
	var missing, differ []string
	for k := range first.header {
		if !headIgnored[k] && len(h.header.Values(k)) == 0 {
			missing = append(missing, k)
		}
	}
	for _, k := range headCompared {
		a, b := first.header.Values(k), h.header.Values(k)
		if len(a) > 0 && len(b) > 0 && strings.Join(a, ", ") != strings.Join(b, ", ") {
			differ = append(differ, fmt.Sprintf("%s (%q, not %q)", k, strings.Join(b, ", "), strings.Join(a, ", ")))
		}
	}
	slices.Sort(missing)
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "lacks "+strings.Join(missing, ", ")+", which GET carries")
	}
	if len(differ) > 0 {
		parts = append(parts, "differs from GET in "+strings.Join(differ, ", "))
	}
	if len(parts) > 0 {
		p.find(h, RuleHeadFieldsMismatch, httpstatus.Reference{}, "the HEAD response %s", strings.Join(parts, "; "))
	}
}

// probeValidators sends the 200's validators back and expects 304.
func (p *prober) probeValidators(first *reply) {
	etag := first.header.Get("ETag")
	if etag == "" {
		p.skip("if-none-match", "the 200 has no ETag")
	} else if r := p.send("if-none-match", http.MethodGet, http.Header{"If-None-Match": {etag}}); !failed(r) {
		if r.code != http.StatusNotModified {
			p.find(r, RuleIfNoneMatchIgnored, httpstatus.Reference{}, "GET with If-None-Match: %s, the 200's own ETag, got %s, not 304 Not Modified", etag, r.name)
		}
	}
	lm := first.header.Get("Last-Modified")
	if _, err := http.ParseTime(lm); err != nil {
		p.skip("if-modified-since", "the 200 has no valid Last-Modified")
		return
	}
	if r := p.send("if-modified-since", http.MethodGet, http.Header{"If-Modified-Since": {lm}}); !failed(r) {
		if r.code != http.StatusNotModified {
			p.find(r, RuleIfModifiedSinceIgnored, httpstatus.Reference{}, "GET with If-Modified-Since: %s, the 200's own Last-Modified, got %s, not 304 Not Modified", lm, r.name)
		}
	}
}

// probeRanges asks for a sample range, a range past the end and two
// ranges at once.
func (p *prober) probeRanges(first *reply) {
	const name = "range"
	full, ok := first.length()
	switch {
	case !ok:
		p.skip(name, "the length of the 200's content is unknown")
		return
	case full < 4:
		p.skip(name, "the 200's content is shorter than 4 bytes")
		return
	case httptext.ListHas(first.header.Values("Accept-Ranges"), "none"):
		p.skip(name, "the 200 says Accept-Ranges: none")
		return
	}
	have := int64(len(first.body))
	span := min(full, have)
	a := span / 4
	b := min(a+max(span/4, 1)-1, a+4095)
	r := p.send(name, http.MethodGet, http.Header{"Range": {fmt.Sprintf("bytes=%d-%d", a, b)}})
	if failed(r) {
		return
	}
	switch r.code {
	case http.StatusPartialContent:
		p.checkPart(first, r, r.header.Get("Content-Range"), r.body, full, [][2]int64{{a, b}})
	case http.StatusOK:
		if httptext.ListHas(first.header.Values("Accept-Ranges"), "bytes") {
			p.find(r, RuleRangeIgnored, httpstatus.Reference{}, "the resource sends Accept-Ranges: bytes, yet Range: bytes=%d-%d got %s", a, b, r.name)
		}
		p.skip("range-past-end, two-ranges", "the server ignores Range")
		return
	}

	past := p.send("range-past-end", http.MethodGet, http.Header{"Range": {fmt.Sprintf("bytes=%d-", full)}})
	if !failed(past) {
		switch past.code {
		case http.StatusPartialContent:
			p.find(past, RuleUnsatisfiableRangePartial, httpstatus.Reference{}, "Range: bytes=%d-, past the %d bytes of content, got %s", full, full, past.name)
		case http.StatusRequestedRangeNotSatisfiable:
			if cr, err := parseContentRange(trimOWS(past.header.Get("Content-Range"))); err == nil && cr.unsatisfied && cr.complete >= 0 && cr.complete != full {
				p.find(past, RuleContentRangeLength, httpstatus.Reference{}, "%s says Content-Range: %s, but the content has %d bytes",
					past.name, past.header.Get("Content-Range"), full)
			}
		}
	}

	two := [][2]int64{{0, 1}, {full - 2, full - 1}}
	r = p.send("two-ranges", http.MethodGet, http.Header{"Range": {fmt.Sprintf("bytes=0-1,%d-%d", full-2, full-1)}})
	if failed(r) || r.code != http.StatusPartialContent {
		return
	}
	mt, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		p.checkPart(first, r, r.header.Get("Content-Range"), r.body, full, [][2]int64{{0, full - 1}})
		return
	}
	if !r.complete {
		return
	}
	if problem := p.checkMultipart(first, r, params["boundary"], full, two); problem != "" {
		p.find(r, RuleMultipartInvalid, httpstatus.Reference{}, "the multipart/byteranges answer to Range: bytes=0-1,%d-%d %s", full-2, full-1, problem)
	}
}

// checkPart compares one part of a partial response, with its
// Content-Range value, with the full content; want are the ranges asked
// for, of which the part must cover one.
func (p *prober) checkPart(first, r *reply, value string, part []byte, full int64, want [][2]int64) {
	cr, err := parseContentRange(trimOWS(value))
	if err != nil || cr.unsatisfied || !strings.EqualFold(cr.unit, "bytes") {
		return // the syntax rules speak for it
	}
	if cr.complete >= 0 && cr.complete != full {
		p.find(r, RuleContentRangeLength, httpstatus.Reference{}, "%s says Content-Range: %s, but the content has %d bytes", r.name, value, full)
	}
	covers := slices.ContainsFunc(want, func(w [2]int64) bool { return cr.first <= w[0] && w[1] <= cr.last })
	if !covers {
		p.find(r, RuleRangeOtherPart, httpstatus.Reference{}, "Range: %s got Content-Range: %s", r.req.Header.Get("Range"), value)
	}
	if int64(len(part)) == cr.last-cr.first+1 && cr.last < int64(len(first.body)) && !bytes.Equal(part, first.body[cr.first:cr.last+1]) {
		p.find(r, RulePartialContentBytes, httpstatus.Reference{}, "the bytes of %s with Content-Range: %s are not those at %d-%d of the 200's content",
			r.name, value, cr.first, cr.last)
	}
}

// checkMultipart reads a multipart/byteranges content and returns what is
// wrong with it, or "". A wrong part is reported by checkPart.
func (p *prober) checkMultipart(first, r *reply, boundary string, full int64, want [][2]int64) string {
	if boundary == "" {
		return "has no boundary parameter"
	}
	mr := multipart.NewReader(bytes.NewReader(r.body), boundary)
	parts := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "does not parse: " + err.Error()
		}
		value := part.Header.Get("Content-Range")
		if value == "" {
			return fmt.Sprintf("has a part %d without Content-Range", parts+1)
		}
		if _, err := parseContentRange(trimOWS(value)); err != nil {
			return fmt.Sprintf("has a part %d whose Content-Range %v", parts+1, err)
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return "does not parse: " + err.Error()
		}
		p.checkPart(first, r, value, content, full, want)
		parts++
	}
	if parts == 0 {
		return "has no part"
	}
	return ""
}

// probeEncoding asks for the resource in another content coding and
// compares the answers.
func (p *prober) probeEncoding(first *reply) {
	alt := "gzip"
	if httptext.ListHas(p.base.Header.Values("Accept-Encoding"), "gzip") {
		alt = "identity"
	}
	r := p.send("accept-encoding", http.MethodGet, http.Header{"Accept-Encoding": {alt}})
	if failed(r) {
		return
	}
	if r.code != first.code {
		p.find(r, RuleNegotiationInconsistent, httpstatus.Reference{}, "Accept-Encoding: %s got %s where %s got %s",
			alt, r.name, p.base.Header.Get("Accept-Encoding"), first.name)
		return
	}
	var diffs []string
	for _, f := range []string{"ETag", "Last-Modified"} {
		if (first.header.Get(f) == "") != (r.header.Get(f) == "") {
			diffs = append(diffs, "one has "+f+" and the other not")
		}
	}
	if v1, v2 := varySet(first.header), varySet(r.header); !slices.Equal(v1, v2) {
		diffs = append(diffs, fmt.Sprintf("Vary is %q in one and %q in the other", strings.Join(v1, ", "), strings.Join(v2, ", ")))
	}
	if len(diffs) > 0 {
		p.find(r, RuleNegotiationInconsistent, httpstatus.Reference{}, "answering Accept-Encoding: %s, %s", alt, strings.Join(diffs, "; "))
	}
	enc1, enc2 := codingOf(first.header), codingOf(r.header)
	if enc1 != enc2 {
		for _, h := range []*reply{first, r} {
			vary := h.header.Values("Vary")
			if !httptext.ListHas(vary, "Accept-Encoding") && !httptext.ListHas(vary, "*") {
				p.find(h, RuleVaryMissing, httpstatus.Reference{}, "the content coding depends on Accept-Encoding (%s or %s), yet the %s response does not list it in Vary",
					orIdentity(enc1), orIdentity(enc2), orIdentity(codingOf(h.header)))
				break
			}
		}
	}
	t1, t2 := first.header.Get("ETag"), r.header.Get("ETag")
	sameContent := enc1 == enc2 && (!first.complete || !r.complete || bytes.Equal(first.body, r.body))
	if t1 != "" && t1 == t2 && !strings.HasPrefix(t1, "W/") && !sameContent {
		p.find(r, RuleStrongETagShared, httpstatus.Reference{}, "the strong ETag %s names both the %s and the %s content", t1, orIdentity(enc1), orIdentity(enc2))
	}
}

// probeAccept asks for another media type; when the answer has another
// Content-Type, both answers must list Accept in Vary.
func (p *prober) probeAccept(first *reply) {
	alt := "application/json"
	if mediaType(first.header.Get("Content-Type")) == alt {
		alt = "text/html"
	}
	r := p.send("accept", http.MethodGet, http.Header{"Accept": {alt}})
	if failed(r) || r.code != first.code {
		return // a server may refuse a type it does not have (406)
	}
	t1, t2 := mediaType(first.header.Get("Content-Type")), mediaType(r.header.Get("Content-Type"))
	if t1 == t2 {
		return
	}
	for _, h := range []*reply{first, r} {
		vary := h.header.Values("Vary")
		if !httptext.ListHas(vary, "Accept") && !httptext.ListHas(vary, "*") {
			p.find(h, RuleVaryMissing, httpstatus.Reference{}, "the media type depends on Accept (%s or %s), yet the %s response does not list it in Vary", t1, t2, mediaType(h.header.Get("Content-Type")))
			return
		}
	}
}

// varySet returns the lower-cased members of the Vary fields, sorted.
func varySet(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Vary") {
		for m := range strings.SplitSeq(v, ",") {
			if m = strings.ToLower(trimOWS(m)); m != "" && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	slices.Sort(out)
	return out
}

// codingOf returns the lower-cased Content-Encoding, "" for identity.
func codingOf(h http.Header) string {
	v := strings.ToLower(trimOWS(strings.Join(h.Values("Content-Encoding"), ",")))
	if v == "identity" {
		return ""
	}
	return v
}

func orIdentity(coding string) string {
	if coding == "" {
		return "identity"
	}
	return coding
}

// probeMethod is the method Probe sends as one no server implements.
const probeMethod = "HTTPSTATUS-PROBE"

// probeMethods sends OPTIONS, an unknown method, and the methods Allow
// leaves out.
func (p *prober) probeMethods(first *reply) {
	var allow []string
	known := false
	learn := func(r *reply) {
		if values := r.header.Values("Allow"); len(values) > 0 && !known {
			if methods, err := parseAllow(strings.Join(values, ",")); err == nil {
				allow, known = methods, true
			}
		}
	}
	if first.code == http.StatusMethodNotAllowed {
		learn(first)
	}
	if o := p.send("options", http.MethodOptions, nil); !failed(o) {
		if httpstatus.IsSuccess(o.code) && len(o.header.Values("Allow")) == 0 {
			p.find(o, RuleOptionsWithoutAllow, httpstatus.Reference{}, "OPTIONS got %s without Allow", o.name)
		}
		if httpstatus.IsSuccess(o.code) || o.code == http.StatusMethodNotAllowed {
			learn(o)
		}
	}
	if u := p.send("unknown-method", probeMethod, nil); !failed(u) {
		if u.code != http.StatusNotImplemented && u.code != http.StatusMethodNotAllowed {
			p.find(u, RuleUnknownMethodStatus, httpstatus.Reference{}, "the unknown method %s got %s, not 501 Not Implemented or 405 Method Not Allowed", probeMethod, u.name)
		}
		if u.code == http.StatusMethodNotAllowed {
			learn(u)
		}
	}
	candidates := []string{http.MethodTrace}
	if p.cfg.unsafe {
		candidates = append(candidates, http.MethodPut, http.MethodDelete)
	}
	if !known {
		p.skip("outside-allow", "no response listed the allowed methods")
		return
	}
	for _, m := range candidates {
		if slices.Contains(allow, m) {
			continue
		}
		r := p.send("outside-allow", m, nil)
		if !failed(r) && httpstatus.IsSuccess(r.code) {
			p.find(r, RuleMethodOutsideAllow, httpstatus.Reference{}, "Allow: %s leaves out %s, yet %s got %s", strings.Join(allow, ", "), m, m, r.name)
		}
	}
}
