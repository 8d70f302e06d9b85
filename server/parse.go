package server

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
)

// maxChoices bounds the items of a random or weighted specification, so
// that a long list costs the server nothing to parse.
const maxChoices = 64

// A choice is one item of a random specification: a code or a range of
// codes, with its weight.
type choice struct {
	lo, hi int     // the codes, inclusive; lo == hi for a single code
	weight float64 // relative weight of the whole item; 1 when none is given
}

// A spec is a parsed random specification: "200,500-504" (every code equally
// likely) or "200:0.9,503:0.1" (weighted).
type spec struct {
	choices []choice
	total   float64 // the sum of the weights
}

// errBadSpec is wrapped by every error of parseSpec.
var errBadSpec = errors.New("a random specification is a comma-separated list of codes (404) or ranges (500-504), each optionally weighted (503:0.1)")

// parseSpec parses a list of codes and ranges of codes, each with an
// optional weight after a colon. Every code is checked against 100 to 599,
// every weight must be a finite number that is not negative, and the
// weights must not all be zero. An item without a weight counts as 1; a
// weighted range shares its weight evenly among its codes.
func parseSpec(s string) (spec, error) {
	if s == "" {
		return spec{}, fmt.Errorf("empty list: %w", errBadSpec)
	}
	if n := strings.Count(s, ",") + 1; n > maxChoices {
		return spec{}, fmt.Errorf("%d items, at most %d are accepted: %w", n, maxChoices, errBadSpec)
	}
	var sp spec
	for item := range strings.SplitSeq(s, ",") {
		c, err := parseChoice(item)
		if err != nil {
			return spec{}, err
		}
		sp.choices = append(sp.choices, c)
		sp.total += c.weight
	}
	if sp.total <= 0 || math.IsInf(sp.total, 0) {
		return spec{}, fmt.Errorf("the weights add up to %v, which is not a positive finite number: %w", sp.total, errBadSpec)
	}
	return sp, nil
}

func parseChoice(item string) (choice, error) {
	codes, weight, weighted := strings.Cut(item, ":")
	c := choice{weight: 1}
	if weighted {
		w, err := parseWeight(weight)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return choice{}, badWeight(weight, item)
		}
		c.weight = w
	}
	lo, hi, isRange := strings.Cut(codes, "-")
	var err error
	if c.lo, err = httpstatus.ParseCode(lo); err != nil {
		return choice{}, badItem(item, err)
	}
	c.hi = c.lo
	if isRange {
		if c.hi, err = httpstatus.ParseCode(hi); err != nil {
			return choice{}, badItem(item, err)
		}
		if c.hi < c.lo {
			return choice{}, backwardRange(codes)
		}
	}
	return c, nil
}

// parseWeight parses a weight as strconv.ParseFloat does. A plain decimal
// of at most 15 digits, the form weights take (0.9, 1, 12.5), is computed
// here, exactly: its digits as an integer and the power of ten are both
// exact in a float64, and one division rounds correctly. ParseFloat, whose
// frames are large (see "The way to a wait" in pipeline.go),
// is left the rest.
func parseWeight(v string) (float64, error) {
	var mantissa uint64
	digits, frac, dot := 0, 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			mantissa = mantissa*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return strconv.ParseFloat(v, 64)
		}
	}
	if digits == 0 || digits > 15 {
		return strconv.ParseFloat(v, 64)
	}
	return float64(mantissa) / pow10[frac], nil
}

// pow10 holds the powers of ten parseWeight divides by, all exact.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// badWeight, badItem and backwardRange are parseChoice's errors, out of
// line (see "The way to a wait" in pipeline.go).
//
//go:noinline
func badWeight(weight, item string) error {
	return fmt.Errorf("weight %q of %q is not a finite number of zero or more: %w", httptext.Clip(weight, maxEcho), httptext.Clip(item, maxEcho), errBadSpec)
}

//go:noinline
func badItem(item string, err error) error {
	return fmt.Errorf("item %q: %w", httptext.Clip(item, maxEcho), err)
}

//go:noinline
func backwardRange(codes string) error {
	return fmt.Errorf("range %q runs backwards: %w", httptext.Clip(codes, maxEcho), errBadSpec)
}

// codes returns every code sp may pick, each once, in order: those of
// the items with weight.
func (sp spec) codes() []int {
	var seen [600]bool
	var out []int
	for _, c := range sp.choices {
		if c.weight == 0 {
			continue
		}
		for code := c.lo; code <= c.hi; code++ {
			if !seen[code] {
				seen[code] = true
				out = append(out, code)
			}
		}
	}
	slices.Sort(out)
	return out
}

// pick maps two numbers in [0, 1) to a code: the first chooses the item by
// weight, the second the code within a range.
func (sp spec) pick(u, v float64) int {
	x := u * sp.total
	c := sp.choices[len(sp.choices)-1]
	for _, ch := range sp.choices {
		if x < ch.weight {
			c = ch
			break
		}
		x -= ch.weight
	}
	// A zero-weight item is never chosen; skip back to the last item with
	// weight when rounding lands on one.
	if c.weight == 0 {
		for i := len(sp.choices) - 1; i >= 0; i-- {
			if sp.choices[i].weight > 0 {
				c = sp.choices[i]
				break
			}
		}
	}
	return c.lo + int(v*float64(c.hi-c.lo+1))
}

// errBadDuration is wrapped by every error of parseDuration.
var errBadDuration = errors.New("a delay is a whole number of milliseconds (1500) or a Go duration (1.5s, 250ms)")

// parseDuration parses a delay: a whole number is milliseconds, anything
// else must be a Go duration. Negative delays are refused.
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty value: %w", errBadDuration)
	}
	if httptext.IsDigits(s) {
		if len(s) > 12 { // more than 31 years: certainly over any limit
			return 0, fmt.Errorf("%q milliseconds is out of range: %w", httptext.Clip(s, maxEcho), errBadDuration)
		}
		ms, _ := strconv.ParseInt(s, 10, 64)
		return time.Duration(ms) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", httptext.Clip(s, maxEcho), errBadDuration)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative: %w", httptext.Clip(s, maxEcho), errBadDuration)
	}
	return d, nil
}

// parseBool parses the boolean spellings the controls accept.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (true or false)", httptext.Clip(s, maxEcho))
}
