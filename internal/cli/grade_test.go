package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/server"
	"github.com/httpstatus/httpstatus/verdict"
)

// fakeClientArg, as the first argument of the test binary, makes it a fake
// client for grade instead of running the tests: TestMain runs it.
const fakeClientArg = "fake-http-client"

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == fakeClientArg {
		os.Exit(fakeClient(os.Args[2:]))
	}
	os.Exit(m.Run())
}

// fakeClient is "MODE METHOD URL BODY-FILE". The modes:
//
//   - keeps: net/http's default client, which keeps the MUST rules;
//   - get-on-redirect: follows every redirect with a GET without content,
//     which breaks the MUST NOT of 307 and 308;
//   - exit-3: sends the request, then says why it fails and exits 3;
//   - echo: writes its arguments and the body file's content to standard
//     error and exits 1, sending nothing;
//   - hang: waits to be killed.
func fakeClient(args []string) int {
	if len(args) != 4 {
		fmt.Fprintln(os.Stderr, "fake client: want MODE METHOD URL BODY-FILE, got", args)
		return 2
	}
	mode, method, target, bodyFile := args[0], args[1], args[2], args[3]
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake client:", err)
		return 2
	}
	client := http.DefaultClient
	switch mode {
	case "echo":
		fmt.Fprintf(os.Stderr, "method=%s url=%s body=%s\n", method, target, body)
		return 1
	case "hang":
		time.Sleep(time.Hour)
		return 0
	case "get-on-redirect":
		client = &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			req.Method, req.Body, req.GetBody, req.ContentLength = http.MethodGet, nil, nil, 0
			return nil
		}}
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake client:", err)
		return 2
	}
	if len(body) == 0 {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	res, err := client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	switch {
	case mode == "exit-3":
		fmt.Fprintln(os.Stderr, "the first line\nfake client: given up on purpose")
		return 3
	case err != nil:
		fmt.Fprintln(os.Stderr, "fake client:", err)
		return 1
	}
	return 0
}

// fake returns grade's arguments that run the fake client in mode, after
// the flags given.
func fake(mode string, flags ...string) []string {
	return append(append([]string{"grade"}, flags...), "--", os.Args[0], fakeClientArg, mode, "{method}", "{url}", "{body-file}")
}

// runGradeCmd calls Main and returns what it printed.
func runGradeCmd(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	status = Main(context.Background(), args, e)
	return out.String(), errOut.String(), status
}

// TestGrade grades fake clients: one that follows 307 and 308 with GET
// breaks a MUST NOT (exit 1, with the rule, its reference and the
// attempts), net/http's client keeps every MUST (exit 0).
func TestGrade(t *testing.T) {
	t.Parallel()
	var names []string
	for _, sc := range server.Scenarios() {
		names = append(names, sc.Name)
	}
	for _, tc := range []struct {
		name      string
		args      []string
		status    int
		want, not []string
	}{
		{"get on 307", fake("get-on-redirect", "--scenario", "post-307"), 1, []string{
			"post-307", verdict.RuleTemporaryRedirectSameMethod, "BROKEN MUST NOT", "followed 307 to POST with GET",
			"RFC 9110, section 15.4.8 https://www.rfc-editor.org/rfc/rfc9110.html#section-15.4.8",
			"#0 POST /redirect/1?code=307&key={key} -> 307", "#1 GET /200?key={key} -> 200",
			"not applied", // the content rule: the method changed
			"a MUST is broken.",
		}, []string{"post-308", "retry-after-503"}},
		{"get on 308 and 303", fake("get-on-redirect", "--scenario", "post-308", "--scenario", "post-303"), 1, []string{
			verdict.RulePermanentRedirectSameMethod, "RFC 9110, section 15.4.9", "post-303", verdict.RuleSeeOtherGET,
		}, nil},
		{"net/http keeps the MUSTs", fake("keeps"), 0, append([]string{
			"no MUST is broken.", "Graded: " + os.Args[0], "{method} {url} {body-file}",
		}, names...), []string{"BROKEN MUST", "Broken rules"}},
		{"exit status recorded, not decisive", fake("exit-3", "--scenario", "post-307"), 0, []string{
			"kept", "exit 3", "post-307, run 1: fake client: given up on purpose",
		}, []string{"the first line"}},
		{"killed past the timeout", fake("hang", "--scenario", "post-303", "--timeout", "100ms"), 0, []string{
			"exit killed", "not applied",
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runGradeCmd(t, tc.args...)
			if status != tc.status {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", status, tc.status, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(stdout, w) {
					t.Errorf("output has %q:\n%s", w, stdout)
				}
			}
		})
	}
}

// TestGradeJSON checks grade --json, and what the client command is given
// in place of the placeholders.
func TestGradeJSON(t *testing.T) {
	t.Parallel()
	args := []string{"grade", "--json", "--scenario", "post-307", "--scenario", "auth-401", "--",
		os.Args[0], fakeClientArg, "echo", "{method}", "{url}&k={key}", "{body-file}"}
	stdout, stderr, status := runGradeCmd(t, args...)
	if status != 0 {
		t.Fatalf("exit status %d, want 0\nstderr: %s", status, stderr)
	}
	var out struct {
		Command   []string
		Broke     bool
		Scenarios []struct {
			Key      string
			Scenario server.Scenario
			Rules    []struct{ ID, Outcome string }
			Attempts []verdict.Attempt
			Client   []struct {
				Args   []string
				Exit   int
				Stderr string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if out.Broke || len(out.Scenarios) != 2 || out.Command[len(out.Command)-2] != "{url}&k={key}" {
		t.Fatalf("broke %v, %d scenarios, command %q; want no MUST broken, 2 scenarios, the command as given", out.Broke, len(out.Scenarios), out.Command)
	}
	for _, s := range out.Scenarios {
		if len(s.Client) != 1 || s.Client[0].Exit != 1 || len(s.Attempts) != 0 {
			t.Fatalf("%s: runs %+v, %d attempts; want one run that exited 1, no attempt", s.Scenario.Name, s.Client, len(s.Attempts))
		}
		url := "http://127.0.0.1:"
		if s.Scenario.User != "" {
			url = "http://" + s.Scenario.User + ":" + s.Scenario.Password + "@127.0.0.1:"
		}
		path := strings.ReplaceAll(s.Scenario.Path, server.KeyPlaceholder, s.Key)
		for _, want := range []string{"method=" + s.Scenario.Method, url, path + "&k=" + s.Key, "body=" + s.Scenario.Body + "\n"} {
			if !strings.Contains(s.Client[0].Stderr+"\n", want) {
				t.Errorf("%s: the client was given %q, which lacks %q", s.Scenario.Name, s.Client[0].Stderr, want)
			}
		}
		for _, r := range s.Rules {
			if r.Outcome != "not applied" {
				t.Errorf("%s: %s %s, want not applied", s.Scenario.Name, r.ID, r.Outcome)
			}
		}
	}
}

// TestGradeErrors covers bad usage and a client that cannot be run: exit
// 2 with a message that says what is wrong.
func TestGradeErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", []string{"grade"}, "grade needs the client command after --"},
		{"empty command", []string{"grade", "--json", "--"}, "grade needs the client command after --"},
		{"command without --", []string{"grade", "curl", "{url}"}, "put the client command after --"},
		{"no {url}", []string{"grade", "--", "curl", "http://example.com/"}, "must take the URL to call as {url}"},
		{"unknown scenario", fake("keeps", "--scenario", "post-999"), `unknown scenario "post-999"; the scenarios are retry-after-503, retry-after-429`},
		{"bad timeout", fake("keeps", "--timeout", "0s"), "--timeout must be positive"},
		{"not a duration", fake("keeps", "--timeout", "soon"), "invalid value"},
		{"unknown flag", fake("keeps", "--retries", "3"), "flag provided but not defined"},
		{"no such program", []string{"grade", "--", "no-such-client-program", "{url}"}, "cannot run the client"},
		{"not executable", []string{"grade", "--", "./grade_test.go", "{url}"}, "cannot run the client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runGradeCmd(t, tc.args...)
			if status != exitUsage {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", status, exitUsage, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
			}
			if stdout != "" {
				t.Errorf("output on error: %s", stdout)
			}
		})
	}
	// A file that may be executed but is no program: found, then not started.
	notProgram := t.TempDir() + "/not-a-program"
	if err := os.WriteFile(notProgram, []byte("no interpreter line, no machine code\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := runGradeCmd(t, "grade", "--scenario", "post-307", "--", notProgram, "{url}")
	if status != exitUsage || !strings.Contains(stderr, "cannot run the client") || stdout != "" {
		t.Errorf("a file that is no program: exit %d, want %d\nstdout: %s\nstderr: %s", status, exitUsage, stdout, stderr)
	}

	stdout, _, status = runGradeCmd(t, "grade", "--help")
	if status != 0 || !strings.Contains(stdout, "{body-file}") || !strings.Contains(stdout, "--scenario") {
		t.Errorf("grade --help: exit %d\n%s", status, stdout)
	}
}
