package respond

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/httpstatus/httpstatus"
)

// acceptVariants are the Accept values every code is written for, with the
// media type each one should get for an error status.
var acceptVariants = []struct {
	accept string
	media  string
}{
	{"", MediaProblemJSON},
	{"*/*", MediaProblemJSON},
	{"application/problem+json", MediaProblemJSON},
	{"application/json", MediaJSON},
	{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", MediaHTML},
	{"text/plain", MediaText},
	{"image/png", MediaProblemJSON}, // nothing acceptable
}

// sampleValues gives required header fields a plausible value; a field not
// listed gets "test". They are facts about header fields, not about codes.
var sampleValues = map[string]string{
	"Allow":              "GET, HEAD",
	"Www-Authenticate":   `Basic realm="test"`,
	"Proxy-Authenticate": `Basic realm="proxy"`,
	"Upgrade":            "websocket",
	"Content-Range":      "bytes 0-9/100",
	"Location":           "/elsewhere",
	"Etag":               `"v1"`,
	"Last-Modified":      "Mon, 02 Jan 2006 15:04:05 GMT",
	"Connection":         "upgrade",
}

// fileEntry is a record of codes.json as these tests read it: straight
// from the data file, so that what they expect comes neither from the
// generated tables nor from the code under test.
type fileEntry struct {
	Code      int        `json:"code"`
	Phrase    string     `json:"phrase"`
	Origin    string     `json:"origin"`
	Summary   string     `json:"summary"`
	Condition string     `json:"condition"`
	Content   string     `json:"content"`
	Caching   string     `json:"caching"`
	Retry     string     `json:"retry"`
	Headers   []fileRule `json:"headers"`
}

type fileRule struct {
	Field   string `json:"field"`
	Level   string `json:"level"`
	Applies string `json:"applies"`
	When    string `json:"when"`
}

// primaryRecords returns the primary record of every number in codes.json:
// its IANA record when it has one, otherwise its first.
var primaryRecords = sync.OnceValues(func() (map[int]*fileEntry, error) {
	raw, err := os.ReadFile("../codes.json")
	if err != nil {
		return nil, err
	}
	var data struct{ Entries []*fileEntry }
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, fmt.Errorf("codes.json: %w", err)
	}
	primary := map[int]*fileEntry{}
	for _, e := range data.Entries {
		if p, ok := primary[e.Code]; !ok || (e.Origin == "IANA" && p.Origin != "IANA") {
			primary[e.Code] = e
		}
	}
	return primary, nil
})

// knownCodes returns the numbers codes.json describes, in order.
func knownCodes(t *testing.T) []int {
	t.Helper()
	records, err := primaryRecords()
	if err != nil {
		t.Fatal(err)
	}
	var codes []int
	for c := range records {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// expectation is what codes.json says about a code, or for a code it does
// not describe, what Write promises of any code of its class: no header
// rules, content except on 1xx, no default caching, and a condition that
// an error does not state.
func expectation(t *testing.T, code int) *fileEntry {
	t.Helper()
	records, err := primaryRecords()
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := records[code]; ok {
		return e
	}
	e := &fileEntry{Code: code, Phrase: "Status " + strconv.Itoa(code), Condition: "none", Content: "allowed", Caching: "explicit"}
	if httpstatus.IsInformational(code) {
		e.Content = "none"
	}
	if httpstatus.IsError(code) {
		e.Condition = "either"
	}
	return e
}

// appliesTable says, for each way a rule can apply in codes.json, whether
// it holds for what Write sends to a GET and to a CONNECT, neither with an
// If-Range field: Write sends one part and knows the request; whether the
// resource would carry a field, and whether an interim response is the
// first of its code, only the caller can judge.
var appliesTable = map[string]struct {
	value        httpstatus.Applies
	get, connect tristate
}{
	"always":        {httpstatus.AppliesAlways, yes, yes},
	"single-part":   {httpstatus.AppliesToSinglePart, yes, yes},
	"multipart":     {httpstatus.AppliesToMultipart, no, no},
	"connect":       {httpstatus.AppliesToConnect, no, yes},
	"range-request": {httpstatus.AppliesToRangeRequest, unknown, unknown},
	"judgement":     {httpstatus.AppliesByJudgement, unknown, unknown},
	"post":          {httpstatus.AppliesToPost, no, no},
	"if-range":      {httpstatus.AppliesToIfRange, no, no},
	"later-interim": {httpstatus.AppliesToLaterInterim, unknown, unknown},
}

// holds reports, from appliesTable, whether rule holds for Write's answer
// to a request with the method.
func holds(t *testing.T, rule fileRule, method string) tristate {
	t.Helper()
	a, ok := appliesTable[rule.Applies]
	if !ok {
		t.Fatalf("codes.json has a rule that applies %q, which appliesTable does not list", rule.Applies)
	}
	if method == http.MethodConnect {
		return a.connect
	}
	return a.get
}

// complete returns a Problem for code that carries every header field
// codes.json requires of it.
func complete(t *testing.T, code int) *Problem {
	t.Helper()
	p := New(code).WithDetail("Test detail for " + strconv.Itoa(code) + ".")
	for _, rule := range expectation(t, code).Headers {
		if rule.Level == "MUST" && holds(t, rule, http.MethodGet) == yes {
			v, ok := sampleValues[http.CanonicalHeaderKey(rule.Field)]
			if !ok {
				v = "test"
			}
			p.WithHeader(rule.Field, v)
		}
	}
	return p
}

// TestWriteFollowsRegistry writes every valid code, those the registry
// knows and those it does not, with GET and HEAD and every Accept variant,
// and checks the response against the rules the registry gives the code.
func TestWriteFollowsRegistry(t *testing.T) {
	t.Parallel()
	for code := 100; code <= 599; code++ {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			for _, av := range acceptVariants {
				get := record(t, http.MethodGet, av.accept, complete(t, code))
				head := record(t, http.MethodHead, av.accept, complete(t, code))
				checkResponse(t, code, http.MethodGet, av.accept, av.media, get, nil)
				checkResponse(t, code, http.MethodHead, av.accept, av.media, head, get)
			}
		})
	}
}

// TestMissingRequiredHeader leaves out, one at a time, each header field a
// code requires: Write must answer 500, break no rule of 500 either, and
// return ErrMissingHeader.
func TestMissingRequiredHeader(t *testing.T) {
	t.Parallel()
	tested := 0
	for _, code := range knownCodes(t) {
		for _, rule := range expectation(t, code).Headers {
			if rule.Level != "MUST" || holds(t, rule, http.MethodGet) != yes {
				continue
			}
			tested++
			t.Run(strconv.Itoa(code)+"/"+rule.Field, func(t *testing.T) {
				t.Parallel()
				for _, av := range acceptVariants {
					var get *httptest.ResponseRecorder
					for _, method := range []string{http.MethodGet, http.MethodHead} {
						p := complete(t, code)
						p.Header.Del(rule.Field)
						w := httptest.NewRecorder()
						r := httptest.NewRequest(method, "/", nil)
						r.Header.Set("Accept", av.accept)
						err := Write(w, r, p)
						if !errors.Is(err, ErrMissingHeader) {
							t.Fatalf("%s %q: Write = %v, want ErrMissingHeader", method, av.accept, err)
						}
						if !strings.Contains(err.Error(), rule.Field) {
							t.Errorf("error %q does not name %s", err, rule.Field)
						}
						if w.Header().Get(rule.Field) != "" && !strings.EqualFold(rule.Field, "Allow") {
							t.Errorf("the 500 carries %s from the failed problem", rule.Field)
						}
						checkResponse(t, 500, method, av.accept, av.media, w, get)
						if strings.Contains(w.Body.String(), "Test detail") {
							t.Errorf("the 500 shows the failed problem's detail: %s", w.Body)
						}
						get = w
					}
				}
			})
		}
	}
	if tested < 5 {
		t.Errorf("%d required header rules checked; codes.json has at least five (101, 401, 405, 407, 426)", tested)
	}
}

func record(t *testing.T, method, accept string, p *Problem) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(method, "/test", nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	if err := Write(w, r, p); err != nil {
		t.Fatalf("%d %s %q: Write: %v", p.Status, method, accept, err)
	}
	return w
}

// checkResponse checks a written response against the rules of code. get
// is the GET response when w answers HEAD.
func checkResponse(t *testing.T, code int, method, accept, media string, w *httptest.ResponseRecorder, get *httptest.ResponseRecorder) {
	t.Helper()
	e := expectation(t, code)
	h := w.Result().Header
	where := strconv.Itoa(code) + " " + method + " Accept=" + strconv.Quote(accept)
	if w.Code != code {
		t.Fatalf("%s: status %d", where, w.Code)
	}
	for _, rule := range e.Headers {
		_, present := h[http.CanonicalHeaderKey(rule.Field)]
		switch hold := holds(t, rule, method); {
		case rule.Level == "MUST" && hold == yes && !present:
			t.Errorf("%s: %s missing, a MUST (%s)", where, rule.Field, rule.When)
		case rule.Level == "MUST NOT" && hold != no && present:
			// Where only the caller can judge, Write removes the field to be safe.
			t.Errorf("%s: %s present, a MUST NOT (%s)", where, rule.Field, rule.When)
		}
	}
	if e.Caching == "no-store" && !strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Errorf("%s: Cache-Control %q, want no-store", where, h.Get("Cache-Control"))
	}
	if e.Content == "none" {
		if w.Body.Len() != 0 {
			t.Errorf("%s: %d bytes of content on a code that has none", where, w.Body.Len())
		}
		for _, f := range []string{"Content-Type", "Transfer-Encoding"} {
			if v := h.Get(f); v != "" {
				t.Errorf("%s: %s %q on a code without content", where, f, v)
			}
		}
		if v := h.Get("Content-Length"); v != "" && v != "0" {
			t.Errorf("%s: Content-Length %q on a code without content", where, v)
		}
		if get != nil && h.Get("Content-Length") != get.Result().Header.Get("Content-Length") {
			t.Errorf("%s: HEAD Content-Length %q, GET %q", where, h.Get("Content-Length"), get.Result().Header.Get("Content-Length"))
		}
		return
	}
	if code < 400 && media == MediaProblemJSON {
		media = MediaJSON
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, media) {
		t.Errorf("%s: Content-Type %q, want %s", where, ct, media)
	}
	if !strings.Contains(h.Get("Vary"), "Accept") {
		t.Errorf("%s: Vary %q lacks Accept", where, h.Get("Vary"))
	}
	if method == http.MethodHead {
		if w.Body.Len() != 0 {
			t.Errorf("%s: HEAD response has %d bytes of content", where, w.Body.Len())
		}
		for _, f := range []string{"Content-Length", "Content-Type", "Vary", "Cache-Control", "Retry-After"} {
			if h.Get(f) != get.Result().Header.Get(f) {
				t.Errorf("%s: HEAD %s %q, GET %q", where, f, h.Get(f), get.Result().Header.Get(f))
			}
		}
		return
	}
	if cl := h.Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
		t.Errorf("%s: Content-Length %q for %d bytes", where, cl, w.Body.Len())
	}
	checkBody(t, where, e, media, w.Body.String())
}

// conditionSentences are what the HTML and text bodies say of each
// condition an error can have.
var conditionSentences = map[string]string{
	"temporary": "This condition is temporary: the same request may succeed later.",
	"permanent": "This condition is permanent: repeating the request will not help.",
	"either":    "The server has not said whether this condition is temporary or permanent.",
}

// checkBody checks that a body states the status, phrase and meaning and,
// for errors, the condition and the retry guidance.
func checkBody(t *testing.T, where string, e *fileEntry, media, body string) {
	t.Helper()
	sentence, ok := conditionSentences[e.Condition]
	if httpstatus.IsError(e.Code) && !ok {
		t.Fatalf("%s: an error with the condition %q, which conditionSentences lacks", where, e.Condition)
	}
	switch media {
	case MediaProblemJSON, MediaJSON:
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: invalid JSON: %v\n%s", where, err, body)
		}
		want := map[string]any{"type": "about:blank", "title": e.Phrase, "status": float64(e.Code), "condition": e.Condition}
		if e.Summary != "" {
			want["summary"] = e.Summary
		}
		if e.Retry != "" && e.Retry != "n/a" {
			want["retry"] = e.Retry
		} else if r, ok := m["retry"]; ok {
			t.Errorf("%s: member retry = %v, want none", where, r)
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s: member %s = %v, want %v", where, k, m[k], v)
			}
		}
	case MediaHTML:
		for _, s := range []string{`<html lang="en">`, "<main>", "<h1>", "<title>", escapeHTML(e.Phrase)} {
			if !strings.Contains(body, s) {
				t.Errorf("%s: HTML page lacks %q", where, s)
			}
		}
		if httpstatus.IsError(e.Code) && !strings.Contains(body, escapeHTML(sentence)) {
			t.Errorf("%s: HTML page does not state the condition %s", where, e.Condition)
		}
	case MediaText:
		first, _, _ := strings.Cut(body, "\n")
		if first != strconv.Itoa(e.Code)+" "+e.Phrase {
			t.Errorf("%s: first line %q", where, first)
		}
		if httpstatus.IsError(e.Code) && !strings.Contains(body, sentence) {
			t.Errorf("%s: text does not state the condition %s", where, e.Condition)
		}
	default:
		t.Errorf("%s: unexpected media %s", where, media)
	}
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestApplies checks applies against appliesTable, and that the table
// covers every way a rule of codes.json applies.
func TestApplies(t *testing.T) {
	t.Parallel()
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	connect := httptest.NewRequest(http.MethodConnect, "/", nil)
	for name, a := range appliesTable {
		if got := applies(a.value, get); got != a.get {
			t.Errorf("applies(%s, GET) = %d, want %d", name, got, a.get)
		}
		if got := applies(a.value, connect); got != a.connect {
			t.Errorf("applies(%s, CONNECT) = %d, want %d", name, got, a.connect)
		}
	}
	if got := applies(0, get); got != unknown {
		t.Errorf("applies(0, GET) = %d, want unknown", got)
	}
	for _, code := range knownCodes(t) {
		for _, rule := range expectation(t, code).Headers {
			holds(t, rule, http.MethodGet) // fails on a value the table lacks
		}
	}
}

// FuzzWrite writes problems with arbitrary status, text and Accept, and
// checks that the result is a well-formed response with the status the
// problem asked for, or a 500 with an error when it broke a rule.
func FuzzWrite(f *testing.F) {
	f.Add(404, "text/html", "detail <b>&</b>", "key", "\xff\u2028")
	f.Add(405, "*/*", "", "status", "x")
	f.Add(204, "text/plain", "no body", "", "")
	f.Add(599, "application/json;q=0.5", "\x00\x1f\"\\", "a\"b", "c")
	f.Fuzz(func(t *testing.T, status int, accept, detail, key, value string) {
		p := New(status).WithDetail(detail).WithInstance(value).WithExtension(key, value)
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		err := Write(w, r, p)
		want := status
		if err != nil {
			want = 500
		}
		if w.Code != want {
			t.Fatalf("status %d, Write error %v, wrote %d", status, err, w.Code)
		}
		if w.Body.Len() == 0 {
			return
		}
		if ct := w.Header().Get("Content-Type"); strings.HasSuffix(ct, "json") {
			var m map[string]any
			if jerr := json.Unmarshal(w.Body.Bytes(), &m); jerr != nil {
				t.Fatalf("invalid JSON: %v\n%q", jerr, w.Body)
			}
			if m["status"] != float64(want) {
				t.Fatalf("status member %v, wrote %d", m["status"], want)
			}
		}
		if strconv.Itoa(w.Body.Len()) != w.Header().Get("Content-Length") {
			t.Fatalf("Content-Length %s for %d bytes", w.Header().Get("Content-Length"), w.Body.Len())
		}
	})
}

// TestJudgedMustNotLeftToCaller checks that Write keeps a field the caller
// set when the code both requires it and, in cases Write cannot tell,
// forbids it: 104's Location belongs in the first interim response to an
// upload creation and in no later one. A field only forbidden goes.
func TestJudgedMustNotLeftToCaller(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/uploads", nil)
	p := New(104).WithHeader("Location", "/uploads/1").WithHeader("Upload-Draft-Interop-Version", "6")
	if err := Write(w, r, p); err != nil {
		t.Fatal(err)
	}
	if got := w.Header().Get("Location"); got != "/uploads/1" {
		t.Errorf("104: Location %q, want the caller's /uploads/1", got)
	}
	w = httptest.NewRecorder()
	p = New(304).WithHeader("Content-Length", "10").WithHeader("ETag", `"v1"`)
	if err := Write(w, httptest.NewRequest(http.MethodGet, "/", nil), p); err != nil {
		t.Fatal(err)
	}
	if got := w.Header().Get("Content-Length"); got == "10" {
		t.Errorf("304: Content-Length %q kept, though only forbidden", got)
	}
}
