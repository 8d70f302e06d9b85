package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/httpstatus/httpstatus"
)

// An Example is a request to the server that shows a status code at work,
// for a person to try: the web reference lists the examples of each code.
type Example struct {
	// Summary says what the request shows, in a few words.
	Summary string
	// Method is the request method; "" means GET.
	Method string
	// Path is the path and query. "{key}" stands for the key of a run,
	// which whoever shows the example fills in: a fresh one for each
	// person, so that runs do not mix.
	Path string
	// Header lists request header fields, "Name: value". ETagPlaceholder
	// stands for the current ETag of the resource at Path, which a HEAD of
	// it tells.
	Header []string
	// Body is request content, for the methods that send some.
	Body string
	// Repeat is how many times the request is sent; the last answer shows
	// the code. 0 means once.
	Repeat int
	// Prepare lists requests to send first, with the same key.
	Prepare []Example
}

// KeyPlaceholder stands for the key of a run in an Example's Path.
const KeyPlaceholder = "{key}"

// ETagPlaceholder stands for the resource's current ETag in an Example's
// Header.
const ETagPlaceholder = "{etag}"

// Examples returns requests that show code at work on the server's
// routes: the plain answer, then each route whose behaviour involves the
// code (a sequence that ends well, a rate limit, a redirect chain, an
// answer of the resource). The registry says which codes a client may
// repeat a request after, and so which a retry test suits.
func Examples(code int) []Example {
	c := strconv.Itoa(code)
	out := []Example{{Summary: "answer " + c, Path: "/" + c}}
	if e, ok := httpstatus.Lookup(code); ok && code >= 400 && (e.Retry == httpstatus.RetryYes || e.Retry == httpstatus.RetryLater) {
		out = append(out, Example{Summary: "fail twice with " + c + ", then succeed: a retry test",
			Path: "/sequence/" + c + "," + c + ",200?key=" + KeyPlaceholder + "&retry-after=1"})
	}
	switch {
	case code == http.StatusTooManyRequests:
		out = append(out, Example{Summary: "a real rate limit: 5 requests in 10 seconds, then 429 with Retry-After and RateLimit fields",
			Path: "/200?rate-limit=5/10s&key=" + KeyPlaceholder, Repeat: 6})
	case slices.Contains([]int{301, 302, 303, 307, 308}, code):
		out = append(out,
			Example{Summary: "a chain of three " + c + " redirects that ends at 200", Path: "/redirect/3?code=" + c},
			Example{Summary: "a " + c + " redirect to itself: a cycle for the client to detect", Path: "/redirect-loop?code=" + c},
			Example{Summary: "an endless chain of " + c + " redirects that never repeats a URL", Path: "/redirect-loop/0?code=" + c})
	}
	resource := "/resource?key=" + KeyPlaceholder
	switch code {
	case http.StatusPartialContent:
		out = append(out,
			Example{Summary: "one range of the resource", Path: resource, Header: []string{"Range: bytes=0-99"}},
			Example{Summary: "two ranges, as multipart/byteranges", Path: resource, Header: []string{"Range: bytes=0-9,100-109"}},
			Example{Summary: "a resumed download that asks for the range only if the resource is unchanged",
				Path: resource, Header: []string{"Range: bytes=512-", "If-Range: " + ETagPlaceholder}})
	case http.StatusNotModified:
		out = append(out, Example{Summary: "revalidate the resource with its ETag", Path: resource, Header: []string{"If-None-Match: " + ETagPlaceholder}})
	case http.StatusPreconditionFailed:
		out = append(out, Example{Summary: "a write with a stale ETag: a lost update refused", Method: http.MethodPut, Path: resource,
			Header: []string{`If-Match: "stale"`}, Body: "new content"})
	case http.StatusRequestedRangeNotSatisfiable:
		out = append(out, Example{Summary: "a range past the end of the resource", Path: resource, Header: []string{"Range: bytes=5000-6000"}})
	case http.StatusPreconditionRequired:
		out = append(out, Example{Summary: "an unconditional write, where the run asks every write to be conditional",
			Method: http.MethodPut, Path: resource + "&require-precondition=true", Body: "new content"})
	case http.StatusOK:
		out = append(out, Example{Summary: "the resource, with its validators", Path: resource})
	case http.StatusNoContent:
		out = append(out, Example{Summary: "replace the resource, if it is unchanged", Method: http.MethodPut, Path: resource,
			Header: []string{"If-Match: " + ETagPlaceholder}, Body: "new content"})
	case http.StatusCreated:
		out = append(out, Example{Summary: "create the resource again after a DELETE", Method: http.MethodPut, Path: resource, Body: "new content",
			Prepare: []Example{{Method: http.MethodDelete, Path: resource}}})
	}
	return out
}
