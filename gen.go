//go:build ignore

// gen reads codes.json, checks every record, and writes tables.go: the Go
// tables the registry serves from, so that nothing parses JSON at run time.
//
//	go run gen.go [-in codes.json] [-out tables.go]
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

type source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

type headerRule struct {
	Field   string `json:"field"`
	Level   string `json:"level"`
	Applies string `json:"applies"`
	When    string `json:"when"`
	Ref     string `json:"ref"`
}

type name struct {
	Phrase string `json:"phrase"`
	Ref    string `json:"ref"`
	Note   string `json:"note"`
}

type record struct {
	Code         int          `json:"code"`
	Phrase       string       `json:"phrase"`
	Origin       string       `json:"origin"`
	State        string       `json:"state"`
	Ref          string       `json:"ref"`
	Expires      string       `json:"expires"`
	Summary      string       `json:"summary"`
	Description  string       `json:"description"`
	Condition    string       `json:"condition"`
	ConditionRef string       `json:"condition_ref"`
	Content      string       `json:"content"`
	ContentRef   string       `json:"content_ref"`
	Caching      string       `json:"caching"`
	CachingRef   string       `json:"caching_ref"`
	Retry        string       `json:"retry"`
	RetryAdvice  string       `json:"retry_advice"`
	RetryRef     string       `json:"retry_ref"`
	Headers      []headerRule `json:"headers"`
	Names        []name       `json:"names"`
	Related      []int        `json:"related"`
	GoConstant   string       `json:"go_constant"`
	GoText       string       `json:"go_text"`
}

type dataFile struct {
	Sources map[string]source `json:"sources"`
	Entries []record          `json:"entries"`
}

// The Go identifier of each value the data file may spell.
var (
	states     = map[string]string{"standard": "StateStandard", "temporary": "StateTemporary", "unused": "StateUnused", "obsoleted": "StateObsoleted", "deprecated": "StateDeprecated", "unofficial": "StateUnofficial"}
	conditions = map[string]string{"none": "ConditionNone", "temporary": "ConditionTemporary", "permanent": "ConditionPermanent", "either": "ConditionEither"}
	contents   = map[string]string{"allowed": "ContentAllowed", "none": "ContentNone"}
	cachings   = map[string]string{"heuristic": "CachingHeuristic", "explicit": "CachingExplicit", "no-store": "CachingNoStore"}
	retries    = map[string]string{"n/a": "RetryNotApplicable", "yes": "RetryYes", "later": "RetryLater", "modified": "RetryModified", "no": "RetryNo"}
	applies    = map[string]string{"always": "AppliesAlways", "connect": "AppliesToConnect", "range-request": "AppliesToRangeRequest", "single-part": "AppliesToSinglePart", "multipart": "AppliesToMultipart", "judgement": "AppliesByJudgement"}
	levels     = map[string]string{"MUST": "LevelMust", "MUST NOT": "LevelMustNot", "SHOULD": "LevelShould", "SHOULD NOT": "LevelShouldNot", "MAY": "LevelMay"}
	classes    = [...]string{1: "ClassInformational", 2: "ClassSuccess", 3: "ClassRedirection", 4: "ClassClientError", 5: "ClassServerError"}
)

var (
	rfcRef   = regexp.MustCompile(`^RFC([0-9]{3,5})(?:#([0-9A-Z][0-9.]*))?$`)
	draftRef = regexp.MustCompile(`^draft-[a-z0-9-]+$`)
	fieldRe  = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	dateRe   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

func main() {
	in := flag.String("in", "codes.json", "the data file to read")
	out := flag.String("out", "tables.go", "the Go file to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var data dataFile
	if err := dec.Decode(&data); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	g := &generator{sources: data.Sources}
	src, err := g.generate(data.Entries)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, src, 0o644)
}

type generator struct {
	sources map[string]source
	errs    []error
	buf     bytes.Buffer
}

func (g *generator) failf(r record, format string, args ...any) {
	g.errs = append(g.errs, fmt.Errorf("%d %s (%s): %s", r.Code, r.Phrase, r.Origin, fmt.Sprintf(format, args...)))
}

func (g *generator) printf(format string, args ...any) { fmt.Fprintf(&g.buf, format, args...) }

// order sorts records by code, the IANA meaning of a number first and the
// others in the order the file gives them.
func order(recs []record) {
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].Code != recs[j].Code {
			return recs[i].Code < recs[j].Code
		}
		return recs[i].Origin == "IANA" && recs[j].Origin != "IANA"
	})
}

func (g *generator) generate(recs []record) ([]byte, error) {
	order(recs)
	known := map[int]bool{}
	for _, r := range recs {
		known[r.Code] = true
	}
	g.printf("// Code generated by gen.go from codes.json; DO NOT EDIT.\n\npackage httpstatus\n\n")
	g.printf("// entries holds every meaning of every number, ordered by code, the\n// primary meaning of a number first.\n")
	g.printf("var entries = [...]Entry{\n")
	seen := map[string]bool{}
	for _, r := range recs {
		g.check(r, known)
		id := fmt.Sprintf("%d/%s", r.Code, r.Origin)
		if seen[id+"/"+r.Phrase] {
			g.failf(r, "duplicate record")
		}
		seen[id+"/"+r.Phrase] = true
		g.entry(r)
	}
	g.printf("}\n\n")

	g.printf("// primaryIndex maps a code to one more than the index of its primary\n// meaning in entries; zero means the code is unknown.\n")
	g.printf("var primaryIndex = [600]uint16{\n")
	for i, r := range recs {
		if i == 0 || recs[i-1].Code != r.Code {
			g.printf("%d: %d,\n", r.Code, i+1)
		}
	}
	g.printf("}\n\n")

	g.phrases(recs)
	if len(g.errs) > 0 {
		return nil, errors.Join(g.errs...)
	}
	return format.Source(g.buf.Bytes())
}

// phrases writes the sorted table of phrase keys. When two meanings share a
// phrase, the IANA one wins, then the one that comes first.
func (g *generator) phrases(recs []record) {
	best := map[string]int{}
	add := func(phrase string, i int) {
		k := key(phrase)
		if k == "" {
			g.failf(recs[i], "phrase %q has no letters", phrase)
			return
		}
		j, ok := best[k]
		if !ok || (recs[i].Origin == "IANA" && recs[j].Origin != "IANA") {
			best[k] = i
		}
	}
	for i, r := range recs {
		add(r.Phrase, i)
		for _, n := range r.Names {
			add(n.Phrase, i)
		}
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	g.printf("// phraseIndex maps every phrase, folded by phraseKey, to its entry.\n")
	g.printf("var phraseIndex = [...]phraseEntry{\n")
	for _, k := range keys {
		g.printf("{%q, %d},\n", k, best[k])
	}
	g.printf("}\n")
}

// key folds a phrase as phraseKey in registry.go does.
func key(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

func (g *generator) check(r record, known map[int]bool) {
	if r.Code < 100 || r.Code > 599 {
		g.failf(r, "code out of range")
	}
	for what, v := range map[string]string{"phrase": r.Phrase, "origin": r.Origin, "summary": r.Summary, "description": r.Description, "retry_advice": r.RetryAdvice} {
		if strings.TrimSpace(v) == "" {
			g.failf(r, "%s is empty", what)
		}
	}
	if strings.HasSuffix(r.Summary, ".") {
		g.failf(r, "summary ends with a full stop")
	}
	official := r.Origin == "IANA"
	switch {
	case official && (r.State == "unofficial"):
		g.failf(r, "an IANA record cannot be unofficial")
	case !official && r.State != "unofficial" && r.State != "deprecated":
		g.failf(r, "a vendor record is unofficial or deprecated, not %q", r.State)
	}
	if (r.State == "temporary") != (r.Expires != "") || (r.Expires != "" && !dateRe.MatchString(r.Expires)) {
		g.failf(r, "a temporary registration, and only one, carries an expiry date YYYY-MM-DD")
	}
	if !official && (r.GoConstant != "" || r.GoText != "") {
		g.failf(r, "net/http knows only IANA codes")
	}
	if (r.GoConstant == "") != (r.GoText == "") {
		g.failf(r, "go_constant and go_text come together")
	}
	for _, rel := range r.Related {
		if !known[rel] || rel == r.Code {
			g.failf(r, "related code %d is unknown or itself", rel)
		}
	}
}

func (g *generator) enum(r record, what string, values map[string]string, v string) string {
	id, ok := values[v]
	if !ok {
		g.failf(r, "%s %q is not one of %v", what, v, keys(values))
		return "0"
	}
	return id
}

func keys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// ref turns a reference string into a Reference literal.
func (g *generator) ref(r record, s string) string {
	var doc, section, url string
	switch m := rfcRef.FindStringSubmatch(s); {
	case m != nil:
		doc = "RFC " + m[1]
		section = m[2]
		url = "https://www.rfc-editor.org/rfc/rfc" + m[1] + ".html"
		if section != "" {
			url += "#section-" + section
		}
	case draftRef.MatchString(s):
		doc = s
		url = "https://datatracker.ietf.org/doc/" + s + "/"
	case s == "IANA":
		doc = "IANA HTTP Status Code Registry"
		url = "https://www.iana.org/assignments/http-status-codes/"
	case strings.HasPrefix(s, "src:"):
		src, ok := g.sources[strings.TrimPrefix(s, "src:")]
		if !ok || src.Title == "" || !strings.HasPrefix(src.URL, "https://") {
			g.failf(r, "reference %q names no source with a title and an https URL", s)
		}
		doc, url = src.Title, src.URL
	default:
		g.failf(r, "reference %q is not RFCnnnn[#section], draft-..., IANA or src:KEY", s)
	}
	return fmt.Sprintf("Reference{Document: %q, Section: %q, URL: %q}", doc, section, url)
}

func (g *generator) entry(r record) {
	g.printf("{\n")
	g.printf("Code: %d, Phrase: %q, Class: %s, Origin: %q, State: %s,\n", r.Code, r.Phrase, classes[r.Code/100%6], r.Origin, g.enum(r, "state", states, r.State))
	g.printf("Ref: %s,\n", g.ref(r, r.Ref))
	if r.Expires != "" {
		g.printf("Expires: %q,\n", r.Expires)
	}
	g.printf("Summary: %q,\n", r.Summary)
	g.printf("Description: %q,\n", r.Description)
	g.printf("Condition: %s, ConditionRef: %s,\n", g.enum(r, "condition", conditions, r.Condition), g.ref(r, r.ConditionRef))
	g.printf("Content: %s, ContentRef: %s,\n", g.enum(r, "content", contents, r.Content), g.ref(r, r.ContentRef))
	g.printf("Caching: %s, CachingRef: %s,\n", g.enum(r, "caching", cachings, r.Caching), g.ref(r, r.CachingRef))
	g.printf("Retry: %s, RetryAdvice: %q, RetryRef: %s,\n", g.enum(r, "retry", retries, r.Retry), r.RetryAdvice, g.ref(r, r.RetryRef))
	if len(r.Headers) > 0 {
		g.printf("Headers: []HeaderRule{\n")
		for _, h := range r.Headers {
			if !fieldRe.MatchString(h.Field) || strings.TrimSpace(h.When) == "" {
				g.failf(r, "header rule %+v needs a field name and a condition", h)
			}
			g.printf("{Field: %q, Level: %s, Applies: %s, When: %q, Ref: %s},\n", h.Field, g.enum(r, "level", levels, h.Level), g.enum(r, "applies", applies, h.Applies), h.When, g.ref(r, h.Ref))
		}
		g.printf("},\n")
	}
	if len(r.Names) > 0 {
		g.printf("Names: []Name{\n")
		for _, n := range r.Names {
			g.printf("{Phrase: %q, Ref: %s, Note: %q},\n", n.Phrase, g.ref(r, n.Ref), n.Note)
		}
		g.printf("},\n")
	}
	if len(r.Related) > 0 {
		rel := make([]string, len(r.Related))
		for i, c := range r.Related {
			rel[i] = strconv.Itoa(c)
		}
		g.printf("Related: []int{%s},\n", strings.Join(rel, ", "))
	}
	if r.GoConstant != "" {
		g.printf("GoConstant: %q, GoText: %q,\n", r.GoConstant, r.GoText)
	}
	g.printf("},\n")
}
