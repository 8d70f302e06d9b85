package httpstatus_test

// go generate runs the directive below after registry.go's, since it scans
// a package's test files after the others: the page is made from the
// tables just generated.
//go:generate go test -run TestClientRulesDoc -update

import (
	"bytes"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/docstest"
)

var update = flag.Bool("update", false, "rewrite docs/client-rules.md from httpstatus.ClientRules")

const clientRulesDoc = "docs/client-rules.md"

// renderClientRulesDoc writes the reference page of the client rules from
// httpstatus.ClientRules.
func renderClientRulesDoc() []byte {
	var b bytes.Buffer
	b.WriteString("# Client rules\n\n")
	b.WriteString("<!-- Generated from httpstatus.ClientRules() by clientrules_doc_test.go; run `go generate` (or `go test -run TestClientRulesDoc -update`) after changing client_rules in codes.json. -->\n\n")
	b.WriteString("Most of the registry speaks of servers: what a response with a given status code carries. A client\n")
	b.WriteString("rule speaks of the other side: what a client does once it has received the answer of certain codes,\n")
	b.WriteString("such as how long it waits before it asks again, which method it keeps when it follows a redirect, or\n")
	b.WriteString("when it gives up. Each rule has a stable id, a level in the words of RFC 2119, the codes it is about,\n")
	b.WriteString("and the section of the document that states it. They are kept in the `client_rules` list of\n")
	b.WriteString("`codes.json`; in Go, `httpstatus.ClientRules()` returns all of them and `(*Entry).ClientRules()`\n")
	b.WriteString("those of one code, and `httpstatus show CODE` and the code pages of the web reference list them.\n\n")
	b.WriteString("To see how a client keeps them, point it at `httpstatus serve` with a key of its own (the `key`\n")
	b.WriteString("parameter or the `X-HttpStatus-Key` field): the server records the requests of each key, and\n")
	b.WriteString("`GET /sessions/{key}` gives a verdict on the rules those requests put to the test.\n\n")
	b.WriteString("Where the referenced text states no requirement keyword itself, or a later correction does, the\n")
	b.WriteString("reference says where the level comes from. A client rule of level MAY is a permission: a client\n")
	b.WriteString("that takes neither of the ways it allows to succeed (repeating a request after 401 without the\n")
	b.WriteString("credentials it was given) is reported at that level, which breaks no requirement.\n\n")
	b.WriteString("| id | level | codes | what the client does | reference |\n|---|---|---|---|---|\n")
	for _, r := range httpstatus.ClientRules() {
		codes := make([]string, len(r.Codes))
		for i, c := range r.Codes {
			codes[i] = strconv.Itoa(c)
		}
		ref := r.Ref.String()
		if r.Ref.URL != "" {
			ref = fmt.Sprintf("[%s](%s)", ref, r.Ref.URL)
		}
		if r.Note != "" {
			ref += ". The level: " + r.Note
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Level, strings.Join(codes, ", "),
			docstest.EscapeCell("A client "+r.Level.String()+" "+r.Summary+"."), docstest.EscapeCell(ref))
	}
	return b.Bytes()
}

// TestClientRulesDoc fails when docs/client-rules.md no longer matches the
// registry's client rules; -update (or go generate) rewrites it.
func TestClientRulesDoc(t *testing.T) {
	docstest.Fresh(t, clientRulesDoc, renderClientRulesDoc(), *update, "run go generate (go test -run TestClientRulesDoc -update)")
}

// TestClientRulesDocListsEveryRule checks the page against the registry
// itself rather than against its renderer: a row for each rule, with its
// id, level, codes, sentence and linked reference.
func TestClientRulesDocListsEveryRule(t *testing.T) {
	t.Parallel()
	page := string(renderClientRulesDoc())
	rules := httpstatus.ClientRules()
	if len(rules) == 0 {
		t.Fatal("the registry has no client rules")
	}
	rows := 0
	for _, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, "| `") {
			rows++
		}
	}
	if rows != len(rules) {
		t.Errorf("the page has %d rows, the registry %d rules", rows, len(rules))
	}
	for _, r := range rules {
		var row string
		for _, line := range strings.Split(page, "\n") {
			if strings.HasPrefix(line, "| `"+r.ID+"` |") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("no row for %s", r.ID)
			continue
		}
		want := []string{" " + r.Level.String() + " |", "A client " + r.Level.String() + " " + r.Summary + ".",
			"[" + r.Ref.String() + "](" + r.Ref.URL + ")"}
		for _, c := range r.Codes {
			want = append(want, strconv.Itoa(c))
		}
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("%s: the row %q lacks %q", r.ID, row, w)
			}
		}
	}
}
