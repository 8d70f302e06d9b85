package server

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"slices"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// A byteRange is an inclusive range of byte positions of a representation.
type byteRange struct{ first, last int64 }

// length returns the number of bytes in r.
func (r byteRange) length() int64 { return r.last - r.first + 1 }

// rangeOutcome says how to answer a Range field.
type rangeOutcome uint8

const (
	rangeOutcomeIgnore        rangeOutcome = iota // no Range, another unit, or a ranges-specifier the server ignores: send the whole representation, 200
	rangeOutcomeSatisfiable                       // send 206 with ranges
	rangeOutcomeUnsatisfiable                     // send 416 with Content-Range: bytes */size
)

// The bounds on a Range field, so that a hostile one costs little: RFC
// 9110 §14.2 lets a server ignore a Range field, and one past these is
// ignored whole.
const (
	maxRangeField = 4096 // the longest Range value read, in bytes
	maxRanges     = 64   // the most range-specs read, and so the most parts of a 206
)

// parseRanges reads a Range field value (RFC 9110 §14.1.1, §14.1.2) for a
// representation of size bytes and returns the ranges to send, in the
// order the client gave them, with those that overlap or touch merged.
//
// The caller passes the value of the one Range field line of the request,
// and ignores the field when there is more than one line (singleField
// does both), when the method is not GET (§14.2), or when the
// preconditions or If-Range say so (§13.2.2).
//
// The outcome is:
//   - Ignore for a unit other than bytes, for a ranges-specifier that is
//     invalid anywhere (§14.2 allows ignoring it whole), for more than
//     maxRanges ranges or a value longer than maxRangeField, and for a
//     non-zero suffix-range of an empty representation, which §14.1.2
//     calls satisfiable but no Content-Range can describe (§14.2 allows
//     ignoring a Range of an empty representation);
//   - Unsatisfiable when no range-spec is satisfiable: each int-range
//     starts at or past the end, or is a suffix of length zero;
//   - Satisfiable otherwise, with at least one and at most maxRanges
//     ranges, each within the representation, none overlapping or
//     touching another, so their total length is at most size.
func parseRanges(header string, size int64) ([]byteRange, rangeOutcome) {
	if size < 0 || len(header) > maxRangeField {
		return nil, rangeOutcomeIgnore
	}
	unit, set, found := strings.Cut(strings.Trim(header, " \t"), "=")
	// The unit is a token, compared without regard to case (§14.1).
	if !found || !strings.EqualFold(unit, "bytes") {
		return nil, rangeOutcomeIgnore
	}
	var (
		ranges      []byteRange
		specs       int
		emptySuffix bool // a non-zero suffix-range of an empty representation
	)
	// §5.6.1: optional whitespace around the commas, and empty elements
	// are skipped; erratum 7306 allows whitespace after the "=" too.
	for spec := range strings.SplitSeq(set, ",") {
		spec = strings.Trim(spec, " \t")
		if spec == "" {
			continue
		}
		if specs++; specs > maxRanges {
			return nil, rangeOutcomeIgnore
		}
		a, b, found := strings.Cut(spec, "-")
		switch {
		case !found:
			return nil, rangeOutcomeIgnore
		case a == "": // suffix-range: the last b bytes
			if !httptext.IsDigits(b) {
				return nil, rangeOutcomeIgnore
			}
			n := parsePos(b)
			switch {
			case n == 0: // valid, and never satisfiable
			case size == 0:
				emptySuffix = true
			default:
				ranges = append(ranges, byteRange{size - min(n, size), size - 1})
			}
		default: // int-range: from a to b, or to the end
			if !httptext.IsDigits(a) || (b != "" && !httptext.IsDigits(b)) {
				return nil, rangeOutcomeIgnore
			}
			first, last := parsePos(a), size-1
			if b != "" {
				// §14.1.1 makes a last before the first invalid; compare
				// the digits, as huge numbers saturate.
				if lessDigits(b, a) {
					return nil, rangeOutcomeIgnore
				}
				last = min(parsePos(b), size-1)
			}
			if first < size {
				ranges = append(ranges, byteRange{first, last})
			}
		}
	}
	switch {
	case specs == 0: // a range-set has at least one range-spec
		return nil, rangeOutcomeIgnore
	case len(ranges) > 0:
		return coalesce(ranges), rangeOutcomeSatisfiable
	case emptySuffix:
		return nil, rangeOutcomeIgnore
	}
	return nil, rangeOutcomeUnsatisfiable
}

// parsePos returns the value of a string of digits, or the largest int64
// when it is larger: a position that large is past the end of any
// representation, which is all a range needs to know.
func parsePos(digits string) int64 {
	n, _ := strconv.ParseInt(digits, 10, 64) // ParseInt saturates on overflow
	return n
}

// lessDigits reports whether the number written in the digits a is less
// than the one written in b, however long they are.
func lessDigits(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// coalesce merges the ranges of rs that overlap or touch (RFC 9110 §15.3.7.2
// allows it, in any order), so that a client cannot make the server send
// the same bytes many times. A merged range takes the place of the first of
// its parts the client named, and the others keep the client's order
// (§14.6 asks for it).
func coalesce(rs []byteRange) []byteRange {
	if len(rs) < 2 {
		return rs
	}
	type group struct {
		byteRange
		at int // where its first part was named
	}
	groups := make([]group, len(rs))
	for i, r := range rs {
		groups[i] = group{r, i}
	}
	slices.SortFunc(groups, func(x, y group) int { return cmp.Compare(x.first, y.first) })
	merged := groups[:1]
	for _, g := range groups[1:] {
		last := &merged[len(merged)-1]
		if g.first > last.last+1 { // last.last < size, so +1 cannot overflow
			merged = append(merged, g)
			continue
		}
		last.last = max(last.last, g.last)
		last.at = min(last.at, g.at)
	}
	slices.SortFunc(merged, func(x, y group) int { return cmp.Compare(x.at, y.at) })
	out := rs[:0]
	for _, g := range merged {
		out = append(out, g.byteRange)
	}
	return out
}

// A rangeResponse is a 206's header fields and content for a set of
// satisfiable ranges: the bytes of one range, or a multipart/byteranges
// body of several (RFC 9110 §14.6).
type rangeResponse struct {
	contentType  string // the representation's type for one range; multipart/byteranges; boundary=... for several
	contentRange string // "bytes 0-9/1024" for one range; "" for several (each part carries its own)
	length       int64  // the exact Content-Length of the content

	ranges   []byteRange
	size     int64  // the length of the whole representation
	partType string // the Content-Type of each part; "" sends none
	boundary string // "" for one range
}

// newRangeResponse returns the response for ranges, as parseRanges returns
// them, of a representation of size bytes and type contentType ("" when it
// has none). boundary separates the parts when there are several; it must
// be a valid RFC 2046 boundary that the content does not hold, such as
// boundaryFor returns.
func newRangeResponse(ranges []byteRange, size int64, contentType, boundary string) rangeResponse {
	rr := rangeResponse{ranges: ranges, size: size, partType: contentType}
	if len(ranges) == 1 {
		// §15.3.7.2: one range is sent alone, never as a multipart.
		rr.contentType = contentType
		rr.contentRange = string(rr.appendContentRange(nil, ranges[0]))
		rr.length = ranges[0].length()
		return rr
	}
	rr.boundary = boundary
	rr.contentType = mime.FormatMediaType("multipart/byteranges", map[string]string{"boundary": boundary})
	// The length is counted, not measured: the parts can be megabytes.
	var head []byte
	for i, r := range ranges {
		head = rr.appendPartHead(head[:0], i)
		rr.length += int64(len(head)) + r.length()
	}
	rr.length += int64(len(rr.closing()))
	return rr
}

// appendContentRange appends the Content-Range field value of r.
func (rr rangeResponse) appendContentRange(b []byte, r byteRange) []byte {
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, r.first, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, r.last, 10)
	b = append(b, '/')
	return strconv.AppendInt(b, rr.size, 10)
}

// appendPartHead appends what comes before the bytes of part i of a
// multipart body: the delimiter, which starts on a line of its own after
// the bytes of the part before, and the part's header fields.
func (rr rangeResponse) appendPartHead(b []byte, i int) []byte {
	if i > 0 {
		b = append(b, "\r\n"...)
	}
	b = append(b, "--"...)
	b = append(b, rr.boundary...)
	b = append(b, "\r\n"...)
	if rr.partType != "" {
		b = append(b, "Content-Type: "...)
		b = append(b, rr.partType...)
		b = append(b, "\r\n"...)
	}
	b = append(b, "Content-Range: "...)
	b = rr.appendContentRange(b, rr.ranges[i])
	return append(b, "\r\n\r\n"...)
}

// closing returns the close delimiter that ends a multipart body.
func (rr rangeResponse) closing() string { return "\r\n--" + rr.boundary + "--\r\n" }

// copyBufferSize bounds the memory write uses, whatever the ranges.
const copyBufferSize = 32 << 10

// write writes the content, exactly length bytes of it: the one range's
// bytes, or the multipart/byteranges body, reading the representation's
// bytes from content. It fails when content ends before a range does.
func (rr rangeResponse) write(w io.Writer, content io.ReaderAt) error {
	var longest int64
	for _, r := range rr.ranges {
		longest = max(longest, r.length())
	}
	buf := make([]byte, max(1, min(copyBufferSize, longest)))
	if len(rr.ranges) == 1 {
		return copyRange(w, content, rr.ranges[0], buf)
	}
	var head []byte
	for i, r := range rr.ranges {
		head = rr.appendPartHead(head[:0], i)
		if _, err := w.Write(head); err != nil {
			return err
		}
		if err := copyRange(w, content, r, buf); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, rr.closing())
	return err
}

// copyRange copies the bytes of r from content to w through buf.
func copyRange(w io.Writer, content io.ReaderAt, r byteRange, buf []byte) error {
	n, err := io.CopyBuffer(w, io.NewSectionReader(content, r.first, r.length()), buf)
	if err == nil && n < r.length() {
		err = io.ErrUnexpectedEOF // the Content-Length sent would be a lie
	}
	if err != nil {
		return fmt.Errorf("writing bytes %d-%d: %w", r.first, r.last, err)
	}
	return nil
}

// boundaryFor returns the multipart boundary of an answer with ranges of
// the representation tagged etag: "httpstatus-" and 32 hexadecimal
// digits of a digest of both, a valid RFC 2046 boundary, so that the same
// request gets the same bytes. RFC 2046 also wants a boundary that no part
// holds; the content is not searched for it: it cannot occur in content
// the server generates (the sample's digits, the resource's lines), and
// content a client wrote could hold it only by design.
func boundaryFor(etag string, ranges []byteRange) string {
	h := sha256.New()
	h.Write([]byte(etag))
	for _, r := range ranges {
		fmt.Fprintf(h, ",%d-%d", r.first, r.last)
	}
	return "httpstatus-" + hex.EncodeToString(h.Sum(nil)[:16])
}
