package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// runCheckCmd calls Main with stdin and returns what it printed.
func runCheckCmd(t testing.TB, stdin string, color bool, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Color: color}
	status = Main(context.Background(), append([]string{"check"}, args...), e)
	return out.String(), errOut.String(), status
}

const (
	okDate = "Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n"
	okText = okDate + "Content-Type: text/plain\r\n"
	// A 200 to GET or HEAD should carry the validators it has.
	okValidators = "ETag: \"v1\"\r\nLast-Modified: Mon, 02 Jan 2006 15:04:05 GMT\r\n"
)

// TestCheckStdin feeds a response that breaks each rule the issue lists,
// and correct responses, to "httpstatus check -".
func TestCheckStdin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		raw    string
		status int
		want   []string // rule id, then the reference, as printed; the error on bad input
	}{
		{"405 without Allow", nil, "HTTP/1.1 405 Method Not Allowed\r\n" + okText + "Content-Length: 2\r\n\r\nno", 1,
			[]string{"required-header", "Allow", "RFC 9110, section 15.5.6"}},
		{"401 without WWW-Authenticate", nil, "HTTP/1.1 401 Unauthorized\r\n" + okText + "Content-Length: 2\r\n\r\nno", 1,
			[]string{"required-header", "WWW-Authenticate", "RFC 9110, section 15.5.2"}},
		{"407 without Proxy-Authenticate", nil, "HTTP/1.1 407 Proxy Authentication Required\r\n" + okText + "Content-Length: 2\r\n\r\nno", 1,
			[]string{"required-header", "Proxy-Authenticate", "RFC 9110, section 15.5.8"}},
		{"426 without Upgrade", nil, "HTTP/1.1 426 Upgrade Required\r\n" + okText + "Content-Length: 2\r\n\r\nno", 1,
			[]string{"required-header", "Upgrade", "RFC 9110, section 15.5.22"}},
		{"206 without Content-Range", nil, "HTTP/1.1 206 Partial Content\r\n" + okText + "Content-Length: 2\r\n\r\nno", 1,
			[]string{"required-header", "Content-Range", "RFC 9110, section 15.3.7.1"}},
		{"204 with Content-Length", nil, "HTTP/1.1 204 No Content\r\n" + okDate + "Content-Length: 0\r\n\r\n", 1,
			[]string{"forbidden-header", "RFC 9110, section 8.6"}},
		{"204 with content", nil, "HTTP/1.1 204 No Content\r\n" + okDate + "\r\n{}", 1,
			[]string{"content-not-allowed", "RFC 9110, section 15.3.5"}},
		{"205 with content", nil, "HTTP/1.1 205 Reset Content\r\n" + okText + "Content-Length: 2\r\n\r\n{}", 1,
			[]string{"content-not-allowed", "RFC 9110"}},
		{"304 with content", nil, "HTTP/1.1 304 Not Modified\r\n" + okDate + "ETag: \"1\"\r\n\r\nbody", 1,
			[]string{"content-not-allowed", "RFC 9110"}},
		{"100 with content", nil, "HTTP/1.1 100 Continue\r\n\r\nhello\r\nHTTP/1.1 200 OK\r\n" + okText + "Content-Length: 2\r\n\r\nok", 1,
			[]string{"content-not-allowed"}},
		{"HEAD with content", []string{"-X", "HEAD"}, "HTTP/1.1 200 OK\r\n" + okText + "Content-Length: 2\r\n\r\nok", 1,
			[]string{"head-content", "RFC 9110, section 9.3.2"}},
		{"Content-Length too large", nil, "HTTP/1.1 200 OK\r\n" + okText + "Content-Length: 20\r\n\r\nshort", 1,
			[]string{"content-length-mismatch", "RFC 9112, section 6.3"}},
		{"Content-Length too small", nil, "HTTP/1.1 200 OK\r\n" + okText + "Content-Length: 2\r\n\r\nlonger", 1,
			[]string{"content-length-mismatch"}},
		{"Location not a URI", nil, "HTTP/1.1 201 Created\r\n" + okText + "Location: /orders/my order\r\nContent-Length: 2\r\n\r\nok", 1,
			[]string{"location-invalid", "RFC 9110, section 10.2.2"}},
		{"redirect Location not a URI", nil, "HTTP/1.1 301 Moved Permanently\r\n" + okText + "Location: http://exa mple.com/\r\nContent-Length: 2\r\n\r\nok", 1,
			[]string{"location-invalid"}},
		{"206 bad Content-Range", nil, "HTTP/1.1 206 Partial Content\r\n" + okText + "Content-Range: bytes 9-2/10\r\nContent-Length: 2\r\n\r\nok", 1,
			[]string{"content-range-syntax", "RFC 9110, section 14.4"}},
		{"416 bad Content-Range", nil, "HTTP/1.1 416 Range Not Satisfiable\r\n" + okText + "Content-Range: */10\r\nContent-Length: 2\r\n\r\nno", 1,
			[]string{"content-range-syntax"}},
		{"Allow syntax", nil, "HTTP/1.1 405 Method Not Allowed\r\n" + okText + "Allow: GET;POST\r\nContent-Length: 2\r\n\r\nno", 1,
			[]string{"allow-syntax", "RFC 9110, section 10.2.1"}},
		{"WWW-Authenticate syntax", nil, "HTTP/1.1 401 Unauthorized\r\n" + okText + "WWW-Authenticate: realm=\"api\"\r\nContent-Length: 2\r\n\r\nno", 1,
			[]string{"www-authenticate-syntax", "RFC 9110, section 11.6.1"}},
		{"Retry-After syntax", nil, "HTTP/1.1 503 Service Unavailable\r\n" + okText + "Retry-After: 5 minutes\r\nContent-Length: 2\r\n\r\nno", 1,
			[]string{"retry-after-syntax", "RFC 9110, section 10.2.3"}},
		{"problem status mismatch", nil, "HTTP/1.1 404 Not Found\r\n" + okDate + "Content-Type: application/problem+json\r\n\r\n{\"status\":500}", 1,
			[]string{"problem-status-mismatch", "RFC 9457, section 3.1.2"}},
		{"problem member types", nil, "HTTP/1.1 404 Not Found\r\n" + okDate + "Content-Type: application/problem+json\r\n\r\n{\"status\":\"404\",\"detail\":[]}", 0,
			[]string{"problem-member-type", "RFC 9457, section 3.1"}},
		{"unknown code", nil, "HTTP/1.1 477 Odd\r\n" + okText + "\r\nodd", 0,
			[]string{"unknown-code", "IANA HTTP Status Code Registry"}},
		{"unofficial code", nil, "HTTP/1.1 520 Web Server Returned an Unknown Error\r\n" + okText + "\r\nodd", 0,
			[]string{"unofficial-code", "Cloudflare"}},
		{"deprecated code", nil, "HTTP/1.1 305 Use Proxy\r\n" + okText + "Location: http://proxy/\r\n\r\nodd", 0,
			[]string{"deprecated-code", "RFC"}},
		{"unused code", nil, "HTTP/1.1 306 Switch Proxy\r\n" + okText + "\r\nodd", 0,
			[]string{"unused-code"}},
		{"Go panic in a 500", nil, "HTTP/1.1 500 Internal Server Error\r\n" + okText + "\r\npanic: oops\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x18\n", 0,
			[]string{"stack-trace-leak"}},
		{"good 200, bare LF", nil, "HTTP/1.1 200 OK\n" + strings.ReplaceAll(okText+okValidators, "\r\n", "\n") + "Content-Length: 2\n\nok", 0,
			[]string{"No findings"}},
		{"good 405", nil, "HTTP/1.1 405 Method Not Allowed\r\n" + okText + "Allow: GET, HEAD\r\nContent-Length: 2\r\n\r\nno", 0,
			[]string{"No findings"}},
		{"good 204", nil, "HTTP/1.1 204 No Content\r\n" + okDate + "\r\n", 0, []string{"No findings"}},
		{"good HEAD", []string{"-X", "HEAD"}, "HTTP/1.1 200 OK\r\n" + okText + okValidators + "Content-Length: 2\r\n\r\n", 0, []string{"No findings"}},
		{"416 with range request", []string{"-H", "Range: bytes=50-"}, "HTTP/1.1 416 Range Not Satisfiable\r\n" + okText + "Content-Length: 2\r\n\r\nno", 0,
			[]string{"recommended-header", "Content-Range"}},
		{"not a response", nil, "hello", 2, []string{"not an HTTP response", `"hello"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCheckCmd(t, tc.raw, false, append([]string{"-"}, tc.args...)...)
			if status != tc.status {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", status, tc.status, stdout, stderr)
			}
			out := stdout
			if tc.status == exitUsage {
				out = stderr // findings go to standard output, errors to standard error
			}
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(stdout, "\x1b[") {
				t.Error("colour without a terminal")
			}
		})
	}
}

// TestCheckURL runs "httpstatus check URL" against loopback test servers.
func TestCheckURL(t *testing.T) {
	t.Parallel()
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/no-allow", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not here", http.StatusMethodNotAllowed)
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target", http.StatusFound)
	})
	mux.HandleFunc("/target", func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		io.WriteString(w, "followed")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test") != "yes" || r.Method != http.MethodPut {
			http.Error(w, "missing", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/problem", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"status": 400, "title": "Conflict"}`)
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "too short")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name   string
		args   []string
		status int
		want   []string
	}{
		{"405 without Allow", []string{srv.URL + "/no-allow", "-X", "DELETE"}, 1, []string{"DELETE " + srv.URL + "/no-allow: HTTP/1.1 405", "required-header", "RFC 9110, section 15.5.6", "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6"}},
		{"good", []string{srv.URL + "/ok"}, 0, []string{"No findings"}},
		{"redirect not followed", []string{srv.URL + "/redirect"}, 0, []string{"302 Found"}},
		{"method and headers sent", []string{"-X", "PUT", srv.URL + "/echo", "-H", "X-Test: yes"}, 0, []string{"204 No Content", "No findings"}},
		{"problem status mismatch", []string{srv.URL + "/problem"}, 1, []string{"problem-status-mismatch", "RFC 9457, section 3.1.2"}},
		{"short content", []string{srv.URL + "/short"}, 1, []string{"content-length-mismatch"}},
		{"verbose", []string{"-v", srv.URL + "/no-allow"}, 1, []string{"Without it a client"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expectRun(t, tc.args, tc.status, tc.want, nil)
		})
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		stdout, _, status := runCheckCmd(t, "", false, srv.URL+"/no-allow", "--json")
		if status != 1 {
			t.Errorf("exit status %d", status)
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		if len(got) == 0 {
			t.Fatal("no findings")
		}
		for _, k := range []string{"id", "severity", "summary", "reference", "url"} {
			if _, ok := got[0][k]; !ok {
				t.Errorf("member %q missing: %v", k, got[0])
			}
		}
		if got[0]["severity"] != "error" {
			t.Errorf("first finding %v", got[0])
		}
		stdout, _, status = runCheckCmd(t, "", false, srv.URL+"/ok", "--json")
		if status != 0 || strings.TrimSpace(stdout) != "[]" {
			t.Errorf("good response: status %d, output %q", status, stdout)
		}
	})
	t.Run("colour", func(t *testing.T) {
		t.Parallel()
		stdout, _, _ := runCheckCmd(t, "", true, srv.URL+"/no-allow")
		if !strings.Contains(stdout, styleRed) {
			t.Errorf("no colour on a terminal:\n%q", stdout)
		}
	})
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

// expectRun runs check with args and no standard input, and fails unless
// it exits with status and prints each of want and none of notWant.
func expectRun(t *testing.T, args []string, status int, want, notWant []string) {
	t.Helper()
	stdout, stderr, got := runCheckCmd(t, "", false, args...)
	if got != status {
		t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", got, status, stdout, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	for _, no := range notWant {
		if strings.Contains(stdout, no) {
			t.Errorf("output has %q:\n%s", no, stdout)
		}
	}
}

// TestCheckErrors covers bad usage and network errors: exit status 2.
func TestCheckErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	t.Cleanup(func() { close(block); slow.Close() })
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no argument", nil, "check takes one URL"},
		{"two arguments", []string{"http://a/", "http://b/"}, "check takes one URL"},
		{"not http", []string{"ftp://example.com/"}, "not an http or https URL"},
		{"no host", []string{"http:///x"}, "not an http or https URL"},
		{"bad header", []string{"http://127.0.0.1/", "-H", "NoColon"}, "not 'Name: value'"},
		{"bad header name", []string{"http://127.0.0.1/", "-H", "X(y): z"}, "not 'Name: value'"},
		{"empty method", []string{"http://127.0.0.1/", "-X", ""}, "not a method name"},
		{"bad method", []string{"http://127.0.0.1/", "-X", "GE T"}, "not a method name"},
		{"bad timeout", []string{"http://127.0.0.1/", "--timeout", "0s"}, "must be positive"},
		{"unknown flag", []string{"--bogus", "-"}, "flag provided but not defined"},
		{"connection refused", []string{closedURL}, "check: GET " + closedURL},
		{"timeout", []string{slow.URL, "--timeout", "50ms"}, "deadline exceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCheckCmd(t, "", false, tc.args...)
			if status != 2 {
				t.Errorf("exit status %d, want 2\nstdout: %s\nstderr: %s", status, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q: %s", tc.stderr, stderr)
			}
		})
	}
}

// TestCheckHonoursContext shows a cancelled context ends the request.
func TestCheckHonoursContext(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	t.Cleanup(func() { close(block); srv.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
	if status := Main(ctx, []string{"check", srv.URL}, e); status != 2 || !strings.Contains(errOut.String(), "canceled") {
		t.Errorf("status %d, stderr %s", status, errOut.String())
	}
}

func TestCheckHelp(t *testing.T) {
	t.Parallel()
	stdout, _, status := runCheckCmd(t, "", false, "--help")
	if status != 0 || !strings.Contains(stdout, "Usage: httpstatus check") || !strings.Contains(stdout, "-timeout") {
		t.Errorf("status %d\n%s", status, stdout)
	}
}

// TestCheckProbe runs "httpstatus check --probe" as a new user would: at a
// static file behind Go's http.FileServer, and behind servers that ignore
// If-None-Match or Range.
func TestCheckProbe(t *testing.T) {
	t.Parallel()
	modified := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	content := strings.Repeat("a static file, served for the probes\n", 30)
	files := fstest.MapFS{"file.txt": {Data: []byte(content), ModTime: modified}}
	// serveIgnoring serves the file with an ETag, dropping a request field
	// before http.ServeContent sees it.
	serveIgnoring := func(field string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Del(field)
			w.Header().Set("ETag", `"file-1"`)
			http.ServeContent(w, r, "file.txt", modified, strings.NewReader(content))
		})
	}
	mux := http.NewServeMux()
	mux.Handle("/files/", http.StripPrefix("/files", http.FileServerFS(files)))
	mux.Handle("/no-inm", serveIgnoring("If-None-Match"))
	mux.Handle("/no-range", serveIgnoring("Range"))
	var methods sync.Map
	mux.HandleFunc("/record", func(w http.ResponseWriter, r *http.Request) {
		methods.Store(r.Method, true)
		http.ServeContent(w, r, "file.txt", modified, strings.NewReader(content))
	})
	var unauthorised atomic.Int32
	mux.HandleFunc("/private", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			unauthorised.Add(1)
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		http.ServeContent(w, r, "file.txt", modified, strings.NewReader(content))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Run("headers on every request", func(t *testing.T) {
		t.Parallel()
		stdout, _, status := runCheckCmd(t, "", false, "--probe", "-H", "Authorization: Bearer t0ken", srv.URL+"/private")
		if status != 0 || unauthorised.Load() != 0 || !strings.Contains(stdout, "two-ranges") {
			t.Errorf("status %d, %d requests without the header\n%s", status, unauthorised.Load(), stdout)
		}
	})

	for _, tc := range []struct {
		name    string
		args    []string
		status  int
		want    []string
		notWant []string
	}{
		{"FileServer", []string{"--probe", srv.URL + "/files/file.txt"}, 0,
			[]string{"Probed " + srv.URL + "/files/file.txt", "if-modified-since", "range-past-end", "two-ranges", "no MUST is broken"},
			[]string{"if-modified-since-ignored", "range-ignored", "Errors"}},
		{"ignores If-None-Match", []string{srv.URL + "/no-inm", "--probe"}, 1,
			[]string{"if-none-match-ignored", "RFC 9110, section 13.1.2", "https://www.rfc-editor.org/rfc/rfc9110.html#section-13.1.2", "a MUST is broken"}, nil},
		{"ignores Range", []string{"--probe", srv.URL + "/no-range"}, 0,
			[]string{"range-ignored", "RFC 9110, section 14.3", "not sent: range-past-end"}, nil},
		{"verbose", []string{"--probe", "-v", srv.URL + "/no-inm"}, 1, []string{"full download"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expectRun(t, tc.args, tc.status, tc.want, tc.notWant)
		})
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		stdout, _, status := runCheckCmd(t, "", false, "--probe", "--json", srv.URL+"/no-inm")
		var got struct {
			URL      string           `json:"url"`
			Requests []map[string]any `json:"requests"`
			Findings []map[string]any `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || status != 1 {
			t.Fatalf("status %d, %v\n%s", status, err, stdout)
		}
		if got.URL != srv.URL+"/no-inm" || len(got.Requests) < 5 || got.Requests[0]["probe"] != "initial" ||
			len(got.Findings) == 0 || got.Findings[0]["id"] != "if-none-match-ignored" {
			t.Errorf("report %+v", got)
		}
	})
	t.Run("safe methods only", func(t *testing.T) {
		t.Parallel()
		if _, _, status := runCheckCmd(t, "", false, "--probe", srv.URL+"/record"); status != 0 {
			t.Errorf("exit status %d", status)
		}
		methods.Range(func(k, _ any) bool {
			switch k {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, "HTTPSTATUS-PROBE":
			default:
				t.Errorf("--probe sent %v", k)
			}
			return true
		})
	})
}

// TestCheckProbeErrors: bad usage and a network error exit 2.
func TestCheckProbeErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"stdin", []string{"--probe", "-"}, "needs a URL"},
		{"not GET", []string{"--probe", "-X", "POST", "http://127.0.0.1/"}, "starts with a GET"},
		{"unsafe alone", []string{"--unsafe", "http://127.0.0.1/"}, "goes with --probe"},
		{"no requests", []string{"--probe", "--max-requests", "0", "http://127.0.0.1/"}, "at least 1"},
		{"not http", []string{"--probe", "ftp://x/"}, "not an http or https URL"},
		{"connection refused", []string{"--probe", closedURL}, "check: GET " + closedURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCheckCmd(t, "", false, tc.args...)
			if status != 2 || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit status %d, stderr %q, want 2 and %q\nstdout: %s", status, stderr, tc.stderr, stdout)
			}
		})
	}
}

// checkHARFails runs "httpstatus check --har file", reports an exit status
// other than 1 and output that lacks one of want, and returns the output.
func checkHARFails(t *testing.T, file string, want ...string) string {
	t.Helper()
	stdout, stderr, status := runCheckCmd(t, "", false, "--har", file)
	if status != 1 {
		t.Errorf("exit status %d, want 1\n%s%s", status, stdout, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	return stdout
}

// TestCheckHAR runs "httpstatus check --har" on a HAR file in the format
// of Chromium's export.
func TestCheckHAR(t *testing.T) {
	t.Parallel()
	const har = "../../conform/testdata/chromium.har"
	data, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		stdout := checkHARFails(t, har, "https://shop.example/api/cart/1 (204, 405)", "required-header", "RFC 9110, section 15.5.6",
			"https://shop.example/ (200, 304)", "conditional-header", "8 responses of 6 URLs", "a MUST is broken")
		if strings.Contains(stdout, "ads.example") {
			t.Errorf("the blocked request is reported:\n%s", stdout)
		}
	})
	t.Run("json from stdin", func(t *testing.T) {
		t.Parallel()
		stdout, _, status := runCheckCmd(t, string(data), false, "--har", "-", "--json")
		var got []struct {
			URL      string           `json:"url"`
			Entries  int              `json:"entries"`
			Statuses []int            `json:"statuses"`
			Findings []map[string]any `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || status != 1 {
			t.Fatalf("status %d, %v\n%s", status, err, stdout)
		}
		if len(got) != 6 || got[0].URL != "https://shop.example/" || got[0].Entries != 2 || got[1].Findings == nil {
			t.Errorf("results %+v", got)
		}
	})
	t.Run("a clean file", func(t *testing.T) {
		t.Parallel()
		clean := `{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://x.example/", "headers": []},
			"response": {"status": 200, "statusText": "OK", "headers": [{"name": "Date", "value": "Wed, 01 May 2024 12:00:00 GMT"},
			{"name": "Content-Type", "value": "text/plain"}], "content": {"size": 2, "mimeType": "text/plain", "text": "ok"}}}]}}`
		stdout, _, status := runCheckCmd(t, clean, false, "--har", "-")
		if status != 0 || !strings.Contains(stdout, "1 response of 1 URL") || !strings.Contains(stdout, "0 errors, 0 warnings") {
			t.Errorf("status %d\n%s", status, stdout)
		}
	})
	for _, tc := range []struct {
		name, stdin string
		args        []string
		stderr      string
	}{
		{"missing file", "", []string{"--har", "/nonexistent/x.har"}, "no such file"},
		{"not HAR", "<html>", []string{"--har", "-"}, "not a HAR file"},
		{"with a URL", "", []string{"--har", har, "http://127.0.0.1/"}, "takes no URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, status := runCheckCmd(t, tc.stdin, false, tc.args...)
			if status != 2 || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit status %d, stderr %q; want 2 and %q", status, stderr, tc.stderr)
			}
		})
	}
}

// TestCheckHARRecorded runs "httpstatus check --har" on the HAR file that
// Playwright's recorder wrote of Debian's Chromium visiting serve (see
// conform/testdata/README.md): it exits 1 for the two entries broken on
// purpose, prints each with its rule and reference under its URL, counts
// every entry, and exits 0 once those two entries are taken out.
func TestCheckHARRecorded(t *testing.T) {
	t.Parallel()
	const har = "../../conform/testdata/chromium-recorded.har"
	data, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		checkHARFails(t, har,
			"http://127.0.0.1:8480/200?header=ETag:abc (200)", "etag-syntax", "RFC 9110, section 8.8.3",
			"https://127.0.0.1:8443/503?header=Retry-After:soon (503)", "retry-after-syntax", "RFC 9110, section 10.2.3",
			"http://127.0.0.1:8480/resource?key=har (200, 200, 206, 304, 304)",
			"32 responses of 21 URLs, 6 without findings; 2 errors, 0 warnings", "a MUST is broken")
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		stdout, _, status := runCheckCmd(t, "", false, "--har", har, "--json")
		var got []struct {
			URL      string `json:"url"`
			Entries  int    `json:"entries"`
			Findings []struct {
				ID, Severity, Reference string
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || status != 1 {
			t.Fatalf("status %d, %v\n%s", status, err, stdout)
		}
		entries, broken := 0, map[string]string{}
		for _, r := range got {
			entries += r.Entries
			for _, f := range r.Findings {
				if f.Severity == "error" {
					broken[r.URL] = f.ID + " " + f.Reference
				}
			}
		}
		want := map[string]string{
			"http://127.0.0.1:8480/200?header=ETag:abc":          "etag-syntax RFC 9110, section 8.8.3",
			"https://127.0.0.1:8443/503?header=Retry-After:soon": "retry-after-syntax RFC 9110, section 10.2.3",
		}
		if len(got) != 21 || entries != 32 || len(broken) != len(want) {
			t.Errorf("%d URLs, %d entries, errors %v; want 21, 32 and %v", len(got), entries, broken, want)
		}
		for u, w := range want {
			if broken[u] != w {
				t.Errorf("%s: error %q, want %q", u, broken[u], w)
			}
		}
	})
	t.Run("without the broken entries", func(t *testing.T) {
		t.Parallel()
		var file map[string]map[string]any
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		var kept []any
		for _, e := range file["log"]["entries"].([]any) {
			if u := e.(map[string]any)["request"].(map[string]any)["url"].(string); !strings.Contains(u, "?header=") {
				kept = append(kept, e)
			}
		}
		file["log"]["entries"] = kept
		clean, err := json.Marshal(file)
		if err != nil {
			t.Fatal(err)
		}
		stdout, _, status := runCheckCmd(t, string(clean), false, "--har", "-")
		// The last line sums up the file; those before, each URL.
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if last := lines[len(lines)-1]; status != 0 || !strings.Contains(last, "30 responses of 19 URLs") || !strings.Contains(last, "0 errors, 0 warnings") {
			t.Errorf("exit status %d, want 0 and no error or warning\n%s", status, stdout)
		}
	})
}
