package conform_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/conform"
	"github.com/httpstatus/httpstatus/respond"
)

// completeProblem returns a Problem for code that carries every header
// field the registry requires of it, whatever the condition; respond sets
// Content-Type itself.
func completeProblem(code int) *respond.Problem {
	p := respond.New(code).WithDetail("Test detail for " + strconv.Itoa(code) + ".")
	if e, ok := httpstatus.Lookup(code); ok {
		for _, h := range e.Headers {
			if h.Level == httpstatus.LevelMust && h.Field != "Content-Type" {
				p.WithHeader(h.Field, sampleValue(h.Field, code))
			}
		}
	}
	return p
}

// TestRespondPassesConformance writes every status code respond can write,
// with GET and HEAD and the media types respond negotiates, and requires
// that the checker finds no broken MUST in any of them.
func TestRespondPassesConformance(t *testing.T) {
	t.Parallel()
	accepts := []string{"", "application/json", "text/html", "text/plain"}
	for code := 100; code <= 599; code++ {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				for _, accept := range accepts {
					req := httptest.NewRequest(method, "/resource", nil)
					if accept != "" {
						req.Header.Set("Accept", accept)
					}
					if code == http.StatusSwitchingProtocols {
						req.Header.Set("Upgrade", sampleValue("Upgrade", code))
					}
					rec := httptest.NewRecorder()
					if err := respond.Write(rec, req, completeProblem(code)); err != nil {
						t.Fatalf("respond.Write(%d): %v", code, err)
					}
					resp := rec.Result()
					resp.Request = req
					for _, f := range conform.Check(resp) {
						if f.Severity >= conform.SeverityError {
							t.Errorf("%s, Accept %q: %s (%s)", method, accept, f, f.Ref)
						}
					}
				}
			}
		})
	}
}
