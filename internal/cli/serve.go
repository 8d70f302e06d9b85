package cli

import "context"

// runServe is written with the status server (issue 5).
func runServe(ctx context.Context, e *Env, args []string) error {
	return exitError{exitUsage, "serve: not built yet"}
}
