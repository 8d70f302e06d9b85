package server

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/respond"
)

// /resource and /resource/{name}: a real resource of the key, which
// answers GET and HEAD with validators and ranges, evaluates the
// preconditions of RFC 9110 (section 13.2.2, in validators.go) and
// changes on PUT, PATCH and DELETE. Every key starts with each of its
// resources in place, generated with the size and type controls; DELETE
// removes one and PUT puts it back. PATCH appends its content.

// Defaults of a generated resource.
const (
	defaultResourceSize = 1024
	defaultResourceType = "text/plain; charset=utf-8"
	defaultCacheControl = "no-cache"
)

// maxResourcesPerKey bounds the resources one key may hold.
const maxResourcesPerKey = 16

// resourceMethods are the methods the resource answers.
var resourceMethods = []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}

// resourceAnswers are the codes the resource sends.
var resourceAnswers = []int{
	http.StatusOK, http.StatusCreated, http.StatusNoContent, http.StatusPartialContent, http.StatusNotModified,
	http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusRequestedRangeNotSatisfiable,
	http.StatusPreconditionRequired, http.StatusInsufficientStorage,
}

// A representation is the current state of a resource: never modified once
// made; a write makes a new one.
type representation struct {
	content   io.ReaderAt
	size      int64
	mediaType string
	etag      string
	modified  time.Time // whole seconds
	generated bool      // made by the server, not written by a client
	held      int64     // bytes of content held in memory
	// strongDate reports that no other representation of the resource was
	// made in the second of modified, so that the date tells this one
	// apart: a strong validator (RFC 9110, section 8.8.2.2), as If-Range
	// needs (section 13.1.5).
	strongDate bool
}

// validators returns what preconditions are evaluated against; rep may be
// nil, for a resource that was deleted.
func (rep *representation) validators() validators {
	if rep == nil {
		return validators{}
	}
	return validators{etag: rep.etag, lastModified: rep.modified, exists: true}
}

func (rep *representation) cost(name string) int64 {
	if rep == nil {
		return costResource + int64(len(name))
	}
	return costResource + int64(len(name)) + int64(len(rep.mediaType)) + rep.held
}

// A digest identifies the bytes and media type of a representation.
type digest [8]byte

// digestOf computes the digest of content. It reads all of the content,
// so callers compute it outside the memory's lock.
func digestOf(content io.ReaderAt, size int64, mediaType string) (digest, error) {
	h := sha256.New()
	h.Write([]byte(mediaType))
	h.Write([]byte{0})
	if _, err := io.Copy(h, io.NewSectionReader(content, 0, size)); err != nil {
		return digest{}, fmt.Errorf("digesting the resource: %w", err)
	}
	var d digest
	copy(d[:], h.Sum(nil))
	return d, nil
}

// newRepresentation makes a representation of content with digest d, the
// key's version-th, made at now. Its entity-tag is the version and the
// digest, so it changes with every write, and two representations with
// the same tag have the same bytes.
func newRepresentation(content io.ReaderAt, size int64, mediaType string, d digest, version uint64, now time.Time) *representation {
	tag := `"r` + strconv.FormatUint(version, 10) + "-" + hex.EncodeToString(d[:]) + `"`
	return &representation{content: content, size: size, mediaType: mediaType, etag: tag, modified: now.Truncate(time.Second)}
}

// generated is the content of a resource the server makes: 16-byte lines,
// each its own offset in hexadecimal, so that a client can tell from any
// bytes where they came from.
type generated int64

// ReadAt reads the lines at off.
func (g generated) ReadAt(p []byte, off int64) (int, error) {
	size := int64(g)
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	var line [16]byte
	for n < len(p) && off < size {
		start := off &^ 15
		v := uint64(start)
		for i := 14; i >= 0; i-- {
			line[i] = "0123456789abcdef"[v&15]
			v >>= 4
		}
		line[15] = '\n'
		c := copy(p[n:], line[off-start:min(16, size-start)])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// resourceState is a key's resource of one name: nil rep once deleted.
type resourceState struct {
	rep *representation
	// made is the time, in whole seconds, the last representation was made.
	made time.Time
}

// handleResource serves /resource.
func (s *Server) handleResource(w http.ResponseWriter, r *http.Request) {
	s.serveResource(w, r, "", routeResource)
}

// handleResourceName serves /resource/{name}.
func (s *Server) handleResourceName(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !validKey(name) {
		s.badRequest(w, r,
			"\""+httptext.Clip(name, maxEcho)+"\" is not a resource name: 1 to 64 letters, digits, '-', '.', '_' or '~'")
		return
	}
	s.serveResource(w, r, name, routeResourceName)
}

// serveResource answers a request to the key's resource name, which came
// by route.
func (s *Server) serveResource(w http.ResponseWriter, r *http.Request, name, route string) {
	if !slices.Contains(resourceMethods, r.Method) {
		s.fail(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(resourceMethods...).
			WithDetail("the resource answers "+strings.Join(resourceMethods, ", ")))
		return
	}
	x := s.exchangeOf(w, r, route)
	if x == nil {
		return
	}
	x.answer = func(w http.ResponseWriter, x *exchange) { s.answerResource(w, x, name) }
	s.serve(w, x)
}

// answerResource answers a request to the key's resource name.
func (s *Server) answerResource(w http.ResponseWriter, x *exchange, name string) {
	x.addField(keyField, x.runKey())
	switch x.r.Method {
	case http.MethodOptions:
		h := w.Header()
		setFields(h, x.fields)
		h.Set("Allow", strings.Join(resourceMethods, ", "))
		x.code = http.StatusNoContent
		w.WriteHeader(x.code)
	case http.MethodGet, http.MethodHead:
		s.readResource(w, x, name)
	default:
		s.writeResource(w, x, name)
	}
}

// errResourceConflict is returned when a request describes the resource
// differently from the one that exists.
var errResourceConflict = errors.New("conflict")

// current returns the key's resource name, created as the request's
// controls describe when the key has none yet. It is nil when a DELETE
// removed it. The content of a new resource is digested outside the
// memory's lock.
func (s *Server) current(x *exchange, name string) (*representation, error) {
	key := x.runKey()
	rep, found := s.memory.resource(key, name, s.now())
	if !found {
		size := int64(defaultResourceSize)
		if x.ctl.hasSize {
			size = x.ctl.size
		}
		if size > s.limits.MaxBody {
			return nil, fmt.Errorf("a resource of %d bytes is over the limit of %d", size, s.limits.MaxBody)
		}
		mediaType := cmp.Or(x.ctl.mediaType, defaultResourceType)
		d, err := digestOf(generated(size), size, mediaType)
		if err != nil {
			return nil, err
		}
		var full bool
		s.memory.use(key, s.now(), func(ss *session) {
			if st, ok := ss.resources[name]; ok {
				rep = st.rep // made meanwhile by another request
				return
			}
			if len(ss.resources) >= maxResourcesPerKey {
				full = true
				return
			}
			ss.version++
			rep = newRepresentation(generated(size), size, mediaType, d, ss.version, s.now())
			rep.generated, rep.strongDate = true, true
			if ss.resources == nil {
				ss.resources = map[string]*resourceState{}
			}
			ss.resources[name] = &resourceState{rep: rep, made: rep.modified}
			ss.cost += rep.cost(name)
		})
		if full {
			return nil, fmt.Errorf("the key already holds %d resources; use another key, or DELETE /sessions/{key}", maxResourcesPerKey)
		}
	}
	if rep != nil && ((x.ctl.hasSize && x.ctl.size != rep.size) || (x.ctl.mediaType != "" && x.ctl.mediaType != rep.mediaType)) {
		return nil, fmt.Errorf("%w: the resource exists with %d bytes of %s; the size and type controls describe it when it is created (DELETE it, or use another key or name)",
			errResourceConflict, rep.size, rep.mediaType)
	}
	return rep, nil
}

// resource returns the key's resource name, and false when the key has
// none of that name yet.
func (m *memory) resource(key, name string, now time.Time) (rep *representation, found bool) {
	m.use(key, now, func(ss *session) {
		var st *resourceState
		if st, found = ss.resources[name]; found {
			rep = st.rep
		}
	})
	return rep, found
}

// readResource answers GET and HEAD.
func (s *Server) readResource(w http.ResponseWriter, x *exchange, name string) {
	rep, err := s.current(x, name)
	if err != nil {
		s.resourceProblem(w, x, err)
		return
	}
	switch evaluatePreconditions(x.r, rep.validators()) {
	case http.StatusNotModified:
		s.notModified(w, x, rep)
		return
	case http.StatusPreconditionFailed:
		s.refuseWith(w, x, http.StatusPreconditionFailed, "a precondition of the request is false for the resource's current representation")
		return
	}
	if rep == nil {
		s.refuseWith(w, x, http.StatusNotFound, "a DELETE removed the resource; a PUT creates it again")
		return
	}
	if !s.drainBody(w, x) {
		return
	}
	h := w.Header()
	s.representationFields(h, x, rep)
	var ranges []byteRange
	outcome := rangeOutcomeIgnore
	strong := rep.validators()
	if !rep.strongDate {
		strong.lastModified = time.Time{}
	}
	if x.r.Method == http.MethodGet && ifRangeHolds(x.r, strong) {
		// RFC 9110, section 14.2: GET is the only method with ranges.
		if v, ok := singleField(x.r.Header, "Range"); ok {
			ranges, outcome = parseRanges(v, rep.size)
		}
	}
	switch outcome {
	case rangeOutcomeUnsatisfiable:
		x.code = http.StatusRequestedRangeNotSatisfiable
		h.Del("Etag")
		h.Del("Last-Modified")
		h.Set("Content-Range", "bytes */"+strconv.FormatInt(rep.size, 10))
		s.fail(w, x.r, respond.New(x.code).WithDetail(fmt.Sprintf("no range the request asked for lies within the resource's %d bytes", rep.size)))
	case rangeOutcomeSatisfiable:
		x.code = http.StatusPartialContent
		rr := newRangeResponse(ranges, rep.size, rep.mediaType, boundaryFor(rep.etag, ranges))
		s.sendContent(w, x, rr.contentType, rr.contentRange, rr.length, func(w io.Writer) error { return rr.write(w, rep.content) })
	default:
		x.code = http.StatusOK
		s.sendContent(w, x, rep.mediaType, "", rep.size, func(w io.Writer) error {
			_, err := io.Copy(w, io.NewSectionReader(rep.content, 0, rep.size))
			return err
		})
	}
}

// representationFields sets the fields every answer with the
// representation's content or about it carries (RFC 9110, sections
// 15.3.7 and 15.4.5).
func (s *Server) representationFields(h http.Header, x *exchange, rep *representation) {
	setFields(h, x.fields)
	h.Set("Etag", rep.etag)
	h.Set("Last-Modified", rep.modified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	cc := defaultCacheControl
	if x.ctl.cacheControl != "" {
		cc = x.ctl.cacheControl
	}
	h.Set("Cache-Control", cc)
}

// sendContent sends x.code with content of length bytes, through the
// phases the controls ask for.
func (s *Server) sendContent(w http.ResponseWriter, x *exchange, mediaType, contentRange string, length int64, write func(io.Writer) error) {
	h := w.Header()
	h.Set("Content-Type", mediaType)
	if contentRange != "" {
		h.Set("Content-Range", contentRange)
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	setExtraHeaders(h, x)
	inPhases(w, x, func(w http.ResponseWriter) {
		w.WriteHeader(x.code)
		if x.r.Method == http.MethodHead {
			return
		}
		if err := write(w); err != nil && x.r.Context().Err() == nil {
			s.logger.Error("writing the resource", "status", x.code, "err", err)
		}
	})
}

// notModified answers 304 with the fields RFC 9110, section 15.4.5, says
// it carries: those a 200 would have carried among Cache-Control,
// Content-Location, Date, ETag, Expires and Vary. Last-Modified is left
// out, as the section advises when there is an ETag.
func (s *Server) notModified(w http.ResponseWriter, x *exchange, rep *representation) {
	x.code = http.StatusNotModified
	h := w.Header()
	s.representationFields(h, x, rep)
	h.Del("Last-Modified")
	h.Del("Accept-Ranges")
	setExtraHeaders(h, x)
	inPhases(w, x, func(w http.ResponseWriter) { w.WriteHeader(x.code) })
}

// writeResource answers PUT, PATCH and DELETE. The content is read and
// digested first. Then, as often as another write comes first: the
// preconditions are evaluated against the current representation, the
// new one is made, and it replaces the current one under the memory's
// lock only if that is still current, so that of two writes with the
// same If-Match exactly one succeeds.
func (s *Server) writeResource(w http.ResponseWriter, x *exchange, name string) {
	r := x.r
	var content []byte
	if r.Method != http.MethodDelete {
		var ok bool
		if content, ok = s.readContent(w, x); !ok {
			return
		}
	} else if !s.drainBody(w, x) {
		return
	}
	if x.ctl.requireCond && r.Header.Get("If-Match") == "" && r.Header.Get("If-Unmodified-Since") == "" && r.Header.Get("If-None-Match") == "" {
		s.refuseWith(w, x, http.StatusPreconditionRequired, "this run asks every write to be conditional: send If-Match with the ETag of the representation being replaced")
		return
	}
	mediaType := "application/octet-stream"
	if v := r.Header.Get("Content-Type"); v != "" && r.Method == http.MethodPut {
		mt, err := parseMediaType(v)
		if err != nil {
			s.refuseWith(w, x, http.StatusBadRequest, "Content-Type: "+err.Error())
			return
		}
		mediaType = mt
	}
	var putDigest digest
	if r.Method == http.MethodPut {
		var err error
		if putDigest, err = digestOf(bytes.NewReader(content), int64(len(content)), mediaType); err != nil {
			s.resourceProblem(w, x, err)
			return
		}
	}
	for range maxWriteAttempts {
		old, err := s.current(x, name)
		if err != nil {
			s.resourceProblem(w, x, err)
			return
		}
		if evaluatePreconditions(r, old.validators()) != 0 {
			// 304 is for GET and HEAD only; for a write, a false
			// precondition is 412 (RFC 9110, section 13.2.2).
			s.refuseWith(w, x, http.StatusPreconditionFailed, "a precondition of the request is false for the resource's current representation")
			return
		}
		// The new content, made outside the lock.
		var next []byte
		var nextType string
		var d digest
		switch r.Method {
		case http.MethodDelete, http.MethodPatch:
			if old == nil {
				s.refuseWith(w, x, http.StatusNotFound, "a DELETE removed the resource; a PUT creates it again")
				return
			}
			if r.Method == http.MethodDelete {
				break
			}
			if old.size+int64(len(content)) > s.limits.MaxBody {
				s.refuseWith(w, x, http.StatusRequestEntityTooLarge, fmt.Sprintf("the resource would be over the limit of %d bytes", s.limits.MaxBody))
				return
			}
			next = make([]byte, old.size+int64(len(content)))
			if _, err := old.content.ReadAt(next[:old.size], 0); err != nil && !errors.Is(err, io.EOF) {
				s.resourceProblem(w, x, err)
				return
			}
			copy(next[old.size:], content)
			nextType = old.mediaType
			if d, err = digestOf(bytes.NewReader(next), int64(len(next)), nextType); err != nil {
				s.resourceProblem(w, x, err)
				return
			}
		default:
			next, nextType, d = content, mediaType, putDigest
		}
		rep, swapped, tooBig := s.memory.replace(x.runKey(), name, old, r.Method == http.MethodDelete, next, nextType, d, s.now())
		if tooBig {
			// RFC 4918, section 11.5: the server cannot store what the
			// request needs stored.
			s.refuseWith(w, x, http.StatusInsufficientStorage, fmt.Sprintf(
				"the key's resources would hold more than the server's memory limit of %d bytes; DELETE some, or use another key", s.limits.MaxMemory))
			return
		}
		if !swapped {
			continue // another write came first: evaluate again against it
		}
		x.code = http.StatusNoContent
		if old == nil {
			x.code = http.StatusCreated
		}
		h := w.Header()
		setFields(h, x.fields)
		if rep != nil {
			// RFC 9110, section 9.3.4: the content was stored as sent, so
			// the answer may carry the validators of the new representation.
			h.Set("Etag", rep.etag)
			h.Set("Last-Modified", rep.modified.UTC().Format(http.TimeFormat))
		}
		setExtraHeaders(h, x)
		inPhases(w, x, func(w http.ResponseWriter) { w.WriteHeader(x.code) })
		return
	}
	s.refuseWith(w, x, http.StatusConflict, "the resource kept changing while this write was prepared; try again")
}

// maxWriteAttempts bounds how often a write starts over because another
// came first.
const maxWriteAttempts = 16

// replace makes the key's resource name a new representation of content
// (or removes it, with remove) if old is still current, and reports
// whether it did; tooBig reports that it did not because the key would
// then hold more than the memory's whole bound.
func (m *memory) replace(key, name string, old *representation, remove bool, content []byte, mediaType string, d digest, now time.Time) (rep *representation, swapped, tooBig bool) {
	m.use(key, now, func(ss *session) {
		st := ss.resources[name]
		if st == nil {
			if old != nil {
				return // the key was forgotten meanwhile: old is not current
			}
			if len(ss.resources) >= maxResourcesPerKey {
				return
			}
			if ss.resources == nil {
				ss.resources = map[string]*resourceState{}
			}
			st = &resourceState{}
			ss.resources[name] = st
			ss.cost += (*representation)(nil).cost(name)
		}
		if st.rep != old {
			return
		}
		if !remove {
			// The content the key's resources hold, with this one in place
			// of old: within the whole bound, which is at least MaxBody.
			held := int64(len(content))
			for _, other := range ss.resources {
				if other != st && other.rep != nil {
					held += other.rep.held
				}
			}
			if held > m.maxBytes {
				tooBig = true
				return
			}
			ss.version++
			rep = newRepresentation(bytes.NewReader(content), int64(len(content)), mediaType, d, ss.version, now)
			rep.held = rep.size
			rep.strongDate = !rep.modified.Equal(st.made)
			st.made = rep.modified
		}
		st.rep, swapped = rep, true
		ss.cost += rep.cost(name) - old.cost(name)
	})
	return rep, swapped, tooBig
}

// readContent reads the request content, up to the body limit. It
// reports false, having answered, when the content could not be read
// whole (bodyFailed).
func (s *Server) readContent(w http.ResponseWriter, x *exchange) ([]byte, bool) {
	r := x.r
	if !hasBody(r) {
		return nil, true
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	if err != nil {
		s.bodyFailed(w, x, err)
		return nil, false
	}
	if h := x.digesting(); h != nil {
		h.Write(b)
		x.setDigest(h)
	}
	s.bodyDone(w, x)
	return b, true
}

// resourceProblem answers an error of current.
func (s *Server) resourceProblem(w http.ResponseWriter, x *exchange, err error) {
	status := http.StatusBadRequest
	if errors.Is(err, errResourceConflict) {
		status = http.StatusConflict
	}
	s.refuseWith(w, x, status, err.Error())
}

// refuseWith answers x with a problem of status, carrying the fields the
// steps added.
func (s *Server) refuseWith(w http.ResponseWriter, x *exchange, status int, detail string) {
	s.refuse(w, x, respond.New(status).WithDetail(detail))
}

// parseMediaType checks a media type and returns it as given, trimmed.
func parseMediaType(v string) (string, error) {
	v = strings.TrimSpace(v)
	if len(v) > 128 || !validValue(v) {
		return "", fmt.Errorf("%q is not a media type", httptext.Clip(v, maxEcho))
	}
	if _, _, err := mime.ParseMediaType(v); err != nil {
		return "", fmt.Errorf("%q is not a media type", httptext.Clip(v, maxEcho))
	}
	return v, nil
}
