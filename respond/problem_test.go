package respond

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus"
)

func TestProblemError(t *testing.T) {
	t.Parallel()
	cause := errors.New("connection refused")
	tests := []struct {
		p    *Problem
		want string
	}{
		{New(404), "404 Not Found"},
		{New(404).WithDetail("no user 7"), "404 Not Found: no user 7"},
		{Wrap(503, cause), "503 Service Unavailable: connection refused"},
		{Errorf(500, "loading user %d: %w", 7, cause), "500 Internal Server Error: loading user 7: connection refused"},
		{New(477), "477 Status 477"},
	}
	for _, tt := range tests {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorsIsAs(t *testing.T) {
	t.Parallel()
	p := Wrap(http.StatusNotFound, fs.ErrNotExist)
	err := fmt.Errorf("handler: %w", p)

	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not see the cause")
	}
	if !errors.Is(err, New(http.StatusNotFound)) {
		t.Error("errors.Is does not match a problem of the same status")
	}
	if errors.Is(err, New(http.StatusGone)) {
		t.Error("errors.Is matches a problem of another status")
	}
	if errors.Is(err, New(http.StatusNotFound).WithType("https://example.com/other")) {
		t.Error("errors.Is matches a problem of another type")
	}
	var got *Problem
	if !errors.As(err, &got) || got != p {
		t.Error("errors.As does not find the problem")
	}
	if StatusOf(err) != http.StatusNotFound || StatusOf(errors.New("x")) != http.StatusInternalServerError {
		t.Error("StatusOf")
	}
	if Errorf(400, "bad %w", fs.ErrInvalid).Unwrap() == nil || !errors.Is(Errorf(400, "bad %w", fs.ErrInvalid), fs.ErrInvalid) {
		t.Error("Errorf with %w does not wrap")
	}
}

// writeJSON writes err and decodes the problem+json body.
func writeJSON(t *testing.T, err error) (*httptest.ResponseRecorder, map[string]any, error) {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	werr := Write(w, r, err)
	var m map[string]any
	if w.Body.Len() > 0 {
		if e := json.Unmarshal(w.Body.Bytes(), &m); e != nil {
			t.Fatalf("body: %v\n%s", e, w.Body)
		}
	}
	return w, m, werr
}

func TestCauseExposure(t *testing.T) {
	t.Parallel()
	secret := errors.New("dial tcp 10.0.0.7:5432: secret")
	tests := []struct {
		name       string
		err        error
		status     int
		wantDetail string // "" when the body must have no detail
	}{
		{"plain error is a hidden 500", secret, 500, ""},
		{"wrapped plain error", fmt.Errorf("query: %w", secret), 500, ""},
		{"Wrap 5xx hides", Wrap(502, secret), 502, ""},
		{"Wrap 5xx with Expose shows", &Problem{Status: 502, Cause: secret, Expose: true}, 502, secret.Error()},
		{"Wrap 4xx shows", Wrap(400, errors.New("missing name")), 400, "missing name"},
		{"Errorf 5xx with %w hides", Errorf(500, "loading: %w", secret), 500, ""},
		{"Errorf 5xx without %w is the caller's detail", Errorf(500, "try again in %d minutes", 5), 500, "try again in 5 minutes"},
		{"Errorf 4xx with %w shows", Errorf(409, "version: %w", errors.New("stale")), 409, "version: stale"},
		{"detail wins over the cause", Wrap(500, secret).WithDetail("Storage is down."), 500, "Storage is down."},
		{"problem deep in the chain", fmt.Errorf("a: %w", fmt.Errorf("b: %w", New(404))), 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, m, err := writeJSON(t, tt.err)
			if err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || m["status"] != float64(tt.status) {
				t.Errorf("status %d, member %v, want %d", w.Code, m["status"], tt.status)
			}
			if d, _ := m["detail"].(string); d != tt.wantDetail {
				t.Errorf("detail %q, want %q", d, tt.wantDetail)
			}
			if tt.wantDetail == "" && strings.Contains(w.Body.String(), "secret") {
				t.Errorf("the body leaks the cause: %s", w.Body)
			}
		})
	}
}

func TestCallerMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"nil", nil, ErrNilError},
		{"status 0", New(0), ErrInvalidStatus},
		{"status 600", New(600), ErrInvalidStatus},
		{"status 99", New(99), ErrInvalidStatus},
		{"405 without Allow", New(405), ErrMissingHeader},
		{"401 without challenge", New(401).WithChallenge(" "), ErrMissingHeader},
		{"407 with a WWW-Authenticate challenge", New(407).WithHeader("WWW-Authenticate", "Basic"), ErrMissingHeader},
		{"426 without Upgrade", New(426).WithUpgrade(), ErrMissingHeader},
		{"unencodable extension", New(400).WithExtension("f", func() {}), ErrExtension},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, m, err := writeJSON(t, tt.err)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Write = %v, want %v", err, tt.want)
			}
			if w.Code != 500 || m["status"] != float64(500) {
				t.Errorf("wrote %d (%v), want a 500 problem", w.Code, m["status"])
			}
			if _, ok := m["detail"]; ok {
				t.Errorf("the 500 explains the mistake to the client: %s", w.Body)
			}
		})
	}
}

func TestBuilders(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		p      *Problem
		header string
		want   string
	}{
		{"allow adds HEAD to GET", New(405).WithAllow("get", "POST", "GET"), "Allow", "GET, POST, HEAD"},
		{"allow keeps HEAD once", New(405).WithAllow("HEAD", "GET"), "Allow", "HEAD, GET"},
		{"empty allow", New(405).WithAllow(), "Allow", ""},
		{"challenge on 401", New(401).WithChallenge(`Bearer realm="api"`), "WWW-Authenticate", `Bearer realm="api"`},
		{"challenge on 407", New(407).WithChallenge("Basic"), "Proxy-Authenticate", "Basic"},
		{"upgrade", New(426).WithUpgrade("TLS/1.3", "", "HTTP/2.0"), "Upgrade", "TLS/1.3, HTTP/2.0"},
		{"upgrade sets Connection", New(426).WithUpgrade("TLS/1.3"), "Connection", "upgrade"},
		{"upgrade keeps Connection", New(426).WithHeader("Connection", "Upgrade").WithUpgrade("TLS/1.3"), "Connection", "Upgrade"},
		{"retry after rounds up", New(429).WithRetryAfter(1500 * time.Millisecond), "Retry-After", "2"},
		{"retry after negative", New(503).WithRetryAfter(-time.Second), "Retry-After", "0"},
		{"retry at", New(503).WithRetryAt(at.In(time.FixedZone("X", 3600))), "Retry-After", "Wed, 02 Jan 2030 03:04:05 GMT"},
		{"content range", New(416).WithContentRange(1234), "Content-Range", "bytes */1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vals, ok := tt.p.Header[http.CanonicalHeaderKey(tt.header)]
			if !ok || strings.Join(vals, ", ") != tt.want {
				t.Errorf("%s = %q (set %v), want %q", tt.header, vals, ok, tt.want)
			}
			w, _, err := writeJSON(t, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.Header().Values(tt.header); strings.Join(got, ", ") != tt.want {
				t.Errorf("written %s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestRetryGuidance(t *testing.T) {
	t.Parallel()
	at := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	_, m, err := writeJSON(t, New(503).WithRetryAt(at))
	if err != nil {
		t.Fatal(err)
	}
	if m["retryAt"] != at.Format(time.RFC3339) {
		t.Errorf("retryAt = %v, want %s", m["retryAt"], at.Format(time.RFC3339))
	}
	if s, _ := m["retryAfter"].(float64); s < 3500 || s > 3600 {
		t.Errorf("retryAfter = %v, want about 3600", m["retryAfter"])
	}

	_, m, _ = writeJSON(t, New(404).WithRetryAfter(time.Minute))
	if m["condition"] != "temporary" || m["retryAfter"] != float64(60) {
		t.Errorf("a 404 with Retry-After: condition %v, retryAfter %v", m["condition"], m["retryAfter"])
	}
	for _, tt := range []struct {
		p    *Problem
		want string
	}{
		{New(404), "either"},
		{New(404).WithCondition(httpstatus.ConditionPermanent), "permanent"},
		{New(404).WithCondition(httpstatus.ConditionTemporary), "temporary"},
		{New(503).WithCondition(httpstatus.ConditionPermanent), "permanent"},
		{New(404).WithCondition(httpstatus.ConditionPermanent).WithCondition(0), "either"},
		{New(404).WithCondition(httpstatus.Condition(99)), "either"},
	} {
		_, m, _ = writeJSON(t, tt.p)
		if m["condition"] != tt.want {
			t.Errorf("%v with condition %v: condition member %v, want %s", tt.p, tt.p.condition, m["condition"], tt.want)
		}
	}
}

func TestProblemMembers(t *testing.T) {
	t.Parallel()
	p := New(404).WithTitle("ignored with about:blank").
		WithExtension("detail", "overwritten?").WithExtension("STATUS", 1).WithExtension("hint", "look elsewhere")
	_, m, err := writeJSON(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if m["title"] != "Not Found" || m["detail"] != nil || m["status"] != float64(404) || m["STATUS"] != nil {
		t.Errorf("an extension or a title replaced a standard member: %v", m)
	}
	if m["hint"] != "look elsewhere" {
		t.Errorf("extension missing: %v", m)
	}
	_, m, _ = writeJSON(t, New(404).WithType("https://example.com/p/gone").WithTitle("Gone for good"))
	if m["type"] != "https://example.com/p/gone" || m["title"] != "Gone for good" {
		t.Errorf("custom type: %v", m)
	}
	_, m, _ = writeJSON(t, New(404).WithType("https://example.com/p/gone"))
	if m["title"] != "Not Found" {
		t.Errorf("custom type without title: %v", m)
	}
}

func TestUnknownCodes(t *testing.T) {
	t.Parallel()
	for _, code := range []int{477, 299, 399} {
		w, m, err := writeJSON(t, New(code))
		if err != nil {
			t.Fatal(err)
		}
		if w.Code != code || !strings.HasPrefix(m["title"].(string), "Status ") {
			t.Errorf("%d: wrote %d, %v", code, w.Code, m)
		}
	}
	w, _, err := writeJSON(t, New(199))
	if err != nil || w.Code != 199 || w.Body.Len() != 0 {
		t.Errorf("199: %v, %d, %d bytes", err, w.Code, w.Body.Len())
	}
}

func TestHeadersMerge(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	w.Header().Set("Allow", "GET") // set by the handler before Write
	w.Header().Set("Vary", "Origin")
	w.Header().Set("Content-Length", "999")
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if err := Write(w, r, New(405)); err != nil {
		t.Fatalf("Allow set on the ResponseWriter does not count: %v", err)
	}
	if got := w.Header().Values("Vary"); strings.Join(got, ",") != "Origin,Accept" {
		t.Errorf("Vary = %q", got)
	}
	if w.Header().Get("Content-Length") != fmt.Sprint(w.Body.Len()) {
		t.Errorf("Content-Length %s for %d bytes", w.Header().Get("Content-Length"), w.Body.Len())
	}

	w = httptest.NewRecorder()
	literal := &Problem{Status: 405, Header: http.Header{"allow": {"GET, HEAD"}}}
	if err := Write(w, r, literal); err != nil || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("a literal header in lower case: %v, Allow %q", err, w.Header().Get("Allow"))
	}

	w = httptest.NewRecorder()
	w.Header().Set("Content-Length", "12")
	w.Header().Set("Content-Type", "text/plain")
	if err := Write(w, r, New(204)); err != nil {
		t.Fatal(err)
	}
	if w.Header().Get("Content-Length") != "" || w.Header().Get("Content-Type") != "" {
		t.Errorf("204 keeps %v", w.Header())
	}

	w = httptest.NewRecorder()
	connect := httptest.NewRequest(http.MethodConnect, "example.com:443", nil)
	if err := Write(w, connect, New(200)); err != nil {
		t.Fatal(err)
	}
	if w.Header().Get("Content-Length") != "" || w.Body.Len() != 0 {
		t.Errorf("a 200 to CONNECT has content: %v, %d bytes", w.Header(), w.Body.Len())
	}
}

func TestNilRequest(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	if err := Write(w, nil, New(http.StatusTeapot)); err != nil || w.Code != http.StatusTeapot || w.Body.Len() == 0 {
		t.Errorf("Write with a nil request: %v, %d, %d bytes", err, w.Code, w.Body.Len())
	}
}
