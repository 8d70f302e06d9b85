package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// /sequence/{codes}: the n-th request of a key to a sequence gets the n-th
// code of its list; after the last, the last code repeats, or the list
// starts over with cycle=true. The position is counted when the request is
// admitted (a refused or rate-limited request does not move it), so
// requests that arrive together each take their own step.

// maxSequence bounds the codes of a sequence.
const maxSequence = 100

// maxSequencesPerKey bounds the sequences one key may run at once.
const maxSequencesPerKey = 64

// errBadSequence is wrapped by every error of parseSequence.
var errBadSequence = errors.New("a sequence is a comma-separated list of up to 100 final codes, 200 to 599, such as 503,503,200")

// parseSequence parses a sequence's list of codes.
func parseSequence(v string) ([]int, error) {
	if v == "" {
		return nil, fmt.Errorf("empty list: %w", errBadSequence)
	}
	if n := strings.Count(v, ",") + 1; n > maxSequence {
		return nil, fmt.Errorf("%d codes: %w", n, errBadSequence)
	}
	var codes []int
	for item := range strings.SplitSeq(v, ",") {
		code, err := httpstatus.ParseCode(item)
		if err != nil {
			return nil, fmt.Errorf("item %q: %w", httptext.Clip(item, maxEcho), err)
		}
		if code < 200 {
			// An interim response is followed by a final one, which would
			// be the step's answer: the step would not be the code it names.
			return nil, fmt.Errorf("item %d: an interim code cannot be a step, since a final response must follow it: %w", code, errBadSequence)
		}
		codes = append(codes, code)
	}
	return codes, nil
}

// stepField is the response field that says which step answered: "2/3".
const stepField = "X-Httpstatus-Step"

// handleSequence serves /sequence/{codes}.
func (s *Server) handleSequence(w http.ResponseWriter, r *http.Request) {
	list := r.PathValue("codes")
	codes, err := parseSequence(list)
	if err != nil {
		s.badRequest(w, r, err.Error())
		return
	}
	x := s.exchangeOf(w, r, routeSequence)
	if x == nil || !s.possibleOn(w, x, codes...) {
		return
	}
	x.remember = func(w http.ResponseWriter, x *exchange) bool {
		i, full := s.memory.step(x.runKey(), list, len(codes), x.ctl.cycle, s.now())
		if full {
			s.refuse(w, x, respond.New(http.StatusBadRequest).WithDetail(fmt.Sprintf(
				"the key already runs %d sequences; use another key, or DELETE /sessions/{key}", maxSequencesPerKey)))
			return false
		}
		x.code = codes[i]
		x.detail = "step " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(codes)) + " of the sequence " + list + " for the key " + x.runKey()
		x.addField(stepField, strconv.Itoa(i+1)+"/"+strconv.Itoa(len(codes)))
		x.addField(keyField, x.runKey())
		return true
	}
	s.serve(w, x)
}

// step counts a request of key to the sequence list of n codes and
// returns the index of the code that answers it, or full when the key
// runs too many sequences to start another.
func (m *memory) step(key, list string, n int, cycle bool, now time.Time) (i int, full bool) {
	m.use(key, now, func(s *session) {
		done, ok := s.sequences[list]
		if !ok {
			if len(s.sequences) >= maxSequencesPerKey {
				full = true
				return
			}
			if s.sequences == nil {
				s.sequences = map[string]int64{}
			}
			s.cost += costSequence + int64(len(list))
		}
		s.sequences[list] = done + 1
		switch {
		case done < int64(n):
			i = int(done)
		case cycle:
			i = int(done % int64(n))
		default:
			i = n - 1
		}
	})
	return i, full
}
