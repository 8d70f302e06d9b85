package verdict

import (
	"testing"

	"github.com/httpstatus/httpstatus/internal/depstest"
)

// TestImportsOnlyTheRegistry fails when the package comes to depend on
// anything but the standard library and the registry (with its internal
// helpers).
func TestImportsOnlyTheRegistry(t *testing.T) {
	t.Parallel()
	depstest.Check(t, depstest.Module)
}
