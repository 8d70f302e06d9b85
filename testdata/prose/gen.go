//go:build ignore

// gen writes the shingles of source documents: the hashes of their runs of
// prose.RunLength words, sorted, one per line in hexadecimal, after comment
// lines naming the sources. prose_test.go checks codes.json against them.
//
//	go run testdata/prose/gen.go -o testdata/prose/seeds.shingles ../shared/seeds/*.txt
//	go run testdata/prose/gen.go -o testdata/prose/rfc.shingles -cited codes.json \
//	    rfc9110.html rfc9111.html rfc9112.html rfc2616.txt draft-ietf-httpbis-resumable-upload-05.md
//
// A file is read as plain text, except that with -cited an RFC, named
// rfcNNNN.txt (the RFC Editor's text) or rfcNNNN.html (the RFC Editor's or
// xml2rfc's HTML), contributes only the sections codes.json cites (each
// with its subsections), or all of it when codes.json cites the RFC as a
// whole. HTML loses its tags first.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/httpstatus/httpstatus/internal/prose"
)

func main() {
	out := flag.String("o", "", "the shingles file to write")
	cited := flag.String("cited", "", "codes.json, to keep only the RFC sections it cites")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run testdata/prose/gen.go -o FILE [-cited codes.json] SOURCE...")
		os.Exit(2)
	}
	if err := run(*out, *cited, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

var (
	rfcFile    = regexp.MustCompile(`^rfc(\d+)\.(txt|html)$`)
	htmlAnchor = regexp.MustCompile(`id="(?:rfc\.)?section[-.]([0-9A-Z](?:[0-9.]*[0-9])?)"`)
	txtHeading = regexp.MustCompile(`(?m)^([0-9]+(?:\.[0-9]+)*)\.?[ ]{1,3}\S`)
	tag        = regexp.MustCompile(`<[^>]*>`)
	citation   = regexp.MustCompile(`"(?:ref|[a-z]+_ref)":\s*"(RFC[0-9]+)(?:#([0-9A-Z][0-9.]*))?"`)
)

func run(out, cited string, sources []string) error {
	sections := map[string][]string{} // "RFC9110" -> the sections cited; nil entry: the whole RFC
	if cited != "" {
		data, err := os.ReadFile(cited)
		if err != nil {
			return err
		}
		var file struct {
			Entries []json.RawMessage `json:"entries"`
		}
		if err := json.Unmarshal(data, &file); err != nil {
			return fmt.Errorf("%s: %w", cited, err)
		}
		// The references are the string values of the keys "ref" and
		// "..._ref", at any depth of a record.
		for _, e := range file.Entries {
			for _, m := range citation.FindAllStringSubmatch(string(e), -1) {
				sections[m[1]] = append(sections[m[1]], m[2])
			}
		}
	}
	hashes := map[uint64]bool{}
	var names []string
	for _, path := range sources {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		base := filepath.Base(path)
		if m := rfcFile.FindStringSubmatch(base); m != nil && cited != "" {
			want := sections["RFC"+m[1]]
			if len(want) == 0 {
				return fmt.Errorf("%s: codes.json cites no part of RFC %s", path, m[1])
			}
			parts := split(text, m[2] == "html")
			text = ""
			for num, part := range parts {
				if slices.ContainsFunc(want, func(s string) bool { return s == "" || num == s || strings.HasPrefix(num, s+".") }) {
					text += part + "\n"
				}
			}
			base += " (the sections codes.json cites)"
		} else if strings.HasSuffix(base, ".html") {
			text = html.UnescapeString(tag.ReplaceAllString(text, " "))
		}
		for _, r := range prose.Runs(text) {
			hashes[r.Hash] = true
		}
		names = append(names, base)
	}
	sorted := make([]uint64, 0, len(hashes))
	for h := range hashes {
		sorted = append(sorted, h)
	}
	slices.Sort(sorted)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# Shingles (hashes of every run of %d words, internal/prose) of:\n", prose.RunLength)
	for _, n := range names {
		fmt.Fprintf(w, "#   %s\n", n)
	}
	fmt.Fprintln(w, "# Written by testdata/prose/gen.go; see prose_test.go.")
	for _, h := range sorted {
		fmt.Fprintf(w, "%016x\n", h)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// split cuts an RFC into its numbered sections, each without its tags.
func split(text string, isHTML bool) map[string]string {
	re := txtHeading
	if isHTML {
		re = htmlAnchor
	}
	parts := map[string]string{}
	marks := re.FindAllStringSubmatchIndex(text, -1)
	for i, m := range marks {
		end := len(text)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		part := text[m[0]:end]
		if isHTML {
			part = html.UnescapeString(tag.ReplaceAllString(part, " "))
		}
		num := text[m[2]:m[3]]
		parts[num] += part + "\n"
	}
	return parts
}
