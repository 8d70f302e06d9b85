// Package depstest checks, in the tests of a public package, what the
// package depends on: the standard library, this module's packages, and
// internal helpers that themselves import only the standard library, so
// that another module can import it without pulling in anything else.
package depstest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Module is this module's path.
const Module = "github.com/httpstatus/httpstatus"

// Check fails t for every package outside the standard library that the
// package in the current directory depends on, other than itself, the
// public packages in allowed (every public package of the module when
// allowed is empty) and internal helpers that import only the standard
// library.
func Check(t testing.TB, allowed ...string) {
	t.Helper()
	self := list(t, "-f", "{{.ImportPath}}", ".")
	for _, dep := range list(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".") {
		switch {
		case dep == self[0]:
		case strings.HasPrefix(dep, Module+"/internal/"):
			if deps := list(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", dep); len(deps) != 1 {
				t.Errorf("%s, which %s imports, depends on %v", dep, self[0], deps)
			}
		case dep != Module && !strings.HasPrefix(dep, Module+"/"):
			t.Errorf("%s depends on %s, outside the standard library and this module", self[0], dep)
		case len(allowed) > 0 && !slices.Contains(allowed, dep):
			t.Errorf("%s depends on %s; it may import only %v", self[0], dep, allowed)
		}
	}
}

// list runs go list with args and returns its words.
func list(t testing.TB, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, out)
	}
	return strings.Fields(string(out))
}
