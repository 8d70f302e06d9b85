package httpstatus

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/prose"
)

// The summaries and descriptions of codes.json are our own words. The
// documents they draw on are kept only as the hashes of their runs of
// prose.RunLength words, under testdata/prose:
//
//   - seeds.shingles: the seed documents of ../shared/seeds/ (CI has that
//     folder beside the clone; where it exists, the test also checks that
//     the file is up to date).
//   - rfc.shingles: the sections of RFC 9110, 9111, 9112 and 2616 that
//     codes.json cites, and draft-ietf-httpbis-resumable-upload-05.
//
// To refresh them, after adding a seed or citing a new section:
//
//	go run testdata/prose/gen.go -o testdata/prose/seeds.shingles ../shared/seeds/*.txt
//	go run testdata/prose/gen.go -o testdata/prose/rfc.shingles -cited codes.json \
//	    rfc9110.html rfc9111.html rfc9112.html rfc2616.txt draft-ietf-httpbis-resumable-upload-05.md
//
// with the RFCs from https://www.rfc-editor.org/rfc/ (their .html or
// .txt) and the draft's source from the httpwg/http-extensions repository
// (tag draft-ietf-httpbis-resumable-upload-05).
var proseSources = []string{"testdata/prose/seeds.shingles", "testdata/prose/rfc.shingles"}

func readShingles(t *testing.T, path string) map[uint64]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := map[uint64]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		h, err := strconv.ParseUint(line, 16, 64)
		if err != nil {
			t.Fatalf("%s: %q is not a hash", path, line)
		}
		set[h] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(set) == 0 {
		t.Fatalf("%s holds no shingles", path)
	}
	return set
}

// TestProseIsOurOwn fails when a summary or description repeats a run of
// prose.RunLength consecutive words (case and punctuation aside) from a
// seed document or from a section of an RFC that codes.json cites.
func TestProseIsOurOwn(t *testing.T) {
	t.Parallel()
	sets := map[string]map[uint64]bool{}
	for _, p := range proseSources {
		sets[p] = readShingles(t, p)
	}
	if seeds, err := filepath.Glob(filepath.Join("..", "shared", "seeds", "*.txt")); err == nil && len(seeds) > 0 {
		for _, p := range seeds {
			text, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range prose.Runs(string(text)) {
				if !sets[proseSources[0]][r.Hash] {
					t.Fatalf("%s is stale: %s has %q; refresh it as prose_test.go says", proseSources[0], p, r.Text)
				}
			}
		}
	} else {
		t.Logf("../shared/seeds is not here; checking against %s as it stands", proseSources[0])
	}

	for e := range All() {
		for _, field := range []struct{ name, text string }{{"summary", e.Summary}, {"description", e.Description}} {
			for _, r := range prose.Runs(field.text) {
				var from []string
				for _, p := range proseSources {
					if sets[p][r.Hash] {
						from = append(from, filepath.Base(p))
					}
				}
				if from == nil {
					continue
				}
				t.Errorf("%d %s (%s), %s: %q is in %s", e.Code, e.Phrase, e.Origin, field.name, r.Text, strings.Join(from, ", "))
			}
		}
	}
}
