package httpstatus

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	t.Parallel()
	d := Date{Year: 2026, Month: time.November, Day: 13}
	if d.IsZero() || d.String() != "2026-11-13" || !d.Time().Equal(time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date %#v: IsZero %v, String %q, Time %v", d, d.IsZero(), d, d.Time())
	}
	if text, _ := d.MarshalText(); string(text) != "2026-11-13" {
		t.Errorf("MarshalText = %q", text)
	}
	var zero Date
	if !zero.IsZero() || zero.String() != "" || !zero.Time().IsZero() {
		t.Errorf("the zero Date: IsZero %v, String %q, Time %v", zero.IsZero(), zero, zero.Time())
	}
}

func TestLapsed(t *testing.T) {
	t.Parallel()
	e := &Entry{State: StateTemporary, Expires: Date{Year: 2026, Month: time.November, Day: 13}}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 11, 12, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), true},
	} {
		if got := e.Lapsed(tc.at); got != tc.want {
			t.Errorf("Lapsed(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	for _, code := range []int{200, 404, 418} {
		if e, _ := Lookup(code); e.Lapsed(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%v lapsed, but it is no temporary registration", e)
		}
	}
}

// TestReferencesHaveAStatus checks that every reference says what kind of
// document it cites, and that the kind follows from its form.
func TestReferencesHaveAStatus(t *testing.T) {
	t.Parallel()
	for e := range All() {
		refs := []Reference{e.Ref, e.ConditionRef, e.ContentRef, e.CachingRef, e.RetryRef}
		for _, h := range e.Headers {
			refs = append(refs, h.Ref)
		}
		for _, u := range e.Usage {
			refs = append(refs, u.Ref)
		}
		for _, n := range e.Names {
			refs = append(refs, n.Ref)
		}
		if !e.Withdrawn.IsZero() {
			refs = append(refs, e.WithdrawnRef)
		}
		for _, r := range refs {
			var ok bool
			switch {
			case len(r.Document) > 4 && r.Document[:4] == "RFC ":
				ok = r.Status >= DocStandardsTrack && r.Status <= DocHistoric
			case len(r.Document) > 6 && r.Document[:6] == "draft-":
				ok = r.Status == DocInternetDraft
			case r.Document == "IANA HTTP Status Code Registry":
				ok = r.Status == DocRegistry
			default:
				ok = r.Status == DocOther
			}
			if !ok {
				t.Errorf("%v: reference %v has status %v", e, r, r.Status)
			}
		}
	}
}
