package clienttest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsOnlyStandardLibrary fails when the package, which Go tests of
// other modules import, comes to depend on anything outside the standard
// library and this module.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const module = "github.com/httpstatus/httpstatus"
	for dep := range strings.FieldsSeq(string(out)) {
		if dep != module && !strings.HasPrefix(dep, module+"/") {
			t.Errorf("clienttest depends on %s", dep)
		}
		if strings.HasPrefix(dep, module+"/internal/") {
			// Only helpers that themselves import nothing but the standard library.
			deps, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", dep).CombinedOutput()
			if err != nil || strings.TrimSpace(string(deps)) != dep {
				t.Errorf("%s, which clienttest imports, depends on %q (%v)", dep, deps, err)
			}
		}
	}
}
