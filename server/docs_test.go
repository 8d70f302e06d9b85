package server

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/docstest"
)

var update = flag.Bool("update", false, "rewrite the generated tables of docs/server.md")

const serverDoc = "../docs/server.md"

// A generatedTable is a table of docs/server.md written from the code,
// between two marker comments.
type generatedTable struct {
	name   string // the marker's name
	source string // where the facts come from, for the marker
	render func() string
}

var generatedTables = []generatedTable{
	{"routes", "(*server.Server).Routes()", renderRoutesTable},
	{"controls", "server.Controls()", renderControlsTable},
	{"responses", "the registry's header rules and the server's generators", renderResponsesTable},
	{"phrases", "the registry's phrases and net/http's http.StatusText", renderPhrasesTable},
}

func (g generatedTable) begin() string {
	return "<!-- " + g.name + `: generated from ` + g.source + ` by "go generate ./server"; do not edit -->`
}

func (g generatedTable) end() string { return "<!-- end " + g.name + " -->" }

// splice returns doc with the text between g's markers, markers included,
// written anew. It reports false when doc lacks the markers.
func (g generatedTable) splice(doc []byte) ([]byte, bool) {
	begin := bytes.Index(doc, []byte(g.begin()))
	end := bytes.Index(doc, []byte(g.end()))
	if begin < 0 || end < begin {
		return nil, false
	}
	end += len(g.end())
	out := append([]byte(nil), doc[:begin]...)
	out = append(out, g.begin()+"\n\n"+g.render()+"\n"+g.end()...)
	return append(out, doc[end:]...), true
}

// renderRoutesTable writes the status routes table from Routes.
func renderRoutesTable() string {
	var b strings.Builder
	b.WriteString("| route | methods | what it does |\n|---|---|---|\n")
	for _, r := range New().Routes() {
		methods := "every method"
		if r.Methods != nil {
			methods = strings.Join(r.Methods, ", ")
		}
		pattern := "`" + r.Pattern + "`"
		if r.Pattern == routeOther {
			pattern = "any other path"
		}
		b.WriteString("| " + pattern + " | " + methods + " | " + docstest.EscapeCell(r.Summary) + " |\n")
	}
	return b.String()
}

// renderControlsTable writes the controls table from Controls.
func renderControlsTable() string {
	var b strings.Builder
	b.WriteString("| control | query | header | value | routes |\n|---|---|---|---|---|\n")
	for _, c := range Controls() {
		routes := "all"
		if c.Routes != nil {
			routes = codeList(c.Routes)
		}
		b.WriteString("| " + docstest.EscapeCell(c.Name) + " | " + codeList(c.Query) + " | " + codeList(c.Headers) + " | " + docstest.EscapeCell(c.Value) + " | " + routes + " |\n")
	}
	return b.String()
}

// responseFields is the order of the responses table.
var responseFields = []string{"Location", "WWW-Authenticate", "Proxy-Authenticate", "Allow", "Upgrade",
	"Connection", "Upload-Draft-Interop-Version", "Retry-After", "Content-Range", "ETag", "Vary", "Link", "Ms-Echo-Request"}

// ownValue names the fields that a special step of the pipeline sets
// itself, for the codes it answers: 206 names the range it serves, 101
// the protocol the request offered.
var ownValue = map[string]map[int]bool{
	"Content-Range": {http.StatusPartialContent: true},
	"Upgrade":       {http.StatusSwitchingProtocols: true},
	"Connection":    {http.StatusSwitchingProtocols: true},
}

// renderResponsesTable writes, for every field a generator supplies, the
// codes whose rules in the registry ask for it and the value sent.
func renderResponsesTable() string {
	var b strings.Builder
	b.WriteString("| field | codes (from the registry) | value |\n|---|---|---|\n")
	for _, name := range responseFields {
		gen := generators[http.CanonicalHeaderKey(name)]
		var codes []string
		for e := range httpstatus.Codes() {
			rule, ok := e.HeaderRule(name)
			if !ok || rule.Level == httpstatus.LevelMustNot || rule.Level == httpstatus.LevelShouldNot || ownValue[name][e.Code] {
				continue
			}
			c := strconv.Itoa(e.Code)
			if !e.Official() {
				c += " (" + e.Origin + ")"
			}
			codes = append(codes, c)
		}
		b.WriteString(fmt.Sprintf("| `%s` | %s | %s |\n", name, strings.Join(codes, ", "), docstest.EscapeCell(gen.doc)))
	}
	return b.String()
}

// wirePhrase is the reason phrase net/http writes in an HTTP/1.x status
// line for code: its own text, or "status code NNN" for a code it does
// not know. TestReasonPhrases checks it against the wire.
func wirePhrase(code int) string {
	if text := http.StatusText(code); text != "" {
		return text
	}
	return "status code " + strconv.Itoa(code)
}

// renderPhrasesTable writes the registered codes whose phrase on the
// wire is not the registry's.
func renderPhrasesTable() string {
	var b strings.Builder
	b.WriteString("| code | the registry's phrase | the phrase on the wire over HTTP/1.x |\n|---|---|---|\n")
	for code := 100; code <= 599; code++ {
		e, ok := httpstatus.Lookup(code)
		if !ok || e.Phrase == wirePhrase(code) || code == http.StatusSwitchingProtocols || code == 444 {
			continue // 101's status line is the server's own; 444 has none
		}
		b.WriteString(fmt.Sprintf("| %d | %s | %s |\n", code, docstest.EscapeCell(e.Phrase), docstest.EscapeCell(wirePhrase(code))))
	}
	return b.String()
}

// codeList writes names as code, separated by commas.
func codeList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + docstest.EscapeCell(n) + "`"
	}
	return strings.Join(quoted, ", ")
}

// TestDocsAreFresh fails when a generated table of docs/server.md no
// longer matches what it is generated from; -update (or go generate
// ./server) rewrites the tables, leaving the prose around them alone.
func TestDocsAreFresh(t *testing.T) {
	const regenerate = "run go generate ./server (go test ./server -run TestDocsAreFresh -update)"
	path := filepath.FromSlash(serverDoc)
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := doc
	for _, g := range generatedTables {
		var ok bool
		if want, ok = g.splice(want); !ok {
			t.Fatalf("%s has no %s table between %s and %s", serverDoc, g.name, g.begin(), g.end())
		}
	}
	if *update {
		if !bytes.Equal(doc, want) {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	if !bytes.Equal(doc, want) {
		t.Fatalf("the generated tables of %s are stale; %s", serverDoc, regenerate)
	}
}

// TestEveryGeneratedFieldIsDocumented fails when a generator that sends a
// value has no line in the responses table.
func TestEveryGeneratedFieldIsDocumented(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, name := range responseFields {
		listed[http.CanonicalHeaderKey(name)] = true
	}
	for field, gen := range generators {
		if (gen.doc != "") != listed[field] {
			t.Errorf("%s: documented %q, listed in the responses table %v", field, gen.doc, listed[field])
		}
	}
}
