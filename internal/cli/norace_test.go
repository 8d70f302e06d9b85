//go:build !race

package cli

// raceEnabled reports that the test binary was built with -race.
const raceEnabled = false
