package lazy

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestLoadStoresOnce(t *testing.T) {
	var p atomic.Pointer[int]
	var made atomic.Int32
	var wg sync.WaitGroup
	got := make([]*int, 16)
	for i := range got {
		wg.Go(func() {
			got[i] = Load(&p, func() *int { made.Add(1); v := i; return &v })
		})
	}
	wg.Wait()
	for _, v := range got {
		if v != got[0] {
			t.Fatalf("goroutines got different values: %p and %p", v, got[0])
		}
	}
	if again := Load(&p, func() *int { t.Fatal("made a value for a filled slot"); return nil }); again != got[0] {
		t.Errorf("a later Load got %p, want %p", again, got[0])
	}
	if made.Load() < 1 {
		t.Error("no value was made")
	}
}
