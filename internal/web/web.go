// Package web is the web reference and JSON API that the status server
// mounts: an index of every code grouped by class with search, a page per
// number, and the registry as JSON. Routes lists the routes Register adds.
//
// Pages are rendered from embedded templates parsed once, by Register.
// They load nothing from other origins, work without JavaScript, and are
// served with a strict Content-Security-Policy.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/entryjson"
	"github.com/httpstatus/httpstatus/respond"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Option configures Register.
type Option func(*config)

type config struct {
	logger *slog.Logger
	now    func() time.Time
}

// WithClock sets the clock that says whether a temporary registration has
// lapsed; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLogger sets the logger for failures while rendering a page; the
// default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// Security headers.
const (
	pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	apiCSP = "default-src 'none'; frame-ancestors 'none'"
)

// handler holds what Register prepares once: parsed templates, the static
// files with their fingerprints, the precomputed index, code pages and JSON. It is
// read-only after Register returns.
type handler struct {
	cfg     config
	pages   map[string]*template.Template
	assets  map[string]asset
	index   indexData
	codes   map[int]*codePage // by number
	apiAll  jsonBody          // /api/codes without filters
	apiCode map[int]jsonBody  // /api/codes/{code} by number
}

// jsonBody is a JSON answer rendered once, with its entity tag.
type jsonBody struct {
	body []byte
	etag string
}

// asset is an embedded static file.
type asset struct {
	body  []byte
	ctype string
	etag  string
	ver   string // the fingerprint the pages append to its URL
}

// Register adds the web reference and JSON API routes to mux. The pages,
// their templates and the JSON answers are built on the first request to
// one of these routes, not before: a status server that nobody browses (the
// usual case in a test suite) neither starts slower nor keeps about 1.4 MB
// live for them, which would make every garbage collection cycle of the
// server slower and more frequent. The embedded templates cannot be broken
// at run time; the tests build them.
//
// Every route answers GET and HEAD. Any other method on its path gets a 405
// problem with Allow: the same path without the method is registered too,
// for ServeMux would otherwise answer a plain-text 405, or, next to a
// catch-all route such as the status server's, leave it to that route.
func Register(mux *http.ServeMux, opts ...Option) {
	lazy := &lazyHandler{opts: opts}
	logger := newConfig(opts).logger
	for _, rt := range routeTable() {
		if method, path, ok := strings.Cut(rt.Pattern, " "); ok {
			mux.HandleFunc(path, methodNotAllowed(method, logger))
		}
		serve := rt.serve
		if serve == nil {
			mux.HandleFunc(rt.Pattern, redirectToIndex)
			continue
		}
		mux.HandleFunc(rt.Pattern, func(w http.ResponseWriter, r *http.Request) { serve(lazy.get(), w, r) })
	}
}

// methodNotAllowed answers a 405 problem that allows method, and HEAD with
// GET, as a ServeMux pattern naming GET does.
func methodNotAllowed(method string, logger *slog.Logger) http.HandlerFunc {
	allow := []string{method}
	if method == http.MethodGet {
		allow = append(allow, http.MethodHead)
	}
	detail := "This route answers " + strings.Join(allow, " and ") + " only."
	return func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, respond.New(http.StatusMethodNotAllowed).WithAllow(allow...).WithDetail(detail), logger)
	}
}

// A Route is one pattern Register adds to a mux, with what it answers.
type Route struct {
	Pattern string // a net/http ServeMux pattern
	Summary string // what the route answers, in a few words
}

// Routes returns the routes Register adds, in the order it adds them.
func Routes() []Route {
	table := routeTable()
	out := make([]Route, len(table))
	for i, rt := range table {
		out[i] = rt.Route
	}
	return out
}

// A route is a Route with the method of the handler that serves it, or
// nil for the one route that needs no handler.
type route struct {
	Route
	serve func(*handler, http.ResponseWriter, *http.Request)
}

func routeTable() []route {
	return []route{
		{Route{"GET /{$}", "the web reference: every code by class; ?q=WORDS ranks the codes that match"}, (*handler).serveIndex},
		{Route{"GET /codes/{code}", "the page of a number: everything the registry holds about it; a phrase leads to its number"}, (*handler).serveCode},
		{Route{"GET /codes/{$}", "a redirect to the index"}, nil},
		{Route{"GET /api/codes", "the registry as JSON; filters ?class=4xx, ?official=true, ?origin=nginx, ?q=WORDS"}, (*handler).serveAPIList},
		{Route{"GET /api/codes/{code}", `every meaning of a number as JSON: {"code": N, "meanings": [...]}`}, (*handler).serveAPICode},
		{Route{"GET /static/{file}", "the style sheet, script and icon of the pages"}, (*handler).serveStatic},
	}
}

// redirectToIndex sends /codes/ to the index, without building the
// handler.
func redirectToIndex(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/", http.StatusFound)
}

// lazyHandler builds the handler once, on first use.
type lazyHandler struct {
	opts []Option
	once sync.Once
	h    *handler
}

func (l *lazyHandler) get() *handler {
	l.once.Do(func() { l.h = newHandler(l.opts...) })
	return l.h
}

func newConfig(opts []Option) config {
	c := config{logger: slog.Default(), now: time.Now}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func newHandler(opts ...Option) *handler {
	h := &handler{cfg: newConfig(opts)}
	h.assets = loadAssets()
	h.pages = parsePages(h.assets)
	h.index = buildIndex()
	h.codes = buildCodePages()
	h.apiAll = newJSONBody(entryjson.FromAll())
	h.apiCode = map[int]jsonBody{}
	for e := range httpstatus.Codes() {
		c, _ := entryjson.FromCode(e.Code)
		h.apiCode[e.Code] = newJSONBody(c)
	}
	return h
}

func loadAssets() map[string]asset {
	files, err := fs.Glob(staticFS, "static/*")
	if err != nil {
		panic(err)
	}
	assets := make(map[string]asset, len(files))
	for _, f := range files {
		body, err := staticFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		ctype := map[string]string{
			".css": "text/css; charset=utf-8",
			".js":  "text/javascript; charset=utf-8",
			".svg": "image/svg+xml",
		}[path.Ext(f)]
		if ctype == "" {
			ctype = http.DetectContentType(body)
		}
		ver := hex.EncodeToString(sum[:6])
		assets[path.Base(f)] = asset{body: body, ctype: ctype, etag: `"` + ver + `"`, ver: ver}
	}
	return assets
}

func parsePages(assets map[string]asset) map[string]*template.Template {
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			a, ok := assets[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return "/static/" + name + "?v=" + a.ver, nil
		},
		"heading":     heading,
		"conditionIs": httpstatus.Condition.Describe,
		"contentIs":   httpstatus.Content.Describe,
		"cachingIs":   httpstatus.Caching.Describe,
		"retryIs":     httpstatus.Retry.Describe,
		"stateIs":     httpstatus.State.Describe,
		"docIs":       httpstatus.DocStatus.Describe,
		"slug":        slug,
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	pages := map[string]*template.Template{}
	for _, name := range []string{"index.html", "code.html", "notfound.html"} {
		pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name))
	}
	return pages
}

// render executes a page into a buffer first, so that a failure becomes a
// clean 500 rather than half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := h.pages[page].Execute(&buf, data); err != nil {
		h.cfg.logger.ErrorContext(r.Context(), "web: rendering page", "page", page, "path", r.URL.Path, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	setPageHeaders(hdr)
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

func setPageHeaders(hdr http.Header) {
	hdr.Set("Content-Security-Policy", pageCSP)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
}

func (h *handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets[r.PathValue("file")]
	if !ok {
		h.problem(w, r, http.StatusNotFound, "There is no static file by that name.")
		return
	}
	hdr := w.Header()
	setPageHeaders(hdr)
	hdr.Set("Content-Type", a.ctype)
	hdr.Set("ETag", a.etag)
	if r.URL.Query().Get("v") == a.ver {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

// baseURL returns the scheme and host by which the client reached the
// server, for the curl lines.
func (h *handler) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		p, _, _ = strings.Cut(p, ",")
		switch p = strings.ToLower(strings.TrimSpace(p)); p {
		case "http", "https":
			scheme = p
		}
	}
	host := r.Host
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// validHost reports whether host is a plain host[:port], so that a forged
// Host header cannot put anything else into a curl line.
func validHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for _, c := range host {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.ContainsRune(".-:[]", c):
		default:
			return false
		}
	}
	return true
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func newJSONBody(v any) jsonBody {
	b := mustJSON(v)
	return jsonBody{b, etag(b)}
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}
