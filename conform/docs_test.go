package conform_test

import (
	"bytes"
	"flag"
	"fmt"
	"testing"

	"github.com/httpstatus/httpstatus/conform"
	"github.com/httpstatus/httpstatus/internal/docstest"
)

var update = flag.Bool("update", false, "rewrite docs/conformance-rules.md from the rule table")

const rulesDoc = "../docs/conformance-rules.md"

// renderRulesDoc writes the rules reference page from conform.Rules.
func renderRulesDoc() []byte {
	var b bytes.Buffer
	b.WriteString("# Conformance rules\n\n")
	b.WriteString("<!-- Generated from conform.Rules() by conform/docs_test.go; run `go test ./conform -run TestRulesDoc -update` after changing a rule. -->\n\n")
	b.WriteString("`httpstatus check` and the `conform` package report these rules. An **error** is a broken MUST or MUST NOT\n")
	b.WriteString("(`httpstatus check` exits 1), a **warning** a SHOULD or SHOULD NOT not followed, **info** the rest.\n")
	b.WriteString("Rule ids are stable. Rules marked *per code* take the field, the level and the reference from the\n")
	b.WriteString("registry entry of the status code (`codes.json`); the reference below is the general one. Rules marked\n")
	b.WriteString("*probe* compare the answers to several requests: only `conform.Probe` and `httpstatus check --probe`\n")
	b.WriteString("report them.\n\n")
	b.WriteString("| id | level | summary | reference |\n|---|---|---|---|\n")
	for _, r := range conform.Rules() {
		ref := fmt.Sprintf("[%s](%s)", r.Ref, r.Ref.URL)
		if r.PerCode {
			ref = "per code; " + ref
		}
		if r.Probe {
			ref = "probe; " + ref
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, docstest.EscapeCell(r.Summary), ref)
	}
	b.WriteString("\n## Explanations\n")
	for _, r := range conform.Rules() {
		fmt.Fprintf(&b, "\n### %s\n\n%s\n", r.ID, r.Explanation)
	}
	return b.Bytes()
}

// TestRulesDoc fails when docs/conformance-rules.md no longer matches the
// rule table; -update rewrites it.
func TestRulesDoc(t *testing.T) {
	docstest.Fresh(t, rulesDoc, renderRulesDoc(), *update, "run go test ./conform -run TestRulesDoc -update")
}
