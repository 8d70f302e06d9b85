// Package verdict judges how an HTTP client handled the answers of a
// run: given every attempt the client made under one key and what the
// server answered each, it says which of the client rules of the registry
// (httpstatus.ClientRules) the client kept and which it broke, each with
// the attempts that show it and the reference of the rule.
//
// The status server (package server) records the attempts of every run
// and answers GET /sessions/{key} with the verdict; package clienttest
// runs the server's scenarios against a client inside a Go test. This
// package imports only the standard library and the registry.
package verdict

import (
	"slices"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
)

// An Attempt is one request of a run, as the server saw it, with the
// answer it sent.
type Attempt struct {
	// At is when the request arrived; Answered when its answer was sent.
	At       time.Time `json:"at"`
	Answered time.Time `json:"answered"`
	Method   string    `json:"method"`
	// Path is the request target: the path and the query.
	Path string `json:"path"`
	// Conn names the connection the request came on: the client's
	// address and port.
	Conn string `json:"conn"`
	// Proto is the protocol, such as HTTP/1.1.
	Proto string `json:"proto"`
	// Fields are the request fields the rules read, by canonical name;
	// Authorization and Proxy-Authorization keep only their scheme.
	Fields map[string]string `json:"fields,omitempty"`
	// ContentLength is the length of the request content, -1 when unknown.
	ContentLength int64 `json:"content_length"`
	// ContentDigest is the SHA-256 of the content in hexadecimal, when the
	// server read it; "" otherwise.
	ContentDigest string `json:"content_digest,omitempty"`
	// Status is the status the server sent, or meant to send when it
	// closed the connection instead.
	Status int `json:"status"`
	// Response holds the answer's fields the rules read: Retry-After,
	// Location, ETag, WWW-Authenticate, Proxy-Authenticate, Connection.
	Response map[string]string `json:"response,omitempty"`
	// Closed reports that the server closed the connection after this
	// answer, or instead of it.
	Closed bool `json:"closed,omitempty"`
}

// RecordedFields returns the request fields an Attempt keeps.
func RecordedFields() []string {
	return []string{
		"Authorization", "Proxy-Authorization", "If-None-Match", "If-Modified-Since", "If-Match",
		"If-Range", "Range", "Idempotency-Key", "Content-Type", "Expect",
	}
}

// RecordedResponseFields returns the response fields an Attempt keeps,
// in their canonical form.
func RecordedResponseFields() []string {
	return []string{"Retry-After", "Location", "Etag", "Www-Authenticate", "Proxy-Authenticate", "Connection"}
}

// A Result is a rule that applied to a run: broken (a finding) or kept.
type Result struct {
	ID        string `json:"id"`
	Level     string `json:"level"`
	Summary   string `json:"summary"`
	Reference string `json:"reference"`
	URL       string `json:"url,omitempty"`
	// Attempts are the indices of the attempts that show it.
	Attempts []int `json:"attempts"`
	// Note says what the client did, where the rule alone does not.
	Note string `json:"note,omitempty"`
}

// A Verdict is what a run shows of a client.
type Verdict struct {
	Findings []Result `json:"findings"`
	Passed   []Result `json:"passed"`
}

// Broke reports whether the client broke a rule of level MUST or MUST NOT.
func (v Verdict) Broke() bool {
	for _, f := range v.Findings {
		if f.Level == httpstatus.LevelMust.String() || f.Level == httpstatus.LevelMustNot.String() {
			return true
		}
	}
	return false
}

// An outcome is what an evaluator found of its rule in a run: the
// attempts where it applied and held, and those where it was broken.
type outcome struct {
	kept, broken []int
	note         string
}

func (o *outcome) keep(i ...int)  { o.kept = append(o.kept, i...) }
func (o *outcome) broke(i ...int) { o.broken = append(o.broken, i...) }

// An evaluator judges one rule over a run.
type evaluator func(run []Attempt) outcome

// Evaluate judges the run: every client rule of the registry that applied
// to some attempts is a finding when the client broke it, and passed when
// it kept it.
func Evaluate(run []Attempt) Verdict {
	v := Verdict{Findings: []Result{}, Passed: []Result{}}
	for _, rule := range httpstatus.ClientRules() {
		eval, ok := evaluators[rule.ID]
		if !ok {
			continue
		}
		o := eval(run)
		res := Result{ID: rule.ID, Level: rule.Level.String(), Summary: rule.Summary, Reference: rule.Ref.String(), URL: rule.Ref.URL, Note: o.note}
		switch {
		case len(o.broken) > 0:
			res.Attempts = uniqueSorted(o.broken)
			v.Findings = append(v.Findings, res)
		case len(o.kept) > 0:
			res.Attempts = uniqueSorted(o.kept)
			v.Passed = append(v.Passed, res)
		}
	}
	return v
}

func uniqueSorted(is []int) []int {
	out := slices.Clone(is)
	slices.Sort(out)
	return slices.Compact(out)
}

// Evaluators returns the ids of the rules this package judges.
func Evaluators() []string {
	ids := make([]string, 0, len(evaluators))
	for id := range evaluators {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// pathOf returns the path of a request target or Location, without the
// scheme and host of an absolute URL.
func pathOf(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	return target
}

// next returns the index of the first attempt after i that targets path,
// or -1.
func next(run []Attempt, i int, path string) int {
	for j := i + 1; j < len(run); j++ {
		if pathOf(run[j].Path) == path {
			return j
		}
	}
	return -1
}
