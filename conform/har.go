package conform

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// MaxHAR is the largest HAR file CheckHAR reads.
const MaxHAR = 512 << 20

// ErrNotHAR is wrapped by the error CheckHAR returns for input that is
// not a HAR document.
var ErrNotHAR = errors.New("not a HAR file")

// A HARResult is what CheckHAR found for one URL of a HAR file.
type HARResult struct {
	URL      string    `json:"url"`
	Entries  int       `json:"entries"`  // how many entries requested the URL
	Statuses []int     `json:"statuses"` // their status codes, in order; a revalidation recorded as 200 counts as its 304
	Findings []Finding `json:"findings"` // of all of them, each once, the most serious first
}

// The parts of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/)
// that the checker reads, with the member names browsers write.
type harFile struct {
	Log *struct {
		Version string     `json:"version"`
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

type harEntry struct {
	Request struct {
		Method  string      `json:"method"`
		URL     string      `json:"url"`
		Headers []harHeader `json:"headers"`
	} `json:"request"`
	Response struct {
		Status     int         `json:"status"`
		StatusText string      `json:"statusText"`
		Headers    []harHeader `json:"headers"`
		BodySize   *int64      `json:"bodySize"` // the bytes of content received; 0 when it came from the cache
		Content    struct {
			Size     *int64  `json:"size"` // -1 or absent when unknown
			Text     *string `json:"text"`
			Encoding string  `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// CheckHAR reads a HAR 1.2 file, such as a browser's "Save all as HAR"
// export, checks the response of every entry against its request, as Check
// does, and returns the findings grouped by URL, in the order the URLs
// first appear. Entries without a response (status 0: blocked, failed or
// cancelled requests) are skipped.
//
// Browsers store the content after undoing its content coding, as text or,
// when its "encoding" says so, base64; the rules about the coding and
// about Content-Length against the content therefore do not apply to HAR
// input. An entry whose content was not saved, or whose size is unknown
// (-1), is checked without it.
// HTTP/2 pseudo-header fields (":status", ":path", ...) are ignored.
//
// An entry of status 200 to a request with If-None-Match or
// If-Modified-Since that received no content (a bodySize of 0) though it
// has some is the browser's cached 200 after the server answered 304:
// Playwright's recorder over Chromium writes such a revalidation with the
// status of the cached response and the fields of the 304. It is checked,
// and listed in Statuses, as the 304 the server sent.
//
// CheckHAR returns an error wrapping ErrNotHAR for input that is not a
// HAR document, and an error when the input cannot be read or is larger
// than MaxHAR.
func CheckHAR(r io.Reader) ([]HARResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxHAR+1))
	if err != nil {
		return nil, fmt.Errorf("conform: reading the HAR file: %w", err)
	}
	if len(data) > MaxHAR {
		return nil, fmt.Errorf("conform: the HAR file is larger than %d bytes", MaxHAR)
	}
	var f harFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("conform: %w: %v", ErrNotHAR, err)
	}
	if f.Log == nil {
		return nil, fmt.Errorf("conform: %w: it has no \"log\" object", ErrNotHAR)
	}
	c := newChecker()
	var results []HARResult
	index := map[string]int{}
	seen := map[string]bool{}
	ok200 := map[string]http.Header{} // the header of the last 200 to a GET, by URL
	for i, e := range f.Log.Entries {
		if e.Response.Status == 0 {
			continue
		}
		in, err := harInput(e)
		if err != nil {
			return nil, fmt.Errorf("conform: %w: entry %d: %v", ErrNotHAR, i+1, err)
		}
		key := e.Request.URL
		j, ok := index[key]
		if !ok {
			j = len(results)
			index[key] = j
			results = append(results, HARResult{URL: key, Findings: []Finding{}})
		}
		res := &results[j]
		res.Entries++
		res.Statuses = append(res.Statuses, in.code)
		// An earlier 200 to a GET of the URL says which fields a 304 or
		// 206 must repeat; its length is unknown, the content being decoded.
		in.ok200, in.ok200Len = ok200[key], -1
		findings := c.check(in)
		if in.code == http.StatusOK && in.method == http.MethodGet {
			ok200[key] = in.header
		}
		for _, fd := range findings {
			if k := key + "\x00" + fd.ID + "\x00" + fd.Summary; !seen[k] {
				seen[k] = true
				res.Findings = append(res.Findings, fd)
			}
		}
	}
	for i := range results {
		slices.SortStableFunc(results[i].Findings, func(a, b Finding) int { return int(b.Severity - a.Severity) })
	}
	return results, nil
}

// harInput makes the input of one HAR entry.
func harInput(e harEntry) (*input, error) {
	u, err := url.Parse(e.Request.URL)
	if err != nil {
		return nil, fmt.Errorf("the request URL %q: %v", httptext.Clip(e.Request.URL, 60), err)
	}
	method := e.Request.Method
	if method == "" {
		method = http.MethodGet
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: harFields(e.Request.Headers)}
	in := &input{
		code:    e.Response.Status,
		phrase:  e.Response.StatusText,
		header:  harFields(e.Response.Headers),
		req:     req,
		decoded: true, uncoded: true,
	}
	switch ct := e.Response.Content; {
	case ct.Text == nil:
		// Without the text, only a size of 0 says what the content was.
		// A size of -1 is unknown: Playwright's recorder over Chromium
		// writes it for a redirect, a 304 and a load abandoned after the
		// header section.
		in.complete = ct.Size != nil && *ct.Size == 0
	case strings.EqualFold(ct.Encoding, "base64"):
		b, err := base64.StdEncoding.DecodeString(*ct.Text)
		if err != nil {
			return nil, fmt.Errorf("the base64 content of %s: %v", httptext.Clip(e.Request.URL, 60), err)
		}
		in.body, in.complete = b, true
	default:
		in.body, in.complete = []byte(*ct.Text), true
	}
	if len(in.body) > MaxContent {
		in.body, in.complete = in.body[:MaxContent], false
	}
	if e.revalidated(req.Header, in.body) {
		// The 304 had no content and its reason phrase is not recorded.
		in.code, in.phrase, in.body, in.complete = http.StatusNotModified, "", nil, true
	}
	return in, nil
}

// revalidated reports whether e, whose request has the fields h and whose
// recorded content is body, stands for a 304 after which the browser used
// the content of its cache: a 200 to a conditional request for which no
// content was received (HAR's bodySize of 0, "from the cache"), though it
// has some.
func (e *harEntry) revalidated(h http.Header, body []byte) bool {
	r := e.Response
	received := r.BodySize == nil || *r.BodySize != 0
	has := len(body) > 0 || r.Content.Size != nil && *r.Content.Size > 0
	conditional := h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != ""
	return r.Status == http.StatusOK && !received && has && conditional
}

// harFields turns HAR name/value pairs into a header, leaving out HTTP/2
// pseudo-header fields.
func harFields(pairs []harHeader) http.Header {
	h := http.Header{}
	for _, p := range pairs {
		if p.Name == "" || p.Name[0] == ':' {
			continue
		}
		key := http.CanonicalHeaderKey(p.Name)
		h[key] = append(h[key], p.Value)
	}
	return h
}
