package respond

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// accepting returns a request whose Accept field has the given lines.
func accepting(lines ...string) *http.Request {
	r := &http.Request{Header: http.Header{}}
	for _, l := range lines {
		r.Header.Add("Accept", l)
	}
	return r
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		accept string
		want   string
	}{
		{"", MediaProblemJSON},
		{"   ", MediaProblemJSON},
		{"*/*", MediaProblemJSON},
		{"application/problem+json", MediaProblemJSON},
		{"application/json", MediaJSON},
		{"application/*", MediaProblemJSON},
		{"text/html", MediaHTML},
		{"text/plain", MediaText},
		{"text/*", MediaHTML},
		{"TEXT/PLAIN", MediaText},
		{"text/plain; charset=utf-8", MediaText},
		{"image/png", MediaProblemJSON},
		{"image/png, text/plain;q=0", MediaProblemJSON},
		{"*/*;q=0", MediaProblemJSON},
		// Browsers: HTML at q=1 beats everything */* offers at q=0.8.
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", MediaHTML},
		{"application/json, text/html;q=0.9", MediaJSON},
		{"application/json;q=0.5, text/plain", MediaText},
		{"text/plain;q=0.5, application/json;q=0.5", MediaJSON}, // tie: server order
		{"text/*;q=0.5, */*;q=0.1", MediaHTML},
		{"*/*, text/plain", MediaText},                         // the more specific match wins a tie
		{"*/*;q=0.9, application/problem+json;q=0", MediaJSON}, // excluded explicitly
		{"text/html;q=0, */*", MediaProblemJSON},
		{"application/json;q=1.000", MediaJSON},
		{"application/json;q=0.001, text/plain;q=0.0001", MediaJSON}, // four decimals: malformed, skipped
		{"application/json;q=1.5, text/plain", MediaText},            // above 1: malformed, skipped
		{"application/json;q=abc, text/plain;q=0.1", MediaText},
		{"application/json ; Q=0.2 , text/html ; q=0.3", MediaHTML},
		{"text/plain;format=flowed;q=0.4, application/json;q=0.3", MediaText},
		{",,,", MediaProblemJSON},
		{"*/json", MediaProblemJSON}, // invalid range, skipped
		{"text/", MediaProblemJSON},
		{"application/problem+json;q=0.2, text/plain;q=0.2, application/json;q=0.1", MediaProblemJSON},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			t.Parallel()
			if got := Negotiate(accepting(tt.accept)); got != tt.want {
				t.Errorf("Negotiate(Accept: %q) = %s, want %s", tt.accept, got, tt.want)
			}
		})
	}
}

// TestNegotiateLines checks that the lines of an Accept field count as one
// list, and the requests that have no Accept at all.
func TestNegotiateLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    *http.Request
		want string
	}{
		{"nil request", nil, MediaProblemJSON},
		{"no header", &http.Request{}, MediaProblemJSON},
		{"no Accept", accepting(), MediaProblemJSON},
		{"quality on the second line", accepting("text/plain;q=0.5", "text/html"), MediaHTML},
		{"an exclusion on the second line", accepting("text/*", "text/html;q=0"), MediaText},
		{"a specific range on the first line", accepting("text/plain;q=0.2", "*/*"), MediaProblemJSON},
		{"a known type on the first line does not decide alone", accepting("text/plain", "application/json"), MediaJSON}, // a tie: server order
		{"an empty line", accepting("", "text/plain"), MediaText},
		{"browser, split", accepting("text/html,application/xhtml+xml", "application/xml;q=0.9,*/*;q=0.8"), MediaHTML},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.r); got != tt.want {
			t.Errorf("%s: Negotiate = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParseQ(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1000, true}, {"1.", 1000, true}, {"1.000", 1000, true}, {"0", 0, true},
		{"0.5", 500, true}, {"0.25", 250, true}, {"0.125", 125, true},
		{"1.001", 0, false}, {"2", 0, false}, {"0.1234", 0, false}, {"", 0, false},
		{".5", 0, false}, {"0,5", 0, false}, {"-0", 0, false}, {"0.x", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseQ(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseQ(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNegotiateDoesNotAllocate(t *testing.T) {
	for _, r := range []*http.Request{
		accepting("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
		accepting("text/html,application/xhtml+xml", "application/xml;q=0.9,*/*;q=0.8"),
		accepting("application/json"),
	} {
		if n := testing.AllocsPerRun(100, func() { Negotiate(r) }); n != 0 {
			t.Errorf("Negotiate(Accept: %q) allocates %v times", r.Header["Accept"], n)
		}
	}
}

// FuzzNegotiate checks that any header yields one of the four offers,
// never panics, that an offer named alone at full quality is chosen
// whatever follows it at a lower one, and that a field split over two
// lines means what the one line joined with a comma means.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{
		"", "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"application/json;q=0.5, text/plain", "text/*;q=0", "a/b;q=", ";;;,,,", "*/*;q=0.0001",
		"text/plain;q=1.000;level=1", "\x00/\xff", "application/problem+json;q=0.999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		got := Negotiate(accepting(accept))
		if !slices.Contains(offerNames[:], got) {
			t.Fatalf("Negotiate(%q) = %q, not an offer", accept, got)
		}
		if again := Negotiate(accepting(accept)); again != got {
			t.Fatalf("Negotiate(%q) is not deterministic: %s then %s", accept, got, again)
		}
		if first, second, ok := strings.Cut(accept, ","); ok {
			if split := Negotiate(accepting(first, second)); split != got {
				t.Fatalf("Negotiate(%q, %q) = %s, but %s for the one line %q", first, second, split, got, accept)
			}
			return
		}
		// A header that names one offer, at a positive quality and without
		// a malformed q, chooses that offer.
		if i := slices.Index(offerNames[:], strings.ToLower(strings.TrimSpace(accept))); i >= 0 && got != offerNames[i] {
			t.Fatalf("Negotiate(%q) = %s", accept, got)
		}
		prefixed := MediaText + ", " + accept
		if q, ok := qualityOfFirst(accept); !ok || q < 1000 {
			if got := Negotiate(accepting(prefixed)); got != MediaText && !strings.Contains(strings.ToLower(accept), "plain") {
				// Only an exact range for text/plain could lower its quality.
				t.Fatalf("Negotiate(%q) = %s, want text/plain", prefixed, got)
			}
		}
	})
}

func qualityOfFirst(accept string) (int, bool) {
	_, params, _ := strings.Cut(accept, ";")
	return quality(params)
}
