// Package prose finds the runs of words a text shares with other texts.
// The registry's tests use it to check that the summaries and descriptions
// in codes.json do not repeat the wording of the documents they draw on:
// those documents are reduced to the hashes of their runs of RunLength
// words (their shingles), which is all the repository keeps of them.
package prose

import (
	"hash/fnv"
	"strings"
	"unicode"
)

// RunLength is the number of consecutive words that counts as repeating
// a source's wording.
const RunLength = 8

// Words returns the words of s in lower case. Letters and digits make up a
// word; apostrophes are dropped, so that "don't" is one word, and every
// other character separates words, so that punctuation, case and line
// breaks never hide a repeated run.
func Words(s string) []string {
	s = strings.NewReplacer("'", "", "\u2019", "", "\u2018", "").Replace(strings.ToLower(s))
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Hash returns the hash of a run of words: 64-bit FNV-1a of the words
// joined by single spaces.
func Hash(words []string) uint64 {
	h := fnv.New64a()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	return h.Sum64()
}

// A Run is one run of RunLength consecutive words of a text, with its hash.
type Run struct {
	Text string // the words, joined by single spaces
	Hash uint64
}

// Runs returns every run of RunLength consecutive words of s, in order.
// A text shorter than RunLength words has none.
func Runs(s string) []Run {
	words := Words(s)
	var runs []Run
	for i := 0; i+RunLength <= len(words); i++ {
		w := words[i : i+RunLength]
		runs = append(runs, Run{Text: strings.Join(w, " "), Hash: Hash(w)})
	}
	return runs
}
