package server

import (
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
	"github.com/httpstatus/httpstatus/verdict"
)

// sessionMethods are the methods /sessions/{key} answers.
var sessionMethods = []string{http.MethodGet, http.MethodHead, http.MethodDelete, http.MethodOptions}

// handleSession serves /sessions/{key}: GET says how the client behaved
// in the key's run (the verdict of package verdict over every attempt
// the server recorded), as JSON or, for a browser, HTML; DELETE forgets
// the key, so that a run can start again from its first step, a full
// rate-limit window and the resource as it is created.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if s.exchangeOf(w, r, routeSessions) == nil {
		return // a control, which this route takes none of
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
	case http.MethodOptions:
		w.Header().Set("Allow", "GET, HEAD, DELETE, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		s.fail(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(sessionMethods...).
			WithDetail("GET gives the verdict on the key's run, DELETE forgets the key"))
		return
	}
	if !validKey(key) && !isAddressKey(key) {
		s.badRequest(w, r,
			"\""+httptext.Clip(key, maxEcho)+"\" is not a key: 1 to 64 letters, digits, '-', '.', '_' or '~', or addr: and a client's IP address")
		return
	}
	if r.Method == http.MethodDelete {
		if !s.memory.forget(key, s.now()) {
			s.fail(w, r, respond.New(http.StatusNotFound).WithDetail("the server remembers nothing of the key "+key))
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	attempts, dropped, ok := s.memory.run(key, s.now())
	if !ok {
		s.fail(w, r, respond.New(http.StatusNotFound).WithDetail("the server remembers nothing of the key "+key+
			"; send requests with key="+key+" first (see /scenarios)"))
		return
	}
	v := verdict.Evaluate(attempts)
	report := sessionReport{Key: key, Attempts: attempts, Dropped: dropped, Findings: v.Findings, Passed: v.Passed}
	if report.Attempts == nil {
		report.Attempts = []verdict.Attempt{}
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept")
	if respond.Negotiate(r) == respond.MediaHTML {
		h.Set("Content-Type", "text/html; charset=utf-8")
		if r.Method == http.MethodGet {
			if err := sessionPage.Execute(w, report); err != nil {
				s.logger.Error("writing a session page", "err", err)
			}
		}
		return
	}
	h.Set("Content-Type", "application/json")
	if r.Method == http.MethodGet {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			s.logger.Error("writing a session", "err", err)
		}
	}
}

// sessionReport is the answer of GET /sessions/{key}.
type sessionReport struct {
	Key      string            `json:"key"`
	Attempts []verdict.Attempt `json:"attempts"`
	// Dropped counts the oldest attempts the record let go, past its bound.
	Dropped  int              `json:"dropped"`
	Findings []verdict.Result `json:"findings"`
	Passed   []verdict.Result `json:"passed"`
}

var sessionPage = template.Must(template.New("session").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run {{.Key}}: verdict</title></head>
<body><main>
<h1>Run {{.Key}}</h1>
<p>{{len .Attempts}} attempts recorded{{if .Dropped}}, {{.Dropped}} older ones dropped{{end}}.</p>
<h2>Rules broken</h2>
{{if .Findings}}<ul>{{range .Findings}}<li><strong>{{.Level}}</strong> {{.Summary}} ({{if .URL}}<a href="{{.URL}}">{{.Reference}}</a>{{else}}{{.Reference}}{{end}}) <code>{{.ID}}</code>, attempts {{range $i, $a := .Attempts}}{{if $i}}, {{end}}{{$a}}{{end}}{{if .Note}}: {{.Note}}{{end}}</li>{{end}}</ul>
{{else}}<p>None.</p>{{end}}
<h2>Rules kept</h2>
{{if .Passed}}<ul>{{range .Passed}}<li><strong>{{.Level}}</strong> {{.Summary}} ({{if .URL}}<a href="{{.URL}}">{{.Reference}}</a>{{else}}{{.Reference}}{{end}}) <code>{{.ID}}</code>, attempts {{range $i, $a := .Attempts}}{{if $i}}, {{end}}{{$a}}{{end}}{{if .Note}}: {{.Note}}{{end}}</li>{{end}}</ul>
{{else}}<p>None applied to this run yet.</p>{{end}}
<h2>Attempts</h2>
<table><thead><tr><th scope="col">#</th><th scope="col">at</th><th scope="col">method</th><th scope="col">path</th><th scope="col">connection</th><th scope="col">status</th></tr></thead>
<tbody>{{range $i, $a := .Attempts}}<tr><td>{{$i}}</td><td>{{$a.At.Format "15:04:05.000"}}</td><td>{{$a.Method}}</td><td><code>{{$a.Path}}</code></td><td>{{$a.Conn}}</td><td>{{$a.Status}}{{if $a.Closed}} (closed){{end}}</td></tr>{{end}}</tbody></table>
</main></body></html>
`))

// isAddressKey reports whether k has the form of the key of a request
// that named none.
func isAddressKey(k string) bool {
	if len(k) <= len(addressKeyPrefix) || len(k) > len(addressKeyPrefix)+64 || k[:len(addressKeyPrefix)] != addressKeyPrefix {
		return false
	}
	for i := len(addressKeyPrefix); i < len(k); i++ {
		c := k[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == '.' || c == ':' || c == '%') {
			return false
		}
	}
	return true
}
