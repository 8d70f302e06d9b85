package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/conform"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// headerFlags collects repeated -H 'Name: value' flags.
type headerFlags []string

func (h *headerFlags) String() string { return strings.Join(*h, ", ") }

func (h *headerFlags) Set(v string) error {
	name, _, ok := strings.Cut(v, ":")
	if !ok || !httptext.IsToken(strings.TrimSpace(name)) {
		return fmt.Errorf("%q is not 'Name: value'", v)
	}
	*h = append(*h, v)
	return nil
}

// runCheck is "httpstatus check URL|-": it sends one request, or reads a
// raw response from standard input, and reports how the response breaks
// the rules of its status code.
func runCheck(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "check", "URL|- [-X METHOD] [-H 'Name: value']... [--probe [--unsafe]] [--json] [--timeout D] [-v]\n       httpstatus check --har FILE [--json] [-v]",
		"Lint a response against the rules of its status code. With a URL, send the request\n"+
			"(redirects are not followed); with -, read a raw HTTP/1.x response, as 'curl -si' prints\n"+
			"it, from standard input. With --probe, send a GET and then the follow-up requests that\n"+
			"settle what one response cannot (If-None-Match, If-Modified-Since, ranges, HEAD, another\n"+
			"Accept-Encoding and Accept, OPTIONS and unknown methods), and list every request sent.\n"+
			"With --har, check every entry of a HAR file, such as a browser's export, grouped by URL.\n"+
			"Exit 0 when no MUST is broken, 1 when one is, 2 on bad usage or a network error.")
	method := fs.String("X", http.MethodGet, "the request `method`")
	var headers headerFlags
	fs.Var(&headers, "H", "a request header `'Name: value'`; repeatable")
	asJSON := fs.Bool("json", false, "print the findings as a JSON array (with --probe, an object with the requests too)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on the request, or on all the probes, after this `duration`")
	verbose := fs.Bool("v", false, "explain each finding")
	probe := fs.Bool("probe", false, "send the follow-up requests that settle more rules (safe methods only)")
	unsafe := fs.Bool("unsafe", false, "with --probe, also send PUT and DELETE when Allow leaves them out")
	maxRequests := fs.Int("max-requests", conform.DefaultProbeRequests, "with --probe, send at most this many requests")
	har := fs.String("har", "", "check every entry of this HAR `file` (- for standard input)")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if *har != "" {
		if len(pos) != 0 || *probe {
			return usagef("check --har takes no URL and no --probe")
		}
		return runHAR(e, *har, *asJSON, *verbose)
	}
	if len(pos) != 1 {
		return usagef("check takes one URL, or - for standard input")
	}
	if !httptext.IsToken(*method) {
		return usagef("check: %q is not a method name", *method)
	}
	methodSet, headersSet := false, len(headers) > 0
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "X" {
			methodSet = true
		}
	})
	switch {
	case *probe && pos[0] == "-":
		return usagef("check: --probe sends requests; it needs a URL, not -")
	case *probe && *method != http.MethodGet:
		return usagef("check: --probe starts with a GET; -X %s cannot be probed", *method)
	case *unsafe && !*probe:
		return usagef("check: --unsafe goes with --probe")
	case *maxRequests < 1:
		return usagef("check: --max-requests must be at least 1")
	case *probe:
		return runProbe(ctx, e, pos[0], headers, *timeout, *asJSON, *verbose, probeOptions(*unsafe, *maxRequests))
	}

	var findings []conform.Finding
	var heading string
	if pos[0] == "-" {
		var req *http.Request
		if methodSet || headersSet {
			// The request matters to some rules (HEAD, Range); without -X
			// or -H the checker assumes a plain GET.
			req = &http.Request{Method: *method, URL: &url.URL{Path: "/"}, Header: http.Header{}}
			addHeaders(req, headers)
		}
		findings, err = conform.CheckRaw(e.Stdin, req)
		if err != nil {
			return exitError{exitUsage, "check: " + strings.TrimPrefix(err.Error(), "conform: ")}
		}
	} else {
		var status string
		findings, status, err = checkURL(ctx, pos[0], *method, headers, *timeout)
		if err != nil {
			return err
		}
		heading = fmt.Sprintf("%s %s: %s", *method, pos[0], status)
	}

	if *asJSON {
		if findings == nil {
			findings = []conform.Finding{}
		}
		if err := writeJSON(e.Stdout, findings); err != nil {
			return err
		}
	} else {
		printFindings(e, heading, findings, *verbose)
	}
	if conform.Worst(findings) >= conform.SeverityError {
		return exitError{exitFail, ""}
	}
	return nil
}

// newRequest parses the URL of check and makes the request, with the -H
// fields, under the --timeout.
func newRequest(ctx context.Context, raw, method string, headers headerFlags, timeout time.Duration) (*http.Request, context.CancelFunc, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, usagef("check: %q is not an http or https URL", raw)
	}
	if timeout <= 0 {
		return nil, nil, usagef("check: --timeout must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		cancel()
		return nil, nil, usagef("check: %v", err)
	}
	addHeaders(req, headers)
	return req, cancel, nil
}

// newClient returns a client that sees responses as the server sent them:
// no redirect followed, no content decoded. close frees its connections.
func newClient() (client *http.Client, close func()) {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableCompression = true
	return &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, transport.CloseIdleConnections
}

// networkError is the exit of check when a request gets no response.
func networkError(method, raw string, err error) error {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	return exitError{exitUsage, fmt.Sprintf("check: %s %s: %s", method, raw, strings.TrimPrefix(msg, "conform: "))}
}

// checkURL sends the request and checks the response.
func checkURL(ctx context.Context, raw, method string, headers headerFlags, timeout time.Duration) ([]conform.Finding, string, error) {
	req, cancel, err := newRequest(ctx, raw, method, headers, timeout)
	if err != nil {
		return nil, "", err
	}
	defer cancel()
	client, closeIdle := newClient()
	defer closeIdle()
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", networkError(method, raw, err)
	}
	defer resp.Body.Close()
	// Check reads the content it needs; the rest is dropped with the
	// connection, which is not reused.
	return conform.Check(resp), resp.Proto + " " + resp.Status, nil
}

func probeOptions(unsafe bool, maxRequests int) []conform.ProbeOption {
	opts := []conform.ProbeOption{conform.WithMaxRequests(maxRequests)}
	if unsafe {
		opts = append(opts, conform.WithUnsafeMethods())
	}
	return opts
}

// runProbe is "httpstatus check --probe URL".
func runProbe(ctx context.Context, e *Env, raw string, headers headerFlags, timeout time.Duration, asJSON, verbose bool, opts []conform.ProbeOption) error {
	req, cancel, err := newRequest(ctx, raw, http.MethodGet, headers, timeout)
	if err != nil {
		return err
	}
	defer cancel()
	client, closeIdle := newClient()
	defer closeIdle()
	report, err := conform.Probe(req.Context(), client, req, append(opts, conform.WithProbeTimeout(timeout))...)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return networkError(http.MethodGet, raw, err)
	}
	if asJSON {
		if err := writeJSON(e.Stdout, report); err != nil {
			return err
		}
	} else {
		printReport(e, report, verbose)
	}
	if conform.Worst(report.Findings) >= conform.SeverityError {
		return exitError{exitFail, ""}
	}
	return nil
}

// printReport prints the requests a probe sent, then its findings.
func printReport(e *Env, r *conform.Report, verbose bool) {
	fmt.Fprintln(e.Stdout, e.paint(styleBold, fmt.Sprintf("Probed %s with %s:", r.URL, plural(len(r.Requests), "request"))))
	for _, x := range r.Requests {
		var sent []string
		for k, v := range x.Header {
			sent = append(sent, k+": "+strings.Join(v, ", "))
		}
		slices.Sort(sent)
		what := x.Method
		if len(sent) > 0 {
			what += " (" + strings.Join(sent, "; ") + ")"
		}
		got := fmt.Sprintf("%d, %d bytes", x.Status, x.Bytes)
		switch {
		case x.Error != "":
			got = "no response: " + x.Error
		case x.Truncated:
			got += " read, more not"
		}
		fmt.Fprintf(e.Stdout, "  %-18s %s -> %s\n", x.Probe, what, got)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(e.Stdout, "  %s\n", e.paint(styleDim, "not sent: "+s))
	}
	fmt.Fprintln(e.Stdout)
	printFindings(e, "", r.Findings, verbose)
}

// runHAR is "httpstatus check --har FILE".
func runHAR(e *Env, name string, asJSON, verbose bool) error {
	r := e.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return exitError{exitUsage, "check: " + err.Error()}
		}
		defer f.Close()
		r = f
	}
	results, err := conform.CheckHAR(r)
	if err != nil {
		return exitError{exitUsage, "check: " + name + ": " + strings.TrimPrefix(err.Error(), "conform: ")}
	}
	var all []conform.Finding
	for _, res := range results {
		all = append(all, res.Findings...)
	}
	if asJSON {
		if results == nil {
			results = []conform.HARResult{}
		}
		if err := writeJSON(e.Stdout, results); err != nil {
			return err
		}
	} else {
		entries, clean := 0, 0
		for _, res := range results {
			entries += res.Entries
			if len(res.Findings) == 0 {
				clean++
				continue
			}
			statuses := make([]string, len(res.Statuses))
			for i, s := range res.Statuses {
				statuses[i] = strconv.Itoa(s)
			}
			printFindings(e, fmt.Sprintf("%s (%s)", res.URL, strings.Join(statuses, ", ")), res.Findings, verbose)
			fmt.Fprintln(e.Stdout)
		}
		fmt.Fprintf(e.Stdout, "%s checked: %s of %s, %d without findings; ",
			name, plural(entries, "response"), plural(len(results), "URL"), clean)
		printTotals(e, all)
	}
	if conform.Worst(all) >= conform.SeverityError {
		return exitError{exitFail, ""}
	}
	return nil
}

// addHeaders sets the -H fields on req; Host sets the request's host.
func addHeaders(req *http.Request, headers headerFlags) {
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if strings.EqualFold(name, "Host") {
			req.Host = value
			continue
		}
		req.Header.Add(name, value)
	}
}

// printFindings prints findings grouped by level, the most serious first.
func printFindings(e *Env, heading string, findings []conform.Finding, verbose bool) {
	if heading != "" {
		fmt.Fprintln(e.Stdout, e.paint(styleBold, heading))
	}
	if len(findings) == 0 {
		fmt.Fprintln(e.Stdout, e.paint(styleGreen, "No findings: the response follows every rule the checker knows."))
		return
	}
	groups := []struct {
		level conform.Severity
		title string
		style string
	}{
		{conform.SeverityError, "Errors (MUST, MUST NOT)", styleRed},
		{conform.SeverityWarning, "Warnings (SHOULD, SHOULD NOT)", styleYellow},
		{conform.SeverityInfo, "Info", styleBlue},
	}
	printed := heading != ""
	for _, g := range groups {
		first := true
		for _, f := range findings {
			if f.Severity != g.level {
				continue
			}
			if first {
				if printed {
					fmt.Fprintln(e.Stdout)
				}
				fmt.Fprintln(e.Stdout, e.paint(styleBold+g.style, g.title))
				first, printed = false, true
			}
			fmt.Fprintf(e.Stdout, "  %s %s\n", e.paint(g.style, f.ID+":"), f.Summary)
			ref := f.Ref.String()
			if f.Ref.URL != "" {
				ref += "  " + f.Ref.URL
			}
			fmt.Fprintf(e.Stdout, "    %s\n", e.paint(styleDim, ref))
			if verbose && f.Explanation != "" {
				fmt.Fprintf(e.Stdout, "    %s\n", f.Explanation)
			}
		}
	}
	fmt.Fprintln(e.Stdout)
	printTotals(e, findings)
}

// printTotals prints how many findings of each level there are, and
// whether a MUST is broken.
func printTotals(e *Env, findings []conform.Finding) {
	counts := map[conform.Severity]int{}
	for _, f := range findings {
		counts[f.Severity]++
	}
	fmt.Fprintf(e.Stdout, "%s, %s, %d info", plural(counts[conform.SeverityError], "error"), plural(counts[conform.SeverityWarning], "warning"), counts[conform.SeverityInfo])
	if counts[conform.SeverityError] > 0 {
		fmt.Fprintln(e.Stdout, ": "+e.paint(styleRed, "a MUST is broken."))
	} else {
		fmt.Fprintln(e.Stdout, ": no MUST is broken.")
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
