package httpstatus

import (
	"encoding/csv"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// ianaCSV is IANA's HTTP Status Code Registry as its CSV export
// (http-status-codes-1.csv) gives it on the day IANASnapshot names: the
// value, the description and the references of every registration, and
// the unassigned ranges.
//
// To refresh it:
//
//	curl -o testdata/iana-http-status-codes.csv https://www.iana.org/assignments/http-status-codes/http-status-codes-1.csv
//
// then set iana_snapshot in codes.json to the registry's "Last Updated"
// day, run go generate and go test, and fix the records this test names.
// git diff on the CSV shows what IANA changed.
const ianaCSV = "testdata/iana-http-status-codes.csv"

// ianaRow is one registration of the CSV, as the registry's facts.
type ianaRow struct {
	code         int
	phrase       string // the description, less any state in parentheses
	state        State
	registered   string   // TEMPORARY registrations: YYYY-MM-DD
	extended     []string // likewise, each extension
	expires      string
	doc, section string // the first reference, as Reference spells it
}

var (
	temporaryRe = regexp.MustCompile(`^(.*) \(TEMPORARY - (.*)\)$`)
	dayRe       = regexp.MustCompile(`^(registered|extension registered|expires) (\d{4}-\d{2}-\d{2})$`)
	ianaRefRe   = regexp.MustCompile(`^\[([^\]]+)\]`)
	rfcRefRe    = regexp.MustCompile(`^RFC(\d+)(?:, Section ([0-9.]+))?$`)
)

func readIANA(t *testing.T) map[int]ianaRow {
	t.Helper()
	f, err := os.Open(ianaCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", ianaCSV, err)
	}
	if len(records) == 0 || strings.Join(records[0], ",") != "Value,Description,Reference" {
		t.Fatalf("%s: the header is not Value,Description,Reference", ianaCSV)
	}
	rows := map[int]ianaRow{}
	for _, rec := range records[1:] {
		value, desc, refs := rec[0], rec[1], rec[2]
		if desc == "Unassigned" {
			continue
		}
		code, err := strconv.Atoi(value)
		if err != nil {
			t.Fatalf("%s: value %q of %q is not a code", ianaCSV, value, desc)
		}
		row := ianaRow{code: code, phrase: desc, state: StateStandard}
		switch {
		case desc == "(Unused)":
			row.state = StateUnused
		case strings.HasSuffix(desc, " (OBSOLETED)"):
			row.phrase, row.state = strings.TrimSuffix(desc, " (OBSOLETED)"), StateObsoleted
		case temporaryRe.MatchString(desc):
			m := temporaryRe.FindStringSubmatch(desc)
			row.phrase, row.state = m[1], StateTemporary
			for _, part := range strings.Split(m[2], ", ") {
				d := dayRe.FindStringSubmatch(part)
				switch {
				case d == nil:
					t.Errorf("%d: cannot read %q of the TEMPORARY note", code, part)
				case d[1] == "registered":
					row.registered = d[2]
				case d[1] == "extension registered":
					row.extended = append(row.extended, d[2])
				default:
					row.expires = d[2]
				}
			}
		}
		first := ianaRefRe.FindStringSubmatch(refs)
		if first == nil {
			t.Fatalf("%d: no reference in %q", code, refs)
		}
		if m := rfcRefRe.FindStringSubmatch(first[1]); m != nil {
			row.doc, row.section = "RFC "+m[1], m[2]
		} else {
			row.doc = first[1]
		}
		rows[code] = row
	}
	return rows
}

// TestIANARegistryMatchesSnapshot compares every IANA entry with the
// registry's CSV: the same codes, phrases, states, dates of a temporary
// registration, and defining documents.
func TestIANARegistryMatchesSnapshot(t *testing.T) {
	t.Parallel()
	day, err := os.ReadFile(strings.TrimSuffix(ianaCSV, ".csv") + ".updated")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(day)); got != IANASnapshot {
		t.Errorf("the CSV is IANA's registry of %s, but IANASnapshot is %s: set iana_snapshot in codes.json and run go generate", got, IANASnapshot)
	}
	rows := readIANA(t)
	if len(rows) < 60 {
		t.Fatalf("%s holds %d registrations; IANA has more than 60", ianaCSV, len(rows))
	}
	seen := map[int]bool{}
	for e := range All() {
		if !e.Official() {
			continue
		}
		seen[e.Code] = true
		row, ok := rows[e.Code]
		if !ok {
			t.Errorf("%v claims IANA origin, but IANA does not register %d", e, e.Code)
			continue
		}
		// The state: IANA does not mark 305, which its own defining
		// document deprecates (docs/data-format.md, States).
		if e.State != row.state && !(row.state == StateStandard && e.State == StateDeprecated) {
			t.Errorf("%v: state %v, IANA says %v", e, e.State, row.state)
		}
		// The phrase: a number IANA lists as (Unused) may keep the phrase it
		// is still sent with, if "(Unused)" is among its names
		// (docs/data-format.md, Phrases).
		if e.Phrase != row.phrase {
			named := false
			for _, n := range e.Names {
				named = named || n.Phrase == row.phrase
			}
			if row.state != StateUnused || !named {
				t.Errorf("%v: phrase %q, IANA says %q", e, e.Phrase, row.phrase)
			}
		}
		if e.Registered.String() != row.registered || e.Expires.String() != row.expires || len(e.Extended) != len(row.extended) {
			t.Errorf("%v: registered %q, extended %v, expires %q; IANA: %q, %v, %q", e, e.Registered, e.Extended, e.Expires, row.registered, row.extended, row.expires)
		} else {
			for i, d := range e.Extended {
				if d.String() != row.extended[i] {
					t.Errorf("%v: extended %v, IANA %v", e, e.Extended, row.extended)
				}
			}
		}
		if e.Ref.Document != row.doc || (row.section != "" && e.Ref.Section != row.section) {
			t.Errorf("%v: defined in %v, IANA cites %s section %q", e, e.Ref, row.doc, row.section)
		}
	}
	for code, row := range rows {
		if !seen[code] {
			t.Errorf("IANA registers %d %q, which the registry lacks", code, row.phrase)
		}
	}
}
