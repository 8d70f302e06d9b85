package cli

import (
	"context"
	"fmt"
	"strconv"
)

// parseCode reads a status code argument.
func parseCode(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || len(s) != 3 {
		return 0, fmt.Errorf("%q is not a three-digit status code", s)
	}
	return n, nil
}

func runShow(ctx context.Context, e *Env, args []string) error   { return nil }
func runSearch(ctx context.Context, e *Env, args []string) error { return nil }
func runList(ctx context.Context, e *Env, args []string) error   { return nil }
func runExport(ctx context.Context, e *Env, args []string) error { return nil }
