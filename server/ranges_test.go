package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// manyRanges returns a range-set of n one-byte ranges two bytes apart, so
// that none touches another.
func manyRanges(n int) string {
	specs := make([]string, n)
	for i := range specs {
		specs[i] = strconv.Itoa(2*i) + "-" + strconv.Itoa(2*i)
	}
	return "bytes=" + strings.Join(specs, ",")
}

// oneByteRanges returns the ranges manyRanges(n) asks for.
func oneByteRanges(n int) []byteRange {
	rs := make([]byteRange, n)
	for i := range rs {
		rs[i] = byteRange{int64(2 * i), int64(2 * i)}
	}
	return rs
}

// rangeCases are the parseRanges table, also the seeds of FuzzParseRanges.
var rangeCases = []struct {
	header string
	size   int64
	want   []byteRange
	out    rangeOutcome
}{
	{"bytes=0-0", 1024, []byteRange{{0, 0}}, rangeOutcomeSatisfiable},
	{"bytes=0-9", 1024, []byteRange{{0, 9}}, rangeOutcomeSatisfiable},
	{"bytes=-1", 1024, []byteRange{{1023, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=-0", 1024, nil, rangeOutcomeUnsatisfiable},
	{"bytes=-2000", 1024, []byteRange{{0, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=1000-", 1024, []byteRange{{1000, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=1023-", 1024, []byteRange{{1023, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=1024-", 1024, nil, rangeOutcomeUnsatisfiable},
	{"bytes=1024-2000", 1024, nil, rangeOutcomeUnsatisfiable},
	{"bytes=0-99999999999", 1024, []byteRange{{0, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=00-01", 1024, []byteRange{{0, 1}}, rangeOutcomeSatisfiable},

	// Unsatisfiable ranges among satisfiable ones are dropped.
	{"bytes=5000-6000,0-9", 1024, []byteRange{{0, 9}}, rangeOutcomeSatisfiable},
	{"bytes=2000-3000, 0-9", 1024, []byteRange{{0, 9}}, rangeOutcomeSatisfiable},
	{"bytes=1000-2000,-0", 1024, []byteRange{{1000, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=2000-3000,-0", 1024, nil, rangeOutcomeUnsatisfiable},

	// Several ranges: kept in the client's order unless they overlap or
	// touch, and then merged where the first of them stood.
	{"bytes=0-1 , 3-4", 1024, []byteRange{{0, 1}, {3, 4}}, rangeOutcomeSatisfiable},
	{"bytes=10-19,0-4", 1024, []byteRange{{10, 19}, {0, 4}}, rangeOutcomeSatisfiable},
	{"bytes=0-9,11-19", 1024, []byteRange{{0, 9}, {11, 19}}, rangeOutcomeSatisfiable},
	{"bytes=0-9,5-14", 1024, []byteRange{{0, 14}}, rangeOutcomeSatisfiable},
	{"bytes=0-9,10-19", 1024, []byteRange{{0, 19}}, rangeOutcomeSatisfiable},
	{"bytes=0-0,0-0", 1024, []byteRange{{0, 0}}, rangeOutcomeSatisfiable},
	{"bytes=0-,-1", 1024, []byteRange{{0, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=10-19,0-4,15-30", 1024, []byteRange{{10, 30}, {0, 4}}, rangeOutcomeSatisfiable},
	{"bytes=20-29,0-4,5-9", 1024, []byteRange{{20, 29}, {0, 9}}, rangeOutcomeSatisfiable},
	{"bytes=50-59,20-29,0-4,25-52", 1024, []byteRange{{20, 59}, {0, 4}}, rangeOutcomeSatisfiable},

	// Case, whitespace and empty list elements.
	{"BYTES=0-1", 1024, []byteRange{{0, 1}}, rangeOutcomeSatisfiable},
	{"Bytes=0-1", 1024, []byteRange{{0, 1}}, rangeOutcomeSatisfiable},
	{"bytes=,,0-1,,", 1024, []byteRange{{0, 1}}, rangeOutcomeSatisfiable},
	{"bytes= 0-1", 1024, []byteRange{{0, 1}}, rangeOutcomeSatisfiable},
	{" bytes=0-1\t", 1024, []byteRange{{0, 1}}, rangeOutcomeSatisfiable},
	{"bytes=0-1,\t5-6", 1024, []byteRange{{0, 1}, {5, 6}}, rangeOutcomeSatisfiable},

	// Ignored: another unit, or a ranges-specifier invalid anywhere.
	{"", 1024, nil, rangeOutcomeIgnore},
	{"items=0-1", 1024, nil, rangeOutcomeIgnore},
	{"bytes", 1024, nil, rangeOutcomeIgnore},
	{"bytes =0-1", 1024, nil, rangeOutcomeIgnore},
	{"bytes=", 1024, nil, rangeOutcomeIgnore},
	{"bytes=,,", 1024, nil, rangeOutcomeIgnore},
	{"bytes=a-b", 1024, nil, rangeOutcomeIgnore},
	{"bytes=9-3", 1024, nil, rangeOutcomeIgnore},
	{"bytes=1-0", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0-1,9-3", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0-1,x", 1024, nil, rangeOutcomeIgnore},
	{"bytes=1", 1024, nil, rangeOutcomeIgnore},
	{"bytes=-", 1024, nil, rangeOutcomeIgnore},
	{"bytes=--1", 1024, nil, rangeOutcomeIgnore},
	{"bytes=1--2", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0-1-2", 1024, nil, rangeOutcomeIgnore},
	{"bytes=+1-2", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0x1-2", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0 -1", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0-1;q=1", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0-1=", 1024, nil, rangeOutcomeIgnore},
	{"bytes=0-1", -1, nil, rangeOutcomeIgnore},

	// Numbers of any length: valid, and past the end.
	{"bytes=99999999999999999999-", 1024, nil, rangeOutcomeUnsatisfiable},
	{"bytes=9223372036854775807-", 1 << 62, nil, rangeOutcomeUnsatisfiable},
	{"bytes=9223372036854775806-", 1<<63 - 1, []byteRange{{1<<63 - 2, 1<<63 - 2}}, rangeOutcomeSatisfiable},
	{"bytes=0-99999999999999999999", 1024, []byteRange{{0, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=-99999999999999999999", 1024, []byteRange{{0, 1023}}, rangeOutcomeSatisfiable},
	{"bytes=99999999999999999999-99999999999999999998", 1024, nil, rangeOutcomeIgnore},
	{"bytes=99999999999999999998-99999999999999999999", 1024, nil, rangeOutcomeUnsatisfiable},

	// Bounds on the work a Range may ask for.
	{manyRanges(maxRanges), 1024, oneByteRanges(maxRanges), rangeOutcomeSatisfiable},
	{manyRanges(maxRanges + 1), 1024, nil, rangeOutcomeIgnore},
	{manyRanges(maxRanges) + strings.Repeat(",", 100), 1024, oneByteRanges(maxRanges), rangeOutcomeSatisfiable},
	{"bytes=0-0" + strings.Repeat(" ", maxRangeField-len("bytes=0-0")), 1024, []byteRange{{0, 0}}, rangeOutcomeSatisfiable},
	{"bytes=0-0" + strings.Repeat(" ", maxRangeField-len("bytes=0-0")+1), 1024, nil, rangeOutcomeIgnore},

	// An empty representation: nothing to send of it, nor to describe.
	{"bytes=0-0", 0, nil, rangeOutcomeUnsatisfiable},
	{"bytes=0-", 0, nil, rangeOutcomeUnsatisfiable},
	{"bytes=-0", 0, nil, rangeOutcomeUnsatisfiable},
	{"bytes=-5", 0, nil, rangeOutcomeIgnore},
	{"bytes=0-,-5", 0, nil, rangeOutcomeIgnore},
	{"bytes=a", 0, nil, rangeOutcomeIgnore},
	{"bytes=0-", 1, []byteRange{{0, 0}}, rangeOutcomeSatisfiable},
	{"bytes=-5", 1, []byteRange{{0, 0}}, rangeOutcomeSatisfiable},
}

func TestParseRanges(t *testing.T) {
	t.Parallel()
	for _, tc := range rangeCases {
		got, out := parseRanges(tc.header, tc.size)
		if out != tc.out || !slices.Equal(got, tc.want) {
			t.Errorf("parseRanges(%q, %d) = %v, %d; want %v, %d", httptext.Clip(tc.header, 80), tc.size, got, out, tc.want, tc.out)
		}
	}
}

// patterned is a representation of size bytes that is never held in
// memory: the byte at each position is made from the position, so that a
// part sent from the wrong place shows. It counts its reads and the
// largest of them.
type patterned struct {
	size    int64
	reads   int
	largest int
}

// at returns the byte at position i.
func (p *patterned) at(i int64) byte { return byte(i*131 + i>>8) }

// ReadAt reads the bytes at off, as io.ReaderAt does.
func (p *patterned) ReadAt(b []byte, off int64) (int, error) {
	p.reads++
	p.largest = max(p.largest, len(b))
	if off >= p.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.size-off))
	for i := range n {
		b[i] = p.at(off + int64(i))
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// slice returns the bytes of r.
func (p *patterned) slice(r byteRange) []byte {
	b := make([]byte, r.length())
	for i := range b {
		b[i] = p.at(r.first + int64(i))
	}
	return b
}

// plainWriter hides the io.ReaderFrom of a buffer, so that write must use
// its own copy buffer.
type plainWriter struct{ w io.Writer }

// Write writes b to the buffer.
func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }

// checkRangeResponse writes rr for ranges of content and checks the body
// against the ranges: its length, and each part's bytes and fields.
func checkRangeResponse(t *testing.T, rr rangeResponse, ranges []byteRange, content *patterned, contentType string) {
	t.Helper()
	var body bytes.Buffer
	if err := rr.write(plainWriter{&body}, content); err != nil {
		t.Fatalf("%v: write: %v", ranges, err)
	}
	if int64(body.Len()) != rr.length {
		t.Fatalf("%v: wrote %d bytes, length says %d", ranges, body.Len(), rr.length)
	}
	if len(ranges) == 1 {
		r := ranges[0]
		if want := fmt.Sprintf("bytes %d-%d/%d", r.first, r.last, content.size); rr.contentRange != want {
			t.Errorf("%v: Content-Range %q, want %q", ranges, rr.contentRange, want)
		}
		if rr.contentType != contentType {
			t.Errorf("%v: Content-Type %q, want %q", ranges, rr.contentType, contentType)
		}
		if !bytes.Equal(body.Bytes(), content.slice(r)) {
			t.Errorf("%v: the body is not the range's bytes", ranges)
		}
		return
	}
	if rr.contentRange != "" {
		t.Errorf("%v: Content-Range %q on a multipart", ranges, rr.contentRange)
	}
	media, params, err := mime.ParseMediaType(rr.contentType)
	if err != nil || media != "multipart/byteranges" || params["boundary"] == "" {
		t.Fatalf("%v: Content-Type %q: %v", ranges, rr.contentType, err)
	}
	if !strings.HasPrefix(body.String(), "--"+params["boundary"]+"\r\n") || !strings.HasSuffix(body.String(), "\r\n--"+params["boundary"]+"--\r\n") {
		t.Errorf("%v: the body does not start with a delimiter and end with the close delimiter", ranges)
	}
	mr := multipart.NewReader(&body, params["boundary"])
	for i := 0; ; i++ {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			if i != len(ranges) {
				t.Errorf("%v: %d parts", ranges, i)
			}
			return
		}
		if err != nil {
			t.Fatalf("%v: part %d: %v", ranges, i, err)
		}
		if i >= len(ranges) {
			t.Fatalf("%v: more parts than ranges", ranges)
		}
		r := ranges[i]
		if got, want := part.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-%d/%d", r.first, r.last, content.size); got != want {
			t.Errorf("%v: part %d Content-Range %q, want %q", ranges, i, got, want)
		}
		if got := part.Header.Values("Content-Type"); contentType == "" && len(got) != 0 || contentType != "" && !slices.Equal(got, []string{contentType}) {
			t.Errorf("%v: part %d Content-Type %q, want %q", ranges, i, got, contentType)
		}
		got, err := io.ReadAll(part)
		if err != nil || !bytes.Equal(got, content.slice(r)) {
			t.Errorf("%v: part %d: the bytes are not the range's (%v)", ranges, i, err)
		}
	}
}

// randomSpec returns a random range-spec for a representation of size
// bytes, satisfiable or not, and the bytes it asks for: nil when none.
func randomSpec(rnd *rand.Rand, size int64) (string, *byteRange) {
	pos := func() int64 { return rnd.Int64N(size + 10) }
	switch rnd.IntN(4) {
	case 0: // first-last
		first := pos()
		last := first + rnd.Int64N(size/4+2)
		spec := strconv.FormatInt(first, 10) + "-" + strconv.FormatInt(last, 10)
		if first >= size {
			return spec, nil
		}
		return spec, &byteRange{first, min(last, size-1)}
	case 1: // first-
		first := pos()
		spec := strconv.FormatInt(first, 10) + "-"
		if first >= size {
			return spec, nil
		}
		return spec, &byteRange{first, size - 1}
	case 2: // -suffix
		n := pos()
		spec := "-" + strconv.FormatInt(n, 10)
		if n == 0 || size == 0 {
			return spec, nil
		}
		return spec, &byteRange{size - min(n, size), size - 1}
	}
	// A short range, so that lists of them often stay apart.
	first := pos()
	last := first + rnd.Int64N(3)
	spec := strconv.FormatInt(first, 10) + "-" + strconv.FormatInt(last, 10)
	if first >= size {
		return spec, nil
	}
	return spec, &byteRange{first, min(last, size-1)}
}

// TestRangesProperties checks parseRanges against a plain model for random
// sizes and lists of ranges: the ranges it returns cover exactly the bytes
// the satisfiable specs ask for, none overlapping or touching another, in
// the order the client named them. The responses for them hold exactly
// those bytes, in exactly length bytes.
func TestRangesProperties(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 2))
	for iter := range 2000 {
		size := rnd.Int64N(3000)
		switch {
		case iter%10 == 0:
			size = rnd.Int64N(3)
		case iter%100 == 1:
			size = 1<<20 + rnd.Int64N(1<<20)
		}
		var (
			specs  []string
			wanted []*byteRange
		)
		for range 1 + rnd.IntN(10) {
			spec, r := randomSpec(rnd, size)
			if r != nil && r.first > r.last {
				t.Fatalf("bad model range %v", *r)
			}
			specs, wanted = append(specs, spec), append(wanted, r)
		}
		header := "bytes=" + strings.Join(specs, ", ")
		ranges, out := parseRanges(header, size)

		// Unsatisfiable unless a spec asks for bytes; but a suffix of an
		// empty representation is satisfiable with no bytes to send.
		want := rangeOutcomeUnsatisfiable
		switch {
		case slices.ContainsFunc(wanted, func(r *byteRange) bool { return r != nil }):
			want = rangeOutcomeSatisfiable
		case size == 0 && slices.ContainsFunc(specs, func(s string) bool { return s[0] == '-' && s != "-0" }):
			want = rangeOutcomeIgnore
		}
		if out != want {
			t.Fatalf("%q on %d bytes: outcome %d, want %d", header, size, out, want)
		}
		if out != rangeOutcomeSatisfiable {
			continue
		}
		checkCover(t, header, size, ranges, wanted)

		content := &patterned{size: size}
		contentType := []string{"text/plain; charset=utf-8", "", "application/octet-stream"}[iter%3]
		rr := newRangeResponse(ranges, size, contentType, boundaryFor(`"t"`, ranges))
		checkRangeResponse(t, rr, ranges, content, contentType)
		if content.largest > copyBufferSize {
			t.Fatalf("%q: a read of %d bytes", header, content.largest)
		}
	}
}

// checkCover checks that ranges cover the bytes of the wanted ranges and
// no others, without two overlapping or touching, each in the place of the
// first wanted range it holds.
func checkCover(t *testing.T, header string, size int64, ranges []byteRange, wanted []*byteRange) {
	t.Helper()
	firstNamed := make([]int, len(ranges))
	for i, r := range ranges {
		if r.first < 0 || r.first > r.last || r.last >= size {
			t.Fatalf("%q on %d bytes: range %v out of bounds", header, size, r)
		}
		for _, s := range ranges[:i] {
			if r.first <= s.last+1 && s.first <= r.last+1 {
				t.Fatalf("%q on %d bytes: %v and %v overlap or touch", header, size, s, r)
			}
		}
		firstNamed[i] = len(wanted)
		for j, w := range wanted {
			if w != nil && w.first <= r.last && r.first <= w.last {
				if w.first < r.first || w.last > r.last {
					t.Fatalf("%q on %d bytes: %v holds part of %v", header, size, r, *w)
				}
				firstNamed[i] = min(firstNamed[i], j)
			}
		}
		if firstNamed[i] == len(wanted) {
			t.Fatalf("%q on %d bytes: %v holds nothing asked for", header, size, r)
		}
		if i > 0 && firstNamed[i] <= firstNamed[i-1] {
			t.Fatalf("%q on %d bytes: %v out of the client's order", header, size, ranges)
		}
		// Every byte of r is asked for: r's gaps between wanted ranges
		// would show as a position no wanted range holds.
		for p := r.first; p <= r.last; {
			next := p
			for _, w := range wanted {
				if w != nil && w.first <= p && p <= w.last {
					next = max(next, w.last+1)
				}
			}
			if next == p {
				t.Fatalf("%q on %d bytes: %v holds byte %d, which was not asked for", header, size, r, p)
			}
			p = next
		}
	}
	for _, w := range wanted {
		if w != nil && !slices.ContainsFunc(ranges, func(r byteRange) bool { return r.first <= w.first && w.last <= r.last }) {
			t.Fatalf("%q on %d bytes: %v not sent", header, size, *w)
		}
	}
}

func TestRangeResponse(t *testing.T) {
	t.Parallel()
	content := &patterned{size: 1024}
	for _, tc := range []struct {
		ranges []byteRange
		typ    string
	}{
		{[]byteRange{{0, 0}}, "text/plain"},
		{[]byteRange{{0, 1023}}, ""},
		{[]byteRange{{10, 19}, {0, 4}}, "text/plain; charset=utf-8"},
		{[]byteRange{{0, 0}, {1023, 1023}}, ""},
	} {
		rr := newRangeResponse(tc.ranges, content.size, tc.typ, "b0undary")
		checkRangeResponse(t, rr, tc.ranges, content, tc.typ)
	}

	// The body of two ranges, spelled out.
	rr := newRangeResponse([]byteRange{{0, 1}, {4, 4}}, 6, "text/plain", "XyZ")
	var body strings.Builder
	if err := rr.write(&body, strings.NewReader("abcdef")); err != nil {
		t.Fatal(err)
	}
	want := "--XyZ\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/6\r\n\r\nab" +
		"\r\n--XyZ\r\nContent-Type: text/plain\r\nContent-Range: bytes 4-4/6\r\n\r\ne" +
		"\r\n--XyZ--\r\n"
	if body.String() != want || rr.length != int64(len(want)) || rr.contentType != "multipart/byteranges; boundary=XyZ" {
		t.Errorf("got %q (length %d, %q), want %q", body.String(), rr.length, rr.contentType, want)
	}

	// A boundary that is no token is quoted.
	if rr := newRangeResponse([]byteRange{{0, 1}, {4, 4}}, 6, "", "a b"); rr.contentType != `multipart/byteranges; boundary="a b"` {
		t.Errorf("Content-Type %q", rr.contentType)
	}
}

// TestRangeResponseStreams checks that write reads a large range in
// bounded pieces rather than all at once.
func TestRangeResponseStreams(t *testing.T) {
	t.Parallel()
	content := &patterned{size: 8 << 20}
	ranges := []byteRange{{0, 3 << 20}, {5 << 20, 8<<20 - 1}}
	rr := newRangeResponse(ranges, content.size, "application/octet-stream", boundaryFor(`"t"`, ranges))
	n := &countingWriter{}
	if err := rr.write(n, content); err != nil {
		t.Fatal(err)
	}
	if n.n != rr.length {
		t.Errorf("wrote %d bytes, length says %d", n.n, rr.length)
	}
	if content.largest > copyBufferSize || content.reads < int(content.size/2/copyBufferSize) {
		t.Errorf("%d reads, the largest %d bytes", content.reads, content.largest)
	}
}

// countingWriter counts what is written to it, and keeps none of it.
type countingWriter struct{ n int64 }

// Write counts b.
func (c *countingWriter) Write(b []byte) (int, error) {
	c.n += int64(len(b))
	return len(b), nil
}

// failingWriter fails every write.
type failingWriter struct{}

// errWriteFailed is the error of a failingWriter.
var errWriteFailed = errors.New("write failed")

// Write fails.
func (failingWriter) Write([]byte) (int, error) { return 0, errWriteFailed }

func TestRangeResponseErrors(t *testing.T) {
	t.Parallel()
	for _, ranges := range [][]byteRange{{{0, 9}}, {{0, 1}, {5, 9}}} {
		rr := newRangeResponse(ranges, 10, "text/plain", "b")
		// A representation shorter than its size would make the
		// Content-Length a lie.
		if err := rr.write(io.Discard, strings.NewReader("01234")); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%v of 5 bytes: %v, want %v", ranges, err, io.ErrUnexpectedEOF)
		}
		if err := rr.write(failingWriter{}, strings.NewReader("0123456789")); !errors.Is(err, errWriteFailed) {
			t.Errorf("%v to a failing writer: %v", ranges, err)
		}
	}
}

func TestBoundaryFor(t *testing.T) {
	t.Parallel()
	ranges := []byteRange{{0, 0}, {2, 2}}
	a, b := boundaryFor(`"x"`, ranges), boundaryFor(`"y"`, ranges)
	if a == b || a == boundaryFor(`"x"`, ranges[:1]) || a != boundaryFor(`"x"`, ranges) {
		t.Errorf("boundaries of other tags or ranges alike, or of the same ones different: %q, %q", a, b)
	}
	// RFC 2046: 1 to 70 characters of bchars; none a hexadecimal digit
	// generated content holds could start it.
	if len(a) < 30 || len(a) > 70 || !strings.HasPrefix(a, "httpstatus-") || strings.Trim(a[len("httpstatus-"):], "0123456789abcdef") != "" {
		t.Errorf("boundary %q", a)
	}
	rr := newRangeResponse([]byteRange{{0, 0}, {2, 2}}, 3, "", a)
	if _, params, err := mime.ParseMediaType(rr.contentType); err != nil || params["boundary"] != a {
		t.Errorf("Content-Type %q: %v", rr.contentType, err)
	}
}

// FuzzParseRanges checks that parseRanges never panics and that what it
// returns is consistent with its outcome, and that the response for it
// is exactly as long as it says.
func FuzzParseRanges(f *testing.F) {
	for _, tc := range rangeCases {
		f.Add(tc.header, tc.size)
	}
	f.Fuzz(func(t *testing.T, header string, size int64) {
		ranges, out := parseRanges(header, size)
		switch out {
		case rangeOutcomeIgnore, rangeOutcomeUnsatisfiable:
			if ranges != nil {
				t.Fatalf("%q on %d: outcome %d with ranges %v", header, size, out, ranges)
			}
			return
		case rangeOutcomeSatisfiable:
		default:
			t.Fatalf("%q on %d: outcome %d", header, size, out)
		}
		if len(header) > maxRangeField || size <= 0 {
			t.Fatalf("%q on %d: satisfiable", header, size)
		}
		if len(ranges) < 1 || len(ranges) > maxRanges {
			t.Fatalf("%q on %d: %d ranges", header, size, len(ranges))
		}
		var total int64
		for i, r := range ranges {
			if r.first < 0 || r.first > r.last || r.last >= size {
				t.Fatalf("%q on %d: range %v", header, size, r)
			}
			for _, s := range ranges[:i] {
				if r.first <= s.last+1 && s.first <= r.last+1 {
					t.Fatalf("%q on %d: %v and %v overlap or touch", header, size, s, r)
				}
			}
			total += r.length()
		}
		if total > size {
			t.Fatalf("%q on %d: %d bytes of ranges", header, size, total)
		}
		if size <= 1<<16 {
			rr := newRangeResponse(ranges, size, "text/plain", boundaryFor(`"t"`, ranges))
			n := &countingWriter{}
			if err := rr.write(n, &patterned{size: size}); err != nil || n.n != rr.length {
				t.Fatalf("%q on %d: wrote %d bytes (%v), length says %d", header, size, n.n, err, rr.length)
			}
		}
	})
}
