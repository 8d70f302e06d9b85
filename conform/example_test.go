package conform_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/httpstatus/httpstatus/conform"
)

// Check a response a handler recorded: a 405 must say which methods are
// allowed.
func ExampleCheck() {
	rec := httptest.NewRecorder()
	rec.Header().Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
	http.Error(rec, "method not allowed", http.StatusMethodNotAllowed)
	for _, f := range conform.Check(rec.Result()) {
		fmt.Println(f.Severity, f.ID, "-", f.Ref)
	}
	// Output:
	// error required-header - RFC 9110, section 15.5.6
}

// Check a response as curl -si prints it, here a 204 with content.
func ExampleCheckRaw() {
	raw := "HTTP/1.1 204 No Content\r\n" +
		"Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n" +
		"\r\n" +
		"{}"
	findings, err := conform.CheckRaw(strings.NewReader(raw), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	// Output:
	// error content-not-allowed: 204 No Content carries 2 bytes of content
}

// Tell HEAD from GET by passing the request.
func ExampleCheckRaw_head() {
	req, _ := http.NewRequest(http.MethodHead, "https://example.com/", nil)
	raw := "HTTP/1.1 200 OK\nDate: Mon, 02 Jan 2006 15:04:05 GMT\nContent-Type: text/plain\nContent-Length: 5\n\nhello"
	findings, _ := conform.CheckRaw(strings.NewReader(raw), req)
	fmt.Println(conform.Worst(findings), findings[0].ID)
	// Output:
	// error head-content
}

// List the rules, as the reference page does.
func ExampleRules() {
	for _, r := range conform.Rules()[:3] {
		fmt.Printf("%s (%s)\n", r.ID, r.Severity)
	}
	// Output:
	// required-header (error)
	// forbidden-header (error)
	// recommended-header (warning)
}

// The body stays readable after Check.
func ExampleCheck_body() {
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "text/plain")
	rec.Header().Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
	rec.Header().Set("ETag", `"v1"`)
	rec.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
	io.WriteString(rec, "hello")
	resp := rec.Result()
	fmt.Println(len(conform.Check(resp)))
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(string(b))
	// Output:
	// 0
	// hello
}

// Probe a resource whose server ignores If-None-Match: the follow-up
// request that sends the ETag back gets the whole content again.
func ExampleProbe() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/plain")
		if r.Method == http.MethodOptions {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			http.Error(w, "no", http.StatusMethodNotAllowed)
			return
		}
		io.WriteString(w, "the same content every time\n")
	}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	report, err := conform.Probe(context.Background(), srv.Client(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report.Requests[1].Probe, report.Requests[1].Status)
	for _, f := range report.Findings {
		if f.Severity >= conform.SeverityWarning {
			fmt.Println(f.Severity, f.ID, "-", f.Ref)
		}
	}
	// Output:
	// head 200
	// error if-none-match-ignored - RFC 9110, section 13.1.2
}

// Check every entry of a HAR file, as a browser exports it.
func ExampleCheckHAR() {
	har := `{"log": {"version": "1.2", "entries": [{
		"request": {"method": "DELETE", "url": "https://shop.example/cart/1", "headers": []},
		"response": {"status": 405, "statusText": "", "headers": [
			{"name": "date", "value": "Wed, 01 May 2024 12:00:00 GMT"},
			{"name": "content-type", "value": "text/plain"}],
			"content": {"size": 2, "mimeType": "text/plain", "text": "no"}}}]}}`
	results, err := conform.CheckHAR(strings.NewReader(har))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		for _, f := range r.Findings {
			fmt.Println(r.URL, f.ID, "-", f.Ref)
		}
	}
	// Output:
	// https://shop.example/cart/1 required-header - RFC 9110, section 15.5.6
}

// Watch the responses of a running handler: here the findings go to a
// callback, which a server would log or count.
func ExampleMiddleware() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "read-only", http.StatusMethodNotAllowed) // forgets Allow
	})
	h := conform.Middleware(api, conform.WithReport(func(r *http.Request, code int, findings []conform.Finding) {
		for _, f := range findings {
			fmt.Println(r.Method, r.URL.Path, f.ID, "-", f.Ref)
		}
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/orders/1", nil))
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String())) // the response is untouched
	// Output:
	// DELETE /orders/1 required-header - RFC 9110, section 15.5.6
	// 405 read-only
}
