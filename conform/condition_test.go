package conform

import (
	"net/http"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus"
)

func TestCondition(t *testing.T) {
	t.Parallel()
	connect, _ := http.NewRequest(http.MethodConnect, "http://example.com:443", nil)
	ranged, _ := http.NewRequest(http.MethodGet, "/", nil)
	ranged.Header.Set("Range", "bytes=0-")
	plain, _ := http.NewRequest(http.MethodGet, "/", nil)
	multipart := http.Header{"Content-Type": {"multipart/byteranges; boundary=x"}}
	tests := []struct {
		when           string
		req            *http.Request
		header         http.Header
		applies, known bool
	}{
		{"always", nil, nil, true, true},
		{"always, naming the protocols", plain, nil, true, true},
		{"in response to CONNECT", connect, nil, true, true},
		{"in response to CONNECT", plain, nil, false, true},
		{"in response to CONNECT", nil, nil, false, true},
		{"in answer to a byte-range request, as bytes */LENGTH", ranged, nil, true, true},
		{"in answer to a byte-range request, as bytes */LENGTH", plain, nil, false, true},
		{"in answer to a byte-range request, as bytes */LENGTH", nil, nil, true, true},
		{"a single part is sent", nil, nil, true, true},
		{"a single part is sent", nil, multipart, false, true},
		{"in the header section of a multipart response", nil, multipart, true, true},
		{"several parts are sent: multipart/byteranges", nil, nil, false, true},
		{"when the condition is temporary", nil, nil, false, false},
	}
	for _, tt := range tests {
		in := &input{req: tt.req, header: tt.header, method: http.MethodGet}
		if in.header == nil {
			in.header = http.Header{}
		}
		if tt.req != nil {
			in.method = tt.req.Method
		}
		applies, known := condition(tt.when, in)
		if applies != tt.applies || known != tt.known {
			t.Errorf("condition(%q, %v) = %v, %v; want %v, %v", tt.when, in.method, applies, known, tt.applies, tt.known)
		}
	}
}

// TestRegistryConditions lists the conditions of registry rules that the
// checker leaves to a person, so that a new phrasing is noticed.
func TestRegistryConditions(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for e := range httpstatus.All() {
		for _, h := range e.Headers {
			in := &input{header: http.Header{}, method: http.MethodGet}
			if _, known := condition(h.When, in); !known && !seen[h.When] {
				seen[h.When] = true
				t.Logf("left to a person: %d %s %s %q", e.Code, h.Level, h.Field, h.When)
			}
			if strings.TrimSpace(h.Field) == "" {
				t.Errorf("%d has a header rule without a field", e.Code)
			}
		}
	}
}
