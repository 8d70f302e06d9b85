package server

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestParseWeightMatchesParseFloat checks parseWeight's own decimal path
// against strconv.ParseFloat, bit for bit, on random decimals of up to 17
// digits (past its 15, where it hands over) and on the edge forms.
func TestParseWeightMatchesParseFloat(t *testing.T) {
	inputs := []string{"0", "1", "0.5", ".5", "5.", ".", "", "0.1", "0.3", "1.01", "999999999999999", "9999999999999999",
		"0.000000000000001", "123456789012345", "1234567890.12345", "1e3", "-1", "+1", "1..2", "NaN", "Inf", "0x1p-2", "1_0"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + r.IntN(17)
		b := make([]byte, 0, n+1)
		dot := r.IntN(n + 1)
		for i := range n {
			if i == dot {
				b = append(b, '.')
			}
			b = append(b, byte('0'+r.IntN(10)))
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		got, gotErr := parseWeight(in)
		want, wantErr := strconv.ParseFloat(in, 64)
		if (gotErr != nil) != (wantErr != nil) || (gotErr == nil && math.Float64bits(got) != math.Float64bits(want)) {
			t.Fatalf("parseWeight(%q) = %v, %v; ParseFloat gives %v, %v", in, got, gotErr, want, wantErr)
		}
	}
}
