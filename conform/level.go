package conform

import "fmt"

// Severity is how serious a finding is.
type Severity int

// The levels of a finding, from the mildest.
const (
	SeverityInfo    Severity = iota + 1 // worth knowing; no requirement is broken
	SeverityWarning                     // a SHOULD or SHOULD NOT is not followed
	SeverityError                       // a MUST or MUST NOT is broken
)

var levelNames = [...]string{"", "info", "warning", "error"}

// String returns "info", "warning" or "error".
func (l Severity) String() string {
	if l < SeverityInfo || l > SeverityError {
		return fmt.Sprintf("invalid(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText encodes the level as its String.
func (l Severity) MarshalText() ([]byte, error) {
	if l < SeverityInfo || l > SeverityError {
		return nil, fmt.Errorf("conform: invalid level %d", int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes "info", "warning" or "error".
func (l *Severity) UnmarshalText(b []byte) error {
	for i := SeverityInfo; i <= SeverityError; i++ {
		if string(b) == levelNames[i] {
			*l = i
			return nil
		}
	}
	return fmt.Errorf("conform: unknown level %q", b)
}
