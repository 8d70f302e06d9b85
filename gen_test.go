package httpstatus

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedTablesAreFresh fails when tables.go no longer matches what
// gen.go makes of codes.json: run "go generate" and commit both files.
func TestGeneratedTablesAreFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	out := filepath.Join(t.TempDir(), "tables.go")
	cmd := exec.Command(goTool, "run", "gen.go", "-in", "codes.json", "-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen.go failed: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("tables.go is stale: run \"go generate\" and commit codes.json with tables.go")
	}
}
