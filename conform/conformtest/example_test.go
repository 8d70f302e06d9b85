package conformtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/conform"
	"github.com/httpstatus/httpstatus/conform/conformtest"
)

// TestHello is how a test uses Handler: every response to the requests is
// checked, and a broken MUST fails the test.
func TestHello(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello")
	})
	conformtest.Handler(t, h,
		httptest.NewRequest(http.MethodGet, "/", nil),
		httptest.NewRequest(http.MethodHead, "/", nil))
}

// Format is the line a failing test prints for each finding.
func ExampleFormat() {
	raw := "HTTP/1.1 405 Method Not Allowed\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Length: 0\r\n\r\n"
	findings, _ := conform.CheckRaw(strings.NewReader(raw), nil)
	fmt.Println(conformtest.Format("DELETE /orders", findings[0]))
	// Output:
	// DELETE /orders: error [required-header] 405 Method Not Allowed has no Allow field (MUST, always, listing the methods the resource currently supports (may be empty)) (RFC 9110, section 15.5.6 https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6)
}
