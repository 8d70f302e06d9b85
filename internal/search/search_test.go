package search

import (
	"slices"
	"strings"
	"testing"

	httpstatus "github.com/httpstatus/httpstatus"
)

// codes returns the distinct codes of rs in order.
func codes(rs []Result) []int {
	var out []int
	for _, r := range rs {
		if len(out) == 0 || out[len(out)-1] != r.Entry.Code {
			out = append(out, r.Entry.Code)
		}
	}
	return out
}

func TestSearchRegistry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		first []int // the leading codes, in order
		has   []int // codes that must be among the results
		not   []int // codes that must not be
	}{
		{query: "too large", first: []int{413, 431}, has: []int{494}, not: []int{404, 200}}, // IANA first; an alias adds no bonus
		{query: "Content Too Large", first: []int{413}},
		{query: "teapot", first: []int{418}},
		{query: "I'm a teapot", first: []int{418}},
		{query: "payload too large", first: []int{413}},        // a former name
		{query: "request entity too large", first: []int{413}}, // an older one
		{query: "Request-URI Too Long", first: []int{414}},     // punctuation ignored
		{query: "not found", first: []int{404}},
		{query: "NOT FOUND", first: []int{404}},
		{query: "404", first: []int{404}, not: []int{405, 400}},
		{query: "50", has: []int{500, 502, 503, 504}, not: []int{404, 510}},
		{query: "5xx", has: []int{500, 503, 520}, not: []int{404}},
		{query: "cloudflare", has: []int{520, 521, 522}, not: []int{500, 499}},
		{query: "nginx", has: []int{444, 494, 499}, not: []int{500, 520}},
		{query: "StatusTeapot", first: []int{418}},
		{query: "service unavailable", first: []int{503}},
		{query: "moved permanently", first: []int{301}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			got := codes(Search(tt.query))
			if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
				t.Errorf("Search(%q) starts %v, want %v first", tt.query, got, tt.first)
			}
			for _, c := range tt.has {
				if !slices.Contains(got, c) {
					t.Errorf("Search(%q) = %v, lacks %d", tt.query, got, c)
				}
			}
			for _, c := range tt.not {
				if slices.Contains(got, c) {
					t.Errorf("Search(%q) = %v, has %d", tt.query, got, c)
				}
			}
		})
	}
}

func TestSearchFindsEveryMeaningOfANumber(t *testing.T) {
	t.Parallel()
	for e := range httpstatus.Codes() {
		meanings := httpstatus.Meanings(e.Code)
		rs := Search(e.String()[:3])
		if len(rs) < len(meanings) {
			t.Errorf("Search(%d) found %d entries, the registry has %d meanings", e.Code, len(rs), len(meanings))
			continue
		}
		for i := range meanings {
			if rs[i].Entry != meanings[i] {
				t.Errorf("Search(%d)[%d] = %s (%s), want %s", e.Code, i, rs[i].Entry, rs[i].Entry.Origin, meanings[i].Origin)
			}
		}
	}
}

func TestSearchFindsEveryEntryByItsPhrase(t *testing.T) {
	t.Parallel()
	for e := range httpstatus.All() {
		rs := Search(e.Phrase)
		if len(rs) == 0 {
			t.Errorf("Search(%q) found nothing", e.Phrase)
			continue
		}
		// The entry must score as high as the best result: another entry
		// may share its phrase, but none may beat it.
		i := slices.IndexFunc(rs, func(r Result) bool { return r.Entry == e })
		if i < 0 || rs[i].Score < rs[0].Score {
			t.Errorf("Search(%q): %d %s is not among the best: %v", e.Phrase, e.Code, e.Origin, codes(rs))
		}
		for _, n := range e.Names {
			if !Matches(e, n.Phrase) {
				t.Errorf("%d %s does not match its former name %q", e.Code, e.Origin, n.Phrase)
			}
		}
	}
}

func TestSearchNothing(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"", "   ", "!?-", "zzzzqqq", "teapot zzzzqqq", "999", "4044"} {
		if rs := Search(q); rs != nil {
			t.Errorf("Search(%q) = %v, want nil", q, codes(rs))
		}
	}
}

// entry builds a small entry for the ranking tests.
func entry(code int, phrase, origin, summary, description string, names ...string) *httpstatus.Entry {
	e := &httpstatus.Entry{Code: code, Phrase: phrase, Class: httpstatus.ClassOf(code), Origin: origin, Summary: summary, Description: description}
	for _, n := range names {
		e.Names = append(e.Names, httpstatus.Name{Phrase: n})
	}
	return e
}

func TestRankOrder(t *testing.T) {
	t.Parallel()
	corpus := []*httpstatus.Entry{
		entry(200, "Fine", "IANA", "All went well", "The widget arrived."),
		entry(410, "Widget Missing", "IANA", "It left", "Nothing more."),
		entry(420, "Sprocket Jammed", "Acme", "A widget jammed the sprocket", "Try again."),
		entry(421, "Gear Stuck", "IANA", "Stuck", "Call a mechanic.", "Widget Missing Too"),
		entry(499, "Lost Widget", "Acme", "Gone", "x"),
		entry(499, "Other Thing", "Globex", "y", "z"),
	}
	seq := slices.Values(corpus)
	tests := []struct {
		query string
		want  []string // "code origin" in order
	}{
		// The whole phrase beats a former name, which beats a prefix in
		// a phrase, which beats the summary, which beats the description.
		{"widget missing", []string{"410 IANA", "421 IANA"}},
		{"widget", []string{"410 IANA", "499 Acme", "421 IANA", "420 Acme", "200 IANA"}},
		{"wid", []string{"410 IANA", "499 Acme", "421 IANA", "420 Acme", "200 IANA"}},
		// Every word must match somewhere.
		{"widget jammed", []string{"420 Acme"}},
		{"acme", []string{"420 Acme", "499 Acme"}},
		{"globex", []string{"499 Globex"}},
		{"499", []string{"499 Acme", "499 Globex"}},
		// Equal scores: IANA's codes first, then the order of the corpus.
		{"4", []string{"410 IANA", "421 IANA", "420 Acme", "499 Acme", "499 Globex"}},
		{"42", []string{"421 IANA", "420 Acme"}},
		{"2xx", []string{"200 IANA"}},
		{"mechanic", []string{"421 IANA"}},
		{"widget, missing!", []string{"410 IANA", "421 IANA"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range Rank(seq, tt.query) {
				got = append(got, r.Entry.String()[:3]+" "+r.Entry.Origin)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Rank(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Request-URI Too Long", []string{"request", "uri", "too", "long"}},
		{"I’m a teapot", []string{"i", "m", "a", "teapot"}},
		{"  4xx\t", []string{"4xx"}},
		{"Über Größe", []string{"über", "größe"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestHaystackAgreesWithMatches checks the promise a client-side filter
// relies on: a query matches an entry exactly when each of its words starts
// a word of the entry's haystack.
func TestHaystackAgreesWithMatches(t *testing.T) {
	t.Parallel()
	queries := []string{"too large", "4", "49", "499", "5xx", "nginx", "payload", "retry after", "not", "auth", "teapot", "cache", "statusok", "gateway timeout", "z"}
	for e := range httpstatus.All() {
		hay := " " + Haystack(e)
		for _, q := range queries {
			want := true
			for _, w := range Words(q) {
				if !strings.Contains(hay, " "+w) {
					want = false
				}
			}
			if got := Matches(e, q); got != want {
				t.Errorf("%d %s: Matches(%q) = %v, haystack says %v", e.Code, e.Origin, q, got, want)
			}
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	for b.Loop() {
		Search("too large")
	}
}
