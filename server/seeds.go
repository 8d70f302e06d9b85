package server

import (
	"hash/fnv"
	"math/rand/v2"
	"sync"
)

// maxSeeds bounds the seeded sequences a server keeps; when it is full,
// every sequence starts again.
const maxSeeds = 1024

// seeds holds one random sequence per seed and specification, so that the
// requests that name the same seed and list get the same sequence of codes
// every time the server starts. All clients that use one seed share its
// sequence.
type seeds struct {
	mu  sync.Mutex
	seq map[seedKey]*rand.Rand
}

type seedKey struct {
	seed uint64
	spec string
}

// next returns the next code of the sequence for seed and the list v.
func (s *seeds) next(seed uint64, v string, sp spec) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := seedKey{seed, v}
	r := s.seq[k]
	if r == nil {
		if s.seq == nil || len(s.seq) >= maxSeeds {
			s.seq = make(map[seedKey]*rand.Rand)
		}
		h := fnv.New64a()
		_, _ = h.Write([]byte(v))
		r = rand.New(rand.NewPCG(seed, h.Sum64()))
		s.seq[k] = r
	}
	return sp.pick(r.Float64(), r.Float64())
}
