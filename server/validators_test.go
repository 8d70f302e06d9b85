package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The validators the precondition tables run against: a strong tag, and a
// modification time with a fraction of a second that HTTP-dates cannot
// carry.
var (
	testModified = time.Date(2024, time.May, 1, 12, 0, 0, 500_000_000, time.UTC)
	testCurrent  = validators{etag: `"r3-9f2c"`, lastModified: testModified, exists: true}
	testNoDate   = validators{etag: `"r3-9f2c"`, exists: true}
	testMissing  = validators{}
)

// httpDate formats t as an IMF-fixdate.
func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// Dates around testModified, in each of the three HTTP-date forms.
var (
	atModified     = httpDate(testModified)
	beforeModified = httpDate(testModified.Add(-time.Second))
	afterModified  = httpDate(testModified.Add(time.Second))
	rfc850Modified = strings.Replace(testModified.UTC().Format(time.RFC850), "UTC", "GMT", 1)
	ansicModified  = testModified.UTC().Format(time.ANSIC)
)

// conditional returns a request with the given field lines, each a
// "Name: value" string; a name may come more than once.
func conditional(method string, lines ...string) *http.Request {
	r := httptest.NewRequest(method, "/resource", nil)
	for _, line := range lines {
		name, value, _ := strings.Cut(line, ":")
		r.Header.Add(name, strings.TrimPrefix(value, " "))
	}
	return r
}

func TestEvaluatePreconditions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		method string
		lines  []string
		v      validators
		want   int
	}{
		{"no preconditions", "GET", nil, testCurrent, 0},

		// Step 1: If-Match, by strong comparison.
		{"If-Match matching", "PUT", []string{`If-Match: "r3-9f2c"`}, testCurrent, 0},
		{"If-Match another tag", "PUT", []string{`If-Match: "r2-0000"`}, testCurrent, 412},
		{"If-Match weak tag never matches", "PUT", []string{`If-Match: W/"r3-9f2c"`}, testCurrent, 412},
		{"If-Match list with spaces", "PUT", []string{`If-Match: "a" , W/"b",  "r3-9f2c"`}, testCurrent, 0},
		{"If-Match list with empty elements", "PUT", []string{`If-Match: ,, "a" ,"r3-9f2c",`}, testCurrent, 0},
		{"If-Match over two lines", "PUT", []string{`If-Match: "a"`, `If-Match: "r3-9f2c"`}, testCurrent, 0},
		{"If-Match comma inside a tag", "PUT", []string{`If-Match: "x", "a,b"`}, validators{etag: `"a,b"`, exists: true}, 0},
		{"If-Match half of a tag with a comma", "PUT", []string{`If-Match: "a", "b"`}, validators{etag: `"a,b"`, exists: true}, 412},
		{"If-Match star on an existing resource", "PUT", []string{"If-Match: *"}, testCurrent, 0},
		{"If-Match star with spaces around", "PUT", []string{"If-Match:   * \t"}, testCurrent, 0},
		{"If-Match star on a missing resource", "PUT", []string{"If-Match: *"}, testMissing, 412},
		{"If-Match tag on a missing resource", "PUT", []string{`If-Match: "r3-9f2c"`}, validators{etag: `"r3-9f2c"`}, 412},
		{"If-Match unquoted is malformed", "PUT", []string{"If-Match: r3-9f2c"}, testCurrent, 412},
		{"If-Match malformed after a match", "PUT", []string{`If-Match: "r3-9f2c" junk`}, testCurrent, 412},
		{"If-Match star in a list is malformed", "PUT", []string{`If-Match: *, "r3-9f2c"`}, testCurrent, 412},
		{"If-Match empty list", "PUT", []string{"If-Match: "}, testCurrent, 412},
		{"If-Match on GET", "GET", []string{`If-Match: "nope"`}, testCurrent, 412},

		// Step 2: If-Unmodified-Since, false when modified after the date.
		{"If-Unmodified-Since at the modification", "PUT", []string{"If-Unmodified-Since: " + atModified}, testCurrent, 0},
		{"If-Unmodified-Since before the modification", "PUT", []string{"If-Unmodified-Since: " + beforeModified}, testCurrent, 412},
		{"If-Unmodified-Since after the modification", "PUT", []string{"If-Unmodified-Since: " + afterModified}, testCurrent, 0},
		{"If-Unmodified-Since ignored with If-Match", "PUT", []string{`If-Match: "r3-9f2c"`, "If-Unmodified-Since: " + beforeModified}, testCurrent, 0},
		{"If-Unmodified-Since invalid date ignored", "PUT", []string{"If-Unmodified-Since: yesterday"}, testCurrent, 0},
		{"If-Unmodified-Since ignored without a modification time", "PUT", []string{"If-Unmodified-Since: " + beforeModified}, testNoDate, 0},
		{"If-Unmodified-Since list of dates ignored", "PUT", []string{"If-Unmodified-Since: " + beforeModified, "If-Unmodified-Since: " + beforeModified}, testCurrent, 0},
		{"If-Unmodified-Since RFC 850 form", "DELETE", []string{"If-Unmodified-Since: " + testModified.Add(-time.Second).UTC().Format(time.RFC850)}, testCurrent, 412},

		// Step 3: If-None-Match, by weak comparison.
		{"If-None-Match matching on GET", "GET", []string{`If-None-Match: "r3-9f2c"`}, testCurrent, 304},
		{"If-None-Match matching on HEAD", "HEAD", []string{`If-None-Match: "r3-9f2c"`}, testCurrent, 304},
		{"If-None-Match weak tag matches", "GET", []string{`If-None-Match: W/"r3-9f2c"`}, testCurrent, 304},
		{"If-None-Match list with W/ and spaces", "GET", []string{`If-None-Match: "a",W/"b" , W/"r3-9f2c"`}, testCurrent, 304},
		{"If-None-Match another tag", "GET", []string{`If-None-Match: "r2-0000"`}, testCurrent, 0},
		{"If-None-Match matching on PUT", "PUT", []string{`If-None-Match: "r3-9f2c"`}, testCurrent, 412},
		{"If-None-Match matching on POST", "POST", []string{`If-None-Match: W/"r3-9f2c"`}, testCurrent, 412},
		{"If-None-Match star on an existing resource GET", "GET", []string{"If-None-Match: *"}, testCurrent, 304},
		{"If-None-Match star on an existing resource PUT", "PUT", []string{"If-None-Match: *"}, testCurrent, 412},
		{"If-None-Match star on a missing resource PUT", "PUT", []string{"If-None-Match: *"}, testMissing, 0},
		{"If-None-Match tag on a missing resource", "GET", []string{`If-None-Match: "r3-9f2c"`}, validators{etag: `"r3-9f2c"`}, 0},
		{"If-None-Match malformed on GET", "GET", []string{`If-None-Match: "r3-9f2c`}, testCurrent, 0},
		{"If-None-Match malformed on PUT", "PUT", []string{`If-None-Match: r3-9f2c`}, testCurrent, 412},
		{"If-None-Match space inside a tag is malformed", "PUT", []string{`If-None-Match: "r3 9f2c"`}, testCurrent, 412},
		{"If-None-Match DEL inside a tag is malformed", "PUT", []string{"If-None-Match: \"r3\x7f\""}, testCurrent, 412},
		{"If-None-Match obs-text inside a tag", "PUT", []string{"If-None-Match: \"r3\xe9\""}, testCurrent, 0},

		// Step 4: If-Modified-Since, false when not modified since the date.
		{"If-Modified-Since at the modification", "GET", []string{"If-Modified-Since: " + atModified}, testCurrent, 304},
		{"If-Modified-Since after the modification", "GET", []string{"If-Modified-Since: " + afterModified}, testCurrent, 304},
		{"If-Modified-Since before the modification", "GET", []string{"If-Modified-Since: " + beforeModified}, testCurrent, 0},
		{"If-Modified-Since on HEAD", "HEAD", []string{"If-Modified-Since: " + atModified}, testCurrent, 304},
		{"If-Modified-Since RFC 850 form", "GET", []string{"If-Modified-Since: " + rfc850Modified}, testCurrent, 304},
		{"If-Modified-Since asctime form", "GET", []string{"If-Modified-Since: " + ansicModified}, testCurrent, 304},
		{"If-Modified-Since RFC 850 form in another zone", "GET", []string{"If-Modified-Since: " + strings.Replace(rfc850Modified, "GMT", "PST", 1)}, testCurrent, 0},
		{"If-Modified-Since ignored on POST", "POST", []string{"If-Modified-Since: " + atModified}, testCurrent, 0},
		{"If-Modified-Since ignored on PUT", "PUT", []string{"If-Modified-Since: " + afterModified}, testCurrent, 0},
		{"If-Modified-Since invalid date ignored", "GET", []string{"If-Modified-Since: 2024-05-01T12:00:00Z"}, testCurrent, 0},
		{"If-Modified-Since list of dates ignored", "GET", []string{"If-Modified-Since: " + atModified + ", " + atModified}, testCurrent, 0},
		{"If-Modified-Since ignored without a modification time", "GET", []string{"If-Modified-Since: " + afterModified}, testNoDate, 0},
		{"If-Modified-Since ignored on a missing resource", "GET", []string{"If-Modified-Since: " + afterModified}, validators{lastModified: testModified}, 0},

		// Which field wins.
		{"If-None-Match makes If-Modified-Since ignored", "GET", []string{`If-None-Match: "r2-0000"`, "If-Modified-Since: " + atModified}, testCurrent, 0},
		{"If-None-Match decides over a true If-Modified-Since", "GET", []string{`If-None-Match: "r3-9f2c"`, "If-Modified-Since: " + beforeModified}, testCurrent, 304},
		{"If-Match fails before If-None-Match", "GET", []string{`If-Match: "r2-0000"`, `If-None-Match: "r3-9f2c"`}, testCurrent, 412},
		{"If-Match holds, then If-None-Match", "GET", []string{`If-Match: "r3-9f2c"`, `If-None-Match: "r3-9f2c"`}, testCurrent, 304},
		{"If-Unmodified-Since fails before If-None-Match", "GET", []string{"If-Unmodified-Since: " + beforeModified, `If-None-Match: "r3-9f2c"`}, testCurrent, 412},
		{"If-Unmodified-Since holds, then If-Modified-Since", "GET", []string{"If-Unmodified-Since: " + atModified, "If-Modified-Since: " + atModified}, testCurrent, 304},
		{"If-Match star holds, If-None-Match star fails on PUT", "PUT", []string{"If-Match: *", "If-None-Match: *"}, testCurrent, 412},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := evaluatePreconditions(conditional(tc.method, tc.lines...), tc.v); got != tc.want {
				t.Errorf("%s %q: got %d, want %d", tc.method, tc.lines, got, tc.want)
			}
		})
	}
}

func TestIfRangeHolds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []string
		v     validators
		want  bool
	}{
		{"no If-Range", nil, testCurrent, true},
		{"matching tag", []string{`If-Range: "r3-9f2c"`}, testCurrent, true},
		{"another tag", []string{`If-Range: "r2-0000"`}, testCurrent, false},
		{"weak tag", []string{`If-Range: W/"r3-9f2c"`}, testCurrent, false},
		{"tag with something after it", []string{`If-Range: "r3-9f2c" x`}, testCurrent, false},
		{"list of tags", []string{`If-Range: "a", "r3-9f2c"`}, testCurrent, false},
		{"two lines", []string{`If-Range: "r3-9f2c"`, `If-Range: "r3-9f2c"`}, testCurrent, false},
		{"tag and no current tag", []string{`If-Range: "r3-9f2c"`}, validators{lastModified: testModified, exists: true}, false},
		{"tag on a missing resource", []string{`If-Range: "r3-9f2c"`}, validators{etag: `"r3-9f2c"`}, false},
		{"date of the modification", []string{"If-Range: " + atModified}, testCurrent, true},
		{"date a second after", []string{"If-Range: " + afterModified}, testCurrent, false},
		{"date a second before", []string{"If-Range: " + beforeModified}, testCurrent, false},
		{"date in RFC 850 form", []string{"If-Range: " + rfc850Modified}, testCurrent, true},
		{"date in asctime form", []string{"If-Range: " + ansicModified}, testCurrent, true},
		{"date and no modification time", []string{"If-Range: " + atModified}, testNoDate, false},
		{"neither tag nor date", []string{"If-Range: tomorrow"}, testCurrent, false},
		{"unquoted tag", []string{"If-Range: r3-9f2c"}, testCurrent, false},
		{"empty", []string{"If-Range: "}, testCurrent, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := conditional("GET", append([]string{"Range: bytes=0-9"}, tc.lines...)...)
			if got := ifRangeHolds(r, tc.v); got != tc.want {
				t.Errorf("%q: got %v, want %v", tc.lines, got, tc.want)
			}
		})
	}
}

// TestHTTPDateCentury checks the two-digit year of the RFC 850 form: the
// latest year with those digits not more than 50 years ahead.
func TestHTTPDateCentury(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		date     string
		now      int // the year it is
		wantYear int
	}{
		{"Sunday, 06-Nov-94 08:49:37 GMT", 2026, 1994},
		{"Sunday, 06-Nov-26 08:49:37 GMT", 2026, 2026},
		{"Sunday, 06-Nov-69 08:49:37 GMT", 2026, 2069},
		{"Sunday, 06-Nov-76 08:49:37 GMT", 2026, 2076},
		{"Sunday, 06-Nov-77 08:49:37 GMT", 2026, 1977},
		{"Sunday, 06-Nov-94 08:49:37 GMT", 2060, 2094},
		{"Sunday, 06-Nov-10 08:49:37 GMT", 1990, 1910},
	} {
		now := time.Date(tc.now, time.June, 1, 0, 0, 0, 0, time.UTC)
		got, ok := parseHTTPDate(tc.date, now)
		if want := time.Date(tc.wantYear, time.November, 6, 8, 49, 37, 0, time.UTC).Unix(); !ok || got != want {
			t.Errorf("%q in %d: got %v %v, want %v", tc.date, tc.now, time.Unix(got, 0).UTC(), ok, time.Unix(want, 0).UTC())
		}
	}
	for _, bad := range []string{"", "Sun, 06 Nov 1994 08:49:37 PST", "Sunday, 06-Nov-94 08:49:37 EST", "Sun, 06 Nov 1994 08:49:37 GMT junk", "06 Nov 1994"} {
		if got, ok := parseHTTPDate(bad, time.Now()); ok {
			t.Errorf("%q: got %v, want invalid", bad, time.Unix(got, 0).UTC())
		}
	}
}
