package conform

import "fmt"

// Level is how serious a finding is.
type Level int

// The levels of a finding, from the mildest.
const (
	Info    Level = iota + 1 // worth knowing; no requirement is broken
	Warning                  // a SHOULD or SHOULD NOT is not followed
	Error                    // a MUST or MUST NOT is broken
)

var levelNames = [...]string{"", "info", "warning", "error"}

// String returns "info", "warning" or "error".
func (l Level) String() string {
	if l < Info || l > Error {
		return fmt.Sprintf("invalid(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText encodes the level as its String.
func (l Level) MarshalText() ([]byte, error) {
	if l < Info || l > Error {
		return nil, fmt.Errorf("conform: invalid level %d", int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes "info", "warning" or "error".
func (l *Level) UnmarshalText(b []byte) error {
	for i := Info; i <= Error; i++ {
		if string(b) == levelNames[i] {
			*l = i
			return nil
		}
	}
	return fmt.Errorf("conform: unknown level %q", b)
}
