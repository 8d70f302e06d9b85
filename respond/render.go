package respond

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/httpstatus/httpstatus"
)

// render returns the body for media and its Content-Type.
func (v *view) render(media string) (body []byte, contentType string) {
	switch media {
	case MediaHTML:
		return v.html(), "text/html; charset=utf-8"
	case MediaText:
		return v.text(), "text/plain; charset=utf-8"
	case MediaJSON:
		return v.json(), MediaJSON
	}
	return v.json(), MediaProblemJSON
}

// json encodes the view as an RFC 9457 problem object: the standard
// members first, in the RFC's order, then the package's own, then the
// extensions by key.
func (v *view) json() []byte {
	n := 96 + len(v.Type) + len(v.Title) + len(v.Detail) + len(v.Instance) + len(v.Summary) + len(v.RetryAt)
	for _, m := range v.Ext {
		n += len(m.Key) + len(m.JSON) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, `{"type":`...)
	b = appendJSONString(b, v.Type)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, v.Title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(v.Status), 10)
	if v.Detail != "" {
		b = append(b, `,"detail":`...)
		b = appendJSONString(b, v.Detail)
	}
	if v.Instance != "" {
		b = append(b, `,"instance":`...)
		b = appendJSONString(b, v.Instance)
	}
	if v.Summary != "" {
		b = append(b, `,"summary":`...)
		b = appendJSONString(b, v.Summary)
	}
	if c := conditionWord(v.Condition); c != "" {
		b = append(b, `,"condition":`...)
		b = appendJSONString(b, c)
	}
	if r := retryWord(v.Retry); r != "" {
		b = append(b, `,"retry":`...)
		b = appendJSONString(b, r)
	}
	if v.RetryKnown {
		b = append(b, `,"retryAfter":`...)
		b = strconv.AppendInt(b, v.RetryAfter, 10)
	}
	if v.RetryAt != "" {
		b = append(b, `,"retryAt":`...)
		b = appendJSONString(b, v.RetryAt)
	}
	for _, m := range v.Ext {
		b = append(b, ',')
		b = appendJSONString(b, m.Key)
		b = append(b, ':')
		b = append(b, m.JSON...)
	}
	return append(b, "}\n"...)
}

// conditionWord returns the condition as the JSON body spells it.
func conditionWord(c httpstatus.Condition) string {
	if c == 0 {
		return ""
	}
	return c.String()
}

// retryWord returns the retry guidance as the JSON body spells it, or ""
// when there is none to give.
func retryWord(r httpstatus.Retry) string {
	if r == 0 || r == httpstatus.RetryNotApplicable {
		return ""
	}
	return r.String()
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string may hold as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString appends s as a JSON string, byte for byte as
// encoding/json encodes it: <, > and & escaped so that the body is safe to
// embed in HTML, invalid UTF-8 replaced with U+FFFD, U+2028 and U+2029
// escaped, and the short escapes where JSON has them.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// conditionText says in a sentence what the condition means for the client.
func conditionText(c httpstatus.Condition) string {
	switch c {
	case httpstatus.ConditionTemporary:
		return "This condition is temporary: the same request may succeed later."
	case httpstatus.ConditionPermanent:
		return "This condition is permanent: repeating the request will not help."
	case httpstatus.ConditionEither:
		return "The server has not said whether this condition is temporary or permanent."
	}
	return ""
}

// retryText combines the registry's retry advice with the wait Retry-After
// asked for.
func (v *view) retryText() string {
	var parts []string
	if v.RetryAdvice != "" {
		parts = append(parts, v.RetryAdvice)
	}
	switch {
	case v.RetryAt != "":
		parts = append(parts, "Retry after "+v.RetryAt+".")
	case v.RetryKnown && v.RetryAfter == 1:
		parts = append(parts, "Retry after 1 second.")
	case v.RetryKnown:
		parts = append(parts, "Retry after "+strconv.FormatInt(v.RetryAfter, 10)+" seconds.")
	}
	return strings.Join(parts, " ")
}

// text renders the view as plain text: the status line first, then one
// paragraph a fact.
func (v *view) text() []byte {
	var b bytes.Buffer
	b.WriteString(strconv.Itoa(v.Status))
	b.WriteByte(' ')
	b.WriteString(v.Title)
	b.WriteString("\n")
	para := func(s string) {
		if s != "" {
			b.WriteString("\n")
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	para(v.Detail)
	if v.Summary != "" {
		para(v.Summary + ".")
	}
	para(conditionText(v.Condition))
	para(v.retryText())
	var fields []string
	if v.Type != aboutBlank {
		fields = append(fields, "Type: "+v.Type)
	}
	if v.Instance != "" {
		fields = append(fields, "Instance: "+v.Instance)
	}
	for _, m := range v.Ext {
		fields = append(fields, m.Key+": "+m.Value)
	}
	para(strings.Join(fields, "\n"))
	return b.Bytes()
}

// pageData is what the HTML template reads.
type pageData struct {
	view
	Condition string
	Retry     string
	Type      string // empty when about:blank
}

// pageStyle is the HTML representation's only style sheet, inline so that
// the page needs nothing else; htmlPolicy allows it by its hash.
const pageStyle = `
:root { color-scheme: light dark; }
body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; }
main { max-width: 40rem; margin: 0 auto; }
h1 { font-size: 1.75rem; margin: 0 0 1rem; }
dt { font-weight: bold; margin-top: .75rem; }
dd { margin: 0; overflow-wrap: anywhere; }
`

// htmlPolicy is the Content-Security-Policy of the HTML representation:
// nothing may load or run but its own style element.
var htmlPolicy = func() string {
	sum := sha256.Sum256([]byte(pageStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// page is the HTML representation: one self-contained, accessible
// document with no external resources. html/template escapes every value.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Status}} {{.Title}}</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main>
<h1>{{.Status}} {{.Title}}</h1>
{{with .Detail}}<p>{{.}}</p>
{{end}}{{with .Summary}}<p>{{.}}.</p>
{{end}}{{if or .Condition .Retry .Type .Instance .Ext}}<dl>
{{with .Condition}}<dt>Condition</dt><dd>{{.}}</dd>
{{end}}{{with .Retry}}<dt>Retry</dt><dd>{{.}}</dd>
{{end}}{{with .Type}}<dt>Problem type</dt><dd><code>{{.}}</code></dd>
{{end}}{{with .Instance}}<dt>Instance</dt><dd><code>{{.}}</code></dd>
{{end}}{{range .Ext}}<dt>{{.Key}}</dt><dd><code>{{.Value}}</code></dd>
{{end}}</dl>
{{end}}</main>
</body>
</html>
`))

func (v *view) html() []byte {
	d := pageData{view: *v, Condition: conditionText(v.Condition), Retry: v.retryText()}
	if v.Type != aboutBlank {
		d.Type = v.Type
	}
	var b bytes.Buffer
	if err := page.Execute(&b, d); err != nil {
		// The template is fixed and its data are strings; it cannot fail.
		panic("respond: HTML template: " + err.Error())
	}
	return b.Bytes()
}
