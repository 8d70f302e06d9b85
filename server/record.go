package server

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/verdict"
)

// The record of a run: every request of a key is kept, with the answer it
// got, so that GET /sessions/{key} can say how the client behaved
// (package verdict). A request is recorded when it names a key, or when
// it uses the memory under its address (a sequence, the resource, a rate
// limit); the commonest requests, which do neither, cost nothing more.

// maxAttemptsPerKey bounds the attempts a key keeps: past it, the oldest
// are dropped, and the record says how many.
const maxAttemptsPerKey = 256

// The costs of an attempt kept, besides its strings, as measured on a
// 64-bit machine: the struct, each of its field maps, each entry of one.
const (
	costAttempt      = 224
	costAttemptMap   = 300
	costAttemptEntry = 32
)

// recorded reports whether the request of x is kept in its key's record.
func (x *exchange) recorded() bool {
	return x.ctl.key != "" || x.remember != nil || x.answer != nil || x.ctl.rateLimit.requests > 0
}

// record keeps the attempt of x, with what was sent to it, in its key's
// record. closed reports that the response was cut off.
func (s *Server) record(w http.ResponseWriter, x *exchange, at time.Time, closed bool) {
	r := x.r
	a := verdict.Attempt{
		At:            at,
		Answered:      s.now(),
		Method:        r.Method,
		Path:          httptext.Clip(r.URL.RequestURI(), maxRecordedPath),
		Conn:          r.RemoteAddr,
		Proto:         r.Proto,
		ContentLength: r.ContentLength,
		ContentDigest: x.digest,
		Status:        x.code,
		Closed:        closed || x.code == 444,
	}
	cost := int64(costAttempt + len(a.Path) + len(a.Conn) + len(a.ContentDigest))
	for _, name := range s.recordFields {
		v := r.Header.Get(name)
		if v == "" {
			continue
		}
		if name == "Authorization" || name == "Proxy-Authorization" {
			v, _, _ = strings.Cut(v, " ") // the scheme; the credentials stay out of the record
		}
		if a.Fields == nil {
			a.Fields = map[string]string{}
			cost += costAttemptMap
		}
		a.Fields[name] = clipField(v)
		cost += int64(costAttemptEntry + len(name) + len(a.Fields[name]))
	}
	h := w.Header()
	// net/http closes the connection after an answer that says so.
	a.Closed = a.Closed || strings.EqualFold(h.Get("Connection"), "close")
	for _, name := range s.recordResponseFields {
		if v := h.Get(name); v != "" {
			if a.Response == nil {
				a.Response = map[string]string{}
				cost += costAttemptMap
			}
			a.Response[name] = clipField(v)
			cost += int64(costAttemptEntry + len(name) + len(a.Response[name]))
		}
	}
	s.memory.use(x.runKey(), a.Answered, func(ss *session) {
		if len(ss.attempts) >= maxAttemptsPerKey {
			ss.cost -= ss.attemptCosts[0]
			ss.attempts, ss.attemptCosts = ss.attempts[1:], ss.attemptCosts[1:]
			ss.dropped++
		}
		ss.attempts = append(ss.attempts, a)
		ss.attemptCosts = append(ss.attemptCosts, cost)
		ss.cost += cost
	})
}

// Bounds of what an attempt keeps, so that one costs at most a few
// kilobytes.
const (
	maxRecordedPath  = 512
	maxRecordedField = 128
)

func clipField(v string) string { return httptext.Clip(v, maxRecordedField) }

// run returns a copy of the attempts key's record holds, and how many
// older ones it dropped; ok is false when the server remembers nothing of
// the key.
func (m *memory) run(key string, now time.Time) (attempts []verdict.Attempt, dropped int, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, found := m.sessions[key]
	if !found {
		return nil, 0, false
	}
	ss := el.Value.(*session)
	if now.Sub(ss.used) > m.idle {
		return nil, 0, false
	}
	return append([]verdict.Attempt(nil), ss.attempts...), ss.dropped, true
}

// digesting returns a hash for the content of a recorded request, or nil.
func (x *exchange) digesting() hash.Hash {
	if !x.recorded() {
		return nil
	}
	return sha256.New()
}

// setDigest keeps the digest of the content h read.
func (x *exchange) setDigest(h hash.Hash) {
	if h != nil {
		x.digest = hex.EncodeToString(h.Sum(nil))
	}
}
