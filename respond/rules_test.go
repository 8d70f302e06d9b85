package respond

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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
}

// expectation is what the registry says about a code, or for a code it
// does not know, what its class says.
func expectation(code int) *httpstatus.Entry {
	if e, ok := httpstatus.Lookup(code); ok {
		return e
	}
	e := &httpstatus.Entry{Code: code, Phrase: "Status " + strconv.Itoa(code), Content: httpstatus.ContentAllowed, Caching: httpstatus.CachingExplicit}
	if httpstatus.IsInformational(code) {
		e.Content = httpstatus.ContentNone
	}
	return e
}

// complete returns a Problem for code that carries every header field the
// registry requires of it.
func complete(code int) *Problem {
	p := New(code).WithDetail("Test detail for " + strconv.Itoa(code) + ".")
	for _, rule := range expectation(code).Headers {
		if rule.Level == httpstatus.LevelMust && applies(rule.Applies, httptest.NewRequest("GET", "/", nil)) == yes {
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
				get := record(t, http.MethodGet, av.accept, complete(code))
				head := record(t, http.MethodHead, av.accept, complete(code))
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
	for e := range httpstatus.Codes() {
		for _, rule := range e.Headers {
			if rule.Level != httpstatus.LevelMust || applies(rule.Applies, httptest.NewRequest("GET", "/", nil)) != yes {
				continue
			}
			tested++
			t.Run(strconv.Itoa(e.Code)+"/"+rule.Field, func(t *testing.T) {
				t.Parallel()
				for _, av := range acceptVariants {
					var get *httptest.ResponseRecorder
					for _, method := range []string{http.MethodGet, http.MethodHead} {
						p := complete(e.Code)
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
	t.Logf("%d required header rules checked", tested)
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
	e := expectation(code)
	h := w.Result().Header
	where := strconv.Itoa(code) + " " + method + " Accept=" + strconv.Quote(accept)
	if w.Code != code {
		t.Fatalf("%s: status %d", where, w.Code)
	}
	req := httptest.NewRequest(method, "/", nil)
	for _, rule := range e.Headers {
		switch {
		case rule.Level == httpstatus.LevelMust && applies(rule.Applies, req) == yes:
			if _, ok := h[http.CanonicalHeaderKey(rule.Field)]; !ok {
				t.Errorf("%s: %s missing, a MUST (%s)", where, rule.Field, rule.When)
			}
		case rule.Level == httpstatus.LevelMustNot && applies(rule.Applies, req) == yes:
			if _, ok := h[http.CanonicalHeaderKey(rule.Field)]; ok {
				t.Errorf("%s: %s present, a MUST NOT (%s)", where, rule.Field, rule.When)
			}
		}
	}
	if e.Caching == httpstatus.CachingNoStore && !strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Errorf("%s: Cache-Control %q, want no-store", where, h.Get("Cache-Control"))
	}
	if e.Content == httpstatus.ContentNone {
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

// checkBody checks that a body states the status, phrase and meaning and,
// for errors, the condition and the retry guidance.
func checkBody(t *testing.T, where string, e *httpstatus.Entry, media, body string) {
	t.Helper()
	switch media {
	case MediaProblemJSON, MediaJSON:
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: invalid JSON: %v\n%s", where, err, body)
		}
		want := map[string]any{"type": "about:blank", "title": e.Phrase, "status": float64(e.Code)}
		if e.Summary != "" {
			want["summary"] = e.Summary
		}
		if e.Condition != 0 {
			want["condition"] = e.Condition.String()
		}
		if e.Retry != 0 && e.Retry != httpstatus.RetryNotApplicable {
			want["retry"] = e.Retry.String()
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s: member %s = %v, want %v", where, k, m[k], v)
			}
		}
		if httpstatus.IsError(e.Code) && m["condition"] == nil {
			t.Errorf("%s: an error body without a condition", where)
		}
	case MediaHTML:
		for _, s := range []string{`<html lang="en">`, "<main>", "<h1>", "<title>", escapeHTML(e.Phrase)} {
			if !strings.Contains(body, s) {
				t.Errorf("%s: HTML page lacks %q", where, s)
			}
		}
		if httpstatus.IsError(e.Code) && !strings.Contains(body, escapeHTML(conditionText(e.Condition))) {
			t.Errorf("%s: HTML page does not state the condition", where)
		}
	case MediaText:
		first, _, _ := strings.Cut(body, "\n")
		if first != strconv.Itoa(e.Code)+" "+e.Phrase {
			t.Errorf("%s: first line %q", where, first)
		}
		if httpstatus.IsError(e.Code) && !strings.Contains(body, conditionText(e.Condition)) {
			t.Errorf("%s: text does not state the condition", where)
		}
	default:
		t.Errorf("%s: unexpected media %s", where, media)
	}
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestAppliesUnderstandsRegistry checks that every condition the registry
// attaches to a MUST or MUST NOT is either understood or one only the
// caller can judge, that "always" always applies, and "connect" only to
// CONNECT.
func TestAppliesUnderstandsRegistry(t *testing.T) {
	t.Parallel()
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	connect := httptest.NewRequest(http.MethodConnect, "/", nil)
	for e := range httpstatus.All() {
		for _, rule := range e.Headers {
			if !rule.Level.Required() {
				continue
			}
			got := applies(rule.Applies, get)
			if rule.Applies == httpstatus.AppliesAlways && got != yes {
				t.Errorf("%s %s %s %q: applies = %d", e, rule.Field, rule.Level, rule.When, got)
			}
			if got == unknown {
				t.Logf("%s: %s %s %q is left to the caller", e, rule.Field, rule.Level, rule.When)
			}
			if rule.Applies == httpstatus.AppliesToConnect && (applies(rule.Applies, connect) != yes || got != no) {
				t.Errorf("%s %s: %q does not apply to CONNECT alone", e, rule.Field, rule.When)
			}
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
