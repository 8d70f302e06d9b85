package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The hosts of the target tests. The page a browser is on is
// http://base.test/status/302; no vector names base.test, so a URL on it
// is a path on this server.
const (
	targetBase  = "http://base.test/status/302"
	sameOrigin  = "same origin"
	browserFail = "invalid" // a browser does not follow it at all
)

// targetAllowed is the allow-list of the target tests: a name and an IPv4
// address from the documentation range, which a URL may write in other
// forms.
var targetAllowed = []string{"allowed.example", "192.0.2.1"}

// targetVectors are values a request may ask the server to send as a URL,
// mostly known ways past a redirect check. browser says where a browser on
// an http page of this server goes with it: sameOrigin, the host (and
// port) of another origin, "scheme x" for a scheme other than http and
// https, or browserFail when it goes nowhere. TestTargetAgainstNode checks
// that column against Node's WHATWG URL parser. It was also seen in
// Chromium 156, sent each value as a Location on loopback with every host
// mapped to 127.0.0.1: Chromium went where the column says on every row
// but three, which it does not follow at all (a NUL in the field; #x, the
// same page; /%zz, which net/http refuses), leaving out the rows with CR
// or LF, which a field cannot carry, and with 192.0.2.1, not tried. curl
// 7.88, tried the same way, differs where a note says "curl:".
var targetVectors = []struct {
	in      string
	browser string
	ok      bool   // the server sends it
	note    string // why, when it is not plain
}{
	// Slashes and backslashes: two of either start an authority.
	{"///evil.com", "evil.com", false, "curl goes there too (the case of the issue)"},
	{"////evil.com", "evil.com", false, "curl: nowhere"},
	{`/\evil.com`, "evil.com", false, "curl: a path on this server"},
	{`\/evil.com`, "evil.com", false, "curl: a path on this server"},
	{`\\evil.com`, "evil.com", false, "curl: a path on this server"},
	{`/\/evil.com`, "evil.com", false, "curl: a path on this server"},
	{`\\\\evil.com`, "evil.com", false, "curl: a path on this server"},
	{"//evil.com", "evil.com", false, ""},
	{"//evil.com:80/x", "evil.com", false, "the default port is dropped"},
	// Tabs, newlines, controls and spaces are dropped or trimmed.
	{"/\t/evil.com", "evil.com", false, "a tab is dropped: refused for its control character; curl: nowhere"},
	{"/\n/evil.com", "evil.com", false, "a newline is dropped: refused for its control character"},
	{"/\r\n/evil.com", "evil.com", false, ""},
	{" //evil.com", "evil.com", false, "a leading space is trimmed"},
	{"\x00//evil.com", "evil.com", false, "leading C0 controls are trimmed: refused for the control character"},
	{"\x01\x1f//evil.com", "evil.com", false, ""},
	{"java\tscript:alert(1)", "scheme javascript", false, "a tab inside the scheme is dropped"},
	{"/\x7f/evil.com", sameOrigin, false, "DEL is not trimmed, but is a control character in a field"},
	// A scheme without its slashes.
	{"http:evil.com", sameOrigin, false, "a relative path on an http page, the host evil.com on an https page; curl: nowhere"},
	{"http:/evil.com", sameOrigin, false, "the path /evil.com on an http page, the host evil.com on an https page; curl: evil.com"},
	{`http:\\evil.com`, "evil.com", false, ""},
	{"http:///evil.com", "evil.com", false, ""},
	{"https:evil.com", "evil.com", false, "the other special scheme takes an authority without slashes"},
	{`https:\\evil.com`, "evil.com", false, ""},
	{"https:/evil.com", "evil.com", false, ""},
	{"HTTP://evil.com", "evil.com", false, "schemes are case-insensitive"},
	// Userinfo, and where the authority ends.
	{"//evil.com@allowed.example", "allowed.example", true, "evil.com is a user name"},
	{"//allowed.example@evil.com", "evil.com", false, ""},
	{"http://allowed.example:80@evil.com", "evil.com", false, "allowed.example:80 is a user and password"},
	{"http://a@b@evil.com", "evil.com", false, "the last @ ends the userinfo"},
	{"http://@evil.com", "evil.com", false, ""},
	{"http://allowed.example@", browserFail, false, "an empty host after the userinfo"},
	{"http://allowed.example.evil.com", "allowed.example.evil.com", false, ""},
	{"http://evil.com#@allowed.example", "evil.com", false, "# ends the authority"},
	{"http://evil.com?@allowed.example", "evil.com", false, "? ends the authority"},
	{`http://evil.com\@allowed.example`, "evil.com", false, "a backslash ends the authority; curl: allowed.example"},
	{`http://allowed.example\@evil.com`, "allowed.example", false, "curl reads the backslash as userinfo and goes to evil.com, and net/url cannot parse it"},
	{"https://evil.com%2F@allowed.example", "allowed.example", true, "the %2F is in the userinfo"},
	// Hosts: percent-encoding, IDNA, case, numbers, ports.
	{"//evil%2ecom", "evil.com", false, "a host is percent-decoded"},
	{"//%09/evil.com", browserFail, false, "a decoded tab is forbidden in a host"},
	{"//evil。com", "evil.com", false, "IDNA maps the ideographic full stop to a dot: refused as not ASCII"},
	{"//ＥＶＩＬ.com", "evil.com", false, "IDNA maps fullwidth letters to ASCII: refused as not ASCII"},
	{"//ａｌｌｏｗｅｄ.example", "allowed.example", false, "the allowed host in fullwidth letters: refused as not ASCII"},
	{"//EVIL.COM", "evil.com", false, ""},
	{"http://2130706433/", "127.0.0.1", false, "a host of one decimal number is an IPv4 address"},
	{"http://0x7f.1/", "127.0.0.1", false, "hex, and the last number fills the remaining bytes"},
	{"http://0177.0.0.1/", "127.0.0.1", false, "octal"},
	{"//127.1", "127.0.0.1", false, ""},
	{"http://[::1]/", "[::1]", false, ""},
	{"http://[0:0::1]:8080/", "[::1]:8080", false, ""},
	{"http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]", false, ""},
	{"http://1.2.3.4.5/", browserFail, false, "five numbers; curl: the host 1.2.3.4.5"},
	{"http://evil.1/", browserFail, false, "ends in a number but is no address; curl: the host evil.1"},
	{"http://evil.com:99999/", browserFail, false, "a port over 65535"},
	{"http://evil.com:8o/", browserFail, false, ""},
	{"http://", browserFail, false, ""},
	{"//localhost:18181/418", "localhost:18181", false, "another port is another origin"},
	{"///localhost:18181/418", "localhost:18181", false, "the request of the issue"},
	{"http://3221225985/", "192.0.2.1", true, "the allowed address as one decimal number"},
	{"http://0xc0.0.0x2.1/", "192.0.2.1", true, "the allowed address in hex and decimal"},
	{"http://192.0.2.1./", "192.0.2.1", true, "a trailing dot"},
	{"http://ALLOWED.example/", "allowed.example", true, ""},
	{"http://allowed%2eexample/", "allowed.example", false, "a browser decodes it, net/url refuses an escaped ASCII byte in a host"},
	{"https://allowed.example:8443/x", "allowed.example:8443", true, "an allowed host on any port"},
	{"http://allowed.example:/x", "allowed.example", true, "an empty port"},
	{"//allowed.example/x", "allowed.example", true, ""},
	{"http://allowed.example./", "allowed.example.", false, "a trailing dot: the same name in DNS, but not the name on the list"},
	// Other schemes.
	{"javascript:alert(1)", "scheme javascript", false, ""},
	{"JaVaScRiPt:alert(1)", "scheme javascript", false, ""},
	{" javascript:alert(1)", "scheme javascript", false, ""},
	{"data:text/html,<script>alert(1)</script>", "scheme data", false, ""},
	{"vbscript:msgbox(1)", "scheme vbscript", false, ""},
	{"file:///etc/passwd", "scheme file", false, ""},
	{"ftp://allowed.example/", "scheme ftp", false, "only http and https, even on an allowed host"},
	{"ws://allowed.example/", "scheme ws", false, ""},
	{"blob:http://evil.com/x", "scheme blob", false, ""},
	// Paths on this server.
	{"/%2F%2Fevil.com", sameOrigin, true, "percent-encoded slashes stay in the path"},
	{"/%5Cevil.com", sameOrigin, true, "so does a percent-encoded backslash"},
	{"%2F%2Fevil.com", sameOrigin, true, ""},
	{".//evil.com", sameOrigin, true, "a relative path: /status//evil.com"},
	{"..//evil.com", sameOrigin, true, "the path //evil.com on this server"},
	{"/.//evil.com", sameOrigin, true, "the path //evil.com on this server"},
	{"/status/200", sameOrigin, true, ""},
	{"200", sameOrigin, true, ""},
	{"?a=b", sameOrigin, true, ""},
	{"#x", sameOrigin, true, ""},
	{"/a/b?c=d#e", sameOrigin, true, ""},
	{"evil.com", sameOrigin, true, "a relative path, /status/evil.com"},
	{"/@evil.com", sameOrigin, true, ""},
	{"http://allowed.example/x", "allowed.example", true, ""},
	{"/%zz", sameOrigin, false, "a browser keeps a bad escape in the path; net/url cannot parse it"},
}

// targetServer is the server of the target tests.
func targetServer() *Server { return New(WithRedirectHosts(targetAllowed...)) }

// TestTargetVectors checks each vector: the check's verdict, and that the
// parser of target.go reads it as the browser column says.
func TestTargetVectors(t *testing.T) {
	t.Parallel()
	s := targetServer()
	for _, v := range targetVectors {
		err := s.checkTarget(v.in)
		if (err == nil) != v.ok {
			t.Errorf("checkTarget(%q) = %v, want ok %v (browser: %s; %s)", v.in, err, v.ok, v.browser, v.note)
		}
		// What the server sends must be a path on it or an allowed host.
		if host, _, _ := strings.Cut(v.browser, ":"); v.ok && v.browser != sameOrigin && !slices.Contains(targetAllowed, host) {
			t.Errorf("%q: the server would send a browser to %s", v.in, v.browser)
		}
		r, err := resolve(v.in, "http")
		got := describe(r, err)
		if errors.Is(err, errNonASCIIHost) {
			if v.browser == sameOrigin || v.browser == browserFail {
				t.Errorf("%q: resolve says a non-ASCII host, the browser column %q", v.in, v.browser)
			}
			continue
		}
		if got != v.browser {
			t.Errorf("resolve(%q) reads %s (%v), the browser column says %s", v.in, got, err, v.browser)
		}
	}
}

// describe writes what resolve read in the terms of the browser column.
func describe(r resolution, err error) string {
	switch {
	case err != nil:
		return browserFail
	case r.inherited:
		return sameOrigin
	case r.scheme != "http" && r.scheme != "https":
		return "scheme " + r.scheme
	case r.port != "":
		return r.host + ":" + r.port
	}
	return r.host
}

// TestTargetEveryWay sends each vector through every way a request names
// a URL: the location control by query and by header, and an extra
// Location or Content-Location field by query and by header. The server
// sends the value as it is, or answers 400 naming the field.
func TestTargetEveryWay(t *testing.T) {
	t.Parallel()
	s := targetServer()
	for _, v := range targetVectors {
		headerSafe := validValue(v.in) && strings.TrimSpace(v.in) == v.in && !strings.Contains(v.in, "\t")
		ways := []struct {
			name, query, header, value, field string
		}{
			{"location", "location=" + url.QueryEscape(v.in), "", "", "location"},
			{"header=Location", "header=" + url.QueryEscape("Location:"+v.in), "", "", "extra Location header"},
			{"header=Content-Location", "header=" + url.QueryEscape("Content-Location:"+v.in), "", "", "extra Content-Location header"},
			{"X-HttpStatus-Location", "", "X-HttpStatus-Location", v.in, "location"},
			{"X-HttpStatus-Response-Location", "", "X-HttpStatus-Response-Location", v.in, "extra Location header"},
		}
		for _, w := range ways {
			if w.header != "" && !headerSafe {
				continue // not a value a request can carry in a field as it is
			}
			r := httptest.NewRequest("GET", "/302?"+w.query, nil)
			if w.header != "" {
				r.Header.Set(w.header, w.value)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, r)
			if !v.ok {
				// A control character stops the header control before the
				// target check, with a message of its own.
				if rec.Code != http.StatusBadRequest || validValue(v.in) && !strings.Contains(rec.Body.String(), w.field+": ") {
					t.Errorf("%s %q: %d %s, want 400 naming %s", w.name, v.in, rec.Code, rec.Body, w.field)
				}
				continue
			}
			want, name := v.in, "Location"
			if strings.Contains(w.name, "Content-Location") {
				name = "Content-Location"
			}
			if w.name == "header=Location" || w.name == "header=Content-Location" {
				want = strings.TrimSpace(want) // the header control trims the value
			}
			if rec.Code != http.StatusFound || rec.Header().Get(name) != want {
				t.Errorf("%s %q: %d %s: %q, want 302 with %q", w.name, v.in, rec.Code, name, rec.Header().Get(name), want)
			}
		}
	}
}

// TestTargetDetail checks that a refusal says which field, which host and
// why, and lists the allow-list.
func TestTargetDetail(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	targetServer().ServeHTTP(rec, httptest.NewRequest("GET", "/302?header=Refresh:0;url=%2F%2F%2Fevil.com", nil))
	var p struct{ Detail string }
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusBadRequest {
		t.Fatalf("%d %s (%v)", rec.Code, rec.Body, err)
	}
	for _, want := range []string{"extra Refresh header", `"///evil.com"`, "host evil.com", "allowed.example, 192.0.2.1", "a path on this server"} {
		if !strings.Contains(p.Detail, want) {
			t.Errorf("detail %q does not say %q", p.Detail, want)
		}
	}
	rec = httptest.NewRecorder()
	New().ServeHTTP(rec, httptest.NewRequest("GET", "/302?location=https://example.org/", nil))
	if !strings.Contains(rec.Body.String(), "(it is empty)") {
		t.Errorf("with no allow-list: %s", rec.Body)
	}
}

// refreshVectors are Refresh values: url is the URL a browser follows, or
// "" for none. Chromium 156, sent each value on a 200 page on loopback,
// followed every URL with a valid delay as the table says (and refreshed
// the page forever on 0; and 0; url=). It ignores the field when the delay
// is not digits and dots (+0, -0, 0e0, x); the check still looks at the
// URL there, in case another browser is more lenient.
var refreshVectors = []struct {
	in, url string
	ok      bool
}{
	{"0;url=http://evil.com/", "http://evil.com/", false}, // the case of the issue
	{"0; URL='http://evil.com/'", "http://evil.com/", false},
	{`0; url="//evil.com"`, "//evil.com", false},
	{`0;url="//evil.com"x`, "//evil.com", false},
	{"0,url=http://evil.com/", "http://evil.com/", false},
	{"0;http://evil.com/", "http://evil.com/", false},
	{"0 http://evil.com/", "http://evil.com/", false},
	{"0 url = ///evil.com", "///evil.com", false},
	{"0\t;\turl=//evil.com", "//evil.com", false},
	{`0;url=\\evil.com`, `\\evil.com`, false},
	{"0;URL=http:evil.com", "http:evil.com", false}, // Chromium: a path, on an http page
	{"0.5;url=//evil.com", "//evil.com", false},
	{"1.;URL=//evil.com", "//evil.com", false},
	{"  0 ;  url=//evil.com", "//evil.com", false},
	{"0;url='//evil.com", "//evil.com", false}, // an unclosed quote runs to the end
	{"0;url='/a'//evil.com", "/a", true},       // the URL ends at the closing quote
	{"+0;url=//evil.com", "//evil.com", false}, // Chromium ignores the field
	{"x;url=//evil.com", "//evil.com", false},
	{"0;url=/status/200", "/status/200", true},
	{"0;url=http://allowed.example/", "http://allowed.example/", true},
	{"0;uevil.com", "uevil.com", true},                    // not url=: the whole rest is the URL, a relative path
	{"0; foo url=//evil.com", "foo url=//evil.com", true}, // the same: Chromium goes to /status/foo%20url=//evil.com
	{"0;url", "url", true},
	{"0url=//evil.com", "", true}, // no separator after the delay: Chromium ignores it
	{"5", "", true},               // reload the page
	{"0;", "", true},
	{"0; url=", "", true},
}

// TestRefreshURL checks how the URL of a Refresh value is found.
func TestRefreshURL(t *testing.T) {
	t.Parallel()
	for _, v := range refreshVectors {
		u, ok := refreshURL(v.in)
		if u != v.url || ok != (v.url != "") {
			t.Errorf("refreshURL(%q) = %q, %v; want %q", v.in, u, ok, v.url)
		}
	}
}

// TestTargetFields checks the fields that carry a URL inside a value:
// Refresh and Link, from either form of extra header.
func TestTargetFields(t *testing.T) {
	t.Parallel()
	s := targetServer()
	tests := []struct {
		field, value string
		ok           bool
	}{
		{"Link", `</a>; rel=preload, <//evil.com>; rel=preconnect`, false},
		{"Link", `<https://evil.com/x>; rel=next`, false},
		{"Link", `<https://allowed.example/x>; rel=next, </openapi.json>; rel=preload`, true},
		{"Link", `<///evil.com>`, false},
		{"Link", `< //evil.com >`, false},
		{"Link", `<//evil.com`, false},
		{"Link", `</a>; title="x"`, true},
		{"Content-Location", "//evil.com", false},
		{"Content-Location", "/status/200", true},
		{"X-Other", "//evil.com", true}, // carries no URL a client follows
	}
	for _, v := range refreshVectors {
		tests = append(tests, struct {
			field, value string
			ok           bool
		}{"Refresh", v.in, v.ok})
	}
	for _, tt := range tests {
		for _, byQuery := range []bool{true, false} {
			r := httptest.NewRequest("GET", "/200", nil)
			if byQuery {
				r.URL.RawQuery = "header=" + url.QueryEscape(tt.field+":"+tt.value)
			} else {
				r.Header.Set("X-HttpStatus-Response-"+tt.field, tt.value)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, r)
			if tt.ok {
				if rec.Code != http.StatusOK || rec.Header().Get(tt.field) != strings.TrimSpace(tt.value) {
					t.Errorf("%s: %s (query %v): %d %q", tt.field, tt.value, byQuery, rec.Code, rec.Header().Get(tt.field))
				}
			} else if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "extra "+tt.field+" header: ") {
				t.Errorf("%s: %s (query %v): %d %s, want 400 naming the field", tt.field, tt.value, byQuery, rec.Code, rec.Body)
			}
		}
	}
}

// nodeURL is a Node program that resolves each [input, base] pair of its
// standard input with the WHATWG URL parser Node implements.
const nodeURL = `
let data = "";
process.stdin.on("data", d => data += d);
process.stdin.on("end", () => {
	const out = JSON.parse(data).map(([input, base]) => {
		try {
			const u = new URL(input, base);
			return {ok: true, protocol: u.protocol, host: u.host};
		} catch (e) {
			return {ok: false};
		}
	});
	process.stdout.write(JSON.stringify(out));
});`

// nodeResult is what Node made of one input.
type nodeResult struct {
	OK       bool   `json:"ok"`
	Protocol string `json:"protocol"`
	Host     string `json:"host"`
}

// describe writes a Node result in the terms of the browser column, for a
// page with the scheme base.
func (n nodeResult) describe(base string) string {
	switch {
	case !n.OK:
		return browserFail
	case n.Protocol != "http:" && n.Protocol != "https:":
		return "scheme " + strings.TrimSuffix(n.Protocol, ":")
	case n.Host == "base.test" && n.Protocol == base+":":
		return sameOrigin
	}
	return n.Host
}

// TestTargetAgainstNode checks the parser of target.go against Node's URL,
// which implements the WHATWG URL standard: on every vector, where the
// browser column must agree too, and on thousands of values built from
// the pieces of the vectors, on an http and an https page. A host outside
// ASCII, which the parser refuses, must be another origin for Node.
func TestTargetAgainstNode(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the parser of target.go is not cross-checked against a WHATWG URL parser (apt-get install nodejs)")
	}
	inputs := make([]string, 0, len(targetVectors))
	for _, v := range targetVectors {
		inputs = append(inputs, v.in)
	}
	inputs = append(inputs, combinations()...)
	var pairs [][2]string
	for _, in := range inputs {
		pairs = append(pairs, [2]string{in, targetBase}, [2]string{in, strings.Replace(targetBase, "http:", "https:", 1)})
	}
	stdin, err := json.Marshal(pairs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", nodeURL)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var results []nodeResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(pairs) {
		t.Fatalf("node answered %d results for %d inputs (%v)", len(results), len(pairs), err)
	}
	for i, v := range targetVectors {
		if got := results[2*i].describe("http"); got != v.browser {
			t.Errorf("%q: Node goes to %s, the browser column says %s", v.in, got, v.browser)
		}
	}
	failures := 0
	for i, in := range inputs {
		for j, base := range []string{"http", "https"} {
			n := results[2*i+j]
			r, err := resolve(in, base)
			want, got := n.describe(base), describe(r, err)
			if errors.Is(err, errNonASCIIHost) && want != sameOrigin {
				continue // refused, and a browser goes elsewhere
			}
			if strings.HasPrefix(got, "scheme ") && want == browserFail {
				continue // refused for its scheme, which a browser cannot parse either
			}
			if got != want && failures < 20 {
				failures++
				t.Errorf("on an %s page, %q: resolve reads %s (%v), Node %s", base, in, got, err, want)
			}
		}
	}
	t.Logf("%d values checked against Node, on http and https pages", len(inputs))
}

// combinations builds values from the pieces bypasses are made of: a
// scheme, slashes and controls, an authority and what follows it.
func combinations() []string {
	schemes := []string{"", "http:", "https:", "HTTP:", "hTtPs:", "ftp:", "ws:", "javascript:", "x-y+z.1:", "1x:"}
	slashes := []string{"", "/", "//", "///", `\`, `\\`, `/\`, `\/`, `\\\`, "/\t/", "/\n/", "\t//", " //", "\x00/"}
	hosts := []string{"evil.com", "EvIl.CoM", "user@evil.com", "evil.com@allowed.example", "allowed.example:80@evil.com",
		"a@b@evil.com", "@evil.com", "evil.com@", "evil.com:8080", "evil.com:", "evil.com:0080", ":80", "evil.com:65536",
		"evil%2ecom", "evil%2Ecom", "%65vil.com", "ev%00il", "ev%20il", "%", "%zz", "evil.com.", "evil..com", ".",
		"127.1", "0x7f.1", "0X7F.0.0.1", "2130706433", "0177.1", "08.1", "0x", "0x.1", "1.2.3.4.5", "256.1", "1.256",
		"4294967295", "4294967296", "0xffffffff", "1.2.3.4.", "1.2.3.4..", "evil.1", "evil.0x1", "evil.09", "1e1",
		"[::1]", "[0::1]:80", "[::ffff:127.0.0.1]", "[1:2:3:4:5:6:7:8]", "[1::]", "[::]", "[1:0:0:2::3]", "[fe80::1%25lo]",
		"[::1", "::1", "[127.0.0.1]", "evil[.com", "evil|com", "evil^com", "evil<com", "", "evil。com", "ＥＶＩＬ.com"}
	tails := []string{"", "/x", "?@allowed.example", "#@allowed.example", `\@allowed.example`, ":80/"}
	var out []string
	for _, s := range schemes {
		for _, sl := range slashes {
			for _, h := range hosts {
				for _, tl := range tails {
					out = append(out, s+sl+h+tl)
				}
			}
		}
	}
	return out
}

// FuzzTarget checks that whatever the check lets through, an RFC 3986
// client (Go's own) resolves to this server or to an allowed host, and
// that the parser never panics.
func FuzzTarget(f *testing.F) {
	for _, v := range targetVectors {
		f.Add(v.in)
	}
	s := targetServer()
	base, _ := url.Parse(targetBase)
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = resolve(in, "https")
		if s.checkTarget(in) != nil {
			return
		}
		ref, err := url.Parse(strings.TrimSpace(in))
		if err != nil {
			t.Fatalf("%q passed, but net/url cannot parse it: %v", in, err)
		}
		u := base.ResolveReference(ref)
		if u.Host != base.Host && !slices.Contains(targetAllowed, strings.ToLower(u.Hostname())) && u.Hostname() != "" {
			h, _ := parseHost(u.Hostname(), u.Host)
			if !slices.Contains(targetAllowed, h) {
				t.Fatalf("%q passed, but Go resolves it to %s", in, u)
			}
		}
	})
}
