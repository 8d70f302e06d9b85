package server

import (
	"cmp"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
)

// TestExamplesShowTheirCode sends every example of every registered code
// to a server and checks that its last answer has the code the example
// is listed under: an example that shows something else would teach the
// wrong thing.
func TestExamplesShowTheirCode(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(New())
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n, finals := 0, 0
	send := func(ex Example, key string) (*http.Response, error) {
		path := strings.ReplaceAll(ex.Path, KeyPlaceholder, key)
		req, err := http.NewRequest(cmp.Or(ex.Method, http.MethodGet), srv.URL+path, strings.NewReader(ex.Body))
		if err != nil {
			return nil, err
		}
		for _, h := range ex.Header {
			name, value, _ := strings.Cut(h, ": ")
			if strings.Contains(value, ETagPlaceholder) {
				head, err := client.Head(srv.URL + path)
				if err != nil {
					return nil, err
				}
				head.Body.Close()
				value = strings.ReplaceAll(value, ETagPlaceholder, head.Header.Get("ETag"))
			}
			req.Header.Set(name, value)
		}
		res, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		return res, err
	}
	for e := range httpstatus.Codes() {
		if e.Code >= 200 {
			finals++
		}
		for i, ex := range Examples(e.Code) {
			if i == 0 && (e.Code < 200 || e.Code == 426) {
				continue // the plain answer: an interim code ends in 200, 101 and 426 need an upgrade
			}
			n++
			key := "ex" + strconv.Itoa(n)
			for _, p := range ex.Prepare {
				if _, err := send(p, key); err != nil {
					t.Fatalf("%d, %q: preparing: %v", e.Code, ex.Summary, err)
				}
			}
			var res *http.Response
			var err error
			for range max(ex.Repeat, 1) {
				res, err = send(ex, key)
			}
			switch {
			case e.Code == 444 && err != nil && errors.Is(err, io.EOF):
				// the connection closed without an answer, as 444 does
			case err != nil:
				t.Errorf("%d, %q: %v", e.Code, ex.Summary, err)
			case res.StatusCode != e.Code:
				t.Errorf("%d, %q (%s %s): the answer is %d", e.Code, ex.Summary, ex.Method, ex.Path, res.StatusCode)
			}
		}
	}
	if n <= finals {
		t.Errorf("%d examples checked, no more than one a final code (%d)", n, finals)
	}
}
