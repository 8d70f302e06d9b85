// Package docstest holds what the tests that generate the docs pages
// share: the escaping of a Markdown table cell, and the check that a
// generated page is fresh.
package docstest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EscapeCell keeps a vertical bar in s from ending a Markdown table cell.
func EscapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// Fresh fails t when the file at path (slash-separated) does not hold
// want; with update, it writes want there instead. regenerate says how to
// bring the file up to date.
func Fresh(t testing.TB, path string, want []byte, update bool, regenerate string) {
	t.Helper()
	file := filepath.FromSlash(path)
	if update {
		if err := os.WriteFile(file, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v; %s", err, regenerate)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale; %s", path, regenerate)
	}
}
