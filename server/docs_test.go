package server

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the controls table of docs/server.md from Controls")

const serverDoc = "../docs/server.md"

// The markers around the generated controls table of docs/server.md.
const (
	controlsBegin = `<!-- controls: generated from server.Controls() by "go generate ./server"; do not edit -->`
	controlsEnd   = `<!-- end controls -->`
)

// renderControlsTable writes the controls table of docs/server.md, with
// its markers, from Controls.
func renderControlsTable() []byte {
	var b bytes.Buffer
	b.WriteString(controlsBegin + "\n\n")
	b.WriteString("| control | query | header | value |\n|---|---|---|---|\n")
	for _, c := range Controls() {
		b.WriteString("| " + escapeCell(c.Name) + " | " + codeList(c.Query) + " | " + codeList(c.Headers) + " | " + escapeCell(c.Value) + " |\n")
	}
	b.WriteString("\n" + controlsEnd)
	return b.Bytes()
}

// codeList writes names as code, separated by commas.
func codeList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + escapeCell(n) + "`"
	}
	return strings.Join(quoted, ", ")
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// spliceControlsTable returns doc with the text between the markers,
// markers included, replaced by table. It reports false when doc lacks
// the markers.
func spliceControlsTable(doc, table []byte) ([]byte, bool) {
	begin := bytes.Index(doc, []byte(controlsBegin))
	end := bytes.Index(doc, []byte(controlsEnd))
	if begin < 0 || end < begin {
		return nil, false
	}
	end += len(controlsEnd)
	out := append([]byte(nil), doc[:begin]...)
	out = append(out, table...)
	return append(out, doc[end:]...), true
}

// TestControlsDocIsFresh fails when the controls table of docs/server.md
// no longer matches Controls; -update (or go generate ./server) rewrites
// it, leaving the prose around it alone.
func TestControlsDocIsFresh(t *testing.T) {
	const regenerate = "run go generate ./server (go test ./server -run TestControlsDocIsFresh -update)"
	path := filepath.FromSlash(serverDoc)
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, ok := spliceControlsTable(doc, renderControlsTable())
	if !ok {
		t.Fatalf("%s has no controls table between %s and %s", serverDoc, controlsBegin, controlsEnd)
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
		t.Fatalf("the controls table of %s is stale; %s", serverDoc, regenerate)
	}
}
