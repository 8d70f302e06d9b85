package conform

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"github.com/httpstatus/httpstatus/server"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// resource is a static resource served with http.ServeContent, whose
// switches each break one thing a probe checks. Its zero value follows
// every rule.
type resource struct {
	ignoreINM, ignoreIMS, ignoreRange bool
	drop304                           string // a field the 304 leaves out
	length304                         string // a Content-Length the 304 sends
	lieBytes, lieLength, otherPart    bool   // wrong 206 answers to one range
	partialPastEnd, badMultipart      bool
	coalesce                          bool // one part for two ranges: correct
	headStatus, headLength, headDrop  bool
	gzipNoVary, gzipSameETag          bool
	jsonNoVary                        bool // JSON for Accept: application/json, without Vary: Accept
	gzipStatus                        bool // 406 to Accept-Encoding: gzip
	optionsNoAllow, unknownOK, trace  bool
}

var (
	resourceContent = func() []byte {
		var b bytes.Buffer
		for i := range 40 {
			fmt.Fprintf(&b, "line %02d of the sample resource\n", i)
		}
		return b.Bytes()
	}()
	resourceModified = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
)

const resourceAllow = "GET, HEAD, OPTIONS"

func (f resource) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		if !f.optionsNoAllow {
			w.Header().Set("Allow", resourceAllow)
		}
		w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodTrace, http.MethodPut, http.MethodDelete:
		if f.trace && r.Method == http.MethodTrace {
			w.Header().Set("Content-Type", "message/http")
			w.Write([]byte("TRACE / HTTP/1.1\r\n\r\n"))
			return
		}
		w.Header().Set("Allow", resourceAllow)
		http.Error(w, "not allowed here", http.StatusMethodNotAllowed)
		return
	default:
		if f.unknownOK {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("fine"))
			return
		}
		http.Error(w, "unknown method", http.StatusNotImplemented)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "max-age=60")
	if !f.gzipNoVary {
		h.Set("Vary", "Accept-Encoding")
	}
	content, etag := resourceContent, `"v1"`
	if f.jsonNoVary && r.Header.Get("Accept") == "application/json" {
		h.Set("Content-Type", "application/json")
		content, etag = []byte(`{"lines": 40}`), `"v1-json"`
	}
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if f.gzipStatus {
			http.Error(w, "no gzip here", http.StatusNotAcceptable)
			return
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(resourceContent)
		zw.Close()
		content = b.Bytes()
		h.Set("Content-Encoding", "gzip")
		if !f.gzipSameETag {
			etag = `"v1-gzip"`
		}
	}
	h.Set("ETag", etag)
	h.Set("Last-Modified", resourceModified.Format(http.TimeFormat))
	if r.Method == http.MethodHead {
		switch {
		case f.headStatus:
			w.WriteHeader(http.StatusNotFound)
			return
		case f.headLength:
			h.Set("Content-Length", strconv.Itoa(len(content)+10))
			return
		case f.headDrop:
			h.Del("Cache-Control")
		}
	}
	if f.ignoreINM {
		r.Header.Del("If-None-Match")
	}
	if f.ignoreIMS {
		r.Header.Del("If-Modified-Since")
	}
	if f.ignoreRange {
		r.Header.Del("Range")
	}
	if rng := r.Header.Get("Range"); rng != "" && f.brokenRange(w, rng, content) {
		return
	}
	if f.drop304 != "" || f.length304 != "" {
		w = dropOn304{w, f.drop304, f.length304}
	}
	http.ServeContent(w, r, "", resourceModified, bytes.NewReader(content))
}

// brokenRange answers a range request wrongly, as a switch says, and
// reports whether it did.
func (f resource) brokenRange(w http.ResponseWriter, rng string, content []byte) bool {
	var a, b int
	single := !strings.Contains(rng, ",")
	n, _ := fmt.Sscanf(rng, "bytes=%d-%d", &a, &b)
	partial := func(cr string, part []byte) bool {
		w.Header().Set("Content-Range", cr)
		w.Header().Set("Content-Length", strconv.Itoa(len(part)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write(part)
		return true
	}
	switch {
	case f.partialPastEnd && n >= 1 && a >= len(content):
		return partial(fmt.Sprintf("bytes %d-%d/%d", len(content)-1, len(content)-1, len(content)), content[len(content)-1:])
	case f.lieLength && n >= 1 && a >= len(content):
		w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", len(content)+5))
		http.Error(w, "out of range", http.StatusRequestedRangeNotSatisfiable)
		return true
	case !single || n != 2 || b >= len(content):
		if f.coalesce && !single {
			return partial(fmt.Sprintf("bytes 0-%d/%d", len(content)-1, len(content)), content)
		}
		if f.badMultipart && !single {
			w.Header().Set("Content-Type", "multipart/byteranges; boundary=XYZ")
			w.WriteHeader(http.StatusPartialContent)
			fmt.Fprintf(w, "--XYZ\r\nContent-Type: text/plain\r\n\r\n%s\r\n--XYZ--\r\n", content[:2])
			return true
		}
		return false
	case f.lieBytes:
		return partial(fmt.Sprintf("bytes %d-%d/%d", a, b, len(content)), bytes.Repeat([]byte("x"), b-a+1))
	case f.lieLength:
		return partial(fmt.Sprintf("bytes %d-%d/%d", a, b, len(content)*2), content[a:b+1])
	case f.otherPart:
		return partial(fmt.Sprintf("bytes 0-0/%d", len(content)), content[:1])
	}
	return false
}

// dropOn304 leaves a field out of a 304 response, or sets its length.
type dropOn304 struct {
	http.ResponseWriter
	field, length string
}

func (d dropOn304) WriteHeader(code int) {
	if code == http.StatusNotModified {
		d.Header().Del(d.field)
		if d.length != "" {
			// net/http drops Content-Length from a 304; write it raw.
			conn, rw, err := http.NewResponseController(d.ResponseWriter).Hijack()
			if err != nil {
				panic(err)
			}
			defer conn.Close()
			d.Header().Set("Content-Length", d.length)
			d.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
			rw.WriteString("HTTP/1.1 304 Not Modified\r\n")
			d.Header().Write(rw)
			rw.WriteString("Connection: close\r\n\r\n")
			rw.Flush()
			return
		}
	}
	d.ResponseWriter.WriteHeader(code)
}

// probe runs Probe against h on a loopback server.
func probe(t *testing.T, h http.Handler, path string, opts ...ProbeOption) *Report {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Probe(context.Background(), srv.Client(), req, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// A probeCase is a resource that breaks a probe's rule; the zero resource
// keeps it.
type probeCase struct {
	id  string
	bad resource
}

var probeCases = []probeCase{
	{RuleIfNoneMatchIgnored, resource{ignoreINM: true}},
	{RuleIfModifiedSinceIgnored, resource{ignoreIMS: true}},
	{RuleRangeIgnored, resource{ignoreRange: true}},
	{RulePartialContentBytes, resource{lieBytes: true}},
	{RuleRangeOtherPart, resource{otherPart: true}},
	{RuleContentRangeLength, resource{lieLength: true}},
	{RuleUnsatisfiableRangePartial, resource{partialPastEnd: true}},
	{RuleMultipartInvalid, resource{badMultipart: true}},
	{RuleHeadStatusMismatch, resource{headStatus: true}},
	{RuleHeadLengthMismatch, resource{headLength: true}},
	{RuleHeadFieldsMismatch, resource{headDrop: true}},
	{RuleVaryMissing, resource{gzipNoVary: true}},
	{RuleVaryMissing, resource{jsonNoVary: true}},
	{RuleNegotiationInconsistent, resource{gzipStatus: true}},
	{RuleStrongETagShared, resource{gzipSameETag: true}},
	{RuleOptionsWithoutAllow, resource{optionsNoAllow: true}},
	{RuleUnknownMethodStatus, resource{unknownOK: true}},
	{RuleMethodOutsideAllow, resource{trace: true}},
	{RuleRequiredHeader, resource{drop304: "Cache-Control"}},
	{RuleRequiredHeader, resource{drop304: "ETag"}},
	{RuleForbiddenHeader, resource{length304: "0"}},
}

// TestProbeRuleFiresAndStaysSilent probes a resource that breaks each
// rule, and the resource that keeps them all.
func TestProbeRuleFiresAndStaysSilent(t *testing.T) {
	t.Parallel()
	for _, good := range []resource{{}, {coalesce: true}, {length304: strconv.Itoa(len(resourceContent))}} {
		for _, f := range probe(t, good, "/").Findings {
			// Info findings of rules left to judgement may come and go with
			// the registry; none of a probe case's rule, and nothing worse.
			if f.Severity >= SeverityWarning || slices.ContainsFunc(probeCases, func(pc probeCase) bool { return pc.id == f.ID }) {
				t.Errorf("the good resource %+v: %s", good, f)
			}
		}
	}
	for _, pc := range probeCases {
		t.Run(pc.id, func(t *testing.T) {
			t.Parallel()
			rep := probe(t, pc.bad, "/")
			f, ok := hasID(rep.Findings, pc.id)
			if !ok {
				t.Fatalf("%s did not fire; findings: %v; requests: %+v", pc.id, rep.Findings, rep.Requests)
			}
			if f.Summary == "" || f.Ref.Document == "" || f.Explanation == "" || f.Code == 0 {
				t.Errorf("finding lacks a summary, explanation, code or reference: %+v", f)
			}
			t.Log(f)
		})
	}
}

// TestProbeFileServer probes Go's http.FileServer, which handles
// validators and ranges correctly: no error may come out.
func TestProbeFileServer(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"page.html": {Data: []byte("<!doctype html><title>x</title><p>" + strings.Repeat("hello ", 200)), ModTime: resourceModified},
		"data.txt":  {Data: resourceContent, ModTime: resourceModified},
		"tiny.txt":  {Data: []byte("hi"), ModTime: resourceModified},
	}
	for _, path := range []string{"/page.html", "/data.txt", "/tiny.txt", "/", "/missing"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			rep := probe(t, http.FileServerFS(fsys), path)
			for _, f := range rep.Findings {
				if f.Severity >= SeverityError {
					t.Errorf("%s", f)
				} else {
					t.Log(f)
				}
			}
			if len(rep.Requests) < 4 {
				t.Errorf("only %d requests sent: %+v", len(rep.Requests), rep.Requests)
			}
		})
	}
}

// TestProbeBounds shows the request bound kept and the skipped probes
// listed, the unsafe methods sent only when asked for, and every request
// in the report.
func TestProbeBounds(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sent []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = append(sent, r.Method)
		mu.Unlock()
		resource{}.ServeHTTP(w, r)
	})
	methods := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := sent
		sent = nil
		return out
	}
	rep := probe(t, h, "/", WithMaxRequests(3))
	if got := methods(); len(rep.Requests) != 3 || len(got) != 3 || len(rep.Skipped) == 0 {
		t.Errorf("requests %d, sent %d, skipped %q", len(rep.Requests), len(got), rep.Skipped)
	}
	rep = probe(t, h, "/")
	got := methods()
	for _, m := range got {
		if m == http.MethodPut || m == http.MethodDelete || m == http.MethodPost {
			t.Errorf("%s sent without WithUnsafeMethods", m)
		}
	}
	if len(rep.Requests) != len(got) {
		t.Errorf("report lists %d requests, the server got %d", len(rep.Requests), len(got))
	}
	probe(t, h, "/", WithUnsafeMethods())
	if got := methods(); !slices.Contains(got, http.MethodDelete) || !slices.Contains(got, http.MethodPut) {
		t.Errorf("WithUnsafeMethods sent no DELETE or PUT: %v", got)
	}
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "big.txt", resourceModified, bytes.NewReader(bytes.Repeat(resourceContent, 100)))
	})
	rep = probe(t, big, "/", WithMaxBytes(100))
	if !rep.Requests[0].Truncated || rep.Requests[0].Bytes != 100 {
		t.Errorf("first exchange %+v", rep.Requests[0])
	}
	for _, f := range rep.Findings {
		if f.Severity >= SeverityError {
			t.Errorf("truncated content: %s", f)
		}
	}
}

func TestProbeErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	post, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
	rel := &http.Request{Method: http.MethodGet, URL: mustParse(t, "/x")}
	down, _ := http.NewRequest(http.MethodGet, closed.URL, nil)
	for _, tc := range []struct {
		name string
		req  *http.Request
		is   error
	}{
		{"nil", nil, ErrProbeRequest},
		{"post", post, ErrProbeRequest},
		{"relative", rel, ErrProbeRequest},
		{"refused", down, nil},
		{"cancelled", down, context.Canceled},
	} {
		ctx := context.Background()
		if tc.name == "cancelled" {
			c, cancel := context.WithCancel(ctx)
			cancel()
			ctx = c
		}
		rep, err := Probe(ctx, nil, tc.req)
		if err != nil {
			t.Logf("%s: %v", tc.name, err)
		}
		if err == nil || rep != nil || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: %v, %v", tc.name, rep, err)
		}
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := parseURIReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestProbeStatusServerResource runs the probes against the status
// server's real resource, which answers validators, ranges and methods
// as RFC 9110 asks: no error-level finding is expected, and the probes
// that settle validators and ranges must have run.
func TestProbeStatusServerResource(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/resource?key=probe", "/resource/big?key=probe&size=100000&type=application/json", "/206"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			rep := probe(t, server.New(), path)
			for _, f := range rep.Findings {
				if f.Severity >= SeverityError {
					t.Errorf("%s", f)
				} else {
					t.Log(f)
				}
			}
			sent := map[string]bool{}
			for _, r := range rep.Requests {
				for name := range r.Header {
					sent[name] = true
				}
			}
			for _, want := range []string{"If-None-Match", "Range"} {
				if path != "/206" && !sent[want] {
					t.Errorf("no probe sent %s; requests: %+v", want, rep.Requests)
				}
			}
		})
	}
}
