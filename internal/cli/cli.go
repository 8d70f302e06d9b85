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
	"runtime/debug"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
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
	// Now returns the time, against which a temporary registration is
	// shown as lapsed or not; nil means time.Now.
	Now func() time.Time
	// BuildInfo returns the build information --version prints; nil means
	// debug.ReadBuildInfo.
	BuildInfo func() (*debug.BuildInfo, bool)
}

func (e *Env) getenv(key string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(key)
}

func (e *Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
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
		{"show", "CODE|PHRASE", "describe a status code, or the one a phrase names (also: httpstatus CODE, httpstatus teapot)", runShow},
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
//
// Arguments that name no command are what a person looks up: a class
// ("4xx") lists it, anything else goes to show, which takes a number or
// the words of a phrase.
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
	case "-version", "--version":
		fmt.Fprintln(e.Stdout, versionLine(e))
		return exitOK
	}
	var run func(context.Context, *Env, []string) error
	for _, c := range commands() {
		if c.name == name {
			run = c.run
		}
	}
	if run == nil {
		switch {
		case looksLikeClass(name):
			run, rest = runList, args
		case name == "", strings.HasPrefix(name, "-") && !isNumber(name):
			fmt.Fprintf(e.Stderr, "httpstatus: unknown command, flag or code %q\n", name)
			printUsage(e.Stderr)
			return exitUsage
		default:
			run, rest = lookUp, args
		}
	}
	return exitStatus(e, run(ctx, e, rest))
}

// looksLikeClass reports whether s is written as a class, a digit and
// "xx", so that "6xx" gets list's word on classes rather than a search.
func looksLikeClass(s string) bool {
	return len(s) == 3 && s[0] >= '0' && s[0] <= '9' && strings.EqualFold(s[1:], "xx")
}

// isNumber reports whether s is an integer in decimal, with an optional
// sign: meant as a code even when it cannot be one ("0", "-1", "4040").
func isNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	return httptext.IsDigits(s)
}

// versionLine names the module version the binary was built from: a tag
// for go install ...@version, a pseudo-version for a build in a checkout,
// "(devel)" for go run.
func versionLine(e *Env) string {
	read := e.BuildInfo
	if read == nil {
		read = debug.ReadBuildInfo
	}
	info, ok := read()
	if !ok || info == nil {
		return "httpstatus: version unknown (the binary carries no build information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	line := "httpstatus " + v
	if info.GoVersion != "" {
		line += ", built with " + info.GoVersion
	}
	return line
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
	fmt.Fprintln(w, "\n  httpstatus 4xx           list a class (as httpstatus list 4xx)")
	fmt.Fprintln(w, "  httpstatus --version     print the version")
	fmt.Fprintln(w, "\nRun 'httpstatus COMMAND --help' for the flags of a command.")
	fmt.Fprintln(w, "\nExit status: 0 on an answer; 1 when there is none (an unknown code, no match,")
	fmt.Fprintln(w, "a broken MUST, a failed operation); 2 on bad usage or, for check, a network error.")
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
// flags. A negative number is positional ("httpstatus -1" asks about a
// code), unless it is the value of a flag. -h and --help print the usage to
// standard output and return errHelp.
func parseArgs(e *Env, fs *flag.FlagSet, args []string) ([]string, error) {
	if asksForHelp(args) {
		// The flag package prints the usage itself when it meets -h; asked
		// for, the usage is output, not an error.
		fs.SetOutput(e.Stdout)
	}
	var positional []string
	for {
		// The flag package would take a negative number for a flag: parse
		// up to it, then keep it as an argument.
		number := firstNumber(fs, args)
		if err := fs.Parse(args[:number]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			// The flag package has printed the error and the usage.
			return nil, exitError{exitUsage, ""}
		}
		if number < len(args) {
			// Everything before it was a flag or a flag's value.
			positional = append(positional, args[number])
			args = args[number+1:]
			continue
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

// firstNumber returns the index of the first argument of args that is a
// negative number standing where the flag package would read a flag, or
// len(args) when there is none before the first positional argument.
func firstNumber(fs *flag.FlagSet, args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--", a == "-", !strings.HasPrefix(a, "-"):
			return len(args) // the flag package stops here by itself
		case isNumber(a):
			return i
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				i++ // the next argument is this flag's value, whatever it looks like
			}
		}
	}
	return len(args)
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
