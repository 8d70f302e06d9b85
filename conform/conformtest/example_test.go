package conformtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

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

// TestAssets is how a test uses Probe: the follow-up requests check that
// the file server answers validators, ranges, HEAD and unknown methods as
// HTTP says.
func TestAssets(t *testing.T) {
	assets := fstest.MapFS{"app.js": {Data: []byte("console.log('hello');\n"), ModTime: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}}
	conformtest.Probe(t, http.FileServerFS(assets), httptest.NewRequest(http.MethodGet, "/app.js", nil))
}

// Format is the line a failing test prints for each finding.
func ExampleFormat() {
	raw := "HTTP/1.1 405 Method Not Allowed\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Length: 0\r\n\r\n"
	findings, _ := conform.CheckRaw(strings.NewReader(raw), nil)
	fmt.Println(conformtest.Format("DELETE /orders", findings[0]))
	// Output:
	// DELETE /orders: error [required-header] 405 Method Not Allowed has no Allow field (MUST, always, listing the methods the resource currently supports (may be empty)) (RFC 9110, section 15.5.6 https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6)
}

// printer is a testing.TB that prints what a test would report, so that an
// example can show it; a real test passes its own t.
type printer struct{ testing.TB }

func (printer) Helper()                           {}
func (printer) Error(args ...any)                 { fmt.Println("FAIL", fmt.Sprint(args...)) }
func (printer) Errorf(format string, args ...any) { fmt.Println("FAIL", fmt.Sprintf(format, args...)) }
func (printer) Log(args ...any)                   { fmt.Println("LOG", fmt.Sprint(args...)) }

// Raw checks what curl -si printed, such as a response saved in testdata:
// here a 401 without the challenge it must carry.
func ExampleRaw() {
	var t testing.TB = printer{}
	conformtest.Raw(t, "HTTP/1.1 401 Unauthorized\r\n"+
		"Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n"+
		"Content-Type: text/plain\r\n"+
		"Content-Length: 12\r\n"+
		"\r\n"+
		"who are you?", httptest.NewRequest(http.MethodGet, "/account", nil))
	// Output:
	// FAIL raw response: error [required-header] 401 Unauthorized has no WWW-Authenticate field (MUST, always, with at least one challenge for the target resource) (RFC 9110, section 15.5.2 https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2)
}
