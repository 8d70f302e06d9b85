package prose

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	t.Parallel()
	got := Words("The server DOESN'T know\u2014it said: \u201cno\u201d (RFC 9110, §15.5.4).")
	want := []string{"the", "server", "doesnt", "know", "it", "said", "no", "rfc", "9110", "15", "5", "4"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestRuns(t *testing.T) {
	t.Parallel()
	if r := Runs("one two three four five six seven"); len(r) != 0 {
		t.Errorf("seven words gave %d runs", len(r))
	}
	a := Runs("One, two; three four five six seven eight nine.")
	b := Runs("one two three four five six seven EIGHT")
	if len(a) != 2 || len(b) != 1 || a[0].Hash != b[0].Hash || a[0].Text != "one two three four five six seven eight" {
		t.Errorf("runs %v and %v", a, b)
	}
	if a[0].Hash == a[1].Hash {
		t.Error("two different runs share a hash")
	}
}
