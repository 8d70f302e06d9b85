// Package search ranks registry entries against a free-text query. The web
// reference and the CLI's search command share it, so that both find the
// same codes in the same order.
//
// A query is split into words. An entry matches when every word of the
// query starts a word of the entry: its number, its class ("4xx"), its
// phrase, its former names, its origin (the vendor), its Go constant, its
// summary or its description. A query word of one or two digits matches the
// numbers it begins. Matches in the phrase weigh most, then the number, former
// names and the vendor, then the summary, then the description; a query
// that spells a whole phrase, or a run of words inside one, earns a bonus.
package search

import (
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	httpstatus "github.com/httpstatus/httpstatus"
)

// Result is one entry that matches a query, with its score: higher is better.
type Result struct {
	Entry *httpstatus.Entry // points into the registry: read-only
	Score int
}

// Search ranks every entry of the registry against query, best first; ties
// keep the registry's order (by code, the primary meaning first). It returns
// nil when query has no words or nothing matches.
func Search(query string) []Result { return rank(registry(), query) }

// registry is the registry split into words, once: the tables never change.
var registry = sync.OnceValue(func() []indexed { return index(httpstatus.All()) })

// Rank is Search over the given entries.
func Rank(entries iter.Seq[*httpstatus.Entry], query string) []Result {
	return rank(index(entries), query)
}

// Matches reports whether e matches query, as Rank decides it.
func Matches(e *httpstatus.Entry, query string) bool {
	words := Words(query)
	x := newIndexed(e)
	return len(words) > 0 && x.score(words, strings.Join(words, "")) > 0
}

func rank(entries []indexed, query string) []Result {
	words := Words(query)
	if len(words) == 0 {
		return nil
	}
	key := strings.Join(words, "")
	var results []Result
	for i := range entries {
		if s := entries[i].score(words, key); s > 0 {
			results = append(results, Result{Entry: entries[i].e, Score: s})
		}
	}
	// Equal scores put IANA's codes first: a reader meets them far more often.
	slices.SortStableFunc(results, func(a, b Result) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		if a.Entry.Official() != b.Entry.Official() {
			if a.Entry.Official() {
				return -1
			}
			return 1
		}
		return 0
	})
	return results
}

// indexed is an entry split into the words it can be found by.
type indexed struct {
	e      *httpstatus.Entry
	fields []field
	phrase string   // the phrase's words run together
	names  []string // the same for each former name
}

func index(entries iter.Seq[*httpstatus.Entry]) []indexed {
	var out []indexed
	for e := range entries {
		out = append(out, newIndexed(e))
	}
	return out
}

func newIndexed(e *httpstatus.Entry) indexed {
	x := indexed{e: e, fields: fields(e), phrase: strings.Join(Words(e.Phrase), "")}
	for _, n := range e.Names {
		// A name spelled like the phrase (recorded for its history) is
		// no further evidence of a match.
		if name := strings.Join(Words(n.Phrase), ""); name != x.phrase {
			x.names = append(x.names, name)
		}
	}
	return x
}

// Words splits s into lower-case words of letters and digits; everything
// else separates words. Queries and entries are both split this way.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// Haystack returns the words an entry can be found by, lower case, sorted
// and separated by single spaces. A query matches the entry exactly when
// each of its Words starts a word of the haystack, so a client-side filter
// can reproduce Rank's choice of entries (though not its order) from the
// haystack alone. A word that starts another word adds nothing to that
// test and is left out, which keeps the haystack short.
func Haystack(e *httpstatus.Entry) string {
	var all []string
	for _, f := range fields(e) {
		all = append(all, f.words...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	out := all[:0]
	for i, w := range all {
		if i+1 < len(all) && strings.HasPrefix(all[i+1], w) {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// Weights of a query word found in a field: whole word, then word prefix.
type weight struct{ exact, prefix int }

type field struct {
	words []string
	w     weight
}

var (
	wCode        = weight{1000, 300}
	wClass       = weight{200, 0}
	wPhrase      = weight{100, 60}
	wName        = weight{80, 45}
	wOrigin      = weight{90, 50}
	wGo          = weight{90, 50}
	wSummary     = weight{25, 15}
	wDescription = weight{10, 6}
)

// Bonuses for a query whose letters and digits, run together, equal or
// occur in a phrase run together in the same way.
const (
	bonusPhrase       = 500
	bonusName         = 400
	bonusInPhrase     = 150
	bonusInName       = 80
	minKeyForInPhrase = 4
)

func fields(e *httpstatus.Entry) []field {
	fs := []field{
		{[]string{strconv.Itoa(e.Code)}, wCode},
		{[]string{e.Class.String()}, wClass},
		{Words(e.Phrase), wPhrase},
	}
	for _, n := range e.Names {
		fs = append(fs, field{Words(n.Phrase), wName})
	}
	fs = append(fs,
		field{Words(e.Origin), wOrigin},
		field{Words(e.GoConstant), wGo},
		field{Words(e.Summary), wSummary},
		field{Words(e.Description), wDescription},
	)
	return fs
}

func (x *indexed) score(words []string, key string) int {
	total := 0
	for _, q := range words {
		best := 0
		for _, f := range x.fields {
			for _, w := range f.words {
				s := 0
				switch {
				case w == q:
					s = f.w.exact
				case strings.HasPrefix(w, q):
					s = f.w.prefix
				}
				best = max(best, s)
			}
		}
		if best == 0 {
			return 0
		}
		total += best
	}
	// A query that spells a phrase earns one bonus, the best of the current
	// phrase's and the former names': an entry with an alias that repeats
	// its phrase must not outrank an entry without one.
	bonus := 0
	switch {
	case x.phrase == key:
		bonus = bonusPhrase
	case len(key) >= minKeyForInPhrase && strings.Contains(x.phrase, key):
		bonus = bonusInPhrase
	}
	for _, name := range x.names {
		switch {
		case name == key:
			bonus = max(bonus, bonusName)
		case len(key) >= minKeyForInPhrase && strings.Contains(name, key):
			bonus = max(bonus, bonusInName)
		}
	}
	total += bonus
	return total
}
