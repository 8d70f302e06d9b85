package entryjson

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	httpstatus "github.com/httpstatus/httpstatus"
)

func TestFromCopiesEveryField(t *testing.T) {
	t.Parallel()
	rfc := httpstatus.Reference{Document: "RFC 9110", Section: "15.5.14", URL: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.14", Status: httpstatus.DocStandardsTrack}
	vendor := httpstatus.Reference{Document: "Vendor changelog", URL: "https://example.com/changelog", Status: httpstatus.DocOther}
	e := httpstatus.Entry{
		Code: 413, Phrase: "Content Too Large", Class: httpstatus.ClassClientError, Origin: httpstatus.OriginIANA,
		State: httpstatus.StateStandard, Ref: rfc, Summary: "s", Description: "d", PhraseIsLabel: true,
		Registered: httpstatus.Date{Year: 2024, Month: 11, Day: 13}, Extended: []httpstatus.Date{{Year: 2025, Month: 9, Day: 15}},
		Expires: httpstatus.Date{Year: 2026, Month: 11, Day: 13}, Withdrawn: httpstatus.Date{Year: 2018, Month: 8, Day: 30}, WithdrawnRef: vendor,
		Condition: httpstatus.ConditionEither, ConditionRef: rfc, Content: httpstatus.ContentAllowed, ContentRef: rfc,
		Caching: httpstatus.CachingHeuristic, CachingRef: rfc, Retry: httpstatus.RetryModified, RetryAdvice: "a", RetryRef: rfc,
		Headers:    []httpstatus.HeaderRule{{Field: "Retry-After", Level: httpstatus.LevelShould, Applies: httpstatus.AppliesByJudgement, When: "when temporary", Ref: rfc}},
		Usage:      []httpstatus.UsageRule{{Level: httpstatus.LevelMustNot, When: "by a proxy", Ref: rfc}},
		Names:      []httpstatus.Name{{Phrase: "Payload Too Large", Note: "RFC 7231", Ref: rfc}},
		Related:    []int{431},
		GoConstant: "StatusRequestEntityTooLarge", GoText: "Request Entity Too Large",
	}
	got := From(&e)
	// Client rules are the registry's, by code: an IANA 413 has those of
	// the real 413.
	var rules []ClientRule
	for _, r := range httpstatus.ClientRules() {
		if slices.Contains(r.Codes, 413) {
			rules = append(rules, ClientRule{r.ID, r.Level.String(), r.Summary, Reference{r.Ref.Document, r.Ref.Section, r.Ref.URL, r.Ref.Status.String()}})
		}
	}
	if len(rules) == 0 {
		t.Fatal("the registry has no client rule for 413 to copy")
	}
	want := Entry{
		Code: 413, Phrase: "Content Too Large", Class: "4xx", ClassName: "Client Error", Official: true, Origin: "IANA",
		State: "standard", Summary: "s", Description: "d", PhraseIsLabel: true,
		Registered: "2024-11-13", Extended: []string{"2025-09-15"}, Expires: "2026-11-13",
		Withdrawn: "2018-08-30", WithdrawnReference: Reference{"Vendor changelog", "", vendor.URL, "other"},
		Reference: Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"},
		Condition: "either", ConditionReference: Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"},
		Content: "allowed", ContentReference: Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"},
		Caching: "heuristic", CachingReference: Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"},
		Retry: "modified", RetryAdvice: "a", RetryReference: Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"},
		Usage:       []Usage{{"MUST NOT", "by a proxy", Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"}}},
		Headers:     []Header{{"Retry-After", "SHOULD", "judgement", "when temporary", Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"}}},
		ClientRules: rules,
		Names:       []Name{{"Payload Too Large", "RFC 7231", Reference{"RFC 9110", "15.5.14", rfc.URL, "standards-track"}}},
		Related:     []int{431},
		GoConstant:  "StatusRequestEntityTooLarge", GoText: "Request Entity Too Large",
	}
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Errorf("From:\n got %s\nwant %s", gj, wj)
	}
}

func TestJSONShape(t *testing.T) {
	t.Parallel()
	// A vendor entry without lists or Go names: lists must be [] and the
	// optional fields absent.
	b, err := json.Marshal(From(&httpstatus.Entry{Code: 499, Phrase: "Client Closed Request", Class: httpstatus.ClassClientError, Origin: "nginx", State: httpstatus.StateUnofficial}))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"code":499`, `"class":"4xx"`, `"official":false`, `"origin":"nginx"`, `"state":"unofficial"`, `"headers":[]`, `"clientRules":[]`, `"names":[]`, `"related":[]`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s: %s", want, s)
		}
	}
	for _, absent := range []string{`"goConstant"`, `"goText"`, `"expires"`, `"conditionReference"`} {
		if strings.Contains(s, absent) {
			t.Errorf("JSON has %s although it is empty: %s", absent, s)
		}
	}
}

// TestClientRules checks every entry's client rules against the
// registry's: each rule of its code, in order, with id, level, summary and
// reference, and none for a vendor's meaning.
func TestClientRules(t *testing.T) {
	t.Parallel()
	withRules := 0
	for e := range httpstatus.All() {
		got := From(e).ClientRules
		var want []string
		for _, r := range httpstatus.ClientRules() {
			if e.Official() && slices.Contains(r.Codes, e.Code) {
				want = append(want, strings.Join([]string{r.ID, r.Level.String(), r.Summary, r.Ref.Document, r.Ref.Section, r.Ref.URL, r.Ref.Status.String()}, " | "))
			}
		}
		var have []string
		for _, r := range got {
			have = append(have, strings.Join([]string{r.ID, r.Level, r.Summary, r.Reference.Document, r.Reference.Section, r.Reference.URL, r.Reference.Status}, " | "))
		}
		if !slices.Equal(have, want) {
			t.Errorf("%d (%s): client rules\n got %q\nwant %q", e.Code, e.Origin, have, want)
		}
		if got == nil {
			t.Errorf("%d (%s): client rules are null", e.Code, e.Origin)
		}
		if len(got) > 0 {
			withRules++
		}
	}
	if withRules == 0 {
		t.Error("no entry has a client rule")
	}
}

func TestFromAllMatchesRegistry(t *testing.T) {
	t.Parallel()
	all := FromAll()
	i := 0
	for e := range httpstatus.All() {
		if i >= len(all) || all[i].Code != e.Code || all[i].Origin != e.Origin || all[i].Phrase != e.Phrase {
			t.Fatalf("FromAll()[%d] does not match %v", i, e)
		}
		i++
	}
	if i != len(all) {
		t.Errorf("FromAll has %d entries, the registry %d", len(all), i)
	}
}

func TestFromCode(t *testing.T) {
	t.Parallel()
	got, ok := FromCode(499)
	ms := httpstatus.Meanings(499)
	if !ok || got.Code != 499 || len(got.Meanings) != len(ms) {
		t.Fatalf("FromCode(499) = %+v, %v; want %d meanings", got, ok, len(ms))
	}
	for i := range ms {
		if got.Meanings[i].Origin != ms[i].Origin {
			t.Errorf("meaning %d is %s's, want %s's", i, got.Meanings[i].Origin, ms[i].Origin)
		}
	}
	if c, ok := FromCode(299); ok || c.Meanings != nil {
		t.Errorf("FromCode(299) = %+v, %v; want nothing", c, ok)
	}
}
