// Package conformtest fails Go tests whose HTTP responses break the rules
// of their status codes, as package conform checks them.
//
//	func TestAPI(t *testing.T) {
//		conformtest.Handler(t, newServer(),
//			httptest.NewRequest("GET", "/orders/1", nil),
//			httptest.NewRequest("DELETE", "/orders", nil))
//	}
//
// Response checks a response a test already has, such as a recorder's, and
// Raw the text of one, as curl -si prints it. Probe sends each GET and the
// follow-up requests of conform.Probe, which settle the rules of
// validators, ranges, HEAD and methods:
//
//	conformtest.Probe(t, http.FileServerFS(assets), httptest.NewRequest("GET", "/app.js", nil))
//
// Findings at or above the Tester's FailAt level (Error by default) fail
// the test, each on its own readable line with its rule id and reference;
// milder findings are logged.
package conformtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/conform"
)

// A Tester checks responses and reports their findings to a test.
type Tester struct {
	// FailAt is the level from which a finding fails the test; the zero
	// value means conform.Error. Findings below it are logged.
	FailAt conform.Severity
	// Ignore lists rule ids that are neither reported nor logged.
	Ignore []string
	// ProbeOptions are passed to conform.Probe by Tester.Probe, such as
	// conform.WithUnsafeMethods.
	ProbeOptions []conform.ProbeOption
}

// Handler checks the responses of h to reqs with the default Tester; see
// Tester.Handler.
func Handler(t testing.TB, h http.Handler, reqs ...*http.Request) {
	t.Helper()
	(&Tester{}).Handler(t, h, reqs...)
}

// Response checks resp with the default Tester; see Tester.Response.
func Response(t testing.TB, resp *http.Response) {
	t.Helper()
	(&Tester{}).Response(t, resp)
}

// Raw checks a raw response with the default Tester; see Tester.Raw.
func Raw(t testing.TB, raw string, req *http.Request) {
	t.Helper()
	(&Tester{}).Raw(t, raw, req)
}

// Probe probes the responses of h to reqs with the default Tester; see
// Tester.Probe.
func Probe(t testing.TB, h http.Handler, reqs ...*http.Request) {
	t.Helper()
	(&Tester{}).Probe(t, h, reqs...)
}

// Probe serves h on a loopback test server and runs conform.Probe for each
// request, a GET: the follow-up requests check validators, ranges, HEAD,
// another Accept-Encoding and the methods, and every response is checked.
// The requests sent are logged. A request's URL may be relative; only its
// path and query are used. With no request, Probe probes GET /.
func (tt *Tester) Probe(t testing.TB, h http.Handler, reqs ...*http.Request) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	if len(reqs) == 0 {
		reqs = []*http.Request{httptest.NewRequest(http.MethodGet, "/", nil)}
	}
	for _, r := range reqs {
		what := "probe " + r.Method + " " + r.URL.RequestURI()
		report, err := conform.Probe(contextOf(r), srv.Client(), toServer(r, srv), tt.ProbeOptions...)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		sent := make([]string, len(report.Requests))
		for i, x := range report.Requests {
			sent[i] = fmt.Sprintf("%s %s %d", x.Probe, x.Method, x.Status)
		}
		t.Log(what + ": sent " + strings.Join(sent, ", "))
		tt.report(t, what, report.Findings)
	}
}

// contextOf returns the context of r, or the background one.
func contextOf(r *http.Request) context.Context {
	if ctx := r.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// toServer returns a copy of r addressed to srv, as a client request.
func toServer(r *http.Request, srv *httptest.Server) *http.Request {
	out := r.Clone(contextOf(r))
	out.RequestURI = ""
	u := *r.URL
	u.Scheme, u.Host = "http", strings.TrimPrefix(srv.URL, "http://")
	out.URL = &u
	out.Host = u.Host
	return out
}

// Handler serves h on a loopback test server, sends each request to it
// without following redirects, and checks every response. A request's URL
// may be relative, as httptest.NewRequest makes it; only its path and
// query are used. With no request, Handler sends GET /.
func (tt *Tester) Handler(t testing.TB, h http.Handler, reqs ...*http.Request) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if tr, ok := client.Transport.(*http.Transport); ok {
		tr.DisableCompression = true
	}
	if len(reqs) == 0 {
		reqs = []*http.Request{httptest.NewRequest(http.MethodGet, "/", nil)}
	}
	for _, r := range reqs {
		resp, err := client.Do(toServer(r, srv))
		if err != nil {
			t.Errorf("%s %s: %v", r.Method, r.URL.RequestURI(), err)
			continue
		}
		tt.report(t, r.Method+" "+r.URL.RequestURI(), conform.Check(resp))
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// Response checks resp, such as httptest.ResponseRecorder.Result() with
// its Request set, and reports the findings to t. It leaves the body
// readable.
func (tt *Tester) Response(t testing.TB, resp *http.Response) {
	t.Helper()
	what := "response"
	if resp != nil && resp.Request != nil && resp.Request.URL != nil {
		what = resp.Request.Method + " " + resp.Request.URL.RequestURI()
	}
	tt.report(t, what, conform.Check(resp))
}

// Raw checks a raw HTTP/1.1 response, as curl -si prints it (interim and
// redirected responses included), with conform.CheckRaw, and reports the
// findings to t. req is the request it answers, or nil when unknown. Input
// that is not an HTTP response fails the test.
func (tt *Tester) Raw(t testing.TB, raw string, req *http.Request) {
	t.Helper()
	fs, err := conform.CheckRaw(strings.NewReader(raw), req)
	if err != nil {
		t.Errorf("conformtest: %v", err)
		return
	}
	tt.report(t, "raw response", fs)
}

func (tt *Tester) report(t testing.TB, what string, findings []conform.Finding) {
	t.Helper()
	failAt := tt.FailAt
	if failAt == 0 {
		failAt = conform.SeverityError
	}
	for _, f := range findings {
		if slices.Contains(tt.Ignore, f.ID) {
			continue
		}
		line := Format(what, f)
		if f.Severity >= failAt {
			t.Error(line)
		} else {
			t.Log(line)
		}
	}
}

// Format renders a finding as one readable line: what was checked, the
// level, the rule id, the summary and the reference with its link.
func Format(what string, f conform.Finding) string {
	s := fmt.Sprintf("%s: %s [%s] %s (%s", what, f.Severity, f.ID, f.Summary, f.Ref)
	if f.Ref.URL != "" {
		s += " " + f.Ref.URL
	}
	return s + ")"
}
