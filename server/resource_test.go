package server

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The resource over HTTP: validators, preconditions (RFC 9110, section
// 13.2.2), ranges (section 14) and writes. The helpers send, answer and
// fakeClock are in scenarios_test.go.

// generatedContent is what the server generates for a resource of size
// bytes: 16-byte lines, each its own offset in hexadecimal, 15 digits and
// a newline.
func generatedContent(size int) []byte {
	var b bytes.Buffer
	for off := 0; off < size; off += 16 {
		fmt.Fprintf(&b, "%015x\n", off)
	}
	return b.Bytes()[:size]
}

// resourceFieldsOK checks the fields of a 200 or 206 of the resource.
func resourceFieldsOK(t *testing.T, what string, a answer) {
	t.Helper()
	if tag := a.get("ETag"); !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 3 {
		t.Errorf("%s: ETag %q, want a strong entity-tag", what, tag)
	}
	if _, err := http.ParseTime(a.get("Last-Modified")); err != nil {
		t.Errorf("%s: Last-Modified %q: %v", what, a.get("Last-Modified"), err)
	}
	if a.get("Accept-Ranges") != "bytes" {
		t.Errorf("%s: Accept-Ranges %q, want bytes", what, a.get("Accept-Ranges"))
	}
}

func TestResourceGet(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	full := generatedContent(1024)
	a := send(t, c, "GET", ts.URL+"/resource?key=g", nil)
	if a.res.StatusCode != 200 {
		t.Fatalf("GET: %d, want 200 (%s)", a.res.StatusCode, a.body)
	}
	resourceFieldsOK(t, "GET", a)
	for name, want := range map[string]string{
		"Content-Length": "1024",
		"Cache-Control":  "no-cache",
		"Content-Type":   "text/plain; charset=utf-8",
	} {
		if got := a.get(name); got != want {
			t.Errorf("GET: %s %q, want %q", name, got, want)
		}
	}
	if !bytes.Equal(a.body, full) {
		t.Errorf("GET: content %q..., want the generated lines", clipBytes(a.body))
	}
	// A few lines, spelled out.
	for off, line := range map[int]string{0: "000000000000000\n", 0x10: "000000000000010\n", 0x100: "000000000000100\n", 0x3f0: "0000000000003f0\n"} {
		if got := string(a.body[off : off+16]); got != line {
			t.Errorf("the line at %#x: %q, want %q", off, got, line)
		}
	}
	if a.get("X-HttpStatus-Key") != "g" {
		t.Errorf("GET: X-HttpStatus-Key %q, want g", a.get("X-HttpStatus-Key"))
	}
	// The same representation, the same validators.
	b := send(t, c, "GET", ts.URL+"/resource?key=g", nil)
	if b.get("ETag") != a.get("ETag") || b.get("Last-Modified") != a.get("Last-Modified") {
		t.Errorf("a second GET: ETag %q Last-Modified %q, want %q %q", b.get("ETag"), b.get("Last-Modified"), a.get("ETag"), a.get("Last-Modified"))
	}
	// Another key has a resource of its own, with another tag.
	o := send(t, c, "GET", ts.URL+"/resource?key=g2", nil)
	if o.res.StatusCode != 200 || !bytes.Equal(o.body, full) {
		t.Errorf("another key: %d, want 200 and the generated content", o.res.StatusCode)
	}
	// The cache-control control chooses the field.
	cc := send(t, c, "GET", ts.URL+"/resource?key=g&cache-control=max-age%3D60%2C%20must-revalidate", nil)
	if cc.get("Cache-Control") != "max-age=60, must-revalidate" {
		t.Errorf("cache-control control: %q, want max-age=60, must-revalidate", cc.get("Cache-Control"))
	}
	cc = send(t, c, "GET", ts.URL+"/resource?key=g", nil, "X-HttpStatus-Cache-Control", "private")
	if cc.get("Cache-Control") != "private" {
		t.Errorf("X-HttpStatus-Cache-Control: %q, want private", cc.get("Cache-Control"))
	}
	// HEAD: the same fields, no content.
	h := send(t, c, "HEAD", ts.URL+"/resource?key=g", nil)
	if h.res.StatusCode != 200 || len(h.body) != 0 {
		t.Errorf("HEAD: %d with %d bytes, want 200 and none", h.res.StatusCode, len(h.body))
	}
	for _, name := range []string{"ETag", "Last-Modified", "Accept-Ranges", "Content-Length", "Cache-Control", "Content-Type"} {
		if h.get(name) != a.get(name) {
			t.Errorf("HEAD: %s %q, want %q as on GET", name, h.get(name), a.get(name))
		}
	}
}

func clipBytes(b []byte) []byte { return b[:min(len(b), 48)] }

func TestResourceCreateControls(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithLimits(Limits{MaxBody: 8192}))
	a := send(t, c, "GET", ts.URL+"/resource?key=cr&size=5000&type=application/json", nil)
	if a.res.StatusCode != 200 || a.get("Content-Length") != "5000" || a.get("Content-Type") != "application/json" {
		t.Fatalf("size=5000&type=application/json: %d Content-Length %q Content-Type %q", a.res.StatusCode, a.get("Content-Length"), a.get("Content-Type"))
	}
	if !bytes.Equal(a.body, generatedContent(5000)) {
		t.Errorf("size=5000: the content is not the generated lines, cut at 5000 bytes")
	}
	// Controls that agree with the resource, or none, are fine.
	for _, q := range []string{"", "&size=5000", "&type=application/json", "&size=5000&type=application/json"} {
		if b := send(t, c, "GET", ts.URL+"/resource?key=cr"+q, nil); b.res.StatusCode != 200 || b.get("ETag") != a.get("ETag") {
			t.Errorf("GET with %q: %d ETag %q, want 200 and the same resource", q, b.res.StatusCode, b.get("ETag"))
		}
	}
	// Controls that describe another resource conflict with it.
	for _, q := range []string{"&size=4000", "&type=text/html", "&size=1024"} {
		wantProblem(t, "GET with "+q, send(t, c, "GET", ts.URL+"/resource?key=cr"+q, nil), http.StatusConflict)
	}
	wantProblem(t, "HEAD with a different size", send(t, c, "GET", ts.URL+"/resource?key=cr", nil, "X-HttpStatus-Size", "7"), http.StatusConflict)
	// An empty resource.
	if e := send(t, c, "GET", ts.URL+"/resource?key=cr0&size=0", nil); e.res.StatusCode != 200 || len(e.body) != 0 || e.get("Content-Length") != "0" {
		t.Errorf("size=0: %d with %d bytes, Content-Length %q, want 200, empty", e.res.StatusCode, len(e.body), e.get("Content-Length"))
	}
	// Sizes the server does not make.
	for _, q := range []string{"size=8193", "size=-1", "size=abc", "size=1e3", "type=not%20a%20type", "type="} {
		a := send(t, c, "GET", ts.URL+"/resource?key=crbad&"+q, nil)
		if a.res.StatusCode != 400 && a.res.StatusCode != 413 {
			t.Errorf("%s: %d, want 400 (%s)", q, a.res.StatusCode, a.body)
		}
	}
	if e := send(t, c, "GET", ts.URL+"/resource?key=crmax&size=8192", nil); e.res.StatusCode != 200 || len(e.body) != 8192 {
		t.Errorf("size=MaxBody: %d with %d bytes, want 200 and 8192", e.res.StatusCode, len(e.body))
	}
}

// TestResourceConditionalRead is the precondition table of RFC 9110,
// section 13.2.2, for GET and HEAD.
func TestResourceConditionalRead(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	tests := []struct {
		name   string
		method string
		header []string // {etag} and {lm} stand for the current validators, {lm-1} for a second before
		want   int
	}{
		{"If-None-Match the tag", "GET", []string{"If-None-Match", "{etag}"}, 304},
		{"If-None-Match the tag, HEAD", "HEAD", []string{"If-None-Match", "{etag}"}, 304},
		{"If-None-Match the weak tag", "GET", []string{"If-None-Match", "W/{etag}"}, 304},
		{"If-None-Match a list with the tag", "GET", []string{"If-None-Match", `"a", {etag}`}, 304},
		{"If-None-Match two lines", "GET", []string{"If-None-Match", `"a"`, "If-None-Match", "{etag}"}, 304},
		{"If-None-Match *", "GET", []string{"If-None-Match", "*"}, 304},
		{"If-None-Match another tag", "GET", []string{"If-None-Match", `"other"`}, 200},
		{"If-Modified-Since Last-Modified", "GET", []string{"If-Modified-Since", "{lm}"}, 304},
		{"If-Modified-Since Last-Modified, HEAD", "HEAD", []string{"If-Modified-Since", "{lm}"}, 304},
		{"If-Modified-Since a second before", "GET", []string{"If-Modified-Since", "{lm-1}"}, 200},
		{"If-Modified-Since not a date", "GET", []string{"If-Modified-Since", "yesterday"}, 200},
		{"If-Modified-Since ignored with If-None-Match", "GET", []string{"If-None-Match", `"other"`, "If-Modified-Since", "{lm}"}, 200},
		{"If-Match the tag", "GET", []string{"If-Match", "{etag}"}, 200},
		{"If-Match *", "GET", []string{"If-Match", "*"}, 200},
		{"If-Match stale", "GET", []string{"If-Match", `"stale"`}, 412},
		{"If-Match stale, HEAD", "HEAD", []string{"If-Match", `"stale"`}, 412},
		{"If-Match the weak tag", "GET", []string{"If-Match", "W/{etag}"}, 412},
		{"If-Unmodified-Since a second before", "GET", []string{"If-Unmodified-Since", "{lm-1}"}, 412},
		{"If-Unmodified-Since Last-Modified", "GET", []string{"If-Unmodified-Since", "{lm}"}, 200},
		{"If-Unmodified-Since ignored with If-Match", "GET", []string{"If-Match", "{etag}", "If-Unmodified-Since", "{lm-1}"}, 200},
		{"If-Match before If-None-Match", "GET", []string{"If-Match", `"stale"`, "If-None-Match", "{etag}"}, 412},
		{"If-Match holds, If-None-Match matches", "GET", []string{"If-Match", "{etag}", "If-None-Match", "{etag}"}, 304},
		{"preconditions before Range", "GET", []string{"If-None-Match", "{etag}", "Range", "bytes=0-9"}, 304},
		{"preconditions before Range, 412", "GET", []string{"If-Match", `"stale"`, "Range", "bytes=0-9"}, 412},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target := ts.URL + "/resource?key=cond" + strconv.Itoa(i)
			first := send(t, c, "GET", target, nil)
			etag, lm := first.get("ETag"), first.get("Last-Modified")
			lmTime, err := http.ParseTime(lm)
			if err != nil || etag == "" {
				t.Fatalf("GET: ETag %q Last-Modified %q", etag, lm)
			}
			r := strings.NewReplacer("{etag}", etag, "{lm}", lm, "{lm-1}", lmTime.Add(-time.Second).UTC().Format(http.TimeFormat))
			header := slices.Clone(tt.header)
			for j := range header {
				header[j] = r.Replace(header[j])
			}
			a := send(t, c, tt.method, target, nil, header...)
			if a.res.StatusCode != tt.want {
				t.Fatalf("%s %v: %d, want %d (%s)", tt.method, header, a.res.StatusCode, tt.want, a.body)
			}
			if k := a.get("X-HttpStatus-Key"); k != "cond"+strconv.Itoa(i) {
				t.Errorf("%d: X-HttpStatus-Key %q, want cond%d", a.res.StatusCode, k, i)
			}
			switch tt.want {
			case 304:
				// RFC 9110, section 15.4.5.
				if a.get("ETag") != etag || a.get("Cache-Control") != "no-cache" {
					t.Errorf("304: ETag %q Cache-Control %q, want %q and no-cache", a.get("ETag"), a.get("Cache-Control"), etag)
				}
				if a.get("Content-Type") != "" || a.get("Last-Modified") != "" || len(a.body) != 0 {
					t.Errorf("304: Content-Type %q Last-Modified %q, %d bytes; want none of them", a.get("Content-Type"), a.get("Last-Modified"), len(a.body))
				}
				if a.get("Content-Range") != "" {
					t.Errorf("304: Content-Range %q", a.get("Content-Range"))
				}
			case 200:
				resourceFieldsOK(t, "200", a)
				if tt.method == "GET" && len(a.body) != 1024 {
					t.Errorf("200: %d bytes, want 1024", len(a.body))
				}
			case 412:
				if tt.method == "GET" && !strings.HasPrefix(a.get("Content-Type"), "application/problem+json") {
					t.Errorf("412: Content-Type %q, want a problem", a.get("Content-Type"))
				}
			}
		})
	}
}

func TestResourceWrites(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	_, ts, c := startClocked(t, clock)
	target := ts.URL + "/resource?key=w"
	orig := send(t, c, "GET", target, nil)
	etag := orig.get("ETag")

	// A stale If-Match: 412, and nothing changes.
	a := send(t, c, "PUT", target, strings.NewReader("lost"), "If-Match", `"stale"`, "Content-Type", "text/csv")
	wantProblem(t, "PUT with a stale If-Match", a, http.StatusPreconditionFailed)
	if now := send(t, c, "GET", target, nil); now.get("ETag") != etag || !bytes.Equal(now.body, orig.body) {
		t.Errorf("after a refused PUT: ETag %q, %d bytes; want it unchanged", now.get("ETag"), len(now.body))
	}
	// An old If-Unmodified-Since: 412.
	clock.advance(2 * time.Second)
	lm, _ := http.ParseTime(orig.get("Last-Modified"))
	a = send(t, c, "PUT", target, strings.NewReader("lost"), "If-Unmodified-Since", lm.Add(-time.Second).UTC().Format(http.TimeFormat))
	wantProblem(t, "PUT with an old If-Unmodified-Since", a, http.StatusPreconditionFailed)
	// If-None-Match * on a resource that exists: 412, not 304 (RFC 9110,
	// section 13.1.2: 304 is for GET and HEAD).
	a = send(t, c, "PUT", target, strings.NewReader("lost"), "If-None-Match", "*")
	wantProblem(t, "PUT with If-None-Match *", a, http.StatusPreconditionFailed)
	a = send(t, c, "PUT", target, strings.NewReader("lost"), "If-None-Match", etag)
	wantProblem(t, "PUT with If-None-Match the tag", a, http.StatusPreconditionFailed)

	// The current tag: 204 with the new validators.
	a = send(t, c, "PUT", target, strings.NewReader("hello"), "If-Match", etag, "Content-Type", "text/csv")
	if a.res.StatusCode != 204 {
		t.Fatalf("PUT with the current tag: %d, want 204 (%s)", a.res.StatusCode, a.body)
	}
	put := a.get("ETag")
	if put == "" || put == etag {
		t.Errorf("PUT: ETag %q, want a new one (was %q)", put, etag)
	}
	if a.get("Last-Modified") == orig.get("Last-Modified") {
		t.Errorf("PUT two seconds later: Last-Modified %q unchanged", a.get("Last-Modified"))
	}
	g := send(t, c, "GET", target, nil)
	if string(g.body) != "hello" || g.get("Content-Type") != "text/csv" || g.get("ETag") != put || g.get("Content-Length") != "5" {
		t.Errorf("GET after PUT: %q Content-Type %q ETag %q Content-Length %q, want hello, text/csv, %s, 5", g.body, g.get("Content-Type"), g.get("ETag"), g.get("Content-Length"), put)
	}
	resourceFieldsOK(t, "GET after PUT", g)
	// The old tag is stale now.
	wantProblem(t, "PUT with the replaced tag", send(t, c, "PUT", target, strings.NewReader("x"), "If-Match", etag), http.StatusPreconditionFailed)

	// PATCH appends, and keeps the media type.
	clock.advance(time.Second)
	a = send(t, c, "PATCH", target, strings.NewReader(" world"), "If-Match", put, "Content-Type", "text/plain")
	if a.res.StatusCode != 204 || a.get("ETag") == "" || a.get("ETag") == put {
		t.Fatalf("PATCH: %d ETag %q, want 204 with a new tag", a.res.StatusCode, a.get("ETag"))
	}
	patched := a.get("ETag")
	g = send(t, c, "GET", target, nil)
	if string(g.body) != "hello world" || g.get("Content-Type") != "text/csv" || g.get("ETag") != patched {
		t.Errorf("GET after PATCH: %q Content-Type %q ETag %q, want \"hello world\", text/csv, %s", g.body, g.get("Content-Type"), g.get("ETag"), patched)
	}
	wantProblem(t, "PATCH with a stale tag", send(t, c, "PATCH", target, strings.NewReader("!"), "If-Match", put), http.StatusPreconditionFailed)
	// PATCH of a generated resource appends to the generated content.
	a = send(t, c, "PATCH", ts.URL+"/resource?key=w2", strings.NewReader("tail"))
	if a.res.StatusCode != 204 {
		t.Errorf("PATCH of a generated resource: %d, want 204", a.res.StatusCode)
	}
	if g := send(t, c, "GET", ts.URL+"/resource?key=w2", nil); string(g.body) != string(generatedContent(1024))+"tail" {
		t.Errorf("GET after PATCH of a generated resource: %d bytes ending %q, want 1028 ending tail", len(g.body), g.body[max(0, len(g.body)-8):])
	}

	// DELETE, and what comes after.
	a = send(t, c, "DELETE", target, nil, "If-Match", patched)
	if a.res.StatusCode != 204 || len(a.body) != 0 {
		t.Fatalf("DELETE: %d, want 204", a.res.StatusCode)
	}
	wantProblem(t, "GET after DELETE", send(t, c, "GET", target, nil), http.StatusNotFound)
	if h := send(t, c, "HEAD", target, nil); h.res.StatusCode != 404 {
		t.Errorf("HEAD after DELETE: %d, want 404", h.res.StatusCode)
	}
	wantProblem(t, "DELETE after DELETE", send(t, c, "DELETE", target, nil), http.StatusNotFound)
	wantProblem(t, "PATCH after DELETE", send(t, c, "PATCH", target, strings.NewReader("x")), http.StatusNotFound)
	wantProblem(t, "GET If-Match * after DELETE", send(t, c, "GET", target, nil, "If-Match", "*"), http.StatusPreconditionFailed)
	wantProblem(t, "PUT If-Match * after DELETE", send(t, c, "PUT", target, strings.NewReader("x"), "If-Match", "*"), http.StatusPreconditionFailed)
	if g := send(t, c, "GET", target, nil, "If-None-Match", "*"); g.res.StatusCode != 404 {
		t.Errorf("GET If-None-Match * after DELETE: %d, want 404", g.res.StatusCode)
	}
	a = send(t, c, "PUT", target, strings.NewReader(`{"a":1}`), "If-None-Match", "*", "Content-Type", "application/json")
	if a.res.StatusCode != 201 || a.get("ETag") == "" {
		t.Fatalf("PUT after DELETE: %d ETag %q, want 201 with a tag", a.res.StatusCode, a.get("ETag"))
	}
	g = send(t, c, "GET", target, nil)
	if g.res.StatusCode != 200 || string(g.body) != `{"a":1}` || g.get("Content-Type") != "application/json" {
		t.Errorf("GET after the new PUT: %d %q %q", g.res.StatusCode, g.body, g.get("Content-Type"))
	}
	// A PUT without Content-Type, and one with a bad one.
	if a := send(t, c, "PUT", target, strings.NewReader("raw")); a.res.StatusCode != 204 {
		t.Errorf("PUT without Content-Type: %d, want 204", a.res.StatusCode)
	}
	if g := send(t, c, "GET", target, nil); g.get("Content-Type") != "application/octet-stream" || string(g.body) != "raw" {
		t.Errorf("GET after a PUT without Content-Type: %q %q, want application/octet-stream", g.get("Content-Type"), g.body)
	}
	wantProblem(t, "PUT with a bad Content-Type", send(t, c, "PUT", target, strings.NewReader("x"), "Content-Type", "not a type"), http.StatusBadRequest)
	// An empty PUT makes an empty resource.
	if a := send(t, c, "PUT", target, nil); a.res.StatusCode != 204 {
		t.Errorf("an empty PUT: %d, want 204", a.res.StatusCode)
	}
	if g := send(t, c, "GET", target, nil); g.res.StatusCode != 200 || len(g.body) != 0 || g.get("Content-Length") != "0" {
		t.Errorf("GET after an empty PUT: %d, %d bytes, Content-Length %q", g.res.StatusCode, len(g.body), g.get("Content-Length"))
	}
}

// TestResourceLostUpdate sends many writes with the same If-Match at once:
// exactly one succeeds.
func TestResourceLostUpdate(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	target := ts.URL + "/resource?key=lost"
	etag := send(t, c, "GET", target, nil).get("ETag")
	const writers = 50
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		winner   = -1
		tags     = map[string]bool{}
	)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := trySend(c, "PUT", target, strings.NewReader("writer "+strconv.Itoa(i)), "If-Match", etag)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			statuses[a.res.StatusCode]++
			if a.res.StatusCode == 204 {
				winner = i
				tags[a.get("ETag")] = true
			}
		}()
	}
	wg.Wait()
	if statuses[204] != 1 || statuses[412] != writers-1 {
		t.Fatalf("statuses %v, want one 204 and %d 412", statuses, writers-1)
	}
	g := send(t, c, "GET", target, nil)
	if string(g.body) != "writer "+strconv.Itoa(winner) || !tags[g.get("ETag")] {
		t.Errorf("GET: %q ETag %q, want the winner's content, writer %d, and its tag", g.body, g.get("ETag"), winner)
	}

	// Unconditional PATCHes at once: none is lost.
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a, err := trySend(c, "PATCH", target, strings.NewReader("+")); err != nil || a.res.StatusCode != 204 {
				t.Errorf("PATCH: %v %v", err, a.res)
			}
		}()
	}
	wg.Wait()
	g = send(t, c, "GET", target, nil)
	if want := "writer " + strconv.Itoa(winner) + strings.Repeat("+", writers); string(g.body) != want {
		t.Errorf("after %d PATCHes at once: %q, want %q", writers, g.body, want)
	}
}

func TestResourceRequirePrecondition(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	target := ts.URL + "/resource?key=rp&require-precondition=true"
	g := send(t, c, "GET", target, nil)
	if g.res.StatusCode != 200 {
		t.Fatalf("GET with require-precondition: %d, want 200 (reads need no precondition)", g.res.StatusCode)
	}
	etag := g.get("ETag")
	for _, m := range []string{"PUT", "PATCH", "DELETE"} {
		var body io.Reader
		if m != "DELETE" {
			body = strings.NewReader("x")
		}
		wantProblem(t, m+" unconditional", send(t, c, m, target, body), http.StatusPreconditionRequired)
	}
	wantProblem(t, "PUT unconditional, header control", send(t, c, "PUT", ts.URL+"/resource?key=rp", strings.NewReader("x"),
		"X-HttpStatus-Require-Precondition", "true"), http.StatusPreconditionRequired)
	if now := send(t, c, "GET", ts.URL+"/resource?key=rp", nil); now.get("ETag") != etag {
		t.Errorf("after the 428s: ETag %q, want it unchanged (%s)", now.get("ETag"), etag)
	}
	a := send(t, c, "PUT", target, strings.NewReader("x"), "If-Match", etag)
	if a.res.StatusCode != 204 {
		t.Errorf("PUT with If-Match: %d, want 204", a.res.StatusCode)
	}
	wantProblem(t, "PUT with a stale If-Match", send(t, c, "PUT", target, strings.NewReader("y"), "If-Match", etag), http.StatusPreconditionFailed)
	a = send(t, c, "PATCH", target, strings.NewReader("y"), "If-Match", a.get("ETag"))
	if a.res.StatusCode != 204 {
		t.Errorf("PATCH with If-Match: %d, want 204", a.res.StatusCode)
	}
	a = send(t, c, "DELETE", target, nil, "If-Match", a.get("ETag"))
	if a.res.StatusCode != 204 {
		t.Errorf("DELETE with If-Match: %d, want 204", a.res.StatusCode)
	}
	// Without the control, an unconditional write goes ahead.
	if a := send(t, c, "PUT", ts.URL+"/resource?key=rp", strings.NewReader("z")); a.res.StatusCode != 201 {
		t.Errorf("PUT without the control: %d, want 201", a.res.StatusCode)
	}
}

func TestResourceMaxBody(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t, WithLimits(Limits{MaxBody: 2048}))
	target := ts.URL + "/resource?key=mb"
	etag := send(t, c, "GET", target, nil).get("ETag")
	// With a Content-Length.
	wantProblem(t, "PUT of 2049 bytes", send(t, c, "PUT", target, strings.NewReader(strings.Repeat("a", 2049))), http.StatusRequestEntityTooLarge)
	// Chunked: the length is known only once it is read.
	wantProblem(t, "chunked PUT of 3000 bytes", send(t, c, "PUT", target, io.MultiReader(strings.NewReader(strings.Repeat("b", 3000)))), http.StatusRequestEntityTooLarge)
	// A PATCH that would make the resource too large.
	wantProblem(t, "PATCH past MaxBody", send(t, c, "PATCH", target, strings.NewReader(strings.Repeat("c", 1025))), http.StatusRequestEntityTooLarge)
	if g := send(t, c, "GET", target, nil); g.get("ETag") != etag || len(g.body) != 1024 {
		t.Errorf("after the 413s: ETag %q, %d bytes; want the resource unchanged", g.get("ETag"), len(g.body))
	}
	// Up to the limit is fine.
	if a := send(t, c, "PATCH", target, strings.NewReader(strings.Repeat("c", 1024))); a.res.StatusCode != 204 {
		t.Errorf("PATCH to exactly MaxBody: %d, want 204", a.res.StatusCode)
	}
	if a := send(t, c, "PUT", target, strings.NewReader(strings.Repeat("d", 2048))); a.res.StatusCode != 204 {
		t.Errorf("PUT of exactly MaxBody: %d, want 204", a.res.StatusCode)
	}
}

// A rangePart is a part of a 206: the range its Content-Range names, and
// its bytes.
type rangePart struct {
	first, last, size int64
	data              []byte
}

func parseContentRange(v string) (first, last, size int64, err error) {
	_, err = fmt.Sscanf(v, "bytes %d-%d/%d", &first, &last, &size)
	if err == nil && "bytes "+strconv.FormatInt(first, 10)+"-"+strconv.FormatInt(last, 10)+"/"+strconv.FormatInt(size, 10) != v {
		err = fmt.Errorf("%q is not in the canonical form", v)
	}
	return first, last, size, err
}

// partsOf returns the parts of a 206, one or several, checking their
// framing: a single part with its Content-Range, or multipart/byteranges
// whose parts each have one.
func partsOf(t *testing.T, a answer) []rangePart {
	t.Helper()
	if a.res.StatusCode != 206 {
		t.Fatalf("%d, want 206 (%s)", a.res.StatusCode, a.body)
	}
	if cl := a.get("Content-Length"); cl != strconv.Itoa(len(a.body)) {
		t.Errorf("Content-Length %q, but %d bytes came", cl, len(a.body))
	}
	mt, params, err := mime.ParseMediaType(a.get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", a.get("Content-Type"), err)
	}
	if mt != "multipart/byteranges" {
		first, last, size, err := parseContentRange(a.get("Content-Range"))
		if err != nil {
			t.Fatalf("Content-Range %q: %v", a.get("Content-Range"), err)
		}
		return []rangePart{{first, last, size, a.body}}
	}
	if a.get("Content-Range") != "" {
		t.Errorf("multipart with a Content-Range %q in the header section", a.get("Content-Range"))
	}
	mr := multipart.NewReader(bytes.NewReader(a.body), params["boundary"])
	var parts []rangePart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("part %d: %v", len(parts)+1, err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("part %d: %v", len(parts)+1, err)
		}
		first, last, size, err := parseContentRange(p.Header.Get("Content-Range"))
		if err != nil {
			t.Fatalf("part %d: Content-Range %q: %v", len(parts)+1, p.Header.Get("Content-Range"), err)
		}
		if p.Header.Get("Content-Type") == "" {
			t.Errorf("part %d has no Content-Type", len(parts)+1)
		}
		parts = append(parts, rangePart{first, last, size, data})
	}
	if len(parts) < 2 {
		t.Errorf("multipart/byteranges with %d parts; one range is sent alone (RFC 9110, section 15.3.7.2)", len(parts))
	}
	return parts
}

// checkParts checks each part against the full content, and returns the
// positions they cover.
func checkParts(t *testing.T, what string, parts []rangePart, full []byte) map[int64]bool {
	t.Helper()
	covered := map[int64]bool{}
	for i, p := range parts {
		if p.size != int64(len(full)) || p.first > p.last || p.last >= p.size {
			t.Errorf("%s, part %d: bytes %d-%d/%d for a resource of %d", what, i+1, p.first, p.last, p.size, len(full))
			continue
		}
		if !bytes.Equal(p.data, full[p.first:p.last+1]) {
			t.Errorf("%s, part %d (%d-%d): %q, want %q", what, i+1, p.first, p.last, clipBytes(p.data), clipBytes(full[p.first:p.last+1]))
		}
		for pos := p.first; pos <= p.last; pos++ {
			if covered[pos] {
				t.Errorf("%s: byte %d sent twice", what, pos)
			}
			covered[pos] = true
		}
	}
	return covered
}

func TestResourceRanges(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	full := generatedContent(1024)
	target := ts.URL + "/resource?key=rg"
	get := send(t, c, "GET", target, nil)
	etag, lm := get.get("ETag"), get.get("Last-Modified")

	tests := []struct {
		rng  string
		want [][2]int64 // the ranges sent, in order
	}{
		{"bytes=0-9", [][2]int64{{0, 9}}},
		{"bytes=5000-6000,0-9", [][2]int64{{0, 9}}},
		{"bytes=2000-3000, 0-9", [][2]int64{{0, 9}}},
		{"bytes=1000-5000", [][2]int64{{1000, 1023}}},
		{"bytes=1020-", [][2]int64{{1020, 1023}}},
		{"bytes=-10", [][2]int64{{1014, 1023}}},
		{"bytes=-5000", [][2]int64{{0, 1023}}},
		{"bytes=0-1023", [][2]int64{{0, 1023}}},
		{"BYTES=0-0", [][2]int64{{0, 0}}},
		{"bytes=0-9,100-199", [][2]int64{{0, 9}, {100, 199}}},
		{"bytes=100-199,0-9,-5", [][2]int64{{100, 199}, {0, 9}, {1019, 1023}}},
		{"bytes=0-9,5-14", [][2]int64{{0, 14}}},
	}
	for _, tt := range tests {
		a := send(t, c, "GET", target, nil, "Range", tt.rng)
		if a.res.StatusCode != 206 {
			t.Errorf("Range: %s: %d, want 206 (%s)", tt.rng, a.res.StatusCode, a.body)
			continue
		}
		resourceFieldsOK(t, "Range: "+tt.rng, a)
		if a.get("ETag") != etag {
			t.Errorf("Range: %s: ETag %q, want %q", tt.rng, a.get("ETag"), etag)
		}
		parts := partsOf(t, a)
		checkParts(t, "Range: "+tt.rng, parts, full)
		var got [][2]int64
		for _, p := range parts {
			got = append(got, [2]int64{p.first, p.last})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Range: %s: parts %v, want %v", tt.rng, got, tt.want)
		}
		if len(tt.want) == 1 {
			if ct := a.get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Range: %s: Content-Type %q, want the resource's", tt.rng, ct)
			}
		}
	}

	// The parts of several requests reassemble to the bytes of a full GET.
	var whole = make([]byte, len(full))
	covered := map[int64]bool{}
	for _, rng := range []string{"bytes=512-1023,0-99,101-510", "bytes=100-100,511-511"} {
		parts := partsOf(t, send(t, c, "GET", target, nil, "Range", rng))
		for pos := range checkParts(t, rng, parts, full) {
			covered[pos] = true
		}
		for _, p := range parts {
			copy(whole[p.first:], p.data)
		}
	}
	if len(covered) != len(full) || !bytes.Equal(whole, get.body) {
		t.Errorf("the parts cover %d bytes and reassemble to %q..., want the %d bytes of a full GET", len(covered), clipBytes(whole), len(full))
	}

	// Many or overlapping ranges cost no more than the resource.
	many := "bytes=" + strings.TrimSuffix(strings.Repeat("0-1023,", 60), ",")
	a := send(t, c, "GET", target, nil, "Range", many)
	if len(a.body) > 2*len(full) {
		t.Errorf("60 overlapping ranges: %d bytes sent, want the overlaps coalesced or the field ignored", len(a.body))
	}
	if a.res.StatusCode == 206 {
		checkParts(t, "60 overlapping ranges", partsOf(t, a), full)
	} else if a.res.StatusCode != 200 || !bytes.Equal(a.body, full) {
		t.Errorf("60 overlapping ranges: %d, want 206 or the whole 200", a.res.StatusCode)
	}
	var specs []string
	for i := range 200 {
		specs = append(specs, strconv.Itoa(i*5)+"-"+strconv.Itoa(i*5+1))
	}
	a = send(t, c, "GET", target, nil, "Range", "bytes="+strings.Join(specs, ","))
	if a.res.StatusCode == 206 {
		checkParts(t, "200 ranges", partsOf(t, a), full)
	} else if a.res.StatusCode != 200 || !bytes.Equal(a.body, full) {
		t.Errorf("200 ranges: %d, want a correct 206 or the whole 200", a.res.StatusCode)
	}

	// None satisfiable: 416 with the length.
	for _, rng := range []string{"bytes=2000-3000", "bytes=1024-", "bytes=-0", "bytes=5000-6000,1024-1030"} {
		a := send(t, c, "GET", target, nil, "Range", rng)
		if a.res.StatusCode != 416 || a.get("Content-Range") != "bytes */1024" {
			t.Errorf("Range: %s: %d Content-Range %q, want 416 bytes */1024", rng, a.res.StatusCode, a.get("Content-Range"))
		}
	}
	// Ranges the server ignores: the whole resource, 200.
	for _, rng := range []string{"bytes=9-0", "items=0-9", "bytes=abc", "bytes=", "bytes=0-9,x"} {
		a := send(t, c, "GET", target, nil, "Range", rng)
		if a.res.StatusCode != 200 || !bytes.Equal(a.body, full) || a.get("Content-Range") != "" {
			t.Errorf("Range: %s: %d, %d bytes, Content-Range %q, want the whole 200", rng, a.res.StatusCode, len(a.body), a.get("Content-Range"))
		}
	}

	// If-Range.
	for _, tt := range []struct {
		ifRange string
		want    int
	}{
		{etag, 206},
		{`"wrong"`, 200},
		{"W/" + etag, 200},
		{lm, 206}, // a generated resource: its date is a strong validator
		{"Mon, 02 Jan 2006 15:04:05 GMT", 200},
		{"not a date", 200},
	} {
		a := send(t, c, "GET", target, nil, "Range", "bytes=0-9", "If-Range", tt.ifRange)
		if a.res.StatusCode != tt.want {
			t.Errorf("If-Range: %s: %d, want %d", tt.ifRange, a.res.StatusCode, tt.want)
		}
		if tt.want == 200 && !bytes.Equal(a.body, full) {
			t.Errorf("If-Range: %s: %d bytes, want the whole resource", tt.ifRange, len(a.body))
		}
	}
	// §13.2.2 step 5: a false If-Range means the Range is ignored, even
	// one none of whose ranges is satisfiable.
	if a := send(t, c, "GET", target, nil, "Range", "bytes=2000-3000", "If-Range", `"wrong"`); a.res.StatusCode != 200 {
		t.Errorf("unsatisfiable Range with a false If-Range: %d, want 200", a.res.StatusCode)
	}
	// Range is for GET only.
	h := send(t, c, "HEAD", target, nil, "Range", "bytes=0-9")
	if h.res.StatusCode != 200 || h.get("Content-Range") != "" || h.get("Content-Length") != "1024" {
		t.Errorf("HEAD with Range: %d Content-Range %q Content-Length %q, want 200, none, 1024", h.res.StatusCode, h.get("Content-Range"), h.get("Content-Length"))
	}
	// Two Range lines mean nothing (RFC 9110, section 5.3).
	a = send(t, c, "GET", target, nil, "Range", "bytes=0-9", "Range", "bytes=20-29")
	if a.res.StatusCode != 200 && a.res.StatusCode != 206 {
		t.Errorf("two Range lines: %d", a.res.StatusCode)
	}
	if a.res.StatusCode == 206 {
		checkParts(t, "two Range lines", partsOf(t, a), full)
	}

	// An empty resource.
	e := ts.URL + "/resource?key=rg0&size=0"
	if a := send(t, c, "GET", e, nil, "Range", "bytes=0-0"); a.res.StatusCode != 416 || a.get("Content-Range") != "bytes */0" {
		t.Errorf("an empty resource, bytes=0-0: %d Content-Range %q, want 416 bytes */0", a.res.StatusCode, a.get("Content-Range"))
	}
	if a := send(t, c, "GET", e, nil, "Range", "bytes=-5"); a.res.StatusCode != 200 && a.res.StatusCode != 416 {
		t.Errorf("an empty resource, bytes=-5: %d, want 200 or 416", a.res.StatusCode)
	}
	// A resource the client wrote is served in ranges too.
	w := ts.URL + "/resource?key=rgw"
	send(t, c, "PUT", w, strings.NewReader("0123456789abcdefghij"), "Content-Type", "text/x-test")
	parts := partsOf(t, send(t, c, "GET", w, nil, "Range", "bytes=0-2,-3"))
	checkParts(t, "a written resource", parts, []byte("0123456789abcdefghij"))
}

// TestResourceIfRangeAfterSameSecondWrite: a Last-Modified date is a
// strong validator only when the representation cannot have changed twice
// within its second (RFC 9110, sections 8.8.2.2 and 13.1.5). A write in
// the second the previous representation was made gives both the same
// Last-Modified; an If-Range with that date must not then get the bytes of
// the new representation to splice into the old.
func TestResourceIfRangeAfterSameSecondWrite(t *testing.T) {
	t.Parallel()
	clock := newFakeClock() // it does not move: every request is in one second
	_, ts, c := startClocked(t, clock)
	target := ts.URL + "/resource?key=same"
	first := send(t, c, "GET", target, nil)
	lm := first.get("Last-Modified")
	put := send(t, c, "PUT", target, strings.NewReader(strings.Repeat("Z", 1024)), "If-Match", first.get("ETag"))
	if put.res.StatusCode != 204 {
		t.Fatalf("PUT: %d, want 204", put.res.StatusCode)
	}
	if put.get("Last-Modified") != lm {
		t.Logf("PUT in the same second: Last-Modified %q, was %q", put.get("Last-Modified"), lm)
	}
	a := send(t, c, "GET", target, nil, "Range", "bytes=0-9", "If-Range", lm)
	if a.res.StatusCode != 200 {
		t.Errorf("GET Range: bytes=0-9, If-Range: %s (the date of the old representation, which changed within that second): %d %q, want 200 with the whole new representation",
			lm, a.res.StatusCode, clipBytes(a.body))
	}
}

func TestResourceNames(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	full := generatedContent(1024)
	a, b, plain := ts.URL+"/resource/a?key=n", ts.URL+"/resource/b?key=n", ts.URL+"/resource?key=n"
	if r := send(t, c, "PUT", a, strings.NewReader("only a")); r.res.StatusCode != 204 {
		t.Fatalf("PUT /resource/a: %d, want 204", r.res.StatusCode)
	}
	if r := send(t, c, "GET", a, nil); string(r.body) != "only a" {
		t.Errorf("GET /resource/a: %q, want only a", r.body)
	}
	for _, other := range []string{b, plain, ts.URL + "/resource/a?key=n2"} {
		if r := send(t, c, "GET", other, nil); r.res.StatusCode != 200 || !bytes.Equal(r.body, full) {
			t.Errorf("GET %s: %d, %q..., want the generated resource", other, r.res.StatusCode, clipBytes(r.body))
		}
	}
	send(t, c, "DELETE", b, nil)
	if r := send(t, c, "GET", a, nil); string(r.body) != "only a" {
		t.Errorf("GET /resource/a after DELETE /resource/b: %q", r.body)
	}
	for _, p := range []string{"/resource/bad%20name", "/resource/a:b", "/resource/" + strings.Repeat("n", 65), "/resource/%C3%A9"} {
		wantProblem(t, "GET "+clipPath(p), send(t, c, "GET", ts.URL+p, nil), http.StatusBadRequest)
	}
	// The names one key holds are bounded.
	for i := range maxResourcesPerKey {
		if r := send(t, c, "GET", ts.URL+"/resource/r"+strconv.Itoa(i)+"?key=bound", nil); r.res.StatusCode != 200 {
			t.Fatalf("resource %d: %d, want 200", i+1, r.res.StatusCode)
		}
	}
	wantProblem(t, "one resource too many", send(t, c, "GET", ts.URL+"/resource/extra?key=bound", nil), http.StatusBadRequest)
}

func TestResourceMethods(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	want := []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "PUT"}
	allowOf := func(v string) []string {
		var out []string
		for m := range strings.SplitSeq(v, ",") {
			if m = strings.TrimSpace(m); m != "" {
				out = append(out, m)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, m := range []string{"POST", "TRACE", "PROPFIND"} {
		for _, p := range []string{"/resource?key=m", "/resource/x?key=m"} {
			a := send(t, c, m, ts.URL+p, nil)
			if a.res.StatusCode != 405 || !slices.Equal(allowOf(a.get("Allow")), want) {
				t.Errorf("%s %s: %d Allow %q, want 405 with %v", m, p, a.res.StatusCode, a.get("Allow"), want)
			}
		}
	}
	a := send(t, c, "OPTIONS", ts.URL+"/resource?key=m", nil)
	if a.res.StatusCode != 204 || !slices.Equal(allowOf(a.get("Allow")), want) || len(a.body) != 0 {
		t.Errorf("OPTIONS: %d Allow %q, want 204 with %v", a.res.StatusCode, a.get("Allow"), want)
	}
}

func TestResourceControls(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	target := ts.URL + "/resource?key=ctl"
	if a := send(t, c, "GET", target+"&delay=1ms", nil); a.res.StatusCode != 200 || len(a.body) != 1024 {
		t.Errorf("delay=1ms: %d, %d bytes, want 200 and 1024", a.res.StatusCode, len(a.body))
	}
	if a := send(t, c, "GET", target+"&header=X-A:1", nil); a.res.StatusCode != 200 || a.get("X-A") != "1" {
		t.Errorf("header=X-A:1: %d X-A %q, want 200 and 1", a.res.StatusCode, a.get("X-A"))
	}
	if a := send(t, c, "GET", target+"&dribble=10ms", nil); a.res.StatusCode != 200 || len(a.body) != 1024 {
		t.Errorf("dribble=10ms: %d, %d bytes, want 200 and 1024", a.res.StatusCode, len(a.body))
	}
	for _, q := range []string{"location=/x", "code=301", "cycle=true", "absolute=true", "seed=1", "user=u", "retry-after=1"} {
		name, _, _ := strings.Cut(q, "=")
		wantProblem(t, q+" on /resource", send(t, c, "GET", target+"&"+q, nil), http.StatusBadRequest, name)
	}
	wantProblem(t, "X-HttpStatus-Location on /resource", send(t, c, "GET", target, nil, "X-HttpStatus-Location", "/x"), http.StatusBadRequest, "location")
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if res, err := fresh.Get(target + "&fault=before-headers"); err == nil {
		res.Body.Close()
		t.Errorf("fault=before-headers: %d, want the connection closed", res.StatusCode)
	}
}

// TestResourceSampleRoutes checks that /206 and /416 use the range code
// of the resource, as the issue asks.
func TestResourceSampleRoutes(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	sampleBytes := []byte(sample)
	a := send(t, c, "GET", ts.URL+"/206", nil, "Range", "bytes=2000-3000, 0-9")
	if a.res.StatusCode != 206 || a.get("Content-Range") != "bytes 0-9/1024" || string(a.body) != sample[:10] {
		t.Errorf("/206 bytes=2000-3000, 0-9: %d Content-Range %q %q, want 206 bytes 0-9/1024", a.res.StatusCode, a.get("Content-Range"), a.body)
	}
	parts := partsOf(t, send(t, c, "GET", ts.URL+"/206", nil, "Range", "bytes=0-9,100-109"))
	checkParts(t, "/206 with two ranges", parts, sampleBytes)
	if len(parts) != 2 {
		t.Errorf("/206 with two ranges: %d parts, want 2", len(parts))
	}
	if a := send(t, c, "GET", ts.URL+"/206", nil, "Range", "bytes=0-9", "If-Range", `"wrong"`); a.res.StatusCode != 200 || string(a.body) != sample {
		t.Errorf("/206 with a false If-Range: %d, %d bytes, want the whole 200", a.res.StatusCode, len(a.body))
	}
	if a := send(t, c, "GET", ts.URL+"/206", nil, "Range", "bytes=0-9", "If-Range", sampleETag); a.res.StatusCode != 206 || a.get("Content-Range") != "bytes 0-9/1024" {
		t.Errorf("/206 with a true If-Range: %d Content-Range %q, want 206 bytes 0-9/1024", a.res.StatusCode, a.get("Content-Range"))
	}
	if a := send(t, c, "GET", ts.URL+"/206", nil, "Range", "bytes=2000-3000"); a.res.StatusCode != 416 || a.get("Content-Range") != "bytes */1024" {
		t.Errorf("/206 bytes=2000-3000: %d Content-Range %q, want 416 bytes */1024", a.res.StatusCode, a.get("Content-Range"))
	}
	// §13.2.2 step 5: If-Range is evaluated before Range; a false one
	// means the Range is ignored, so no 416.
	if a := send(t, c, "GET", ts.URL+"/206", nil, "Range", "bytes=2000-3000", "If-Range", `"wrong"`); a.res.StatusCode != 200 {
		t.Errorf("/206 bytes=2000-3000 with a false If-Range: %d, want 200 (the Range is ignored)", a.res.StatusCode)
	}
	if a := send(t, c, "GET", ts.URL+"/206", nil); a.res.StatusCode != 206 {
		t.Errorf("/206 without Range: %d, want 206", a.res.StatusCode)
	}
	if a := send(t, c, "GET", ts.URL+"/416", nil); a.res.StatusCode != 416 {
		t.Errorf("/416: %d, want 416", a.res.StatusCode)
	}
	if a := send(t, c, "GET", ts.URL+"/304", nil); a.res.StatusCode != 304 {
		t.Errorf("/304: %d, want 304", a.res.StatusCode)
	}
}

// TestResourceWritesWithCreationControls sends writes that name size or
// type controls other than the existing resource's: docs/server.md says
// naming others later is a 409. A write must not act as if the resource
// were gone (404, or 412 against its current tag), and must not change it.
func TestResourceWritesWithCreationControls(t *testing.T) {
	t.Parallel()
	_, ts, c := start(t)
	target := ts.URL + "/resource?key=wcc"
	first := send(t, c, "GET", target, nil)
	etag := first.get("ETag")
	for _, tt := range []struct {
		method, query, body string
		header              []string
	}{
		{"DELETE", "&size=7", "", nil},
		{"PATCH", "&type=text/html", "more", nil},
		{"PUT", "&size=7", "1234567", []string{"If-Match", etag}},
		{"PUT", "&type=text/html", "<p>", nil},
		{"DELETE", "&size=7", "", []string{"If-Match", etag}},
	} {
		var body io.Reader
		if tt.body != "" {
			body = strings.NewReader(tt.body)
		}
		a := send(t, c, tt.method, target+tt.query, body, tt.header...)
		if a.res.StatusCode != http.StatusConflict {
			t.Errorf("%s %s %v on an existing resource of 1024 bytes: %d (%s), want 409", tt.method, tt.query, tt.header, a.res.StatusCode, a.body)
		}
		if now := send(t, c, "GET", target, nil); now.res.StatusCode != 200 || now.get("ETag") != etag {
			t.Fatalf("after %s %s: %d ETag %q, want the resource unchanged", tt.method, tt.query, now.res.StatusCode, now.get("ETag"))
		}
	}
}
