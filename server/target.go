package server

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/httptext"
)

// The target check. A request may put URLs in its response: the location
// control, and extra Location, Content-Location, Refresh and Link fields.
// Each URL is resolved the way a browser resolves it (the parts of the
// WHATWG URL parser that decide the scheme and the host, below) against a
// page of this server, over http and over https, and the way an RFC 3986
// client such as Go's or curl resolves it. It passes only when every
// reading gives a path on this server (the base URL's own host), or an
// http or https URL on a host of the redirect allow-list. Anything else is
// refused with a 400, so that the server cannot be made to send a client
// to a host its operator did not name.

// errTarget is wrapped by every error of checkTarget.
var errTarget = errors.New("a URL in a response must be a path on this server, such as /status/200, or an http(s) URL on a host of the redirect allow-list")

// checkTargets checks every URL the controls of a request would put in the
// response: the location control and the extra header fields that carry
// URLs. Its error names the field.
func (s *Server) checkTargets(c *controls) error {
	if c.location != "" {
		if err := s.checkTarget(c.location); err != nil {
			return fmt.Errorf("location: %w", err)
		}
	}
	for _, f := range c.headers {
		if err := s.checkField(f.name, f.value); err != nil {
			return fmt.Errorf("extra %s header: %w", f.name, err)
		}
	}
	return nil
}

// checkField checks the URLs that the field name (in canonical form) with
// value carries; fields that carry none pass.
func (s *Server) checkField(name, value string) error {
	switch name {
	case "Location", "Content-Location":
		return s.checkTarget(value)
	case "Refresh":
		if u, ok := refreshURL(value); ok {
			return s.checkTarget(u)
		}
	case "Link":
		targets, err := linkTargets(value)
		if err != nil {
			return fmt.Errorf("%q: %w: %w", httptext.Clip(value, maxEcho), err, errTarget)
		}
		for _, t := range targets {
			if err := s.checkTarget(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTarget checks one URL.
func (s *Server) checkTarget(t string) error {
	echo := httptext.Clip(t, maxEcho)
	if !validValue(t) || strings.ContainsRune(t, '\t') {
		// A browser drops tabs and newlines inside a URL, so what it
		// follows is not what the field shows; a tester gains nothing.
		return fmt.Errorf("%q contains a control character: %w", echo, errTarget)
	}
	if isPathOnHost(t) {
		return nil
	}
	// The scheme of the page the browser is on changes the meaning of a
	// value such as https:evil.example, so both are tried.
	for _, base := range [...]string{"http", "https"} {
		if err := s.checkResolved(t, base, echo); err != nil {
			return err
		}
	}
	return s.checkRFC3986(t, echo)
}

// checkResolved checks t as a browser on a page of the scheme base
// resolves it. It is out of line, with its errors
// (see "The way to a wait" in pipeline.go).
//
//go:noinline
func (s *Server) checkResolved(t, base, echo string) error {
	r, err := resolve(t, base)
	switch {
	case errors.Is(err, errNonASCIIHost):
		return fmt.Errorf("%q names a host that is not ASCII (write an allowed host in ASCII, with xn-- labels): %w", echo, errTarget)
	case err != nil:
		return fmt.Errorf("a browser cannot parse %q as a URL (%w): %w", echo, err, errTarget)
	case r.inherited:
		return nil
	case r.scheme != "http" && r.scheme != "https":
		return fmt.Errorf("a browser reads %q as a %s: URL: %w", echo, r.scheme, errTarget)
	case !s.allowedHost(r.host):
		return fmt.Errorf("a browser reads %q as a URL on host %s, which %s: %w", echo, r.host, s.allowListSays(), errTarget)
	}
	return nil
}

// isPathOnHost reports whether t is an absolute path that every client
// resolves on the host it asked: a slash not followed by another slash or
// a backslash (which would start an authority for a browser), and nothing
// but the characters RFC 3986 allows unescaped, with no escape (which a
// client may fail to parse). The commonest target is decided without
// resolving it twice, whose frames are large
// (see "The way to a wait" in pipeline.go).
func isPathOnHost(t string) bool {
	if len(t) == 0 || t[0] != '/' || (len(t) > 1 && (t[1] == '/' || t[1] == '\\')) {
		return false
	}
	for i := 1; i < len(t); i++ {
		if c := t[i]; !isAlpha(c) && !isDigit(c) && !strings.ContainsRune("-._~!$&'()*+,;=:@/?#", rune(c)) {
			return false
		}
	}
	return true
}

// checkRFC3986 checks t the way a client that follows RFC 3986 resolves it:
// Go's net/http, and much like curl. Such a client reads some values that
// a browser reads as a path, or as an allowed host, differently (http:x
// has a scheme and no host; a backslash in an authority belongs to the
// userinfo), and must not be sent elsewhere either.
func (s *Server) checkRFC3986(t, echo string) error {
	u, err := url.Parse(strings.TrimSpace(t))
	if err != nil {
		return fmt.Errorf("%q is not a URI reference (RFC 3986): %w", echo, errTarget)
	}
	if u.Scheme == "" && u.Host == "" && u.Opaque == "" && !strings.HasPrefix(strings.TrimSpace(t), "//") {
		return nil
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "" && scheme != "http" && scheme != "https" {
		return fmt.Errorf("%q has the scheme %s: %w", echo, scheme, errTarget)
	}
	name := u.Hostname() // unescaped, and without the brackets of an IPv6 address
	if strings.Contains(name, ":") {
		name = "[" + name + "]"
	}
	host, err := parseHost(name, u.Host)
	if err != nil || u.Opaque != "" || !s.allowedHost(host) {
		return fmt.Errorf("an RFC 3986 client reads %q as a URL on host %q, which %s: %w", echo, u.Host, s.allowListSays(), errTarget)
	}
	return nil
}

// allowedHost reports whether host, as resolve serialises it, is on the
// allow-list. The names on the list are parsed like hosts in a URL, so
// that 127.0.0.1 on the list also covers 2130706433 in a URL, and ::1
// covers [0::1].
func (s *Server) allowedHost(host string) bool {
	for _, name := range s.allowHosts {
		literal := name
		if strings.Contains(name, ":") && !strings.HasPrefix(name, "[") {
			literal = "[" + name + "]"
		}
		if h, err := parseHost(literal, literal); err == nil && h == host {
			return true
		}
	}
	return false
}

// allowListSays describes the allow-list, for an error message.
func (s *Server) allowListSays() string {
	if len(s.allowHosts) == 0 {
		return "is not on the redirect allow-list (it is empty)"
	}
	return "is not on the redirect allow-list (" + strings.Join(s.allowHosts, ", ") + ")"
}

// A resolution is what a browser makes of a URL resolved against a page of
// this server: its scheme, and either its own host or the page's.
type resolution struct {
	scheme string // in lower case
	// host is the serialised host, for http and https only: an ASCII
	// domain in lower case, an IPv4 address in dotted decimal or an IPv6
	// address in brackets.
	host string
	port string // the port, "" for the scheme's default
	// inherited is true when the URL has no authority of its own: it is a
	// path, query or fragment on the page's host.
	inherited bool
}

// errNonASCIIHost is returned for a host outside ASCII. A browser maps such
// a host with IDNA (fullwidth letters, the ideographic full stop for a
// dot), which this package does not implement, so it cannot tell which
// host that is and refuses it.
var errNonASCIIHost = errors.New("a host outside ASCII")

// errHost is wrapped by resolve's errors about a host.
var errHost = errors.New("no valid host")

// resolve resolves v the way the WHATWG URL standard's basic URL parser
// does, against a base URL with the scheme baseScheme (http or https) and
// a host and path of its own, as far as the scheme and the host: the path,
// query and fragment do not matter here. A scheme other than http and
// https is returned without the rest.
func resolve(v, baseScheme string) (resolution, error) {
	// Browsers ignore C0 controls and spaces at either end and drop tabs
	// and newlines anywhere.
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(v, "\t\n\r") {
		v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	}

	scheme, rest := splitScheme(v)
	switch {
	case scheme == "" || scheme == baseScheme:
		// Relative: only two leading slashes, either way round, start an
		// authority; anything else is a path on the base URL's host.
		if len(rest) < 2 || !isSlash(rest[0]) || !isSlash(rest[1]) {
			return resolution{scheme: baseScheme, inherited: true}, nil
		}
	case scheme != "http" && scheme != "https":
		return resolution{scheme: scheme}, nil
	}
	// An http or https URL of the other scheme than the base's takes an
	// authority whatever follows its colon: https:evil.example is a host.
	// So does any relative URL that got here. Every slash and backslash
	// before it is skipped.
	if scheme == "" {
		scheme = baseScheme
	}
	rest = strings.TrimLeft(rest, `/\`)
	end := strings.IndexAny(rest, `/?#\`)
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:] // the userinfo is dropped; the last @ ends it
	}
	hostPart, port, err := splitPort(auth)
	if err != nil {
		return resolution{}, err
	}
	host, err := parseHost(hostPart, hostPart)
	if err != nil {
		return resolution{}, err
	}
	if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) {
		port = -1
	}
	r := resolution{scheme: scheme, host: host}
	if port >= 0 {
		r.port = strconv.Itoa(port)
	}
	return r, nil
}

// splitScheme returns the scheme of v in lower case and what follows its
// colon, or "" and v when v does not start with a scheme.
func splitScheme(v string) (scheme, rest string) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case isAlpha(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(v[:i]), v[i+1:]
		default:
			return "", v
		}
	}
	return "", v
}

// splitPort splits an authority without userinfo into its host and port;
// the port is -1 when there is none. A colon inside brackets belongs to an
// IPv6 address.
func splitPort(auth string) (host string, port int, err error) {
	inBrackets := false
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if inBrackets {
				continue
			}
			if i == 0 {
				return "", 0, fmt.Errorf("%w: a port without a host", errHost)
			}
			digits := auth[i+1:]
			if digits == "" {
				return auth[:i], -1, nil
			}
			port := 0
			for j := 0; j < len(digits); j++ {
				if !isDigit(digits[j]) {
					return "", 0, fmt.Errorf("%w: the port %q is not a number", errHost, httptext.Clip(digits, maxEcho))
				}
				if port = port*10 + int(digits[j]-'0'); port > 65535 {
					return "", 0, fmt.Errorf("%w: the port is over 65535", errHost)
				}
			}
			return auth[:i], port, nil
		}
	}
	return auth, -1, nil
}

// parseHost parses the host of an http or https URL (raw, percent-encoded;
// shown is how to name it in an error) as a browser does, and returns it
// serialised: a domain in lower case, an IPv4 address in dotted decimal
// however the URL wrote it (2130706433, 0x7f.1, 0177.0.0.1), or an IPv6
// address in brackets.
func parseHost(raw, shown string) (string, error) {
	if raw == "" {
		return "", fmt.Errorf("%w: the host is empty", errHost)
	}
	if raw[0] == '[' {
		if raw[len(raw)-1] != ']' {
			return "", fmt.Errorf("%w: %q opens a bracket it does not close", errHost, httptext.Clip(shown, maxEcho))
		}
		a, err := netip.ParseAddr(raw[1 : len(raw)-1])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", fmt.Errorf("%w: %q is not an IPv6 address", errHost, httptext.Clip(shown, maxEcho))
		}
		return "[" + ipv6String(a) + "]", nil
	}
	domain := percentDecode(raw)
	if domain == "" {
		return "", fmt.Errorf("%w: the host is empty", errHost)
	}
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if c >= 0x80 {
			return "", errNonASCIIHost
		}
		if c <= ' ' || c == 0x7f || strings.IndexByte("#%/:<>?@[\\]^|", c) >= 0 {
			return "", fmt.Errorf("%w: %q has the character %q in its host", errHost, httptext.Clip(shown, maxEcho), c)
		}
	}
	// For ASCII, IDNA only folds case. (It would also reject a malformed
	// xn-- label, which a browser then does not follow: no harm here.)
	domain = strings.ToLower(domain)
	if endsInNumber(domain) {
		a, ok := parseIPv4(domain)
		if !ok {
			return "", fmt.Errorf("%w: %q ends in a number but is not an IPv4 address", errHost, httptext.Clip(shown, maxEcho))
		}
		return a, nil
	}
	return domain, nil
}

// percentDecode decodes every %XX of s; a % not followed by two hex digits
// stays as it is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b = append(b, byte(n))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// endsInNumber reports whether a browser takes domain for an IPv4 address:
// its last label (a trailing dot aside) is decimal digits or another
// number a browser reads, such as 0x1f.
func endsInNumber(domain string) bool {
	labels := strings.Split(domain, ".")
	if labels[len(labels)-1] == "" {
		if len(labels) == 1 {
			return false
		}
		labels = labels[:len(labels)-1]
	}
	last := labels[len(labels)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := ipv4Number(last)
	return ok
}

// parseIPv4 parses an IPv4 address as a browser does: one to four numbers,
// each decimal, hex (0x) or octal (a leading 0), the last filling the
// bytes the others leave. It returns it in dotted decimal.
func parseIPv4(s string) (string, bool) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", false
	}
	var addr uint64
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return "", false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return "", false
			}
			addr |= n << (8 * (3 - i))
			continue
		}
		if n >= 1<<(8*(5-len(parts))) {
			return "", false
		}
		addr |= n
	}
	return netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)}).String(), true
}

// ipv4Number parses one number of an IPv4 address. A number too large for
// any address is returned as 1<<40 rather than refused: the address is
// refused for it, but the host still counts as ending in a number.
func ipv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d, ok := digitValue(s[i])
		if !ok || d >= base {
			return 0, false
		}
		if n < 1<<40 {
			n = n*uint64(base) + uint64(d)
		}
	}
	return min(n, 1<<40), true
}

// ipv6String writes a in the form browsers use: eight hex pieces with the
// first longest run of two or more zero pieces compressed, and no dotted
// IPv4 tail (netip writes one for ::ffff:0:0/96).
func ipv6String(a netip.Addr) string {
	b := a.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	start, length := -1, 1 // a run must be two pieces or more
	for i := 0; i < 8; i++ {
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > length {
			start, length = i, j-i
		}
		i = j
	}
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if i == start {
			sb.WriteString("::")
			i += length - 1
			continue
		}
		if i > 0 && i != start+length {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	return sb.String()
}

// refreshURL returns the URL of a Refresh field value, and false when the
// value names none (a browser then reloads the same page). It reads the
// value as browsers do: a delay, then ';' or ',' or spaces, then the URL,
// optionally after "url=" in any case and inside quotes. Whatever the delay
// looks like, the URL is still found, so that a browser more lenient about
// the delay cannot follow a URL this check did not see.
func refreshURL(v string) (string, bool) {
	const space = "\t\n\f\r "
	v = strings.TrimLeft(v, space)
	i := strings.IndexAny(v, ";,"+space)
	if i < 0 {
		return "", false
	}
	v = strings.TrimLeft(v[i:], space)
	if v != "" && (v[0] == ';' || v[0] == ',') {
		v = strings.TrimLeft(v[1:], space)
	}
	if v == "" {
		return "", false
	}
	if len(v) >= 3 && strings.EqualFold(v[:3], "url") {
		if rest := strings.TrimLeft(v[3:], space); strings.HasPrefix(rest, "=") {
			v = strings.TrimLeft(rest[1:], space)
		}
	}
	if v != "" && (v[0] == '\'' || v[0] == '"') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			v = v[1 : 1+end]
		} else {
			v = v[1:]
		}
	}
	return v, v != ""
}

// linkTargets returns every target of a Link field value: each <...>. A <
// inside a quoted parameter is read as a target too, which can only refuse
// more.
func linkTargets(v string) ([]string, error) {
	var out []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			return out, nil
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			return nil, errors.New("a < without its >")
		}
		out = append(out, v[i+1:i+j])
		v = v[i+j+1:]
	}
}

// isSlash reports whether c is a slash, or a backslash, which browsers
// read as a slash in http and https URLs.
func isSlash(c byte) bool { return c == '/' || c == '\\' }

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isHex reports whether c is a hex digit.
func isHex(c byte) bool { _, ok := digitValue(c); return ok }

// digitValue returns the value of a hex digit, or false.
func digitValue(c byte) (int, bool) {
	switch {
	case isDigit(c):
		return int(c - '0'), true
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return int(c|0x20-'a') + 10, true
	}
	return 0, false
}
