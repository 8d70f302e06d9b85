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
	post, _ := http.NewRequest(http.MethodPost, "/", nil)
	ifRange, _ := http.NewRequest(http.MethodGet, "/", nil)
	ifRange.Header.Set("If-Range", `"v1"`)
	multipart := http.Header{"Content-Type": {"multipart/byteranges; boundary=x"}}
	tests := []struct {
		when           httpstatus.Applies
		req            *http.Request
		header         http.Header
		applies, known bool
	}{
		{httpstatus.AppliesToPost, post, nil, true, true},
		{httpstatus.AppliesToPost, plain, nil, false, true},
		{httpstatus.AppliesToPost, nil, nil, false, false},
		{httpstatus.AppliesToIfRange, ifRange, nil, true, true},
		{httpstatus.AppliesToIfRange, plain, nil, false, true},
		{httpstatus.AppliesToIfRange, nil, nil, false, false},
		{httpstatus.AppliesToLaterInterim, nil, nil, false, false},
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
	// In raw input that holds the whole exchange, the checker counts the
	// interim responses with the same code.
	for earlier, want := range []bool{false, true, true} {
		in := &input{header: http.Header{}, method: http.MethodGet, sequenced: true, earlier: earlier}
		if applies, known := condition(httpstatus.AppliesToLaterInterim, in); applies != want || !known {
			t.Errorf("condition(later-interim) after %d like it = %v, %v; want %v, true", earlier, applies, known, want)
		}
	}
}

// TestRegistryConditions checks that the checker leaves to a person
// exactly the registry's rules that only the sender can judge, and that
// the finding it gives for one that may be broken names the field and
// says the condition in the registry's words.
func TestRegistryConditions(t *testing.T) {
	t.Parallel()
	judged := 0
	for e := range httpstatus.All() {
		for _, h := range e.Headers {
			if strings.TrimSpace(h.Field) == "" {
				t.Errorf("%d has a header rule without a field", e.Code)
			}
			// The checker sees the request, and the exchange as raw input
			// holds it; what it still cannot tell needs a person.
			req, _ := http.NewRequest(http.MethodGet, "/", nil)
			in := &input{header: http.Header{}, method: http.MethodGet, req: req, sequenced: true}
			_, known := condition(h.Applies, in)
			if known == (h.Applies == httpstatus.AppliesByJudgement) {
				t.Errorf("%s: %s %s applies %s, yet the checker can tell whether it holds: %v", e, h.Level, h.Field, h.Applies, known)
			}
			if known || h.Level == httpstatus.LevelMay {
				continue
			}
			judged++
			c := &checker{lookup: func(int) (*httpstatus.Entry, bool) { return e, true }, rules: ruleIndex()}
			in = &input{code: e.Code, header: http.Header{}, complete: true}
			if h.Level == httpstatus.LevelMustNot || h.Level == httpstatus.LevelShouldNot {
				in.header.Set(h.Field, "x")
			}
			found := false
			for _, f := range c.check(in) {
				found = found || f.ID == RuleConditionalHeader && strings.Contains(f.Summary, h.Field) && strings.Contains(f.Summary, h.When)
			}
			if !found {
				t.Errorf("%s: no %s finding names %s and %q", e, RuleConditionalHeader, h.Field, h.When)
			}
		}
	}
	if judged == 0 {
		t.Error("the registry has no rule left to a person's judgement; the check above checked nothing")
	}
}
