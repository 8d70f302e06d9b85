package server

import (
	"context"
	"net/http"
	"slices"
	"time"
)

// maxDribbleChunks bounds the writes of a slow body.
const maxDribbleChunks = 64

// phased is a ResponseWriter that breaks a response up as the controls ask:
// after the header section it flushes, then closes the connection
// (fault=after-headers) or waits (delay-after-headers); the content it
// sends slowly (dribble), cuts short (fault=in-body) or drops
// (suppress-body).
type phased struct {
	http.ResponseWriter
	ctx      context.Context
	c        *controls
	rearm    time.Duration // the time left to a request body the server did not read, from the header section on; 0 for none
	wrote    bool          // the final header section was sent
	gone     bool          // the client went away during a wait
	bodySent bool          // some content was written
}

// inPhases runs send, which writes a whole response to the writer it is
// given, through the phases the controls ask for: a delay or a fault after
// the header section, a slow body, a fault in the body, or no body at all.
// A plain response is written to w directly.
func inPhases(w http.ResponseWriter, x *exchange, send func(http.ResponseWriter)) {
	if len(x.ctl.headers) > 0 {
		w = &extraFields{ResponseWriter: w, fields: x.ctl.headers}
	}
	if x.ctl.plain() {
		send(w)
		return
	}
	p := &phased{ResponseWriter: w, ctx: x.r.Context(), c: &x.ctl}
	if x.bodyTimeout > 0 && !x.bodyRead {
		p.rearm = x.ctl.delayAfter + x.ctl.dribble + x.bodyTimeout
	}
	send(p)
	p.end()
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (p *phased) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// WriteHeader sends the header section and runs what comes after it.
func (p *phased) WriteHeader(code int) {
	if code < 200 || p.wrote {
		p.ResponseWriter.WriteHeader(code)
		return
	}
	p.wrote = true
	h := p.Header()
	if p.c.suppressBody && h.Get("Content-Length") != "" {
		h.Del("Content-Type")
		h.Del("X-Content-Type-Options")
		h.Set("Content-Length", "0")
	}
	p.ResponseWriter.WriteHeader(code)
	if p.c.delayAfter == 0 && p.c.fault != faultAfterHeaders && p.c.dribble == 0 && p.c.fault != faultInBody {
		return
	}
	rc := http.NewResponseController(p.ResponseWriter)
	_ = rc.Flush()
	if p.c.fault == faultAfterHeaders {
		abort(p.ResponseWriter)
	}
	if p.rearm > 0 {
		// net/http read what was left of the body when it sent the header
		// section, and now watches the connection: a deadline passing
		// during the phases below would read as the client leaving.
		_ = rc.SetReadDeadline(time.Now().Add(p.rearm))
	}
	if !sleep(p.ctx, p.c.delayAfter) {
		p.gone = true
	}
}

// Write sends content, slowly or cut short when asked.
func (p *phased) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	if p.gone {
		return 0, p.ctx.Err()
	}
	if p.c.suppressBody {
		return len(b), nil
	}
	rc := http.NewResponseController(p.ResponseWriter)
	if p.c.fault == faultInBody {
		_, _ = p.ResponseWriter.Write(b[:len(b)/2])
		_ = rc.Flush()
		p.bodySent = true
		abort(p.ResponseWriter)
	}
	if p.c.dribble == 0 || len(b) == 0 {
		return p.ResponseWriter.Write(b)
	}
	chunks := min(len(b), maxDribbleChunks)
	pause := p.c.dribble / time.Duration(chunks)
	written := 0
	for i := range chunks {
		end := len(b) * (i + 1) / chunks
		n, err := p.ResponseWriter.Write(b[written:end])
		written += n
		if err != nil {
			return written, err
		}
		if err := rc.Flush(); err != nil {
			return written, err
		}
		if i < chunks-1 && !sleep(p.ctx, pause) {
			p.gone = true
			return written, p.ctx.Err()
		}
	}
	return written, nil
}

// end closes the connection when a fault in the body was asked for but
// the response had no content to cut.
func (p *phased) end() {
	if p.c.fault == faultInBody && !p.bodySent && !p.gone {
		abort(p.ResponseWriter)
	}
}

// extraFields is a ResponseWriter that sends the extra header fields a
// request asked for as it asked, whatever the response's writer set in
// their place after setExtraHeaders: respond.Write sets Content-Type,
// X-Content-Type-Options and, for some codes, Cache-Control, removes the
// fields a code forbids, and suppress-body drops the media type, but a
// tester who asks for a wrong media type wants it on the wire. A field
// that still starts with the values asked for is left as it is: the
// server only added to it (Vary: Accept).
type extraFields struct {
	http.ResponseWriter
	fields []field
	done   bool
}

// WriteHeader sets the extra fields again before the final header
// section goes.
func (e *extraFields) WriteHeader(code int) {
	if code >= 200 && !e.done {
		e.done = true
		h := e.Header()
		for i, f := range e.fields {
			if slices.ContainsFunc(e.fields[:i], func(g field) bool { return g.name == f.name }) {
				continue // set with the first field of its name
			}
			var want []string
			for _, g := range e.fields[i:] {
				if g.name == f.name {
					want = append(want, g.value)
				}
			}
			if got := h[f.name]; len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
				h[f.name] = want
			}
		}
	}
	e.ResponseWriter.WriteHeader(code)
}

// Write sends content, after the header section.
func (e *extraFields) Write(b []byte) (int, error) {
	if !e.done {
		e.WriteHeader(http.StatusOK)
	}
	return e.ResponseWriter.Write(b)
}

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (e *extraFields) Unwrap() http.ResponseWriter { return e.ResponseWriter }
