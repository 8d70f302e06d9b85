// Package httpstatus is a registry of every HTTP status code: the codes IANA
// registers and the well-known codes vendors use, each with its meaning,
// its origin, the history of its phrase, and the rules the RFCs attach to it.
//
// Look a code up by number, in constant time and without allocating:
//
//	e, ok := httpstatus.Lookup(413)
//	// e.Phrase == "Content Too Large", e.Headers lists Retry-After (SHOULD, when temporary)
//
// or by any of its names, current, former or vendor, in any case:
//
//	e, _ = httpstatus.LookupPhrase("request entity too large") // 413
//
// A number can have several meanings (499 is nginx's Client Closed Request
// and Esri's Token Required); Meanings returns all of them. Text is a
// drop-in replacement for net/http's StatusText that answers with the
// phrases of RFC 9110. ParseCode reads a code from text, such as a URL
// path or a command-line argument.
//
// Every fact carries a Reference to the RFC section or vendor document that
// states it. The tables are generated from codes.json by gen.go; see
// docs/data-format.md.
package httpstatus
