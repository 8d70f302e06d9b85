// Package lazy fills slots on first use, for tables that are read on every
// request and whose slots most requests never touch.
package lazy

import "sync/atomic"

// Load returns the value p points at, first storing the one newValue makes
// when there is none. Goroutines that race to store all get the value
// stored first; the others' values are dropped.
func Load[T any](p *atomic.Pointer[T], newValue func() *T) *T {
	if v := p.Load(); v != nil {
		return v
	}
	p.CompareAndSwap(nil, newValue())
	return p.Load()
}
