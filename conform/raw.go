package conform

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// MaxRaw is the largest raw input CheckRaw reads.
const MaxRaw = 16 << 20

// ErrNotResponse is wrapped by the error CheckRaw returns for input that
// is not an HTTP response.
var ErrNotResponse = errors.New("not an HTTP response")

// CheckRaw reads a raw HTTP/1.x response, as "curl -si" prints it, and
// returns the findings of every response in it: curl prints interim 1xx
// responses, such as 100 Continue, before the final one, and with -L the
// responses of every redirect. Lines may end in CRLF or a bare LF, and
// curl's "HTTP/2 200" status lines are accepted. Content that curl already
// decoded from chunked coding is recognised. req, when not nil, is the
// request the response answers: its method and Range field matter to some
// rules, its URL to the redirect rules.
//
// CheckRaw returns an error wrapping ErrNotResponse when the input does
// not start with a status line or has a malformed header section, and an
// error when the input cannot be read or is larger than MaxRaw.
func CheckRaw(r io.Reader, req *http.Request) ([]Finding, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRaw+1))
	if err != nil {
		return nil, fmt.Errorf("conform: reading the response: %w", err)
	}
	if len(data) > MaxRaw {
		return nil, fmt.Errorf("conform: the response is larger than %d bytes", MaxRaw)
	}
	msgs, err := readRaw(data, req)
	if err != nil {
		return nil, err
	}
	c := newChecker()
	var findings []Finding
	for _, in := range msgs {
		findings = append(findings, c.check(in)...)
	}
	return findings, nil
}

// readRaw splits raw input into the responses it holds.
func readRaw(data []byte, req *http.Request) ([]*input, error) {
	var msgs []*input
	rest := data
	interims := map[int]int{} // interim responses so far to the current request, by code
	for {
		rest = bytes.TrimLeft(rest, "\r\n")
		if len(rest) == 0 && len(msgs) > 0 {
			return msgs, nil
		}
		in, after, err := readMessage(rest, req)
		if err != nil {
			if len(msgs) > 0 {
				return nil, fmt.Errorf("conform: response %d: %w", len(msgs)+1, err)
			}
			return nil, fmt.Errorf("conform: %w", err)
		}
		in.sequenced, in.earlier = true, interims[in.code]
		if in.code < 200 {
			interims[in.code]++
		} else {
			clear(interims) // a final response ends the exchange; with -L another follows
		}
		msgs = append(msgs, in)
		if in.code == http.StatusSwitchingProtocols {
			// What follows speaks another protocol.
			return msgs, nil
		}
		// Bytes after the message belong to it (as content it should not
		// have) unless another response starts there, possibly after
		// content a 1xx, 204, 304 or HEAD response should not have had.
		next := nextResponse(after)
		if next < 0 {
			if len(bytes.TrimSpace(after)) > 0 {
				in.extra = after
			}
			return msgs, nil
		}
		if len(bytes.TrimSpace(after[:next])) > 0 {
			in.extra = after[:next]
		}
		rest = after[next:]
	}
}

// nextResponse returns the offset of the first line of b that starts a
// status line, or -1.
func nextResponse(b []byte) int {
	for i := 0; i < len(b); {
		if isStatusLine(b[i:]) {
			return i
		}
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
	}
	return -1
}

func isStatusLine(b []byte) bool {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	_, _, _, err := parseStatusLine(string(bytes.TrimSuffix(line, []byte("\r"))))
	return err == nil
}

// parseStatusLine parses "HTTP/1.1 404 Not Found", "HTTP/2 200" and the like.
func parseStatusLine(line string) (proto string, code int, phrase string, err error) {
	line = strings.TrimRight(line, " ")
	proto, rest, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/") || len(proto) < 6 {
		return "", 0, "", fmt.Errorf("%w: the first line %q is not a status line", ErrNotResponse, httptext.Clip(line, 40))
	}
	for _, c := range proto[5:] {
		if (c < '0' || c > '9') && c != '.' {
			return "", 0, "", fmt.Errorf("%w: %q is not an HTTP version", ErrNotResponse, httptext.Clip(proto, 40))
		}
	}
	digits, phrase, _ := strings.Cut(rest, " ")
	if len(digits) != 3 || digits[0] < '0' || digits[0] > '9' || digits[1] < '0' || digits[1] > '9' || digits[2] < '0' || digits[2] > '9' {
		return "", 0, "", fmt.Errorf("%w: %q is not a three-digit status code", ErrNotResponse, httptext.Clip(digits, 40))
	}
	code, _ = strconv.Atoi(digits)
	return proto, code, phrase, nil
}

// readMessage reads one response from the start of data and returns it
// with the bytes after its end.
func readMessage(data []byte, req *http.Request) (*input, []byte, error) {
	line, rest := nextLine(data)
	_, code, phrase, err := parseStatusLine(line)
	if err != nil {
		return nil, nil, err
	}
	header := http.Header{}
	for {
		if len(rest) == 0 {
			break // tolerate input that ends in the header section
		}
		line, rest = nextLine(rest)
		if line == "" {
			break
		}
		if isOWS(line[0]) {
			return nil, nil, fmt.Errorf("%w: a header line starts with white space (obsolete line folding): %q", ErrNotResponse, httptext.Clip(line, 40))
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || trimOWS(name) == "" || strings.ContainsAny(name, "\r\n") {
			return nil, nil, fmt.Errorf("%w: malformed header line %q", ErrNotResponse, httptext.Clip(line, 40))
		}
		// A name that is not a token (white space before the colon, a
		// stray character) is kept for the field-name rule to report.
		header[textproto.CanonicalMIMEHeaderKey(name)] = append(header[textproto.CanonicalMIMEHeaderKey(name)], trimOWS(value))
	}
	in := &input{code: code, phrase: phrase, header: header, req: req, method: methodOf(req), complete: true, raw: true}
	if in.framedWithoutContent() {
		return in, rest, nil
	}
	te := header.Values("Transfer-Encoding")
	if len(te) > 0 {
		in.chunked = true
		codings := strings.Split(strings.Join(te, ","), ",")
		if strings.EqualFold(trimOWS(codings[len(codings)-1]), "chunked") {
			if body, after, ok := decodeChunked(rest); ok {
				in.body = body
				return in, after, nil
			}
		}
		// curl prints chunked content already decoded; the content runs
		// to the end of the input or the next response.
		in.decoded = true
		in.body, rest = untilNext(rest)
		return in, rest, nil
	}
	if values := header.Values("Content-Length"); len(values) > 0 {
		if n, err := parseContentLength(values); err == nil {
			if int64(len(rest)) < n {
				in.body, in.short = rest, true
				return in, nil, nil
			}
			in.body = rest[:n]
			return in, rest[n:], nil
		}
	}
	in.body, rest = untilNext(rest)
	return in, rest, nil
}

// untilNext splits content that has no framing of its own at the next
// status line, which is where curl -L prints the next response.
func untilNext(b []byte) (content, after []byte) {
	if i := nextResponse(b); i >= 0 {
		return b[:i], b[i:]
	}
	return b, nil
}

// nextLine returns the first line of b without its CRLF or LF, and the rest.
func nextLine(b []byte) (string, []byte) {
	line, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		rest = nil
	}
	return string(bytes.TrimSuffix(line, []byte("\r"))), rest
}

// decodeChunked decodes chunked content at the start of b, with its
// trailer section, and returns the content and the bytes after it.
func decodeChunked(b []byte) (body, after []byte, ok bool) {
	src := bytes.NewReader(b)
	br := bufio.NewReaderSize(src, 16)
	body, err := io.ReadAll(httputil.NewChunkedReader(br))
	if err != nil {
		return nil, nil, false
	}
	consumed := len(b) - src.Len() - br.Buffered()
	rest := b[consumed:]
	for len(rest) > 0 { // the trailer section, up to an empty line
		var line string
		line, rest = nextLine(rest)
		if line == "" {
			break
		}
		if name, _, ok := strings.Cut(line, ":"); !ok || !httptext.IsToken(name) {
			return nil, nil, false
		}
	}
	return body, rest, true
}
