// Package cli is the httpstatus command: look-up, search, listing and export
// of the registry, the conformance checker, the grader of clients, and the
// status server. The cmd/httpstatus main only calls Main, so every command
// is testable in process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable; nil reads none.
	Getenv func(string) string
	// Color enables ANSI colour in human output. Main sets it when Stdout
	// is a terminal and NO_COLOR is unset or empty.
	Color bool
}

func (e *Env) getenv(key string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(key)
}

// A command is one verb of the CLI.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	run     func(ctx context.Context, e *Env, args []string) error
}

func commands() []command {
	return []command{
		{"show", "CODE", "describe a status code (also: httpstatus CODE)", runShow},
		{"search", "WORDS...", "find codes by phrase, former name, vendor or description", runSearch},
		{"list", "[1xx|2xx|3xx|4xx|5xx] [--official|--unofficial]", "list every meaning of every code, or of one class", runList},
		{"export", "--format json|csv|markdown", "write the whole registry to standard output", runExport},
		{"check", "URL|-|--har FILE [-X METHOD] [-H 'Name: value']... [--probe] [--json]", "lint responses against the rules of their status codes; --probe sends follow-ups", runCheck},
		{"grade", "[--json] [--scenario NAME]... -- COMMAND ARGS...", "grade an HTTP client: run it against the server's scenarios and judge what it did", runGrade},
		{"serve", "[flags]", "run the status test server and web reference", runServe},
	}
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // an unknown code, a broken MUST, a failed operation
	exitUsage = 2 // bad usage
)

// usageError is bad usage: Main prints it with a hint and exits 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitError ends a command with a status and, when msg is not empty, a
// one-line message on standard error.
type exitError struct {
	code int
	msg  string
}

func (x exitError) Error() string { return x.msg }

// errHelp is returned when a command printed its help.
var errHelp = errors.New("help requested")

// Main runs the httpstatus command line with args (without the program
// name) and returns the exit status: 0 on success, 1 when the answer is a
// failure (an unknown code, a broken MUST), 2 on bad usage.
func Main(ctx context.Context, args []string, e *Env) int {
	if len(args) == 0 {
		printUsage(e.Stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help", "help":
		printUsage(e.Stdout)
		return exitOK
	}
	var run func(context.Context, *Env, []string) error
	for _, c := range commands() {
		if c.name == name {
			run = c.run
		}
	}
	if run == nil {
		if name != "" && name[0] >= '0' && name[0] <= '9' {
			// Meant as a code: show says what is wrong with one it rejects.
			run, rest = runShow, args
		} else {
			fmt.Fprintf(e.Stderr, "httpstatus: unknown command or code %q\n", name)
			printUsage(e.Stderr)
			return exitUsage
		}
	}
	return exitStatus(e, run(ctx, e, rest))
}

func exitStatus(e *Env, err error) int {
	var usage usageError
	var exit exitError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(e.Stderr, "httpstatus: %s\nRun 'httpstatus --help' for usage.\n", usage.msg)
		return exitUsage
	case errors.As(err, &exit):
		if exit.msg != "" {
			fmt.Fprintf(e.Stderr, "httpstatus: %s\n", exit.msg)
		}
		return exit.code
	default:
		fmt.Fprintf(e.Stderr, "httpstatus: %v\n", err)
		return exitFail
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "httpstatus: every HTTP status code, a test server, and a conformance checker.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  httpstatus %-7s %s\n      %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'httpstatus COMMAND --help' for the flags of a command.")
}

// newFlags returns a flag set for a command that prints its usage to the
// command's standard error.
func newFlags(e *Env, name, synopsis, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: httpstatus %s %s\n\n%s\n", name, synopsis, summary)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseArgs parses flags that may come before, between or after the
// positional arguments, and returns the positional ones. "--" ends the
// flags. -h and --help print the usage to standard output and return errHelp.
func parseArgs(e *Env, fs *flag.FlagSet, args []string) ([]string, error) {
	if asksForHelp(args) {
		// The flag package prints the usage itself when it meets -h; asked
		// for, the usage is output, not an error.
		fs.SetOutput(e.Stdout)
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			// The flag package has printed the error and the usage.
			return nil, exitError{exitUsage, ""}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// flag stops at "--" having consumed it, or at the first positional
		// argument; in the first case everything left is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// asksForHelp reports whether args hold -h or --help before any "--".
func asksForHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// ColorAllowed reports whether human output to w may use colour: only on a
// terminal, and never when NO_COLOR is set to a non-empty value.
func ColorAllowed(w io.Writer, getenv func(string) string) bool {
	return colorAllowed(isTerminal(w), getenv)
}

func colorAllowed(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// ANSI styles used in human output.
const (
	styleBold   = "\x1b[1m"
	styleDim    = "\x1b[2m"
	styleRed    = "\x1b[31m"
	styleGreen  = "\x1b[32m"
	styleYellow = "\x1b[33m"
	styleBlue   = "\x1b[34m"
	styleCyan   = "\x1b[36m"
	styleReset  = "\x1b[0m"
)

// paint wraps s in style when colour is on.
func (e *Env) paint(style, s string) string {
	if !e.Color || s == "" {
		return s
	}
	return style + s + styleReset
}
