package clienttest

import (
	"testing"

	"github.com/httpstatus/httpstatus/internal/depstest"
)

// TestImportsOnlyStandardLibrary fails when the package, which Go tests of
// other modules import, comes to depend on anything outside the standard
// library and this module.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	depstest.Check(t)
}
