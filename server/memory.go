package server

import (
	"container/list"
	"net"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/verdict"
)

// The memory of the server: what the routes that answer a run of requests
// (sequences, rate limits, the resource) remember between them, by key. A
// key names a run: the key control, or else the client's address. The
// memory is bounded three ways, so that a client inventing keys cannot
// exhaust the server: the number of keys, the bytes they hold together,
// and how long an unused key lives. Past a bound, the least recently used
// keys are forgotten first.

// addressKeyPrefix starts the key of a request that names none. A key a
// request names cannot contain a colon, so the two kinds never collide.
const addressKeyPrefix = "addr:"

// maxKeyLength bounds a key a request names.
const maxKeyLength = 64

// Costs charged to the memory's byte bound, in bytes: rough sizes of the
// structures, so that the bound holds within a small factor.
const (
	costSession  = 256
	costSequence = 64
	costWindow   = 96
	costResource = 320
)

// memory holds the sessions of every key. One mutex guards it all: every
// operation under it is a few map look-ups, and the content of a resource
// is read and written outside it (a representation is never modified once
// stored; a write replaces it).
type memory struct {
	mu       sync.Mutex
	sessions map[string]*list.Element // of *session
	lru      list.List                // front: the most recently used
	bytes    int64
	evicted  uint64

	maxKeys  int
	maxBytes int64
	idle     time.Duration
}

// A session is what the server remembers of one key.
type session struct {
	key  string
	used time.Time
	cost int64 // charged to memory.bytes

	sequences map[string]int64          // requests so far, by the sequence's list of codes
	windows   map[rateLimit]*window     // rate-limit windows, by policy
	resources map[string]*resourceState // by name ("" for /resource)
	version   uint64                    // of the last representation made, for entity-tags

	attempts     []verdict.Attempt // the record of the run (record.go)
	attemptCosts []int64
	dropped      int // attempts dropped from the front of the record
}

func newMemory(l Limits) *memory {
	return &memory{
		sessions: map[string]*list.Element{},
		maxKeys:  l.MaxKeys,
		maxBytes: l.MaxMemory,
		idle:     l.KeyIdle,
	}
}

// use runs fn on the session of key, which it creates when there is none
// or when the one there has been unused for longer than the idle limit.
// fn may change the session's cost; afterwards the memory forgets the
// least recently used other sessions until it is within its bounds again.
// fn runs under the memory's lock and must be quick.
func (m *memory) use(key string, now time.Time, fn func(*session)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.session(key, now)
	before := s.cost
	fn(s)
	m.bytes += s.cost - before
	m.shrink(now)
}

// session returns the live session of key, created if need be, moved to
// the front of the eviction order.
func (m *memory) session(key string, now time.Time) *session {
	if el, ok := m.sessions[key]; ok {
		s := el.Value.(*session)
		if now.Sub(s.used) <= m.idle {
			s.used = now
			m.lru.MoveToFront(el)
			return s
		}
		m.remove(el)
	}
	s := &session{key: key, used: now, cost: costSession + int64(len(key))}
	m.sessions[key] = m.lru.PushFront(s)
	m.bytes += s.cost
	return s
}

// shrink forgets expired sessions, then the least recently used ones while
// the memory is over a bound, never the one just used.
func (m *memory) shrink(now time.Time) {
	for m.lru.Len() > 1 {
		last := m.lru.Back()
		s := last.Value.(*session)
		expired := now.Sub(s.used) > m.idle
		if !expired && m.lru.Len() <= m.maxKeys && m.bytes <= m.maxBytes {
			return
		}
		m.remove(last)
		if !expired {
			m.evicted++
		}
	}
}

func (m *memory) remove(el *list.Element) {
	s := el.Value.(*session)
	m.lru.Remove(el)
	delete(m.sessions, s.key)
	m.bytes -= s.cost
}

// forget removes the session of key and reports whether there was one.
func (m *memory) forget(key string, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.sessions[key]
	if !ok {
		return false
	}
	live := now.Sub(el.Value.(*session).used) <= m.idle
	m.remove(el)
	return live
}

// stats returns the number of keys held, the bytes charged for them, and
// how many keys were forgotten to stay within the bounds.
func (m *memory) stats() (keys int, bytes int64, evicted uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lru.Len(), m.bytes, m.evicted
}

// validKey reports whether a key a request names is acceptable: 1 to 64
// of the characters a URL carries unescaped (RFC 3986's unreserved), so
// that the server can put it back into the URLs it sends the client to.
func validKey(k string) bool {
	if k == "" || len(k) > maxKeyLength {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// addressKey returns the key of a request that names none: its client's
// IP address, without the port, which changes from one connection to the
// next.
func addressKey(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	return addressKeyPrefix + host
}
