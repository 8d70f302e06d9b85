package conform_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
	"github.com/httpstatus/httpstatus/conform"
)

// sampleValue returns a valid value for a header field the registry names.
func sampleValue(field string, code int) string {
	switch http.CanonicalHeaderKey(field) {
	case "Allow":
		return "GET, HEAD"
	case "Www-Authenticate", "Proxy-Authenticate":
		return `Basic realm="test"`
	case "Retry-After":
		return "120"
	case "Content-Range":
		if code == http.StatusRequestedRangeNotSatisfiable {
			return "bytes */100"
		}
		return "bytes 0-1/100"
	case "Location", "Content-Location":
		return "/somewhere"
	case "Date", "Expires", "Last-Modified":
		return "Mon, 02 Jan 2006 15:04:05 GMT"
	case "Connection":
		return "upgrade"
	case "Upload-Draft-Interop-Version":
		return "6"
	case "Link":
		return `<https://example.com/blocker>; rel="blocked-by"`
	case "Etag":
		return `"v1"`
	}
	return "x"
}

// TestRegistryHeaderRules checks every unconditional header rule of every
// code in the registry: a response without a required field (or with a
// forbidden one) gets the right finding with the entry's reference, and a
// response that follows the rules gets none of the header-rule findings.
func TestRegistryHeaderRules(t *testing.T) {
	t.Parallel()
	headerIDs := map[string]bool{
		conform.RuleRequiredHeader: true, conform.RuleForbiddenHeader: true,
		conform.RuleRecommendedHeader: true, conform.RuleDiscouragedHeader: true,
	}
	var checked int
	for e := range httpstatus.Codes() {
		for _, h := range e.Headers {
			if h.Applies != httpstatus.AppliesAlways || h.Level == httpstatus.LevelMay {
				continue
			}
			checked++
			good := httptest.NewRecorder()
			bad := httptest.NewRecorder()
			for _, other := range e.Headers {
				if other.Applies == httpstatus.AppliesAlways && (other.Level == httpstatus.LevelMust || other.Level == httpstatus.LevelShould) {
					good.Header().Set(other.Field, sampleValue(other.Field, e.Code))
					bad.Header().Set(other.Field, sampleValue(other.Field, e.Code))
				}
			}
			var want string
			switch h.Level {
			case httpstatus.LevelMust:
				want = conform.RuleRequiredHeader
				bad.Header().Del(h.Field)
			case httpstatus.LevelShould:
				want = conform.RuleRecommendedHeader
				bad.Header().Del(h.Field)
			case httpstatus.LevelMustNot:
				want = conform.RuleForbiddenHeader
				bad.Header().Set(h.Field, sampleValue(h.Field, e.Code))
			case httpstatus.LevelShouldNot:
				want = conform.RuleDiscouragedHeader
				bad.Header().Set(h.Field, sampleValue(h.Field, e.Code))
			}
			good.WriteHeader(e.Code)
			bad.WriteHeader(e.Code)
			var found bool
			for _, f := range conform.Check(bad.Result()) {
				if f.ID == want && f.Ref == h.Ref && strings.Contains(f.Summary, h.Field) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s without/with %s (%s): no %s finding with reference %s", e, h.Field, h.Level, want, h.Ref)
			}
			for _, f := range conform.Check(good.Result()) {
				if headerIDs[f.ID] {
					t.Errorf("%s with its header rules followed: %s", e, f)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("the registry has no unconditional header rule to check")
	}
}

// TestCheckRestoresBody shows that the caller can still read the body.
func TestCheckRestoresBody(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "text/plain")
	rec.WriteHeader(http.StatusOK)
	io.WriteString(rec, "hello, world")
	resp := rec.Result()
	conform.Check(resp)
	b, err := io.ReadAll(resp.Body)
	if err != nil || string(b) != "hello, world" {
		t.Fatalf("body after Check = %q, %v", b, err)
	}
	if conform.Check(nil) != nil {
		t.Error("Check(nil) returned findings")
	}
}

// TestCheckRecorded runs Check on recorded responses.
func TestCheckRecorded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		method  string
		want    string // a rule id that must fire; empty for none at error level
	}{
		{"405 without Allow", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusMethodNotAllowed)
		}, http.MethodPost, conform.RuleRequiredHeader},
		{"204 with content", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
			io.WriteString(w, "oops")
		}, http.MethodGet, conform.RuleContentNotAllowed},
		{"Content-Length larger than content", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "short")
		}, http.MethodGet, conform.RuleContentLengthMismatch},
		{"good 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
			io.WriteString(w, "fine")
		}, http.MethodGet, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(tt.method, "/", nil)
			tt.handler(rec, req)
			resp := rec.Result()
			resp.Request = req
			fs := conform.Check(resp)
			if tt.want == "" {
				if conform.Worst(fs) >= conform.SeverityError || len(fs) > 0 {
					t.Errorf("findings on a good response: %v", fs)
				}
				return
			}
			for _, f := range fs {
				if f.ID == tt.want {
					return
				}
			}
			t.Errorf("%s did not fire; findings: %v", tt.want, fs)
		})
	}
}

// TestFindingJSON checks the JSON members the CLI and tools rely on.
func TestFindingJSON(t *testing.T) {
	t.Parallel()
	fs, err := conform.CheckRaw(strings.NewReader("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no findings")
	}
	first := got[0]
	for _, k := range []string{"id", "severity", "summary", "explanation", "reference", "url", "code"} {
		if _, ok := first[k]; !ok {
			t.Errorf("member %q missing from %s", k, b)
		}
	}
	if first["id"] != conform.RuleRequiredHeader || first["severity"] != "error" || first["reference"] != "RFC 9110, section 15.5.6" {
		t.Errorf("first finding = %v", first)
	}
}

func TestLevelText(t *testing.T) {
	t.Parallel()
	for _, l := range []conform.Severity{conform.SeverityInfo, conform.SeverityWarning, conform.SeverityError} {
		b, err := l.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back conform.Severity
		if err := back.UnmarshalText(b); err != nil || back != l {
			t.Errorf("%v round-trips to %v, %v", l, back, err)
		}
	}
	if _, err := conform.Severity(0).MarshalText(); err == nil {
		t.Error("the zero level marshals")
	}
	var l conform.Severity
	if err := l.UnmarshalText([]byte("fatal")); err == nil {
		t.Error("an unknown level unmarshals")
	}
	if conform.Severity(9).String() != "invalid(9)" {
		t.Error(conform.Severity(9).String())
	}
}

// TestCheckRawInput covers the shapes of raw input curl and people produce.
func TestCheckRawInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		codes   []int // the codes of the responses findings may name
		wantErr bool
	}{
		{"empty", "", nil, true},
		{"not HTTP", "<html>hello</html>", nil, true},
		{"bad header line", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", nil, true},
		{"obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", nil, true},
		{"bad code", "HTTP/1.1 2000 OK\r\n\r\n", nil, true},
		{"100 then 200", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", []int{100, 200}, false},
		{"HTTP/2 from curl", "HTTP/2 404 \r\ncontent-type: text/plain\r\n\r\nnope", []int{404}, false},
		{"curl -L", "HTTP/1.1 301 Moved Permanently\nLocation: /b\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok", []int{301, 200}, false},
		{"curl decoded chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\nhello world", []int{200}, false},
		{"chunked with trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", []int{200}, false},
		{"101 then websocket bytes", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello", []int{101}, false},
		{"headers only, no blank line", "HTTP/1.1 404 Not Found\nContent-Type: text/plain", []int{404}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs, err := conform.CheckRaw(strings.NewReader(tt.raw), nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			for _, f := range fs {
				if !containsInt(tt.codes, f.Code) {
					t.Errorf("finding about code %d: %s", f.Code, f)
				}
				if f.ID == conform.RuleContentNotAllowed || f.ID == conform.RuleContentLengthMismatch {
					t.Errorf("unexpected %s", f)
				}
			}
		})
	}
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}
