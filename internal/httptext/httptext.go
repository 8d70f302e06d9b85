// Package httptext holds the small text helpers for HTTP fields and
// messages that several packages of this module need: one copy of each.
package httptext

import (
	"strings"
	"time"
	"unicode/utf8"
)

// IsToken reports whether s is a token of RFC 9110, section 5.6.2: one or
// more tchar, the characters a field name or a method may use.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Clip shortens s to at most max bytes, for repeating an input in an error
// message without making a huge message of a huge input. It never splits a
// UTF-8 sequence, and it adds "..." when it cuts; the three dots do not
// count toward max. A negative max counts as zero.
func Clip(s string, max int) string {
	limit := max
	if limit < 0 {
		limit = 0
	}
	if len(s) <= limit {
		return s
	}
	cut := limit
	// A sequence is at most utf8.UTFMax bytes long: stray continuation
	// bytes further back belong to no character, so cutting among them
	// splits nothing.
	for back := 0; back < utf8.UTFMax-1 && cut > 0 && !utf8.RuneStart(s[cut]); back++ {
		cut--
	}
	if !utf8.RuneStart(s[cut]) {
		cut = limit
	}
	return s[:cut] + "..."
}

// ListHas reports whether any of the field lines in values lists item in
// its comma-separated list (Vary, Connection, ...), compared without regard
// to case after trimming optional whitespace.
func ListHas(values []string, item string) bool {
	for _, v := range values {
		for elem := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.Trim(elem, " \t"), item) {
				return true
			}
		}
	}
	return false
}

// CeilSeconds returns d rounded up to whole seconds, as Retry-After and
// other delta-seconds fields send it; 0 for a d of zero or less.
func CeilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}

// IsDigits reports whether s is one or more ASCII digits, and nothing else.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
