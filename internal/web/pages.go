package web

import (
	"html/template"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	httpstatus "github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/internal/httptext"
	"github.com/httpstatus/httpstatus/internal/search"
	"github.com/httpstatus/httpstatus/server"
)

// maxQuery bounds the search text a page echoes and ranks.
const maxQuery = 200

// item is one meaning of a number as the index lists it.
type item struct {
	*httpstatus.Entry
	Href     string // its page, with the meaning's anchor when the number has several
	Haystack string // the words the client-side filter matches, from search.Haystack
}

// group is the codes of one class.
type group struct {
	Class httpstatus.Class
	ID    string // the section's id, such as "c4xx"
	Items []item
}

// indexData is what the index shows; built once by Register.
type indexData struct {
	Groups   []group
	Entries  int // meanings
	Numbers  int
	Official int
	Vendor   int
	byEntry  map[*httpstatus.Entry]item
}

// indexPage is the data of one rendering of the index.
type indexPage struct {
	Title   string
	Query   string
	Results []item // ranked, when Query is set
	indexData
}

func buildIndex() indexData {
	d := indexData{byEntry: map[*httpstatus.Entry]item{}}
	for e := range httpstatus.All() {
		d.Entries++
		if e.Official() {
			d.Official++
		} else {
			d.Vendor++
		}
		if len(d.Groups) == 0 || d.Groups[len(d.Groups)-1].Class != e.Class {
			d.Groups = append(d.Groups, group{Class: e.Class, ID: "c" + e.Class.String()})
		}
		it := item{Entry: e, Href: href(e), Haystack: search.Haystack(e)}
		g := &d.Groups[len(d.Groups)-1]
		g.Items = append(g.Items, it)
		d.byEntry[e] = it
	}
	for range httpstatus.Codes() {
		d.Numbers++
	}
	return d
}

// href returns the page of an entry: the number's page, with the
// meaning's anchor when the number has several.
func href(e *httpstatus.Entry) string {
	p := "/codes/" + strconv.Itoa(e.Code)
	if len(httpstatus.Meanings(e.Code)) > 1 {
		p += "#" + anchor(e)
	}
	return p
}

// anchor returns the id of a meaning on its number's page: its origin as
// a slug, with a suffix when an origin has two meanings of one number.
func anchor(e *httpstatus.Entry) string {
	n := 0
	ms := httpstatus.Meanings(e.Code)
	for _, m := range ms {
		if m.Origin == e.Origin {
			n++
		}
		if m == e {
			break
		}
	}
	s := slug(e.Origin)
	if n > 1 {
		s += "-" + strconv.Itoa(n)
	}
	return s
}

// slug lower-cases s and joins its words with hyphens.
func slug(s string) string {
	return strings.Join(search.Words(s), "-")
}

func (h *handler) serveIndex(w http.ResponseWriter, r *http.Request) {
	p := indexPage{Title: "HTTP status codes", indexData: h.index}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		q = httptext.Clip(q, maxQuery)
		p.Query = q
		p.Title = "“" + q + "”: HTTP status codes"
		for _, res := range search.Search(q) {
			p.Results = append(p.Results, h.index.byEntry[res.Entry])
		}
	}
	h.render(w, r, http.StatusOK, "index.html", p)
}

// meaning is one meaning of a number as its page shows it.
type meaning struct {
	*httpstatus.Entry
	Anchor      string
	Required    []httpstatus.HeaderRule // MUST and MUST NOT
	Recommended []httpstatus.HeaderRule // SHOULD, SHOULD NOT and MAY
	ClientRules []httpstatus.ClientRule // what a client does with the answer, from Entry.ClientRules
	References  []httpstatus.Reference  // every document the facts cite, once each
	Related     []*httpstatus.Entry
}

// codePage is the data of a number's page. All but Curl is built once,
// by Register; Curl depends on the request.
type codePage struct {
	Title    string
	Code     int
	Primary  *httpstatus.Entry
	Meanings []meaning
	Curl     string
	// Today is the day of the request, for the registrations that lapse.
	Today time.Time
	// Tries are the other requests that show the code at work, from
	// server.Examples, as commands.
	Tries []try
	Prev  *httpstatus.Entry
	Next  *httpstatus.Entry
}

func (h *handler) serveCode(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("code")
	code, err := httpstatus.ParseCode(raw)
	if err != nil && raw != "" && strings.Trim(raw, "0123456789") == "" {
		// A number that is no status code, such as 999 or 0404, gets the
		// page that says what a status code is.
		h.notFound(w, r, raw, 0)
		return
	}
	if err != nil {
		// A phrase, such as /codes/not-found, leads to its number.
		if e, ok := httpstatus.LookupPhrase(raw); ok && len(raw) <= maxQuery {
			http.Redirect(w, r, href(e), http.StatusFound)
			return
		}
		h.notFound(w, r, raw, -1)
		return
	}
	page, ok := h.codes[code]
	if !ok {
		h.notFound(w, r, raw, code)
		return
	}
	p := *page
	p.Today = h.cfg.now()
	base := h.baseURL(r)
	p.Curl = "curl -i " + base + "/" + strconv.Itoa(code)
	key := "try-" + strconv.FormatUint(rand.Uint64()&0xffffffffff, 36) // a run of this reader's own
	for _, ex := range server.Examples(code)[1:] {
		p.Tries = append(p.Tries, try{Summary: ex.Summary, Command: curlCommand(base, key, ex)})
	}
	h.render(w, r, http.StatusOK, "code.html", p)
}

// A try is an example request as a shell command.
type try struct {
	Summary string
	Command string
}

// curlCommand writes ex, under key, as commands for a POSIX shell: the
// requests to prepare, a look-up of the resource's ETag when a header
// field needs it, the repeats, and the request that shows the code.
func curlCommand(base, key string, ex server.Example) string {
	var b strings.Builder
	url := shellQuote(base + strings.ReplaceAll(ex.Path, server.KeyPlaceholder, key))
	for _, p := range ex.Prepare {
		b.WriteString("curl -s -o /dev/null" + curlOptions(p) + " " + shellQuote(base+strings.ReplaceAll(p.Path, server.KeyPlaceholder, key)) + "\n")
	}
	for _, h := range ex.Header {
		if strings.Contains(h, server.ETagPlaceholder) {
			b.WriteString("etag=$(curl -sI " + url + " | tr -d '\\r' | sed -n 's/^[Ee][Tt]ag: //p')\n")
			break
		}
	}
	if ex.Repeat > 1 {
		b.WriteString("for i in $(seq " + strconv.Itoa(ex.Repeat-1) + "); do curl -s -o /dev/null -w '%{http_code}\\n'" + curlOptions(ex) + " " + url + "; done\n")
	}
	b.WriteString("curl -i" + curlOptions(ex) + " " + url)
	return b.String()
}

// curlOptions writes the method, header fields and content of ex as curl
// options, each after a space.
func curlOptions(ex server.Example) string {
	var b strings.Builder
	if ex.Method != "" {
		b.WriteString(" -X " + ex.Method)
	}
	for _, h := range ex.Header {
		if strings.Contains(h, server.ETagPlaceholder) {
			b.WriteString(` -H "` + strings.ReplaceAll(h, server.ETagPlaceholder, `$etag`) + `"`)
			continue
		}
		b.WriteString(" -H " + shellQuote(h))
	}
	if ex.Body != "" {
		b.WriteString(" --data-binary " + shellQuote(ex.Body))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// buildCodePages prepares the page of every known number, without its
// curl line.
func buildCodePages() map[int]*codePage {
	pages := map[int]*codePage{}
	var prev *codePage
	for e := range httpstatus.Codes() {
		p := &codePage{Title: e.String(), Code: e.Code, Primary: e}
		ms := httpstatus.Meanings(e.Code)
		for _, m := range ms {
			p.Meanings = append(p.Meanings, newMeaning(m))
		}
		if prev != nil {
			p.Prev, prev.Next = prev.Primary, e
		}
		pages[e.Code] = p
		prev = p
	}
	return pages
}

func newMeaning(e *httpstatus.Entry) meaning {
	m := meaning{Entry: e, Anchor: anchor(e), ClientRules: e.ClientRules()}
	for _, hr := range e.Headers {
		if hr.Level.Required() {
			m.Required = append(m.Required, hr)
		} else {
			m.Recommended = append(m.Recommended, hr)
		}
	}
	seen := map[string]bool{}
	add := func(ref httpstatus.Reference) {
		if ref.Document == "" || seen[ref.String()] {
			return
		}
		seen[ref.String()] = true
		m.References = append(m.References, ref)
	}
	add(e.Ref)
	add(e.ConditionRef)
	add(e.ContentRef)
	add(e.CachingRef)
	add(e.RetryRef)
	add(e.WithdrawnRef)
	for _, hr := range e.Headers {
		add(hr.Ref)
	}
	for _, u := range e.Usage {
		add(u.Ref)
	}
	for _, r := range m.ClientRules {
		add(r.Ref)
	}
	for _, n := range e.Names {
		add(n.Ref)
	}
	for _, c := range e.Related {
		if rel, ok := httpstatus.Lookup(c); ok {
			m.Related = append(m.Related, rel)
		}
	}
	return m
}

// neighbours returns the known numbers either side of code.
func neighbours(code int) (prev, next *httpstatus.Entry) {
	for e := range httpstatus.Codes() {
		switch {
		case e.Code < code:
			prev = e
		case e.Code > code && next == nil:
			next = e
		}
	}
	return prev, next
}

// notFoundPage is the data of the page for a number the registry lacks.
type notFoundPage struct {
	Title   string
	Input   string
	Code    int              // the number asked for, or -1 when it is not one
	Class   httpstatus.Class // its class when it is a valid status code
	Prev    *httpstatus.Entry
	Next    *httpstatus.Entry
	Results []item // codes whose text matches the input
	Query   string
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request, input string, code int) {
	input = httptext.Clip(input, maxQuery)
	p := notFoundPage{Input: input, Code: code, Title: "Not in the registry"}
	if code >= 0 {
		p.Class = httpstatus.ClassOf(code)
		if p.Class != 0 {
			p.Prev, p.Next = neighbours(code)
		}
	} else {
		p.Query = input
		for i, res := range search.Search(input) {
			if i == 10 {
				break
			}
			p.Results = append(p.Results, h.index.byEntry[res.Entry])
		}
	}
	h.render(w, r, http.StatusNotFound, "notfound.html", p)
}

// heading writes an h2 or h3 with an id: a number with several meanings
// gives each its own h2 and pushes their sections one level down.
func heading(level int, id, text string) template.HTML {
	tag := "h" + strconv.Itoa(min(max(level, 2), 6))
	return template.HTML("<" + tag + ` id="` + template.HTMLEscapeString(id) + `">` + template.HTMLEscapeString(text) + "</" + tag + ">")
}
