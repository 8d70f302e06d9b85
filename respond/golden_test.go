package respond

import (
	"bytes"
	"errors"
	"flag"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenCases are the problems whose bodies are kept in testdata, one file
// per representation.
var goldenCases = []struct {
	name    string
	problem func() *Problem
}{
	{"404", func() *Problem {
		return New(http.StatusNotFound).WithDetail("There is nothing at /missing.")
	}},
	{"503-retry-after", func() *Problem {
		return New(http.StatusServiceUnavailable).WithDetail("Down for maintenance.").WithRetryAfter(90 * time.Second)
	}},
	{"422-extensions-escaped", func() *Problem {
		return Errorf(http.StatusUnprocessableEntity, `The date "<b>31/02</b>" & the time do not exist.`).
			WithType("https://example.com/problems/invalid-date?x=1&y=<2>").
			WithTitle("Invalid <date>").
			WithInstance("/orders/12#line-3").
			WithExtension("field", "</script><script>alert(1)</script>").
			WithExtension("errors", []string{"day out of range", "bad\u2028line"}).
			WithExtension("status", 200). // a standard member: ignored
			WithExtension("Title", "x").  // the same in another case: ignored
			WithCondition(httpstatus.ConditionPermanent)
	}},
	{"500-hidden-cause", func() *Problem {
		return Wrap(http.StatusInternalServerError, errors.New("db: password=hunter2 rejected"))
	}},
	{"200-not-an-error", func() *Problem {
		return New(http.StatusOK)
	}},
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, gc := range goldenCases {
		for _, media := range []struct{ accept, ext string }{
			{MediaProblemJSON, ".json"},
			{MediaHTML, ".html"},
			{MediaText, ".txt"},
		} {
			t.Run(gc.name+media.ext, func(t *testing.T) {
				t.Parallel()
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.Header.Set("Accept", media.accept)
				if err := Write(w, r, gc.problem()); err != nil {
					t.Fatal(err)
				}
				got := maskRegistryProse(w.Body.Bytes(), w.Code)
				path := filepath.Join("testdata", gc.name+media.ext)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
				}
			})
		}
	}
}

// maskRegistryProse replaces the registry's prose about code (its summary
// and retry advice, in each of the escapings the bodies use) with
// placeholders, so that the golden files pin the package's layout and not
// wording that the registry's editors may improve.
func maskRegistryProse(body []byte, code int) []byte {
	e, ok := httpstatus.Lookup(code)
	if !ok {
		return body
	}
	for _, f := range []struct{ text, mask string }{
		{e.Summary, "{{registry summary}}"},
		{e.RetryAdvice, "{{registry retry advice}}"},
	} {
		if f.text == "" {
			continue
		}
		var h strings.Builder
		_ = textOnly.Execute(&h, f.text)
		html := strings.TrimSuffix(strings.TrimPrefix(h.String(), "<p>"), "</p>")
		js := appendJSONString(nil, f.text)
		for _, form := range []string{string(js[1 : len(js)-1]), html, f.text} {
			body = bytes.ReplaceAll(body, []byte(form), []byte(f.mask))
		}
	}
	return body
}

// textOnly escapes a value as the HTML page does.
var textOnly = template.Must(template.New("").Parse(`<p>{{.}}</p>`))

// TestBodiesDoNotLeak checks that no representation of a 5xx shows the
// cause, and that no HTML page loads anything or leaves markup unescaped.
func TestBodiesDoNotLeak(t *testing.T) {
	t.Parallel()
	for _, accept := range []string{MediaProblemJSON, MediaJSON, MediaHTML, MediaText} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		_ = Write(w, r, goldenCases[3].problem())
		if strings.Contains(w.Body.String(), "hunter2") {
			t.Errorf("%s: the 500 body shows its cause:\n%s", accept, w.Body)
		}

		w = httptest.NewRecorder()
		_ = Write(w, r, goldenCases[2].problem())
		body := w.Body.String()
		if strings.Contains(body, "<script") || strings.Contains(body, "<b>") || strings.Contains(body, "<date>") {
			if accept != MediaText {
				t.Errorf("%s: unescaped markup:\n%s", accept, body)
			}
		}
		if accept == MediaHTML {
			for _, s := range []string{"src=", "href=", "<link", "@import", "url("} {
				if strings.Contains(body, s) {
					t.Errorf("HTML page refers to an external resource (%s)", s)
				}
			}
		}
	}
}
