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
		when           httpstatus.Applies
		req            *http.Request
		header         http.Header
		applies, known bool
	}{
		{httpstatus.AppliesAlways, nil, nil, true, true},
		{httpstatus.AppliesAlways, plain, nil, true, true},
		{httpstatus.AppliesToConnect, connect, nil, true, true},
		{httpstatus.AppliesToConnect, plain, nil, false, true},
		{httpstatus.AppliesToConnect, nil, nil, false, true},
		{httpstatus.AppliesToRangeRequest, ranged, nil, true, true},
		{httpstatus.AppliesToRangeRequest, plain, nil, false, true},
		{httpstatus.AppliesToRangeRequest, nil, nil, true, true},
		{httpstatus.AppliesToSinglePart, nil, nil, true, true},
		{httpstatus.AppliesToSinglePart, nil, multipart, false, true},
		{httpstatus.AppliesToMultipart, nil, multipart, true, true},
		{httpstatus.AppliesToMultipart, nil, nil, false, true},
		{httpstatus.AppliesByJudgement, nil, nil, false, false},
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
			t.Errorf("condition(%v, %v) = %v, %v; want %v, %v", tt.when, in.method, applies, known, tt.applies, tt.known)
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
			if _, known := condition(h.Applies, in); !known && !seen[h.When] {
				seen[h.When] = true
				t.Logf("left to a person: %d %s %s %q", e.Code, h.Level, h.Field, h.When)
			}
			if strings.TrimSpace(h.Field) == "" {
				t.Errorf("%d has a header rule without a field", e.Code)
			}
		}
	}
}
