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
	"time"
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

type usageRule struct {
	Level string `json:"level"`
	When  string `json:"when"`
	Ref   string `json:"ref"`
}

type name struct {
	Phrase string `json:"phrase"`
	Ref    string `json:"ref"`
	Note   string `json:"note"`
}

type record struct {
	Code          int          `json:"code"`
	Phrase        string       `json:"phrase"`
	PhraseIsLabel bool         `json:"phrase_is_label"`
	Origin        string       `json:"origin"`
	State         string       `json:"state"`
	Withdrawn     string       `json:"withdrawn"`
	WithdrawnRef  string       `json:"withdrawn_ref"`
	Ref           string       `json:"ref"`
	Registered    string       `json:"registered"`
	Extended      []string     `json:"extended"`
	Expires       string       `json:"expires"`
	Summary       string       `json:"summary"`
	Description   string       `json:"description"`
	Condition     string       `json:"condition"`
	ConditionRef  string       `json:"condition_ref"`
	Content       string       `json:"content"`
	ContentRef    string       `json:"content_ref"`
	Caching       string       `json:"caching"`
	CachingRef    string       `json:"caching_ref"`
	Retry         string       `json:"retry"`
	RetryAdvice   string       `json:"retry_advice"`
	RetryRef      string       `json:"retry_ref"`
	Headers       []headerRule `json:"headers"`
	Usage         []usageRule  `json:"usage"`
	Names         []name       `json:"names"`
	Related       []int        `json:"related"`
	GoConstant    string       `json:"go_constant"`
	GoText        string       `json:"go_text"`
}

// document is what the data file says of an RFC it cites.
type document struct {
	Status string `json:"status"`
}

// clientRule is a rule on what a client does with the answers of some codes.
type clientRule struct {
	ID      string `json:"id"`
	Level   string `json:"level"`
	Codes   []int  `json:"codes"`
	Summary string `json:"summary"`
	Ref     string `json:"ref"`
	Note    string `json:"note"`
}

type dataFile struct {
	IANASnapshot string              `json:"iana_snapshot"`
	Documents    map[string]document `json:"documents"`
	Sources      map[string]source   `json:"sources"`
	ClientRules  []clientRule        `json:"client_rules"`
	Entries      []record            `json:"entries"`
}

// The Go identifier of each value the data file may spell.
var (
	states     = map[string]string{"standard": "StateStandard", "temporary": "StateTemporary", "unused": "StateUnused", "obsoleted": "StateObsoleted", "deprecated": "StateDeprecated", "unofficial": "StateUnofficial"}
	conditions = map[string]string{"none": "ConditionNone", "temporary": "ConditionTemporary", "permanent": "ConditionPermanent", "either": "ConditionEither"}
	contents   = map[string]string{"allowed": "ContentAllowed", "none": "ContentNone"}
	cachings   = map[string]string{"heuristic": "CachingHeuristic", "explicit": "CachingExplicit", "no-store": "CachingNoStore"}
	retries    = map[string]string{"n/a": "RetryNotApplicable", "yes": "RetryYes", "later": "RetryLater", "modified": "RetryModified", "no": "RetryNo"}
	applies    = map[string]string{"always": "AppliesAlways", "connect": "AppliesToConnect", "range-request": "AppliesToRangeRequest", "single-part": "AppliesToSinglePart", "multipart": "AppliesToMultipart", "judgement": "AppliesByJudgement", "later-interim": "AppliesToLaterInterim", "if-range": "AppliesToIfRange", "post": "AppliesToPost"}
	// The statuses an RFC can have; an Internet-Draft, the registry and
	// the sources get theirs from the form of the reference.
	rfcStatuses = map[string]string{"standards-track": "DocStandardsTrack", "informational": "DocInformational", "experimental": "DocExperimental", "historic": "DocHistoric"}
	levels      = map[string]string{"MUST": "LevelMust", "MUST NOT": "LevelMustNot", "SHOULD": "LevelShould", "SHOULD NOT": "LevelShouldNot", "MAY": "LevelMay"}
	classes     = [...]string{1: "ClassInformational", 2: "ClassSuccess", 3: "ClassRedirection", 4: "ClassClientError", 5: "ClassServerError"}
)

var (
	rfcRef   = regexp.MustCompile(`^RFC([0-9]{3,5})(?:#([0-9A-Z][0-9.]*))?$`)
	draftRef = regexp.MustCompile(`^(draft-[a-z0-9-]+)(?:#([0-9A-Z][0-9.]*))?$`)
	fieldRe  = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	ruleIDRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
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
	g := &generator{sources: data.Sources, documents: data.Documents, snapshot: data.IANASnapshot}
	src, err := g.generate(data.Entries, data.ClientRules)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, src, 0o644)
}

type generator struct {
	sources   map[string]source
	documents map[string]document
	snapshot  string // the day of the IANA registry the IANA entries were checked against
	errs      []error
	buf       bytes.Buffer
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

func (g *generator) generate(recs []record, rules []clientRule) ([]byte, error) {
	order(recs)
	known := map[int]bool{}
	for _, r := range recs {
		known[r.Code] = true
	}
	g.printf("// Code generated by gen.go from codes.json; DO NOT EDIT.\n\npackage httpstatus\n\n")
	if _, err := parseDate(g.snapshot); err != nil {
		g.errs = append(g.errs, fmt.Errorf("iana_snapshot %q: %w", g.snapshot, err))
	}
	for key, doc := range g.documents {
		if !rfcRef.MatchString(key) || strings.Contains(key, "#") {
			g.errs = append(g.errs, fmt.Errorf("documents: %q is not an RFC such as RFC9110", key))
		}
		if _, ok := rfcStatuses[doc.Status]; !ok {
			g.errs = append(g.errs, fmt.Errorf("documents: %s: status %q is not one of %v", key, doc.Status, keys(rfcStatuses)))
		}
	}
	g.printf("// IANASnapshot is the day of the IANA HTTP Status Code Registry that\n// the IANA entries were last checked against (testdata/iana-http-status-codes.csv\n// holds that registry's facts, and a test compares the two).\n")
	g.printf("const IANASnapshot = %q\n\n", g.snapshot)
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
	g.clientRules(rules, recs)
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

// clientRules checks the rules on clients and writes their table.
func (g *generator) clientRules(rules []clientRule, recs []record) {
	iana := map[int]bool{}
	for _, r := range recs {
		if r.Origin == "IANA" {
			iana[r.Code] = true
		}
	}
	seen := map[string]bool{}
	g.printf("\n// clientRules are the rules on what a client does with the answers of\n// some codes, in the order of codes.json.\n")
	g.printf("var clientRules = [...]ClientRule{\n")
	for _, cr := range rules {
		r := record{Phrase: "client rule " + cr.ID}
		if !ruleIDRe.MatchString(cr.ID) || seen[cr.ID] {
			g.failf(r, "the id is not lower-case words joined by hyphens, or is not unique")
		}
		seen[cr.ID] = true
		if strings.TrimSpace(cr.Summary) == "" || strings.HasSuffix(cr.Summary, ".") {
			g.failf(r, "the summary is empty or ends with a full stop")
		}
		if len(cr.Codes) == 0 {
			g.failf(r, "the rule names no code")
		}
		codes := make([]string, len(cr.Codes))
		for i, c := range cr.Codes {
			if !iana[c] {
				g.failf(r, "code %d is not a registered code", c)
			}
			codes[i] = strconv.Itoa(c)
		}
		g.printf("{ID: %q, Level: %s, Codes: []int{%s}, Summary: %q, Ref: %s, Note: %q},\n",
			cr.ID, g.enum(r, "level", levels, cr.Level), strings.Join(codes, ", "), cr.Summary, g.ref(r, cr.Ref), cr.Note)
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
	if (r.State == "temporary") != (r.Expires != "") {
		g.failf(r, "a temporary registration, and only one, carries an expiry date")
	}
	if (r.Registered != "" || len(r.Extended) > 0) && r.State != "temporary" {
		g.failf(r, "only a temporary registration records its registration and extension dates")
	}
	if len(r.Extended) > 0 && r.Registered == "" {
		g.failf(r, "an extended registration needs the day it was registered")
	}
	// The dates of a registration come in order: registered, each
	// extension, expiry.
	var days []string
	for _, d := range append(append([]string{r.Registered}, r.Extended...), r.Expires) {
		if d != "" {
			days = append(days, d)
		}
	}
	for i, d := range days {
		if _, err := parseDate(d); err != nil {
			g.failf(r, "date %q: %v", d, err)
		} else if i > 0 && d <= days[i-1] {
			g.failf(r, "the registration's dates %v are not in order", days)
		}
	}
	if (r.Withdrawn == "") != (r.WithdrawnRef == "") {
		g.failf(r, "withdrawn and withdrawn_ref come together")
	}
	if r.Withdrawn != "" {
		if official || r.State != "deprecated" {
			g.failf(r, "only a vendor code in state deprecated has a withdrawal date")
		}
		if _, err := parseDate(r.Withdrawn); err != nil {
			g.failf(r, "withdrawn %q: %v", r.Withdrawn, err)
		}
	}
	if r.PhraseIsLabel && official {
		g.failf(r, "an IANA code has a registered phrase, not a label")
	}
	for _, u := range r.Usage {
		if strings.TrimSpace(u.When) == "" {
			g.failf(r, "usage rule %+v needs a condition", u)
		}
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

// parseDate reads a day written YYYY-MM-DD.
func parseDate(s string) (time.Time, error) {
	if !dateRe.MatchString(s) {
		return time.Time{}, errors.New("not a day written YYYY-MM-DD")
	}
	return time.Parse(time.DateOnly, s)
}

// date turns a day written YYYY-MM-DD into a Date literal.
func (g *generator) date(r record, s string) string {
	t, err := parseDate(s)
	if err != nil {
		g.failf(r, "date %q: %v", s, err)
		return "Date{}"
	}
	return fmt.Sprintf("Date{Year: %d, Month: %d, Day: %d}", t.Year(), int(t.Month()), t.Day())
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
	status := "0"
	switch m := rfcRef.FindStringSubmatch(s); {
	case m != nil:
		doc = "RFC " + m[1]
		section = m[2]
		url = "https://www.rfc-editor.org/rfc/rfc" + m[1] + ".html"
		if section != "" {
			url += "#section-" + section
		}
		d, ok := g.documents["RFC"+m[1]]
		if !ok {
			g.failf(r, "reference %q: RFC %s is not listed under documents with its status", s, m[1])
		}
		status = rfcStatuses[d.Status]
	case draftRef.MatchString(s):
		m := draftRef.FindStringSubmatch(s)
		doc, section, status = m[1], m[2], "DocInternetDraft"
		url = "https://datatracker.ietf.org/doc/" + doc + "/"
		if section != "" {
			url = "https://datatracker.ietf.org/doc/html/" + doc + "#section-" + section
		}
	case s == "IANA":
		doc = "IANA HTTP Status Code Registry"
		url = "https://www.iana.org/assignments/http-status-codes/"
		status = "DocRegistry"
	case strings.HasPrefix(s, "src:"):
		src, ok := g.sources[strings.TrimPrefix(s, "src:")]
		if !ok || src.Title == "" || !strings.HasPrefix(src.URL, "https://") {
			g.failf(r, "reference %q names no source with a title and an https URL", s)
		}
		doc, url, status = src.Title, src.URL, "DocOther"
	default:
		g.failf(r, "reference %q is not RFCnnnn[#section], draft-...[#section], IANA or src:KEY", s)
	}
	return fmt.Sprintf("Reference{Document: %q, Section: %q, URL: %q, Status: %s}", doc, section, url, status)
}

func (g *generator) entry(r record) {
	g.printf("{\n")
	g.printf("Code: %d, Phrase: %q, Class: %s, Origin: %q, State: %s,\n", r.Code, r.Phrase, classes[r.Code/100%6], r.Origin, g.enum(r, "state", states, r.State))
	if r.PhraseIsLabel {
		g.printf("PhraseIsLabel: true,\n")
	}
	g.printf("Ref: %s,\n", g.ref(r, r.Ref))
	if r.Registered != "" {
		g.printf("Registered: %s,\n", g.date(r, r.Registered))
	}
	if len(r.Extended) > 0 {
		ds := make([]string, len(r.Extended))
		for i, d := range r.Extended {
			ds[i] = g.date(r, d)
		}
		g.printf("Extended: []Date{%s},\n", strings.Join(ds, ", "))
	}
	if r.Expires != "" {
		g.printf("Expires: %s,\n", g.date(r, r.Expires))
	}
	if r.Withdrawn != "" {
		g.printf("Withdrawn: %s, WithdrawnRef: %s,\n", g.date(r, r.Withdrawn), g.ref(r, r.WithdrawnRef))
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
	if len(r.Usage) > 0 {
		g.printf("Usage: []UsageRule{\n")
		for _, u := range r.Usage {
			g.printf("{Level: %s, When: %q, Ref: %s},\n", g.enum(r, "level", levels, u.Level), u.When, g.ref(r, u.Ref))
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
