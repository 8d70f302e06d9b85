package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/entryjson"
	"github.com/httpstatus/httpstatus/internal/search"
)

func runShow(ctx context.Context, e *Env, args []string) error { return show(e, args, false) }

// lookUp is show for arguments that name no command: what a person types
// to look something up.
func lookUp(ctx context.Context, e *Env, args []string) error { return show(e, args, true) }

// show describes a code; bare is whether the words stand where a command
// goes, so that a failed look-up says they are no command either.
func show(e *Env, args []string, bare bool) error {
	fs := newFlags(e, "show", "CODE|PHRASE [--json]",
		"Describe a status code: its meaning, rules, history, references and other meanings.\n"+
			"Words instead of a number name the code whose phrase they spell (\"I'm a teapot\"),\n"+
			"or else the best match of a search (teapot, \"too many\"); words that several codes\n"+
			"match equally well list those codes, as search does.")
	asJSON := fs.Bool("json", false, "print the code's meanings as JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || (len(pos) > 1 && isNumber(pos[0])) {
		return usagef("show takes one status code or a phrase, such as 'httpstatus show 404' or 'httpstatus teapot'")
	}
	query := strings.Join(pos, " ")
	var m *httpstatus.Entry
	var others []search.Result
	if isNumber(query) {
		// A number that cannot be a code is a look-up that found nothing,
		// like one that is not registered.
		code, err := httpstatus.ParseCode(query)
		if err != nil {
			return exitError{exitFail, err.Error()}
		}
		if m, _ = httpstatus.Lookup(code); m == nil {
			return exitError{exitFail, fmt.Sprintf("%d is not a status code httpstatus knows; 'httpstatus list' shows those it does", code)}
		}
	} else {
		var results []search.Result
		m, others, results = lookupWords(query)
		if m == nil {
			if len(results) == 0 {
				return exitError{exitFail, noMatch(query, bare && len(pos) == 1)}
			}
			return writeResults(e, results[:min(len(results), defaultMatches)], *asJSON)
		}
	}
	if *asJSON {
		out, _ := entryjson.FromCode(m.Code)
		return writeJSON(e.Stdout, out)
	}
	writeCard(e, m)
	var rest []*httpstatus.Entry
	for _, o := range httpstatus.Meanings(m.Code) {
		if o != m {
			rest = append(rest, o)
		}
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.Stdout, "\n%s\n", e.paint(styleBold, fmt.Sprintf("Other meanings of %d", m.Code)))
		for _, o := range rest {
			phrase := o.Phrase
			if o.PhraseIsLabel {
				phrase += " [our label]"
			}
			fmt.Fprintf(e.Stdout, "  %s %s (%s, %s)\n", e.paint(styleBold, strconv.Itoa(o.Code)), phrase, o.Origin, o.State)
			writeWrapped(e.Stdout, "    ", o.Summary+".")
			fmt.Fprintf(e.Stdout, "    %s\n", e.paint(styleDim, refText(o.Ref)))
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(e.Stdout, "\n%s\n", e.paint(styleBold, fmt.Sprintf("Also matching %q (httpstatus search %s)", query, query)))
		for _, r := range others {
			writeLine(e, r.Entry)
		}
	}
	return nil
}

// How many matches show prints: under the card that words led to, and
// when the words lead to no one code.
const (
	maxOtherMatches = 3
	defaultMatches  = 10
)

// lookupWords finds the meaning that words name: the one whose current,
// former or vendor phrase they spell, or else the single best match of a
// search, where an IANA code wins a tie with vendors' codes (a reader meets
// it far more often). It returns, besides, a few other codes that match;
// or, when no meaning stands out, nil and every match.
func lookupWords(query string) (best *httpstatus.Entry, others, results []search.Result) {
	results = search.Search(query)
	best, _ = httpstatus.LookupPhrase(query)
	if best == nil {
		var top []search.Result
		for _, r := range results {
			if r.Score == results[0].Score {
				top = append(top, r)
			}
		}
		if official := officialOf(top); len(top) == 1 {
			best = top[0].Entry
		} else if len(official) == 1 {
			best = official[0].Entry
		} else {
			return nil, nil, results
		}
	}
	for _, r := range results {
		if r.Entry.Code != best.Code && len(others) < maxOtherMatches {
			others = append(others, r)
		}
	}
	return best, others, results
}

func officialOf(results []search.Result) []search.Result {
	var out []search.Result
	for _, r := range results {
		if r.Entry.Official() {
			out = append(out, r)
		}
	}
	return out
}

// noMatch says that nothing matches query; command is whether it is one
// word where a command goes, as a mistyped command also is.
func noMatch(query string, command bool) string {
	msg := fmt.Sprintf("no status code matches %q", query)
	if command {
		msg += ", and it is not a command ('httpstatus --help' lists them)"
	}
	return msg
}

// writeResults prints the matches of a search, as lines or as a JSON
// array.
func writeResults(e *Env, results []search.Result, asJSON bool) error {
	if asJSON {
		out := make([]entryjson.Entry, 0, len(results))
		for _, r := range results {
			out = append(out, entryjson.From(r.Entry))
		}
		return writeJSON(e.Stdout, out)
	}
	for _, r := range results {
		writeLine(e, r.Entry)
	}
	return nil
}

// writeCard prints the readable description of one entry.
func writeCard(e *Env, m *httpstatus.Entry) {
	w := e.Stdout
	badge := m.Origin
	if m.State != httpstatus.StateStandard {
		badge += ", " + m.State.String()
	}
	switch lapsed := m.Lapsed(e.now()); {
	case lapsed:
		badge += ", lapsed on " + m.Expires.String()
	case !m.Expires.IsZero():
		badge += " until " + m.Expires.String()
	}
	if !m.Withdrawn.IsZero() {
		badge += " since " + m.Withdrawn.String()
	}
	fmt.Fprintf(w, "%s %s\n", e.paint(styleBold+classStyle(m.Class), strconv.Itoa(m.Code)), e.paint(styleBold, m.Phrase))
	fmt.Fprintf(w, "%s · %s\n\n", m.Class.String()+" "+m.Class.Name(), badge)
	writeWrapped(w, "", m.Summary+".")
	fmt.Fprintln(w)
	writeWrapped(w, "", m.Description)
	fmt.Fprintln(w)

	row := func(label, value string) {
		fmt.Fprintf(w, "%s %s\n", e.paint(styleCyan, fmt.Sprintf("%-13s", label)), value)
	}
	if m.PhraseIsLabel {
		row("Phrase", fmt.Sprintf("%q is a label of ours: %s gives the code no reason phrase", m.Phrase, m.Origin))
	}
	if !m.Registered.IsZero() {
		row("Registered", registrationText(m, e.now()))
	}
	if !m.Withdrawn.IsZero() {
		row("Withdrawn", fmt.Sprintf("%s  %s", m.Withdrawn, e.paint(styleDim, "("+m.WithdrawnRef.String()+")")))
	}
	row("Condition", fmt.Sprintf("%s  %s", m.Condition.Describe(), e.paint(styleDim, "("+m.ConditionRef.String()+")")))
	row("Content", fmt.Sprintf("%s  %s", m.Content.Describe(), e.paint(styleDim, "("+m.ContentRef.String()+")")))
	row("Caching", fmt.Sprintf("%s  %s", m.Caching.Describe(), e.paint(styleDim, "("+m.CachingRef.String()+")")))
	row("Retry", fmt.Sprintf("%s. %s  %s", m.Retry.Describe(), m.RetryAdvice, e.paint(styleDim, "("+m.RetryRef.String()+")")))
	for i, h := range m.Headers {
		label := ""
		if i == 0 {
			label = "Headers"
		}
		row(label, fmt.Sprintf("%s %s, %s  %s", levelText(e, h.Level), h.Field, h.When, e.paint(styleDim, "("+h.Ref.String()+")")))
	}
	for i, u := range m.Usage {
		label := ""
		if i == 0 {
			label = "Sending"
		}
		row(label, fmt.Sprintf("%s be sent %s  %s", levelText(e, u.Level), u.When, e.paint(styleDim, "("+u.Ref.String()+")")))
	}
	for i, r := range m.ClientRules() {
		label := ""
		if i == 0 {
			label = "Client rules"
		}
		row(label, fmt.Sprintf("%s %s  %s", levelText(e, r.Level), r.Summary, e.paint(styleDim, "("+r.Ref.String()+") ["+r.ID+"]")))
	}
	for i, n := range m.Names {
		label := ""
		if i == 0 {
			label = "Also named"
		}
		note := ""
		if n.Note != "" {
			note = ": " + n.Note
		}
		row(label, fmt.Sprintf("%q%s  %s", n.Phrase, note, e.paint(styleDim, "("+n.Ref.String()+")")))
	}
	if m.GoConstant != "" {
		row("Go", fmt.Sprintf("http.%s, http.StatusText: %q", m.GoConstant, m.GoText))
	}
	if len(m.Related) > 0 {
		var rel []string
		for _, c := range m.Related {
			if r, ok := httpstatus.Lookup(c); ok {
				rel = append(rel, r.String())
			}
		}
		row("Related", strings.Join(rel, ", "))
	}
	ref := refText(m.Ref)
	if m.Ref.Status != httpstatus.DocOther && m.Ref.Status != 0 {
		ref += " (" + m.Ref.Status.Describe() + ")"
	}
	row("Reference", ref)
}

// levelText paints a requirement level: red for MUST and MUST NOT, yellow
// for the others.
func levelText(e *Env, l httpstatus.Level) string {
	if l.Required() {
		return e.paint(styleRed, l.String())
	}
	return e.paint(styleYellow, l.String())
}

// registrationText gives the days of a temporary registration, such as
// "2024-11-13, extended 2025-09-15, lapses 2026-11-13". Once the last day
// has passed it says "lapsed", and that the registry the tables were checked
// against records no later extension: a renewal since is news to them.
func registrationText(m *httpstatus.Entry, now time.Time) string {
	parts := []string{m.Registered.String()}
	for _, d := range m.Extended {
		parts = append(parts, "extended "+d.String())
	}
	switch {
	case m.Lapsed(now):
		parts = append(parts, "lapsed "+m.Expires.String()+
			" (IANA's registry of "+httpstatus.IANASnapshot+" records no later extension)")
	case !m.Expires.IsZero():
		parts = append(parts, "lapses "+m.Expires.String())
	}
	return strings.Join(parts, ", ")
}

func refText(r httpstatus.Reference) string {
	if r.URL == "" {
		return r.String()
	}
	return r.String() + " <" + r.URL + ">"
}

func classStyle(c httpstatus.Class) string {
	switch c {
	case httpstatus.ClassSuccess:
		return styleGreen
	case httpstatus.ClassRedirection:
		return styleBlue
	case httpstatus.ClassClientError:
		return styleYellow
	case httpstatus.ClassServerError:
		return styleRed
	}
	return styleCyan
}

// writeWrapped prints text wrapped at 78 columns, each line after indent.
func writeWrapped(w io.Writer, indent, text string) {
	line := indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(word) > 78 {
			fmt.Fprintln(w, line)
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	if len(line) > len(indent) {
		fmt.Fprintln(w, line)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeLine prints one entry as a line of a listing.
func writeLine(e *Env, m *httpstatus.Entry) {
	origin := ""
	if !m.Official() {
		origin = e.paint(styleDim, " ["+m.Origin+"]")
	} else if m.Lapsed(e.now()) {
		origin = e.paint(styleDim, " ["+m.State.String()+", lapsed "+m.Expires.String()+"]")
	} else if m.State != httpstatus.StateStandard {
		origin = e.paint(styleDim, " ["+m.State.String()+"]")
	}
	fmt.Fprintf(e.Stdout, "%s %s%s  %s\n", e.paint(classStyle(m.Class), strconv.Itoa(m.Code)), m.Phrase, origin, e.paint(styleDim, m.Summary))
}

func runSearch(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "search", "WORDS... [--json]", "Find codes by number, phrase, former name, vendor or description, best match first.")
	asJSON := fs.Bool("json", false, "print the matches as a JSON array")
	limit := fs.Int("n", defaultMatches, "show at most `N` matches (0 for all)")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(pos, " "))
	if query == "" {
		return usagef("search needs words to look for, such as 'httpstatus search too large'")
	}
	if *limit < 0 {
		return usagef("-n must not be negative")
	}
	results := search.Search(query)
	if *limit > 0 && len(results) > *limit {
		results = results[:*limit]
	}
	if err := writeResults(e, results, *asJSON); err != nil {
		return err
	}
	if len(results) == 0 {
		// With --json too: an empty array is the answer, and the status
		// says that nothing matched.
		return exitError{exitFail, fmt.Sprintf("no status code matches %q", query)}
	}
	return nil
}

// selection is the filter that list and export share.
type selection struct {
	class      httpstatus.Class // 0 for every class
	official   bool             // only IANA codes
	unofficial bool             // only vendor codes
}

func (s selection) entries() []*httpstatus.Entry {
	var out []*httpstatus.Entry
	for m := range httpstatus.All() {
		if (s.class != 0 && m.Class != s.class) || (s.official && !m.Official()) || (s.unofficial && m.Official()) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func runList(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "list", "[1xx|2xx|3xx|4xx|5xx] [--official|--unofficial] [--json]",
		"List every known meaning of every code, IANA's and vendors', or one class of them.")
	var sel selection
	fs.BoolVar(&sel.official, "official", false, "only codes registered with IANA")
	fs.BoolVar(&sel.unofficial, "unofficial", false, "only vendor codes, not registered with IANA")
	asJSON := fs.Bool("json", false, "print a JSON array of the entries")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("list takes at most one class, such as 'httpstatus list 4xx'")
	}
	if sel.official && sel.unofficial {
		return usagef("--official and --unofficial exclude each other")
	}
	if len(pos) == 1 {
		var ok bool
		if sel.class, ok = httpstatus.ParseClass(pos[0]); !ok {
			return usagef("%q is not a class: use 1xx, 2xx, 3xx, 4xx or 5xx", pos[0])
		}
	}
	list := sel.entries()
	if *asJSON {
		return writeJSON(e.Stdout, toJSON(list))
	}
	for i, m := range list {
		if i == 0 || list[i-1].Class != m.Class {
			if i > 0 {
				fmt.Fprintln(e.Stdout)
			}
			fmt.Fprintln(e.Stdout, e.paint(styleBold, m.Class.String()+" "+m.Class.Name()))
		}
		writeLine(e, m)
	}
	return nil
}

func toJSON(list []*httpstatus.Entry) []entryjson.Entry {
	out := make([]entryjson.Entry, 0, len(list))
	for _, m := range list {
		out = append(out, entryjson.From(m))
	}
	return out
}

func runExport(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "export", "--format json|csv|markdown", "Write the whole registry, every meaning of every code, to standard output.")
	format := fs.String("format", "json", "output `format`: json, csv or markdown")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("export takes no arguments, only --format")
	}
	list := selection{}.entries()
	switch *format {
	case "json":
		return writeJSON(e.Stdout, toJSON(list))
	case "csv":
		return writeCSV(e.Stdout, list)
	case "markdown", "md":
		writeMarkdown(e.Stdout, list, e.now())
		return nil
	}
	return usagef("unknown format %q: use json, csv or markdown", *format)
}

func headerSummary(m *httpstatus.Entry) string {
	var parts []string
	for _, h := range m.Headers {
		parts = append(parts, h.Level.String()+" "+h.Field)
	}
	return strings.Join(parts, "; ")
}

func usageSummary(m *httpstatus.Entry) string {
	var parts []string
	for _, u := range m.Usage {
		parts = append(parts, u.Level.String()+" be sent "+u.When)
	}
	return strings.Join(parts, "; ")
}

func namesSummary(m *httpstatus.Entry) string {
	var parts []string
	for _, n := range m.Names {
		parts = append(parts, n.Phrase)
	}
	return strings.Join(parts, "; ")
}

func writeCSV(w io.Writer, list []*httpstatus.Entry) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"code", "phrase", "class", "official", "origin", "state", "summary", "condition",
		"content", "caching", "retry", "headers", "other_names", "reference", "url",
		"reference_status", "phrase_is_label", "registered", "expires", "withdrawn", "usage"})
	for _, m := range list {
		_ = cw.Write([]string{strconv.Itoa(m.Code), m.Phrase, m.Class.String(), strconv.FormatBool(m.Official()),
			m.Origin, m.State.String(), m.Summary, m.Condition.String(), m.Content.String(), m.Caching.String(),
			m.Retry.String(), headerSummary(m), namesSummary(m), m.Ref.String(), m.Ref.URL,
			m.Ref.Status.String(), strconv.FormatBool(m.PhraseIsLabel), m.Registered.String(), m.Expires.String(),
			m.Withdrawn.String(), usageSummary(m)})
	}
	cw.Flush()
	return cw.Error()
}

// markdownCell escapes the characters that would break a table cell.
func markdownCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func writeMarkdown(w io.Writer, list []*httpstatus.Entry, now time.Time) {
	fmt.Fprintln(w, "# HTTP status codes")
	for i, m := range list {
		if i == 0 || list[i-1].Class != m.Class {
			fmt.Fprintf(w, "\n## %s %s\n\n", m.Class, m.Class.Name())
			fmt.Fprintln(w, "| code | phrase | origin | summary | headers | reference |")
			fmt.Fprintln(w, "|---|---|---|---|---|---|")
		}
		origin := m.Origin
		if m.State != httpstatus.StateStandard && m.State != httpstatus.StateUnofficial {
			origin += " (" + m.State.String()
			switch {
			case m.Lapsed(now):
				origin += ", lapsed " + m.Expires.String()
			case !m.Expires.IsZero():
				origin += " until " + m.Expires.String()
			case !m.Withdrawn.IsZero():
				origin += " since " + m.Withdrawn.String()
			}
			origin += ")"
		}
		phrase := m.Phrase
		if m.PhraseIsLabel {
			phrase += " (label; no vendor phrase)"
		}
		ref := m.Ref.String()
		if m.Ref.Status != httpstatus.DocOther && m.Ref.Status != httpstatus.DocStandardsTrack {
			ref += ", " + m.Ref.Status.Describe()
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | [%s](%s) |\n", m.Code, markdownCell(phrase), markdownCell(origin),
			markdownCell(m.Summary), markdownCell(headerSummary(m)), markdownCell(ref), m.Ref.URL)
	}
}
