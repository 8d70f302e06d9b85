package cli

import "context"

// runCheck is written with the conformance checker (issue 4).
func runCheck(ctx context.Context, e *Env, args []string) error {
	return exitError{exitUsage, "check: not built yet"}
}
