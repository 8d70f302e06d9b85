package verdict

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsOnlyTheRegistry fails when the package comes to depend on
// anything but the standard library and the registry (with its internal
// helpers).
func TestImportsOnlyTheRegistry(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const module = "github.com/httpstatus/httpstatus"
	for dep := range strings.FieldsSeq(string(out)) {
		// The registry's own helpers, which import only the standard library
		// (the server package's test checks them).
		if dep != module && dep != module+"/verdict" && !strings.HasPrefix(dep, module+"/internal/") {
			t.Errorf("the verdict package depends on %s", dep)
		}
	}
}
