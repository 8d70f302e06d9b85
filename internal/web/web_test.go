package web

import (
	"crypto/tls"
	"encoding/json"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	httpstatus "github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/entryjson"
)

// newMux returns a mux with the web routes registered.
func newMux(t testing.TB, opts ...Option) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	Register(mux, opts...)
	return mux
}

// get serves one request and returns the response and its body.
func get(t testing.TB, h http.Handler, r *http.Request) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	res := rec.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	tests := []struct {
		method, target string
		status         int
		ctype          string
		contains       []string
		header         map[string]string // fields and their exact values
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", []string{"<h1>HTTP status codes</h1>", `id="c4xx"`, "Method Not Allowed", `name="q"`}, nil},
		{"HEAD", "/", 200, "text/html; charset=utf-8", nil, nil},
		{"GET", "/?q=too+large", 200, "text/html; charset=utf-8", []string{"Results for “too large”", "Content Too Large"}, nil},
		{"GET", "/?q=zzzzqq", 200, "text/html; charset=utf-8", []string{"No code matches “zzzzqq”"}, nil},
		{"GET", "/?q=", 200, "text/html; charset=utf-8", []string{`id="c2xx"`}, nil},
		{"GET", "/codes/404", 200, "text/html; charset=utf-8", []string{"<h1>", "Not Found", "curl -i http://example.com/404"}, nil},
		{"HEAD", "/codes/404", 200, "text/html; charset=utf-8", nil, nil},
		{"GET", "/codes/499", 200, "text/html; charset=utf-8", []string{"499 has 2 meanings", `id="nginx"`, `id="esri-arcgis"`}, nil},
		{"GET", "/codes/999", 404, "text/html; charset=utf-8", []string{"No status code 999", "three-digit numbers"}, nil},
		{"GET", "/codes/150", 404, "text/html; charset=utf-8", []string{"1xx Informational", `href="/codes/100"`, "Nearby codes"}, nil},
		{"GET", "/codes/0404", 404, "text/html; charset=utf-8", []string{"No status code 0404", "three-digit numbers"}, nil},
		{"GET", "/codes/600", 404, "text/html; charset=utf-8", []string{"No status code 600", "three-digit numbers"}, nil},
		{"GET", "/codes/zzzzqq", 404, "text/html; charset=utf-8", []string{"No status code called “zzzzqq”", `name="q"`}, nil},
		{"GET", "/codes/timeout", 404, "text/html; charset=utf-8", []string{"Codes that mention “timeout”", "Gateway Timeout"}, nil},
		{"GET", "/codes/", 302, "", nil, map[string]string{"Location": "/"}},
		// A flat list of entries, every meaning of a number its own.
		{"GET", "/api/codes", 200, "application/json", []string{`[{"code":100,"phrase":"Continue",`, `{"code":499,"phrase":"Client Closed Request",`, `{"code":499,"phrase":"Token Required",`}, nil},
		{"HEAD", "/api/codes", 200, "application/json", nil, nil},
		{"GET", "/api/codes/404", 200, "application/json", []string{`{"code":404,"meanings":[{"code":404,"phrase":"Not Found"`}, nil},
		{"GET", "/api/codes/477", 404, "application/problem+json", []string{`"status":404`, `"title":"Not Found"`, "no meaning of 477"}, nil},
		{"GET", "/api/codes/999", 400, "application/problem+json", []string{`"status":400`, `\"999\" is not one`}, nil},
		{"GET", "/api/codes/abc", 400, "application/problem+json", []string{`"status":400`, `\"abc\" is not one`}, nil},
		{"GET", "/api/codes/4040", 400, "application/problem+json", []string{`"status":400`, `\"4040\" is not one`}, nil},
		{"GET", "/api/codes?class=6xx", 400, "application/problem+json", []string{"1xx, 2xx"}, nil},
		{"GET", "/api/codes?official=maybe", 400, "application/problem+json", []string{`official must be true or false, not \"maybe\"`}, nil},
		{"GET", "/api/codes?colour=red", 400, "application/problem+json", []string{"Unknown parameter"}, nil},
		{"GET", "/api/codes?class=4xx&class=5xx", 400, "application/problem+json", []string{`Give the parameter \"class\" once`}, nil},
		{"GET", "/api/codes?q=%21%21", 400, "application/problem+json", []string{"q must hold a word or a number"}, nil},
		{"GET", "/static/style.css", 200, "text/css; charset=utf-8", []string{"prefers-color-scheme: dark"}, nil},
		{"GET", "/static/app.js", 200, "text/javascript; charset=utf-8", []string{"use strict"}, nil},
		{"GET", "/static/icon.svg", 200, "image/svg+xml", []string{"<svg"}, nil},
		{"GET", "/static/nope.css", 404, "application/problem+json", []string{`"status":404`, "no static file"}, nil},
		// A wrong method gets a 405 problem, not ServeMux's plain text.
		{"POST", "/", 405, "application/problem+json", []string{`"status":405`, "GET and HEAD only"}, map[string]string{"Allow": "GET, HEAD"}},
		{"DELETE", "/api/codes/404", 405, "application/problem+json", []string{`"status":405`}, map[string]string{"Allow": "GET, HEAD"}},
		{"DELETE", "/api/codes", 405, "application/problem+json", []string{`"status":405`}, map[string]string{"Allow": "GET, HEAD"}},
		{"PUT", "/codes/404", 405, "application/problem+json", []string{`"status":405`}, map[string]string{"Allow": "GET, HEAD"}},
		{"PATCH", "/codes/", 405, "application/problem+json", []string{`"status":405`}, map[string]string{"Allow": "GET, HEAD"}},
		{"POST", "/static/style.css", 405, "application/problem+json", []string{`"status":405`}, map[string]string{"Allow": "GET, HEAD"}},
		{"OPTIONS", "/api/codes", 405, "application/problem+json", nil, map[string]string{"Allow": "GET, HEAD"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			t.Parallel()
			res, body := get(t, mux, httptest.NewRequest(tt.method, tt.target, nil))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body:\n%.500s", res.StatusCode, tt.status, body)
			}
			if tt.ctype != "" && res.Header.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tt.ctype)
			}
			if tt.method == "HEAD" {
				if body != "" {
					t.Errorf("HEAD has a body of %d bytes", len(body))
				}
				getRes, getBody := get(t, mux, httptest.NewRequest("GET", tt.target, nil))
				if cl := res.Header.Get("Content-Length"); cl != getRes.Header.Get("Content-Length") || cl != strconv.Itoa(len(getBody)) {
					t.Errorf("HEAD Content-Length %q, GET %q for %d bytes", cl, getRes.Header.Get("Content-Length"), len(getBody))
				}
			}
			for field, want := range tt.header {
				if got := res.Header.Values(field); len(got) != 1 || got[0] != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			if tt.status < 300 || tt.status == 404 {
				if res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("security headers missing: %v", res.Header)
				}
			}
		})
	}
}

// TestEveryCodePage opens the page of every number and checks that it
// shows everything the registry holds about each meaning.
func TestEveryCodePage(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	for e := range httpstatus.Codes() {
		t.Run(strconv.Itoa(e.Code), func(t *testing.T) {
			t.Parallel()
			res, body := get(t, mux, httptest.NewRequest("GET", "/codes/"+strconv.Itoa(e.Code), nil))
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Content-Security-Policy"); got != pageCSP {
				t.Errorf("CSP %q", got)
			}
			esc := html.EscapeString
			want := []string{
				"<title>" + esc(e.String()) + " · httpstatus</title>",
				`<span class="num">` + strconv.Itoa(e.Code) + `</span>`,
				"curl -i http://example.com/" + strconv.Itoa(e.Code),
			}
			for _, m := range httpstatus.Meanings(e.Code) {
				want = append(want, esc(m.Phrase), esc(m.Summary), esc(m.Description), esc(m.Origin), esc(m.Ref.String()),
					esc(m.Condition.Describe()), esc(m.Content.Describe()), esc(m.Caching.Describe()), esc(m.Retry.Describe()), esc(m.RetryAdvice))
				if m.Ref.URL != "" {
					want = append(want, hrefAttr(t, m.Ref.URL))
				}
				for _, h := range m.Headers {
					want = append(want, "<code>"+esc(h.Field)+"</code>", esc(h.Level.String()), esc(h.When))
				}
				for _, n := range m.Names {
					want = append(want, esc(n.Phrase), esc(n.Note))
				}
				for _, c := range m.Related {
					if httpstatus.Known(c) {
						want = append(want, `href="/codes/`+strconv.Itoa(c)+`"`)
					}
				}
				if m.GoConstant != "" {
					want = append(want, "http."+m.GoConstant, esc(m.GoText))
				}
				if !m.Expires.IsZero() {
					want = append(want, m.Expires.String())
				}
				if !m.Withdrawn.IsZero() {
					want = append(want, m.Withdrawn.String())
				}
				for _, u := range m.Usage {
					want = append(want, esc(u.When))
				}
				checkClientRules(t, body, m)
			}
			prev, next := neighbours(e.Code)
			if prev != nil {
				want = append(want, `href="/codes/`+strconv.Itoa(prev.Code)+`" rel="prev"`)
			}
			if next != nil {
				want = append(want, `href="/codes/`+strconv.Itoa(next.Code)+`" rel="next"`)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("%d h1 elements, want 1", n)
			}
			checkSelfContained(t, body)
		})
	}
}

// checkClientRules checks the section of a code page on what a client
// does with m's answer: one item for each of m's client rules, in order,
// with its level, summary, linked reference and id, and no section when m
// has none.
func checkClientRules(t *testing.T, body string, m *httpstatus.Entry) {
	t.Helper()
	rules := m.ClientRules()
	heading := `id="` + anchor(m) + `-client"`
	start := strings.Index(body, heading)
	if len(rules) == 0 {
		if start >= 0 {
			t.Errorf("%s (%s) has no client rule, but its page has a section on them", m, m.Origin)
		}
		return
	}
	if start < 0 {
		t.Errorf("%s (%s): the page has no section on client rules (%s)", m, m.Origin, heading)
		return
	}
	section, _, ok := strings.Cut(body[start:], "</ul>")
	if !ok {
		t.Errorf("%s (%s): the section on client rules has no list", m, m.Origin)
		return
	}
	items := strings.Split(section, "<li>")[1:]
	if len(items) != len(rules) {
		t.Errorf("%s (%s): %d client rules on the page, %d in the registry", m, m.Origin, len(items), len(rules))
		return
	}
	esc := html.EscapeString
	for i, r := range rules {
		ref := esc(r.Ref.String())
		if r.Ref.URL != "" {
			ref = hrefAttr(t, r.Ref.URL) + ">" + ref + "</a>"
		}
		for _, w := range []string{
			"A client <span class=\"level ", ">" + esc(r.Level.String()) + "</span> " + esc(r.Summary) + ".",
			ref, "<code>" + esc(r.ID) + "</code>",
		} {
			if !strings.Contains(items[i], w) {
				t.Errorf("%s (%s): client rule %d (%s) lacks %q: %s", m, m.Origin, i, r.ID, w, items[i])
			}
		}
	}
}

// TestEveryCodeAPI checks /api/codes/{code} for every number against the
// shared JSON shape.
func TestEveryCodeAPI(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	for e := range httpstatus.Codes() {
		t.Run(strconv.Itoa(e.Code), func(t *testing.T) {
			t.Parallel()
			res, body := get(t, mux, httptest.NewRequest("GET", "/api/codes/"+strconv.Itoa(e.Code), nil))
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			var got entryjson.Code
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			want := entryjson.Code{Code: e.Code}
			ms := httpstatus.Meanings(e.Code)
			for _, m := range ms {
				want.Meanings = append(want.Meanings, entryjson.From(m))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
			// The client rules against the registry itself, not only the
			// shared shape: each meaning's, by id and level.
			for i, m := range ms {
				var have, rules []string
				if i < len(got.Meanings) {
					for _, r := range got.Meanings[i].ClientRules {
						have = append(have, r.Level+" "+r.ID)
					}
				}
				for _, r := range m.ClientRules() {
					rules = append(rules, r.Level.String()+" "+r.ID)
				}
				if !slices.Equal(have, rules) {
					t.Errorf("meaning %d (%s): client rules %q, the registry's %q", i, m.Origin, have, rules)
				}
			}
		})
	}
}

func TestAPIList(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	all := entryjson.FromAll()
	filter := func(keep func(entryjson.Entry) bool) []entryjson.Entry {
		out := []entryjson.Entry{}
		for _, e := range all {
			if keep(e) {
				out = append(out, e)
			}
		}
		return out
	}
	tests := []struct {
		query string
		want  []entryjson.Entry
	}{
		{"", all},
		{"?class=4xx", filter(func(e entryjson.Entry) bool { return e.Class == "4xx" })},
		{"?class=5", filter(func(e entryjson.Entry) bool { return e.Class == "5xx" })},
		{"?class=2XX", filter(func(e entryjson.Entry) bool { return e.Class == "2xx" })},
		{"?official=true", filter(func(e entryjson.Entry) bool { return e.Official })},
		{"?official=false&class=5xx", filter(func(e entryjson.Entry) bool { return !e.Official && e.Class == "5xx" })},
		{"?origin=NGINX", filter(func(e entryjson.Entry) bool { return e.Origin == "nginx" })},
		{"?origin=nobody", []entryjson.Entry{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			res, body := get(t, mux, httptest.NewRequest("GET", "/api/codes"+tt.query, nil))
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			var got []entryjson.Entry
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d entries, want %d", len(got), len(tt.want))
			}
			if strings.TrimSpace(body) == "null" {
				t.Error("an empty result must be [], not null")
			}
		})
	}
}

func TestAPISearch(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	_, body := get(t, mux, httptest.NewRequest("GET", "/api/codes?q=too+large&official=true", nil))
	var got []entryjson.Entry
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	var codes []int
	for _, e := range got {
		if !e.Official {
			t.Errorf("%d %s is not official", e.Code, e.Origin)
		}
		codes = append(codes, e.Code)
	}
	if len(codes) == 0 || codes[0] != 413 || !slices.Contains(codes, 431) {
		t.Errorf("q=too large found %v, want 413 first and 431", codes)
	}
}

func TestAPIProblemShape(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	res, body := get(t, mux, httptest.NewRequest("GET", "/api/codes/477", nil))
	var p struct {
		Type, Title, Detail, Instance string
		Status                        int
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 404 || p.Status != 404 || p.Title != "Not Found" || p.Detail == "" {
		t.Errorf("problem %+v", p)
	}
}

func TestETag(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	for _, target := range []string{"/api/codes", "/api/codes/404", "/api/codes?class=4xx"} {
		res, _ := get(t, mux, httptest.NewRequest("GET", target, nil))
		tag := res.Header.Get("ETag")
		if tag == "" {
			t.Fatalf("%s: no ETag", target)
		}
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("If-None-Match", tag)
		if res, body := get(t, mux, r); res.StatusCode != 304 || body != "" {
			t.Errorf("%s with If-None-Match: status %d, %d bytes", target, res.StatusCode, len(body))
		}
	}
}

func TestStaticCaching(t *testing.T) {
	t.Parallel()
	h := newHandler()
	mux := newMux(t)
	for name, a := range h.assets {
		res, body := get(t, mux, httptest.NewRequest("GET", "/static/"+name+"?v="+a.ver, nil))
		if res.StatusCode != 200 || body != string(a.body) || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: status %d, Cache-Control %q", name, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		res, _ = get(t, mux, httptest.NewRequest("GET", "/static/"+name+"?v=old", nil))
		if res.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s with a stale version: Cache-Control %q", name, res.Header.Get("Cache-Control"))
		}
		r := httptest.NewRequest("GET", "/static/"+name, nil)
		r.Header.Set("If-None-Match", a.etag)
		if res, _ := get(t, mux, r); res.StatusCode != 304 {
			t.Errorf("%s with If-None-Match: status %d", name, res.StatusCode)
		}
	}
}

func TestPhraseRedirects(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	tests := map[string]string{
		"/codes/not-found":             "/codes/404",
		"/codes/Payload%20Too%20Large": "/codes/413",
		"/codes/im-a-teapot":           "/codes/418",
		"/codes/client-closed-request": "/codes/499#nginx",
	}
	for target, want := range tests {
		res, _ := get(t, mux, httptest.NewRequest("GET", target, nil))
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != want {
			t.Errorf("%s: status %d, Location %q, want %q", target, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

func TestCurlLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []Option
		setup func(r *http.Request)
		want  string
	}{
		{"plain", nil, func(r *http.Request) { r.Host = "localhost:8080" }, "curl -i http://localhost:8080/404"},
		{"tls", nil, func(r *http.Request) { r.Host = "status.test"; r.TLS = &tls.ConnectionState{} }, "curl -i https://status.test/404"},
		{"forwarded", nil, func(r *http.Request) { r.Host = "status.test"; r.Header.Set("X-Forwarded-Proto", "https, http") }, "curl -i https://status.test/404"},
		{"forwarded downgrade", nil, func(r *http.Request) { r.TLS = &tls.ConnectionState{}; r.Header.Set("X-Forwarded-Proto", "http") }, "curl -i http://example.com/404"},
		{"bad forwarded", nil, func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "javascript") }, "curl -i http://example.com/404"},
		{"forged host", nil, func(r *http.Request) { r.Host = `x"><script>alert(1)</script>` }, "curl -i http://localhost/404"},
		{"ipv6", nil, func(r *http.Request) { r.Host = "[::1]:9000" }, "curl -i http://[::1]:9000/404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/codes/404", nil)
			if tt.setup != nil {
				tt.setup(r)
			}
			_, body := get(t, newMux(t, tt.opts...), r)
			if !strings.Contains(body, ">"+tt.want+"</code>") {
				m := regexp.MustCompile(`curl -i [^<]*`).FindString(body)
				t.Errorf("curl line %q, want %q", m, tt.want)
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	evil := `<script>alert("x")</script>&'`
	for _, target := range []string{"/?q=" + urlEscape(evil), "/codes/" + urlEscape(evil)} {
		_, body := get(t, mux, httptest.NewRequest("GET", target, nil))
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s: the query reached the page unescaped", target)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(") {
			t.Errorf("%s: the query is not shown escaped", target)
		}
		checkSelfContained(t, body)
	}
	// An over-long query is cut at a character boundary, not in the
	// middle of one, and the cut is shown.
	_, body := get(t, mux, httptest.NewRequest("GET", "/?q="+strings.Repeat("é", 300), nil))
	if !strings.Contains(body, strings.Repeat("é", maxQuery/2)+"...”") {
		t.Error("a long query is not clipped to whole characters")
	}
}

// hrefAttr returns the attribute html/template writes for a link to u.
func hrefAttr(t *testing.T, u string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse(`<a href="{{.}}">`)).Execute(&b, u); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), "<a "), ">")
}

func urlEscape(s string) string {
	return strings.NewReplacer("%", "%25", " ", "%20", "<", "%3C", ">", "%3E", `"`, "%22", "&", "%26", "'", "%27", "/", "%2F", "#", "%23").Replace(s)
}

func TestIndexListsEveryEntry(t *testing.T) {
	t.Parallel()
	_, body := get(t, newMux(t), httptest.NewRequest("GET", "/", nil))
	checkSelfContained(t, body)
	n := 0
	for e := range httpstatus.All() {
		n++
		want := html.EscapeString(e.Phrase)
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %d %s", e.Code, e.Phrase)
		}
		if !e.Official() && !strings.Contains(body, "Vendor: </span>"+html.EscapeString(e.Origin)) {
			t.Errorf("index does not mark %d as %s's", e.Code, e.Origin)
		}
	}
	if got := strings.Count(body, `<li class="entry`); got != n {
		t.Errorf("index has %d entries, the registry %d", got, n)
	}
}

func TestSearchPageRanks(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	_, body := get(t, mux, httptest.NewRequest("GET", "/?q=too+large", nil))
	results := body[strings.Index(body, `id="results"`):strings.Index(body, `id="all"`)]
	i413 := strings.Index(results, `href="/codes/413"`)
	i431 := strings.Index(results, `href="/codes/431"`)
	if i413 < 0 || i431 < 0 || i413 > i431 {
		t.Errorf("results for too large: 413 at %d, 431 at %d", i413, i431)
	}
	if strings.Contains(results, `href="/codes/404"`) {
		t.Error("404 is among the results for too large")
	}
	_, body = get(t, mux, httptest.NewRequest("GET", "/?q=499", nil))
	if !strings.Contains(body, `href="/codes/499#nginx"`) || !strings.Contains(body, `href="/codes/499#esri-arcgis"`) {
		t.Error("searching 499 does not list both meanings")
	}
}

// TestRegisterBesideServerRoutes registers the routes next to the kind the
// status server adds, which must not conflict.
func TestRegisterBesideServerRoutes(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/{code}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) })
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {})
	Register(mux)
	for target, want := range map[string]int{"/": 200, "/418": 299, "/codes/418": 200, "/api/codes": 200} {
		if res, _ := get(t, mux, httptest.NewRequest("GET", target, nil)); res.StatusCode != want {
			t.Errorf("%s: status %d, want %d", target, res.StatusCode, want)
		}
	}
}

var (
	externalRef = regexp.MustCompile(`<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//`)
	inlineCode  = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle="|\son[a-z]+="`)
)

// checkSelfContained fails when a page loads anything from another origin
// or carries inline script or style, which the CSP would block.
func checkSelfContained(t *testing.T, body string) {
	t.Helper()
	if m := externalRef.FindString(body); m != "" {
		t.Errorf("page loads from another origin: %s", m)
	}
	if m := inlineCode.FindString(body); m != "" {
		t.Errorf("page has inline script or style: %s", m)
	}
}

// The handler is built on the first request; concurrent first requests to
// different routes must all get it whole (the race detector watches).
func TestConcurrentFirstRequests(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	targets := []string{"/", "/codes/404", "/api/codes", "/api/codes/503", "/codes/499", "/api/codes/418"}
	done := make(chan string, len(targets))
	for _, target := range targets {
		go func() {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
			if rec.Code != http.StatusOK {
				done <- target + ": status " + strconv.Itoa(rec.Code)
				return
			}
			done <- ""
		}()
	}
	for range targets {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// TestTries checks that a code page shows the routes that involve its
// code, as commands under a key of the reader's own.
func TestTries(t *testing.T) {
	t.Parallel()
	mux := newMux(t)
	keyOf := regexp.MustCompile(`key=(try-[0-9a-z]+)`)
	for code, wants := range map[int][]string{
		304: {"/resource?key=", "If-None-Match: $etag", "etag=$(curl -sI"},
		429: {"rate-limit=5/10s", "for i in $(seq 5)", "/sequence/429,429,200?key="},
		307: {"/redirect/3?code=307", "/redirect-loop?code=307", "/redirect-loop/0?code=307"},
		201: {"-X DELETE", "-X PUT --data-binary"},
	} {
		_, body := get(t, mux, httptest.NewRequest("GET", "/codes/"+strconv.Itoa(code), nil))
		body = html.UnescapeString(body)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("/codes/%d does not show %q", code, want)
			}
		}
		if code == 307 {
			continue // a redirect chain needs no key
		}
		_, again := get(t, mux, httptest.NewRequest("GET", "/codes/"+strconv.Itoa(code), nil))
		first, second := keyOf.FindStringSubmatch(body), keyOf.FindStringSubmatch(again)
		if first == nil || second == nil || first[1] == second[1] {
			t.Errorf("/codes/%d: the keys of two readers are %v and %v, want two different ones", code, first, second)
		}
	}
	if _, body := get(t, mux, httptest.NewRequest("GET", "/codes/418", nil)); strings.Contains(body, `class="tries"`) {
		t.Error("/codes/418 lists tries, though no route but /418 involves it")
	}
}

// TestLapsedRegistration shows 104's temporary registration as lapsing
// before its day and as lapsed from it, by the handler's clock.
func TestLapsedRegistration(t *testing.T) {
	t.Parallel()
	e, ok := httpstatus.Lookup(104)
	if !ok || e.Expires.IsZero() {
		t.Skip("104 is no longer a temporary registration")
	}
	day := e.Expires.Time()
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{day.Add(-time.Hour), "lapses on"},
		{day, "lapsed on"},
		{day.AddDate(1, 0, 0), "lapsed on"},
	} {
		mux := newMux(t, WithClock(func() time.Time { return tc.now }))
		_, body := get(t, mux, httptest.NewRequest("GET", "/codes/104", nil))
		if !strings.Contains(body, tc.want+` <time datetime="`+e.Expires.String()) {
			t.Errorf("on %s, /codes/104 does not say %q", tc.now.Format(time.DateOnly), tc.want)
		}
	}
}
