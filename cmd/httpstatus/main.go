// Command httpstatus looks up HTTP status codes, checks responses against
// the rules of their code, and serves every code for testing HTTP clients.
// Run "httpstatus --help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/httpstatus/httpstatus/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Color:  cli.ColorAllowed(os.Stdout, os.Getenv),
	}
	status := cli.Main(ctx, os.Args[1:], e)
	stop()
	os.Exit(status)
}
