package web

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	httpstatus "github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/entryjson"
	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/internal/search"
	"github.com/httpstatus/httpstatus/respond"
)

// serveAPIList answers /api/codes with every entry, or those the filters
// keep. ?q ranks the matches as the index's search does; without it the
// entries come in the registry's order.
func (h *handler) serveAPIList(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	if len(query) == 0 {
		h.writeJSON(w, r, h.apiAll.body, h.apiAll.etag)
		return
	}
	keep := func(*httpstatus.Entry) bool { return true }
	and := func(f func(*httpstatus.Entry) bool) {
		prev := keep
		keep = func(e *httpstatus.Entry) bool { return prev(e) && f(e) }
	}
	for name, values := range query {
		if len(values) != 1 {
			h.problem(w, r, http.StatusBadRequest, "Give the parameter "+strconv.Quote(name)+" once.")
			return
		}
		v := values[0]
		switch name {
		case "class":
			c, _ := httpstatus.ParseClass(v)
			if c == 0 {
				h.problem(w, r, http.StatusBadRequest, "The class must be one of 1xx, 2xx, 3xx, 4xx and 5xx, not "+strconv.Quote(v)+".")
				return
			}
			and(func(e *httpstatus.Entry) bool { return e.Class == c })
		case "official":
			b, err := strconv.ParseBool(v)
			if err != nil {
				h.problem(w, r, http.StatusBadRequest, "official must be true or false, not "+strconv.Quote(v)+".")
				return
			}
			and(func(e *httpstatus.Entry) bool { return e.Official() == b })
		case "origin":
			and(func(e *httpstatus.Entry) bool { return strings.EqualFold(e.Origin, v) })
		case "q":
			if len(search.Words(v)) == 0 || len(v) > maxQuery {
				h.problem(w, r, http.StatusBadRequest, "q must hold a word or a number, in at most 200 bytes.")
				return
			}
		default:
			h.problem(w, r, http.StatusBadRequest, "Unknown parameter "+strconv.Quote(name)+"; the filters are class, official, origin and q.")
			return
		}
	}
	out := []entryjson.Entry{}
	if q := query.Get("q"); q != "" {
		for _, res := range search.Search(q) {
			if keep(res.Entry) {
				out = append(out, entryjson.From(res.Entry))
			}
		}
	} else {
		for e := range httpstatus.All() {
			if keep(e) {
				out = append(out, entryjson.From(e))
			}
		}
	}
	body := mustJSON(out)
	h.writeJSON(w, r, body, etag(body))
}

// serveAPICode answers /api/codes/{code}.
func (h *handler) serveAPICode(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("code")
	code, err := httpstatus.ParseCode(raw)
	if err != nil {
		h.problem(w, r, http.StatusBadRequest, "A status code is a number from 100 to 599, such as 404; "+strconv.Quote(httptext.Clip(raw, 40))+" is not one.")
		return
	}
	j, ok := h.apiCode[code]
	if !ok {
		h.problem(w, r, http.StatusNotFound, "The registry knows no meaning of "+raw+".")
		return
	}
	h.writeJSON(w, r, j.body, j.etag)
}

func (h *handler) writeJSON(w http.ResponseWriter, r *http.Request, body []byte, tag string) {
	hdr := w.Header()
	setAPIHeaders(hdr)
	hdr.Set("Content-Type", "application/json")
	hdr.Set("ETag", tag)
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, tag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}

func setAPIHeaders(hdr http.Header) {
	hdr.Set("Content-Security-Policy", apiCSP)
	hdr.Set("X-Content-Type-Options", "nosniff")
}

// problem answers with an RFC 9457 problem details object, through
// respond so that it follows the rules of its status code.
func (h *handler) problem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	writeProblem(w, r, respond.New(status).WithDetail(detail), h.cfg.logger)
}

// writeProblem writes p with the API's security headers, logging what
// respond refuses.
func writeProblem(w http.ResponseWriter, r *http.Request, p *respond.Problem, logger *slog.Logger) {
	setAPIHeaders(w.Header())
	if respond.Negotiate(r) == respond.MediaHTML {
		// The HTML page has a style element of its own: respond sends the
		// policy that allows it.
		w.Header().Del("Content-Security-Policy")
	}
	if err := respond.Write(w, r, p); err != nil {
		logger.ErrorContext(r.Context(), "web: writing a problem", "status", p.Status, "path", r.URL.Path, "err", err)
	}
}
