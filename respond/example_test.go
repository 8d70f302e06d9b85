package respond_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/respond"
)

// serve sends one request to h and prints the status, the media type and
// the members of the body that do not quote the registry's prose (which
// its editors may reword).
func serve(h http.Handler, method, target, accept string) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(method, target, nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	printMembers(w.Body.Bytes())
}

func printMembers(body []byte) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		first, _, _ := strings.Cut(string(body), "\n")
		fmt.Println(first)
		return
	}
	for _, k := range []string{"type", "title", "status", "detail", "condition", "retry", "retryAfter", "field"} {
		if v, ok := m[k]; ok {
			fmt.Printf("%s: %v\n", k, v)
		}
	}
}

var errNoUser = errors.New("no such user")

// A handler returns a Problem; HandlerFunc writes it in the representation
// the client asked for.
func Example() {
	h := respond.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if r.URL.Query().Get("id") != "7" {
			return respond.Wrap(http.StatusNotFound, errNoUser)
		}
		_, err := fmt.Fprintln(w, "user 7")
		return err
	})
	serve(h, http.MethodGet, "/users?id=8", "application/json;q=0.9, application/problem+json")
	// Output:
	// 404 application/problem+json
	// type: about:blank
	// title: Not Found
	// status: 404
	// detail: no such user
	// condition: either
	// retry: no
}

// A 5xx hides its cause from the client; Error keeps it for the log.
func ExampleWrap() {
	err := respond.Wrap(http.StatusServiceUnavailable, errors.New("pool exhausted: 50/50 connections")).
		WithRetryAfter(2 * time.Minute)
	fmt.Println(err)

	w := httptest.NewRecorder()
	_ = respond.Write(w, httptest.NewRequest(http.MethodGet, "/", nil), err)
	fmt.Println(w.Code, w.Header().Get("Retry-After"))
	printMembers(w.Body.Bytes())
	// Output:
	// 503 Service Unavailable: pool exhausted: 50/50 connections
	// 503 120
	// type: about:blank
	// title: Service Unavailable
	// status: 503
	// condition: temporary
	// retry: later
	// retryAfter: 120
}

// errors.Is sees through a Problem to its cause, and matches problems by
// status.
func ExampleProblem_Is() {
	err := fmt.Errorf("open config: %w", respond.Wrap(http.StatusNotFound, fs.ErrNotExist))
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	fmt.Println(errors.Is(err, respond.New(http.StatusNotFound)))
	fmt.Println(respond.StatusOf(err))
	// Output:
	// true
	// true
	// 404
}

// Extension members go at the top level of the problem object.
func ExampleErrorf() {
	p := respond.Errorf(http.StatusBadRequest, "field %q must be a date", "due").
		WithExtension("field", "due").
		WithCondition(httpstatus.ConditionPermanent)
	w := httptest.NewRecorder()
	_ = respond.Write(w, httptest.NewRequest(http.MethodPost, "/tasks", nil), p)
	printMembers(w.Body.Bytes())
	// Output:
	// type: about:blank
	// title: Bad Request
	// status: 400
	// detail: field "due" must be a date
	// condition: permanent
	// retry: modified
	// field: due
}

// A code that requires a header cannot be written without it: Write sends
// a 500 instead and tells the caller what is missing.
func ExampleWrite_missingHeader() {
	w := httptest.NewRecorder()
	err := respond.Write(w, httptest.NewRequest(http.MethodDelete, "/items", nil), respond.New(http.StatusMethodNotAllowed))
	fmt.Println(w.Code, errors.Is(err, respond.ErrMissingHeader))
	fmt.Println(err)

	w = httptest.NewRecorder()
	err = respond.Write(w, httptest.NewRequest(http.MethodDelete, "/items", nil),
		respond.New(http.StatusMethodNotAllowed).WithAllow("GET", "POST"))
	fmt.Println(w.Code, w.Header().Get("Allow"), err)
	// Output:
	// 500 true
	// respond: missing required header: 405 Method Not Allowed must carry Allow (RFC 9110, section 15.5.6); set it with WithAllow
	// 405 GET, POST, HEAD <nil>
}

// Challenges go to WWW-Authenticate, or Proxy-Authenticate for a 407.
func ExampleProblem_WithChallenge() {
	w := httptest.NewRecorder()
	_ = respond.Write(w, httptest.NewRequest(http.MethodGet, "/", nil),
		respond.New(http.StatusUnauthorized).WithChallenge(`Bearer realm="api"`))
	fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
	// Output:
	// 401 Bearer realm="api"
}

// A response to HEAD has the headers of GET and no content; a 204 never
// has content.
func ExampleWrite_head() {
	for _, p := range []*respond.Problem{respond.New(http.StatusGone), respond.New(http.StatusNoContent)} {
		get, head := httptest.NewRecorder(), httptest.NewRecorder()
		_ = respond.Write(get, httptest.NewRequest(http.MethodGet, "/", nil), p)
		_ = respond.Write(head, httptest.NewRequest(http.MethodHead, "/", nil), p)
		fmt.Printf("%d: GET has content: %v, HEAD bytes: %d, same Content-Length: %v\n", head.Code,
			get.Body.Len() > 0, head.Body.Len(), get.Header().Get("Content-Length") == head.Header().Get("Content-Length"))
	}
	// Output:
	// 410: GET has content: true, HEAD bytes: 0, same Content-Length: true
	// 204: GET has content: false, HEAD bytes: 0, same Content-Length: true
}

func ExampleNegotiate() {
	for _, accept := range [][]string{
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		{"application/json"},
		{"text/plain;q=0.5, application/json;q=0.2"},
		{"application/json;q=0.2", "text/plain;q=0.5"}, // two lines, one list
		{"image/png"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		for _, line := range accept {
			r.Header.Add("Accept", line)
		}
		fmt.Println(respond.Negotiate(r))
	}
	// Output:
	// text/html
	// application/json
	// text/plain
	// text/plain
	// application/problem+json
}

// NotFound and MethodNotAllowed give an http.ServeMux problem answers.
func ExampleMethodNotAllowed() {
	mux := http.NewServeMux()
	mux.Handle("/", respond.NotFound())
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle("/items", respond.MethodNotAllowed("GET", "POST"))

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, "/items", nil))
	fmt.Println(w.Code, w.Header().Get("Allow"))
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/nothing", nil))
	fmt.Println(w.Code)
	// Output:
	// 405 GET, POST, HEAD
	// 404
}

// Recover answers a panic with a 500 problem and logs it, stack included.
func ExampleRecover() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "stack" {
				return slog.Attr{} // vary from run to run
			}
			return a
		},
	}))
	h := respond.Recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("out of coffee")
	}), logger)
	serve(h, http.MethodGet, "/brew", "text/plain")
	// Output:
	// level=ERROR msg="panic serving request" panic="out of coffee" method=GET path=/brew response_started=false
	// 500 text/plain; charset=utf-8
	// 500 Internal Server Error
}

// Handler sends a HandlerFunc's log records to a logger of your choice;
// only server errors and broken rules are logged, with their cause.
func ExampleHandler() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // varies from run to run
			}
			return a
		},
	}))
	h := respond.Handler(func(w http.ResponseWriter, r *http.Request) error {
		return respond.Wrap(http.StatusServiceUnavailable, errors.New("database: connection refused"))
	}, logger)
	serve(h, http.MethodGet, "/orders", "application/json")
	// Output:
	// level=ERROR msg="request failed" method=GET path=/orders status=503 error="503 Service Unavailable: database: connection refused"
	// 503 application/json
	// type: about:blank
	// title: Service Unavailable
	// status: 503
	// condition: temporary
	// retry: later
}
