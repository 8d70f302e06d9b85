package httpstatus

import (
	"fmt"
	"time"
)

// A Date is a calendar day, such as the day IANA registered a code or the
// day a temporary registration lapses. The registry's dates are days, not
// instants; Time places one at midnight UTC so that programs can compare it
// with the time now. The zero Date stands for no date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether d is the zero Date, which stands for no date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns the day as YYYY-MM-DD, or the empty string for the zero
// Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns the start of the day in UTC, or the zero time.Time for the
// zero Date.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// MarshalText encodes the day as YYYY-MM-DD, and the zero Date as an empty
// string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
