package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/clienttest"
)

// The placeholders grade replaces in the arguments of the client command.
const (
	placeholderURL      = "{url}"
	placeholderMethod   = "{method}"
	placeholderBodyFile = "{body-file}"
	placeholderKey      = "{key}"
)

// stringsFlag collects a repeatable flag.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ", ") }

func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// runGrade is "httpstatus grade -- COMMAND ARGS...": it runs the client
// command against every scenario of the status server, started in process
// on a loopback port, and prints the verdicts.
func runGrade(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "grade", "[--json] [--scenario NAME]... [--timeout D] -- COMMAND ARGS...",
		"Grade an HTTP client: start the status server on a loopback port and, for each of its\n"+
			"scenarios (GET /scenarios lists them), run COMMAND with {url}, {method}, {body-file} and\n"+
			"{key} in its arguments replaced by the scenario's full URL (with user:password@ when the\n"+
			"scenario gives credentials), method, a file holding the content to send (empty when none)\n"+
			"and the run's key. The command is run directly, not by a shell; its output is dropped and\n"+
			"its exit status recorded, but only what the server saw decides the verdict. Then print each\n"+
			"scenario's rules: kept, BROKEN (with its level) or not applied, with the references.\n"+
			"Exit 0 when no MUST or MUST NOT is broken, 1 when one is, 2 on bad usage or a client\n"+
			"command that cannot be started.\n\n"+
			"Example: httpstatus grade -- curl -s -o /dev/null --retry 3 -L -X {method} --data-binary @{body-file} {url}")
	asJSON := fs.Bool("json", false, "print every scenario's report, attempts and verdict included, as JSON")
	var names stringsFlag
	fs.Var(&names, "scenario", "grade only the scenario of this `name`; repeatable")
	timeout := fs.Duration("timeout", clienttest.DefaultTimeout, "kill a run of the client after this `duration`")

	flagArgs, command := args, []string(nil)
	if i := slices.Index(args, "--"); i >= 0 {
		flagArgs, command = args[:i], args[i+1:]
	}
	pos, err := parseArgs(e, fs, flagArgs)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("grade: put the client command after --, as in: httpstatus grade -- %s", strings.Join(pos, " "))
	case len(command) == 0:
		return usagef("grade needs the client command after --, such as: httpstatus grade -- curl -s -o /dev/null -L {url}")
	case !slices.ContainsFunc(command[1:], func(a string) bool { return strings.Contains(a, placeholderURL) }):
		return usagef("grade: the client command must take the URL to call as %s in its arguments", placeholderURL)
	case *timeout <= 0:
		return usagef("grade: --timeout must be positive")
	}
	program, err := exec.LookPath(command[0])
	if err != nil {
		return exitError{exitUsage, "grade: cannot run the client: " + err.Error()}
	}
	dir, err := os.MkdirTemp("", "httpstatus-grade-")
	if err != nil {
		return fmt.Errorf("grade: a directory for the content to send: %w", err)
	}
	defer os.RemoveAll(dir)

	c := &clientCommand{program: program, args: command[1:], dir: dir, timeout: *timeout, runs: map[string][]clientRun{}}
	opts := []clienttest.Option{clienttest.WithTimeout(*timeout), clienttest.WithScenarios(names...)}
	reports, err := clienttest.Grade(ctx, c.run, opts...)
	switch {
	case errors.Is(err, clienttest.ErrUnknownScenario):
		return usagef("grade: %s", strings.TrimPrefix(err.Error(), "clienttest: "))
	case c.startErr != nil:
		return exitError{exitUsage, "grade: cannot run the client: " + c.startErr.Error()}
	case err != nil:
		return fmt.Errorf("grade: %w", err)
	}

	graded := gradeOutput{Command: command, Scenarios: make([]gradedScenario, len(reports))}
	for i, r := range reports {
		graded.Scenarios[i] = gradedScenario{Report: r, Client: c.runs[r.Scenario.Name]}
		graded.Broke = graded.Broke || r.Broke()
	}
	if *asJSON {
		if err := writeJSON(e.Stdout, graded); err != nil {
			return err
		}
	} else {
		printGrade(e, graded)
	}
	if graded.Broke {
		return exitError{exitFail, ""}
	}
	return nil
}

// gradeOutput is what grade --json prints.
type gradeOutput struct {
	// Command is the client command, with its placeholders.
	Command   []string         `json:"command"`
	Scenarios []gradedScenario `json:"scenarios"`
	// Broke reports that the client broke a MUST or MUST NOT.
	Broke bool `json:"broke"`
}

// A gradedScenario is a scenario's report with the runs of the client.
type gradedScenario struct {
	clienttest.Report
	Client []clientRun `json:"client"`
}

// A clientRun is one run of the client command.
type clientRun struct {
	// Args are the arguments it was given.
	Args []string `json:"args"`
	// Exit is its exit status; -1 when it was killed.
	Exit int `json:"exit"`
	// Killed reports that it ran past --timeout and was killed.
	Killed bool `json:"killed,omitempty"`
	// Stderr is the end of what it wrote to standard error.
	Stderr string `json:"stderr,omitempty"`
}

// clientCommand runs the client command for each request of a scenario.
type clientCommand struct {
	program string
	args    []string
	dir     string
	timeout time.Duration
	// runs are the runs of each scenario; startErr is why the command
	// could not be started, after which it is not tried again.
	runs     map[string][]clientRun
	startErr error
}

// maxStderr bounds what is kept of a run's standard error.
const maxStderr = 4 << 10

// run runs the command once for r. A client that exits with a failure is
// recorded, not an error: the server's record decides the verdict.
func (c *clientCommand) run(ctx context.Context, r clienttest.Request) error {
	if c.startErr != nil {
		return c.startErr
	}
	bodyFile := filepath.Join(c.dir, r.Scenario+".body")
	if err := os.WriteFile(bodyFile, r.Body, 0o600); err != nil {
		c.startErr = fmt.Errorf("writing the content to send: %w", err)
		return c.startErr
	}
	target := r.URL
	if r.User != "" {
		target = strings.Replace(target, "://", "://"+url.UserPassword(r.User, r.Password).String()+"@", 1)
	}
	repl := strings.NewReplacer(placeholderURL, target, placeholderMethod, r.Method, placeholderBodyFile, bodyFile, placeholderKey, r.Key)
	args := make([]string, len(c.args))
	for i, a := range c.args {
		args[i] = repl.Replace(a)
	}
	var stderr tailBuffer
	cmd := exec.CommandContext(ctx, c.program, args...)
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second // a child that keeps standard error open does not hold grade
	err := cmd.Run()
	if cmd.ProcessState == nil {
		c.startErr = err
		return err
	}
	run := clientRun{Args: args, Exit: cmd.ProcessState.ExitCode(), Stderr: strings.TrimSpace(stderr.String())}
	if ctx.Err() != nil {
		run.Exit, run.Killed = -1, true
	}
	c.runs[r.Scenario] = append(c.runs[r.Scenario], run)
	return nil
}

// tailBuffer keeps the last maxStderr bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > maxStderr {
		t.b = t.b[len(t.b)-maxStderr:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// verdictText is how the table shows a rule's outcome.
func verdictText(r clienttest.Rule) string {
	if r.Outcome == clienttest.Broken {
		return "BROKEN " + r.Level
	}
	return string(r.Outcome)
}

// clientText is how the table shows the runs of the client: each exit
// status, or killed.
func clientText(runs []clientRun) string {
	parts := make([]string, len(runs))
	for i, r := range runs {
		parts[i] = strconv.Itoa(r.Exit)
		if r.Killed {
			parts[i] = "killed"
		}
	}
	return "exit " + strings.Join(parts, ", ")
}

// printGrade prints the verdicts as a table, then the broken rules with
// their references and attempts, then what the failed runs said.
func printGrade(e *Env, g gradeOutput) {
	fmt.Fprintln(e.Stdout, e.paint(styleBold, "Graded: "+shellJoin(g.Command)))
	fmt.Fprintln(e.Stdout)
	rows := [][]string{{"SCENARIO", "RULE", "VERDICT", "CLIENT", "NOTE"}}
	var kept, broken, notApplied, brokenRequired int
	for _, s := range g.Scenarios {
		for i, r := range s.Rules {
			row := []string{"", r.ID, verdictText(r), "", r.Note}
			if i == 0 {
				row[0], row[3] = s.Scenario.Name, clientText(s.Client)
			}
			rows = append(rows, row)
			switch r.Outcome {
			case clienttest.Kept:
				kept++
			case clienttest.NotApplied:
				notApplied++
			case clienttest.Broken:
				broken++
				if r.Level == httpstatus.LevelMust.String() || r.Level == httpstatus.LevelMustNot.String() {
					brokenRequired++
				}
			}
		}
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
	}
	for n, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			if i == len(row)-1 {
				b.WriteString(cell)
				break
			}
			padded := cell + strings.Repeat(" ", widths[i]-len(cell)+2)
			switch {
			case n == 0:
				padded = e.paint(styleBold, padded)
			case i == 2 && strings.HasPrefix(cell, "BROKEN"):
				padded = e.paint(styleRed, padded)
			case i == 2 && cell == string(clienttest.Kept):
				padded = e.paint(styleGreen, padded)
			case i == 2:
				padded = e.paint(styleDim, padded)
			}
			b.WriteString(padded)
		}
		fmt.Fprintln(e.Stdout, strings.TrimRight(b.String(), " "))
	}

	if broken > 0 {
		fmt.Fprintln(e.Stdout)
		fmt.Fprintln(e.Stdout, e.paint(styleBold+styleRed, "Broken rules"))
		for _, s := range g.Scenarios {
			for _, r := range s.Rules {
				if r.Outcome == clienttest.Broken {
					fmt.Fprintln(e.Stdout, "  "+strings.ReplaceAll(clienttest.Format(s.Report, r), "\n", "\n  "))
				}
			}
		}
	}
	var said []string
	for _, s := range g.Scenarios {
		for i, r := range s.Client {
			if r.Exit != 0 && r.Stderr != "" {
				line := strings.ReplaceAll(lastMessage(r.Stderr), s.Key, "{key}")
				said = append(said, fmt.Sprintf("  %s, run %d: %s", s.Scenario.Name, i+1, line))
			}
		}
	}
	if len(said) > 0 {
		fmt.Fprintln(e.Stdout)
		fmt.Fprintln(e.Stdout, e.paint(styleBold, "What the client said when it failed (the end of its standard error)"))
		for _, line := range said {
			fmt.Fprintln(e.Stdout, line)
		}
	}
	fmt.Fprintln(e.Stdout)
	fmt.Fprintf(e.Stdout, "%s, %s: %d kept, %d broken (%d of them MUST or MUST NOT), %d not applied",
		plural(len(g.Scenarios), "scenario"), plural(kept+broken+notApplied, "verdict"), kept, broken, brokenRequired, notApplied)
	if g.Broke {
		fmt.Fprintln(e.Stdout, ": "+e.paint(styleRed, "a MUST is broken."))
	} else {
		fmt.Fprintln(e.Stdout, ": no MUST is broken.")
	}
}

// lastMessage returns the line of a client's standard error that most
// likely says why it failed: the last one with a colon, as an error
// message has, or else the last line.
func lastMessage(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], ": ") {
			return strings.TrimSpace(lines[i])
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// shellJoin joins a command's words as a POSIX shell would read them
// back, quoting those that need it.
func shellJoin(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !shellSafe(r) }) {
			out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

func shellSafe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || bytes.ContainsRune([]byte("@%+=:,./_{}-"), r)
}
