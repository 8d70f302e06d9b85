package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
)

// testDay is the day the tests' clock shows, so that what they expect of a
// temporary registration does not change with the calendar.
var testDay = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// run calls Main as the binary would, on testDay, and returns what it
// printed.
func run(t testing.TB, color bool, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	return runEnv(t, &Env{Color: color, Now: func() time.Time { return testDay }}, args...)
}

// runEnv calls Main with e, its input and outputs replaced.
func runEnv(t testing.TB, e *Env, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e.Stdin, e.Stdout, e.Stderr = strings.NewReader(""), &out, &errOut
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	status = Main(context.Background(), args, e)
	return out.String(), errOut.String(), status
}

func TestLookupCommands(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args   []string
		status int
		stdout []string // each must appear
		stderr string
	}{
		{[]string{"404"}, 0, []string{"404 Not Found", "4xx Client Error", "RFC 9110, section 15.5.5", "http.StatusNotFound"}, ""},
		{[]string{"show", "405"}, 0, []string{"405 Method Not Allowed", "MUST Allow"}, ""},
		{[]string{"413"}, 0, []string{"Content Too Large", `"Request Entity Too Large"`, "RFC 2616"}, ""},
		{[]string{"499"}, 0, []string{"499 Client Closed Request", "nginx", "Other meanings of 499", "Token Required", "Esri"}, ""},
		{[]string{"477"}, 1, nil, "477 is not a status code httpstatus knows"},
		// A number that cannot be a code is a look-up that found nothing,
		// like 477: one line, status 1. A negative one is no flag.
		{[]string{"show", "099"}, 1, nil, `"099": a status code is a number from 100 to 599`},
		{[]string{"show", "4040"}, 1, nil, `"4040": a status code is a number from 100 to 599`},
		{[]string{"600"}, 1, nil, `"600": a status code is a number from 100 to 599`},
		{[]string{"999"}, 1, nil, `"999": a status code is a number from 100 to 599`},
		{[]string{"0"}, 1, nil, `"0": a status code is a number from 100 to 599`},
		{[]string{"-1"}, 1, nil, `"-1": a status code is a number from 100 to 599`},
		{[]string{"+404"}, 1, nil, `"+404": a status code is a number from 100 to 599`},
		{[]string{"show", "-1"}, 1, nil, `"-1": a status code is a number from 100 to 599`},
		{[]string{"show", "--json", "-1"}, 1, nil, `"-1": a status code is a number from 100 to 599`},
		{[]string{"-1", "--json"}, 1, nil, `"-1": a status code is a number from 100 to 599`},
		{[]string{"show"}, 2, nil, "show takes one status code or a phrase"},
		{[]string{"show", "404", "500"}, 2, nil, "show takes one status code or a phrase"},
		{[]string{"show", "zzqqxx"}, 1, nil, `no status code matches "zzqqxx"`},
		{[]string{"frobnicate"}, 1, nil, `no status code matches "frobnicate", and it is not a command`},
		{[]string{""}, 2, nil, "unknown command, flag or code"},
		{[]string{"-x"}, 2, nil, "unknown command, flag or code"},
		{[]string{}, 2, nil, "Usage:"},
		// Words name the code whose phrase they spell, or the best match.
		{[]string{"teapot"}, 0, []string{"418 I'm a teapot", "RFC 9110"}, ""},
		{[]string{"I'm a teapot"}, 0, []string{"418 I'm a teapot"}, ""},
		{[]string{"i’m a TEAPOT"}, 0, []string{"418 I'm a teapot"}, ""},
		{[]string{"too many"}, 0, []string{"429 Too Many Requests", `Also matching "too many"`, "463 Too Many X-Forwarded-For Addresses [AWS"}, ""},
		{[]string{"too", "many"}, 0, []string{"429 Too Many Requests"}, ""},
		{[]string{"show", "request-uri too long"}, 0, []string{"414 URI Too Long"}, ""},
		{[]string{"Token Required"}, 0, []string{"499 Token Required", "Esri", "Other meanings of 499", "Client Closed Request (nginx"}, ""},
		// Words that several IANA codes match equally well list them.
		{[]string{"timeout"}, 0, []string{"408 Request Timeout", "504 Gateway Timeout"}, ""},
		// A class lists it, flags included.
		{[]string{"4xx"}, 0, []string{"4xx Client Error", "404 Not Found", "444 No Response [nginx]"}, ""},
		{[]string{"5XX", "--official"}, 0, []string{"5xx Server Error", "503 Service Unavailable"}, ""},
		{[]string{"6xx"}, 2, nil, "not a class"},
		{[]string{"list", "6xx"}, 2, nil, "not a class"},
		{[]string{"list", "--official", "--unofficial"}, 2, nil, "exclude each other"},
		{[]string{"list", "4xx", "5xx"}, 2, nil, "at most one class"},
		{[]string{"list", "--bogus"}, 2, nil, "flag provided but not defined"},
		{[]string{"export", "--format", "xml"}, 2, nil, "unknown format"},
		{[]string{"search"}, 2, nil, "search needs words"},
		{[]string{"search", "zzqqxx"}, 1, nil, "no status code matches"},
		{[]string{"search", "-n", "-1", "gateway"}, 2, nil, "-n must not be negative"},
		{[]string{"search", "-5"}, 0, []string{"500 Internal Server Error"}, ""}, // a word, not a flag
		{[]string{"list", "1xx"}, 0, []string{"1xx Informational", "100 Continue", "103 Early Hints", "104 Upload Resumption Supported [temporary"}, ""},
		{[]string{"list", "4xx", "--unofficial"}, 0, []string{"444 No Response [nginx]", "499 Token Required [Esri ArcGIS]"}, ""},
		{[]string{"--help"}, 0, []string{"httpstatus show", "httpstatus check", "httpstatus serve", "httpstatus 4xx", "--version", "Exit status"}, ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := run(t, false, tc.args...)
			if status != tc.status {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", status, tc.status, stdout, stderr)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
			if tc.status == 1 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("a failure prints one line, got:\n%s", stderr)
			}
			if strings.Contains(stdout+stderr, "\x1b[") {
				t.Error("colour written although Env.Color is off")
			}
		})
	}
}

// TestShowClientRules checks that show prints the client rules of every
// code that has some, one row each under the label "Client rules", and
// none for a code whose primary meaning has none.
func TestShowClientRules(t *testing.T) {
	t.Parallel()
	// Two rows as a person reads them, the first two of 307's.
	stdout, _, _ := run(t, false, "show", "307")
	row := "\nClient rules  SHOULD wait at least as long as Retry-After asks before the next request  (RFC 9110, section 10.2.3) [retry-after-honoured]\n" +
		"              MUST NOT change the method when it follows a 307  (RFC 9110, section 15.4.8) [temporary-redirect-same-method]\n"
	if !strings.Contains(stdout, row) {
		t.Errorf("show 307 lacks the row %q:\n%s", row, stdout)
	}
	with := 0
	for e := range httpstatus.Codes() {
		rules := e.ClientRules()
		stdout, stderr, status := run(t, false, "show", strconv.Itoa(e.Code))
		if status != 0 {
			t.Fatalf("show %d: status %d: %s", e.Code, status, stderr)
		}
		if got, want := strings.Count(stdout, "\nClient rules  "), min(len(rules), 1); got != want {
			t.Errorf("show %d: %d Client rules labels, want %d:\n%s", e.Code, got, want, stdout)
		}
		if len(rules) > 0 {
			with++
		}
		for i, r := range rules {
			label := "              "
			if i == 0 {
				label = "Client rules  "
			}
			line := "\n" + label + r.Level.String() + " " + r.Summary + "  (" + r.Ref.String() + ") [" + r.ID + "]\n"
			if !strings.Contains(stdout, line) {
				t.Errorf("show %d lacks the row %q:\n%s", e.Code, line, stdout)
			}
		}
	}
	if with == 0 {
		t.Error("no code has a client rule to show")
	}
	// Colour paints the level as it does a header rule's.
	stdout, _, _ = run(t, true, "show", "307")
	if !strings.Contains(stdout, styleRed+"MUST NOT"+styleReset+" change the method") {
		t.Errorf("show 307 in colour does not paint MUST NOT red:\n%q", stdout)
	}
}

// TestShowJSONClientRules checks show --json: each meaning carries its
// client rules, and a vendor's meaning an empty list.
func TestShowJSONClientRules(t *testing.T) {
	t.Parallel()
	for _, code := range []int{503, 499} {
		stdout, stderr, status := run(t, false, "show", strconv.Itoa(code), "--json")
		if status != 0 {
			t.Fatalf("show %d --json: status %d: %s", code, status, stderr)
		}
		var got struct {
			Meanings []struct {
				Origin      string
				ClientRules []struct {
					ID, Level, Summary string
					Reference          struct{ Document, Section, URL string }
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		ms := httpstatus.Meanings(code)
		if len(got.Meanings) != len(ms) {
			t.Fatalf("show %d --json has %d meanings, the registry %d", code, len(got.Meanings), len(ms))
		}
		for i, m := range ms {
			var have, want []string
			for _, r := range got.Meanings[i].ClientRules {
				have = append(have, strings.Join([]string{r.ID, r.Level, r.Summary, r.Reference.Document, r.Reference.Section, r.Reference.URL}, " | "))
			}
			for _, r := range m.ClientRules() {
				want = append(want, strings.Join([]string{r.ID, r.Level.String(), r.Summary, r.Ref.Document, r.Ref.Section, r.Ref.URL}, " | "))
			}
			if !slices.Equal(have, want) {
				t.Errorf("show %d --json, meaning %d (%s): client rules\n got %q\nwant %q", code, i, m.Origin, have, want)
			}
		}
		if code == 503 && len(got.Meanings[0].ClientRules) == 0 {
			t.Error("show 503 --json has no client rule")
		}
		if code == 499 && !strings.Contains(stdout, `"clientRules": []`) {
			t.Errorf("show 499 --json does not give nginx's meaning an empty list of client rules:\n%s", stdout)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		stdout, stderr, status := run(t, false, c.name, "--help")
		if status != 0 || strings.Count(stdout, "Usage: httpstatus "+c.name) != 1 || stderr != "" {
			t.Errorf("%s --help: status %d\nstdout: %s\nstderr: %s", c.name, status, stdout, stderr)
		}
	}
}

func TestColour(t *testing.T) {
	t.Parallel()
	stdout, _, _ := run(t, true, "404")
	if !strings.Contains(stdout, "\x1b[") {
		t.Error("no colour written although Env.Color is on")
	}
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for _, tc := range []struct {
		terminal bool
		vars     map[string]string
		want     bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"NO_COLOR": ""}, true},
		{true, map[string]string{"TERM": "dumb"}, false},
	} {
		if got := colorAllowed(tc.terminal, env(tc.vars)); got != tc.want {
			t.Errorf("colorAllowed(%v, %v) = %v", tc.terminal, tc.vars, got)
		}
	}
	if ColorAllowed(&bytes.Buffer{}, env(nil)) {
		t.Error("a buffer is not a terminal")
	}
}

func registrySize() int {
	n := 0
	for range httpstatus.All() {
		n++
	}
	return n
}

func TestListJSON(t *testing.T) {
	t.Parallel()
	stdout, stderr, status := run(t, false, "list", "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != registrySize() {
		t.Errorf("list --json has %d entries, the registry %d", len(list), registrySize())
	}
	official := 0
	for _, e := range list {
		for _, field := range []string{"code", "phrase", "class", "official", "origin", "summary"} {
			if _, ok := e[field]; !ok {
				t.Fatalf("entry %v lacks %q", e, field)
			}
		}
		if _, ok := e["code"].(float64); !ok {
			t.Fatalf("code is not a number: %v", e["code"])
		}
		if e["official"] == true {
			official++
			if e["origin"] != "IANA" {
				t.Errorf("official entry with origin %v", e["origin"])
			}
		}
	}
	if official == 0 || official == len(list) {
		t.Errorf("%d of %d entries official: want both kinds", official, len(list))
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"too large", []string{"413 Content Too Large", "431 Request Header Fields Too Large"}},
		{"teapot", []string{"418 I'm a teapot"}},
		{"request entity too large", []string{"413 Content Too Large"}},
		{"499", []string{"499 Client Closed Request", "499 Token Required"}},
	} {
		stdout, stderr, status := run(t, false, append([]string{"search"}, strings.Fields(tc.query)...)...)
		if status != 0 {
			t.Errorf("search %s: status %d %s", tc.query, status, stderr)
		}
		for _, want := range tc.want {
			if !strings.Contains(stdout, want) {
				t.Errorf("search %s lacks %q:\n%s", tc.query, want, stdout)
			}
		}
	}
	stdout, _, _ := run(t, false, "search", "--json", "gateway")
	var list []map[string]any
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list) == 0 {
		t.Errorf("search --json: %v, %d results", err, len(list))
	}
}

func TestExport(t *testing.T) {
	t.Parallel()
	n := registrySize()
	stdout, _, status := run(t, false, "export", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list) != n || status != 0 {
		t.Errorf("json export: %v, %d entries, status %d", err, len(list), status)
	}
	stdout, _, status = run(t, false, "export", "--format=csv")
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(rows) != n+1 || status != 0 || rows[0][0] != "code" {
		t.Errorf("csv export: %v, %d rows, status %d", err, len(rows), status)
	}
	stdout, _, status = run(t, false, "export", "--format", "markdown")
	if status != 0 || strings.Count(stdout, "\n| ") < n || !strings.Contains(stdout, "## 5xx Server Error") {
		t.Errorf("markdown export: status %d\n%s", status, stdout)
	}
}

// FuzzArgs feeds arbitrary arguments to the look-up commands: they must
// answer with exit status 0, 1 or 2 and never panic.
func FuzzArgs(f *testing.F) {
	for _, seed := range [][2]string{{"404", ""}, {"--json", "4xx"}, {"--format", "csv"}, {"-n", "-1"}, {"--", "--json"}, {"\x00", "é"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, cmd := range []string{"show", "list", "search", "export"} {
			if _, _, status := run(t, false, cmd, a, b); status < 0 || status > 2 {
				t.Errorf("%s %q %q: exit status %d", cmd, a, b, status)
			}
		}
		if a == "serve" || a == "check" {
			return // these reach the network
		}
		if _, _, status := run(t, false, a); status < 0 || status > 2 {
			t.Errorf("%q: exit status %d", a, status)
		}
	})
}

// TestLookupExcludes checks what a look-up must not print: a class lists
// no other class, --official no vendor code, and words that lead to a card
// print no listing of the whole registry.
func TestLookupExcludes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		not  []string
	}{
		{[]string{"4xx"}, []string{"5xx Server Error", "200 OK"}},
		{[]string{"5XX", "--official"}, []string{"[nginx]", "[Cloudflare]", "4xx"}},
		{[]string{"teapot"}, []string{"Also matching"}}, // nothing else mentions teapots
		{[]string{"timeout"}, []string{"Condition"}},    // a list, not a card
	} {
		stdout, _, _ := run(t, false, tc.args...)
		for _, not := range tc.not {
			if strings.Contains(stdout, not) {
				t.Errorf("%q prints %q:\n%s", tc.args, not, stdout)
			}
		}
	}
}

// TestShowWordsJSON checks that words lead --json to the same code as the
// card, and that words without one code give search's JSON array.
func TestShowWordsJSON(t *testing.T) {
	t.Parallel()
	stdout, stderr, status := run(t, false, "teapot", "--json")
	var one struct {
		Code     int
		Meanings []map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &one); err != nil || status != 0 || one.Code != 418 || len(one.Meanings) == 0 {
		t.Errorf("teapot --json: status %d, %v, %+v; stderr %s", status, err, one, stderr)
	}
	stdout, _, status = run(t, false, "show", "--json", "timeout")
	var list []map[string]any
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || status != 0 || len(list) < 2 {
		t.Errorf("show --json timeout: status %d, %v, %d entries", status, err, len(list))
	}
}

// TestSearchExitsAlike checks that search exits with the same status with
// and without --json: 0 with matches, 1 without (and an empty array), 2 on
// bad usage.
func TestSearchExitsAlike(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args   []string
		status int
	}{
		{[]string{"gateway"}, 0},
		{[]string{"zzqqxx"}, 1},
		{[]string{"-n", "1", "too", "large"}, 0},
		{[]string{"!!"}, 1}, // no words to match
		{[]string{""}, 2},
		{[]string{"-n", "-2", "gateway"}, 2},
	} {
		_, _, human := run(t, false, append([]string{"search"}, tc.args...)...)
		stdout, _, machine := run(t, false, append([]string{"search", "--json"}, tc.args...)...)
		if human != tc.status || machine != tc.status {
			t.Errorf("search %q: status %d, with --json %d; want %d for both", tc.args, human, machine, tc.status)
		}
		if tc.status == 1 && strings.TrimSpace(stdout) != "[]" {
			t.Errorf("search --json %q prints %q; want an empty array", tc.args, stdout)
		}
	}
}

// TestVersion checks that --version prints the module version of the build
// information, "(devel)" for go run, and says so when there is none.
func TestVersion(t *testing.T) {
	t.Parallel()
	info := func(v string, ok bool) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			if !ok {
				return nil, false
			}
			return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/httpstatus/httpstatus", Version: v}}, true
		}
	}
	for _, tc := range []struct {
		args []string
		read func() (*debug.BuildInfo, bool)
		want string
	}{
		{[]string{"--version"}, info("v1.4.0", true), "httpstatus v1.4.0, built with go1.26.8\n"},
		{[]string{"-version"}, info("v0.0.0-20261201120000-9b5a3d9abcde+dirty", true), "httpstatus v0.0.0-20261201120000-9b5a3d9abcde+dirty, built with go1.26.8\n"},
		{[]string{"--version"}, info("(devel)", true), "httpstatus (devel), built with go1.26.8\n"},
		{[]string{"--version"}, info("", true), "httpstatus (devel), built with go1.26.8\n"},
		{[]string{"--version"}, info("", false), "httpstatus: version unknown (the binary carries no build information)\n"},
	} {
		stdout, stderr, status := runEnv(t, &Env{BuildInfo: tc.read}, tc.args...)
		if stdout != tc.want || stderr != "" || status != 0 {
			t.Errorf("%q: status %d, stdout %q, stderr %q; want %q", tc.args, status, stdout, stderr, tc.want)
		}
	}
	// Without an injected reader, the test binary's own build information.
	stdout, _, status := runEnv(t, &Env{}, "--version")
	if status != 0 || !strings.HasPrefix(stdout, "httpstatus ") {
		t.Errorf("--version: status %d, %q", status, stdout)
	}
}

// TestLapsedRegistration checks that 104's temporary registration is shown
// as running until its last day before that day, and as lapsed on it and
// after, in the card, the listing and the Markdown export. codes.json and
// IANA's registry of 2025-09-15 (testdata) record no extension past
// 2026-11-13.
func TestLapsedRegistration(t *testing.T) {
	t.Parallel()
	e, _ := httpstatus.Lookup(104)
	if e.State != httpstatus.StateTemporary || e.Expires.String() != "2026-11-13" {
		t.Fatalf("104: %v until %v; the cases below expect a temporary registration until 2026-11-13", e.State, e.Expires)
	}
	day := func(s string) func() time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return func() time.Time { return d.Add(12 * time.Hour) }
	}
	for _, tc := range []struct {
		now       string
		card      []string
		line      string
		markdown  string
		notInCard string
	}{
		{"2026-11-12", []string{"IANA, temporary until 2026-11-13", "extended 2025-09-15, lapses 2026-11-13"},
			"104 Upload Resumption Supported [temporary]", "IANA (temporary until 2026-11-13)", "lapsed"},
		{"2026-11-13", []string{"IANA, temporary, lapsed on 2026-11-13", "lapsed 2026-11-13 (IANA's registry of 2025-09-15 records no later extension)"},
			"104 Upload Resumption Supported [temporary, lapsed 2026-11-13]", "IANA (temporary, lapsed 2026-11-13)", "until"},
		{"2026-12-01", []string{"IANA, temporary, lapsed on 2026-11-13"},
			"104 Upload Resumption Supported [temporary, lapsed 2026-11-13]", "IANA (temporary, lapsed 2026-11-13)", "until"},
	} {
		env := func() *Env { return &Env{Now: day(tc.now)} }
		card, _, _ := runEnv(t, env(), "104")
		for _, want := range tc.card {
			if !strings.Contains(card, want) {
				t.Errorf("on %s the card of 104 lacks %q:\n%s", tc.now, want, card)
			}
		}
		if strings.Contains(card, tc.notInCard) {
			t.Errorf("on %s the card of 104 says %q:\n%s", tc.now, tc.notInCard, card)
		}
		if list, _, _ := runEnv(t, env(), "list", "1xx"); !strings.Contains(list, tc.line) {
			t.Errorf("on %s list 1xx lacks %q:\n%s", tc.now, tc.line, list)
		}
		if md, _, _ := runEnv(t, env(), "export", "--format", "markdown"); !strings.Contains(md, tc.markdown) {
			t.Errorf("on %s the Markdown export lacks %q", tc.now, tc.markdown)
		}
	}
	// Without an injected clock, the time now decides.
	card, _, _ := runEnv(t, &Env{}, "104")
	if want := e.Lapsed(time.Now()); strings.Contains(card, "lapsed on 2026-11-13") != want {
		t.Errorf("with the real clock the card says lapsed: %v, want %v", !want, want)
	}
}
