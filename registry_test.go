package httpstatus

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// deliberateDifferences lists every code where Text answers differently
// from net/http's StatusText, with Text's answer: the phrases RFC 9110
// renamed, and the IANA registrations Go does not know.
var deliberateDifferences = map[int]string{
	104: "Upload Resumption Supported", // temporary registration, unknown to Go
	306: "(Unused)",                    // reserved by RFC 9110, section 15.4.7
	413: "Content Too Large",           // Go: Request Entity Too Large (RFC 2616)
	414: "URI Too Long",                // Go: Request URI Too Long
	416: "Range Not Satisfiable",       // Go: Requested Range Not Satisfiable (RFC 2616)
	422: "Unprocessable Content",       // Go: Unprocessable Entity (RFC 4918)
}

func TestEveryNetHTTPCodeIsPresent(t *testing.T) {
	t.Parallel()
	for code := 0; code < 1000; code++ {
		goText := http.StatusText(code)
		got := Text(code)
		if want, differs := deliberateDifferences[code]; differs {
			if got != want || got == goText {
				t.Errorf("Text(%d) = %q, want %q (a listed difference from Go's %q)", code, got, want, goText)
			}
			continue
		}
		if got != goText {
			t.Errorf("Text(%d) = %q, net/http says %q, and the difference is not listed", code, got, goText)
		}
		if goText == "" {
			continue
		}
		e, ok := Lookup(code)
		if !ok || !e.Official() {
			t.Errorf("Lookup(%d) = %v, %v; want the IANA entry", code, e, ok)
			continue
		}
		if e.GoText != goText || !strings.HasPrefix(e.GoConstant, "Status") {
			t.Errorf("%d: GoConstant %q, GoText %q; net/http says %q", code, e.GoConstant, e.GoText, goText)
		}
	}
}

// seedNames is every code the seed documents name, under every name they
// give it, spelled as they spell it.
var seedNames = map[int][]string{
	100: {"Continue"}, 101: {"Switching Protocols"}, 102: {"Processing"},
	200: {"OK"}, 201: {"Created"}, 202: {"Accepted"}, 203: {"Non-authoritative Information"},
	204: {"No Content"}, 205: {"Reset Content"}, 206: {"Partial Content"}, 207: {"Multi-Status"},
	208: {"Already Reported"}, 226: {"IM Used"},
	300: {"Multiple Choices"}, 301: {"Moved Permanently"}, 302: {"Found"}, 303: {"See Other"},
	304: {"Not Modified"}, 305: {"Use Proxy"}, 307: {"Temporary Redirect"}, 308: {"Permanent Redirect"},
	400: {"Bad Request"}, 401: {"Unauthorized"}, 402: {"Payment Required"}, 403: {"Forbidden"},
	404: {"Not Found"}, 405: {"Method Not Allowed"}, 406: {"Not Acceptable"},
	407: {"Proxy Authentication Required"}, 408: {"Request Timeout"}, 409: {"Conflict"}, 410: {"Gone"},
	411: {"Length Required"}, 412: {"Precondition Failed"},
	413: {"Request Entity Too Large", "Payload Too Large"},
	414: {"Request URI Too Long", "Request-URI Too Long", "URI Too Long"},
	415: {"Unsupported Media Type"},
	416: {"Requested Range Not Satisfiable", "Range Not Satisfiable"},
	417: {"Expectation Failed"}, 418: {"I'm a teapot", "I’m a teapot"},
	419: {"Authentication Timeout"},
	420: {"Method Failure", "Enhance Your Calm"},
	421: {"Misdirected Request"}, 422: {"Unprocessable Entity"}, 423: {"Locked"},
	424: {"Failed Dependency"}, 425: {"Too Early"}, 426: {"Upgrade Required"},
	428: {"Precondition Required"}, 429: {"Too Many Requests"}, 431: {"Request Header Fields Too Large"},
	440: {"Login Timeout"}, 444: {"No Response", "Connection Closed Without Response"},
	449: {"Retry With"}, 450: {"Blocked by Windows Parental Controls"},
	// One seed spells 451 "Unavailable For Legal Reasonse"; that typo is
	// not a name of the code and is deliberately left out.
	451: {"Unavailable For Legal Reasons", "Redirect"},
	494: {"Request Header Too Large"}, 495: {"Cert Error"}, 496: {"No Cert"}, 497: {"HTTP to HTTPS"},
	498: {"Token expired/invalid"}, 499: {"Client Closed Request", "Token required"},
	500: {"Internal Server Error"}, 501: {"Not Implemented"}, 502: {"Bad Gateway"},
	503: {"Service Unavailable"}, 504: {"Gateway Timeout"}, 505: {"HTTP Version Not Supported"},
	506: {"Variant Also Negotiates"}, 507: {"Insufficient Storage"}, 508: {"Loop Detected"},
	510: {"Not Extended"}, 511: {"Network Authentication Required"},
	599: {"Network Connect Timeout Error"},
}

func TestSeedCodesAreFoundUnderEveryName(t *testing.T) {
	t.Parallel()
	for code, names := range seedNames {
		if !Known(code) {
			t.Errorf("Lookup(%d): unknown", code)
		}
		for _, name := range names {
			for _, spelling := range []string{name, strings.ToUpper(name), strings.ToLower(name)} {
				e, ok := LookupPhrase(spelling)
				if !ok || e.Code != code {
					t.Errorf("LookupPhrase(%q) = %v, %v; want %d", spelling, e, ok, code)
				}
			}
		}
	}
}

func TestPhraseHistory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		former string
		code   int
	}{
		{"Moved Temporarily", 302}, {"Request Time-out", 408}, {"Request Entity Too Large", 413},
		{"Payload Too Large", 413}, {"Request-URI Too Long", 414}, {"Requested Range Not Satisfiable", 416},
		{"Unprocessable Entity", 422}, {"Gateway Time-out", 504},
	} {
		e, ok := Lookup(tc.code)
		if !ok {
			t.Fatalf("Lookup(%d) failed", tc.code)
		}
		found := false
		for _, n := range e.Names {
			if n.Phrase == tc.former {
				found = n.Ref.Document != ""
			}
		}
		if !found {
			t.Errorf("%v: former name %q missing or without its document", e, tc.former)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	t.Parallel()
	for _, code := range []int{-1, 0, 99, 199, 600, 1000, 1 << 20} {
		if e, ok := Lookup(code); ok || e != nil {
			t.Errorf("Lookup(%d) = %v, %v; want nothing", code, e, ok)
		}
		if Meanings(code) != nil || Text(code) != "" || Known(code) {
			t.Errorf("code %d: Meanings, Text or Known answered", code)
		}
	}
	for _, phrase := range []string{"", "  ", "!!!", "Not A Real Phrase"} {
		if _, ok := LookupPhrase(phrase); ok {
			t.Errorf("LookupPhrase(%q) found something", phrase)
		}
	}
}

func TestSeveralMeanings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code    int
		origins []string // the first is the primary meaning
	}{
		{419, []string{"Laravel"}},
		{420, []string{"Twitter", "Spring Framework", "Shopify"}},
		{451, []string{"IANA", "Microsoft Exchange"}},
		{499, []string{"nginx", "Esri ArcGIS"}},
		{498, []string{"Esri ArcGIS", "nginx"}},
		{103, []string{"IANA", "Spring Framework"}},
		{526, []string{"Cloudflare", "Cloud Foundry"}},
		{508, []string{"IANA", "cPanel"}},
		{530, []string{"Cloudflare", "Pantheon", "Shopify"}},
	} {
		ms := Meanings(tc.code)
		if len(ms) < len(tc.origins) {
			t.Errorf("Meanings(%d) has %d entries, want at least %d", tc.code, len(ms), len(tc.origins))
			continue
		}
		primary, _ := Lookup(tc.code)
		if primary.Origin != ms[0].Origin || primary.Phrase != ms[0].Phrase {
			t.Errorf("Lookup(%d) = %v, but Meanings starts with %v", tc.code, primary, ms[0])
		}
		for _, origin := range tc.origins {
			found := false
			for _, m := range ms {
				found = found || m.Origin == origin
			}
			if !found {
				t.Errorf("Meanings(%d) lacks the %s meaning", tc.code, origin)
			}
		}
		if ms[0].Origin != tc.origins[0] {
			t.Errorf("primary meaning of %d is %s's, want %s's", tc.code, ms[0].Origin, tc.origins[0])
		}
	}
}

// TestEntriesAreWellFormed checks what must hold of every entry, whatever
// the data file says.
func TestEntriesAreWellFormed(t *testing.T) {
	t.Parallel()
	prev := 0
	for e := range All() {
		if e.Code < prev {
			t.Errorf("%v comes after %d: entries are not ordered", e, prev)
		}
		prev = e.Code
		if e.Class != ClassOf(e.Code) || e.Summary == "" || e.Description == "" || e.RetryAdvice == "" {
			t.Errorf("%v: class, summary, description or retry advice is wrong", e)
		}
		for _, r := range []Reference{e.Ref, e.ConditionRef, e.ContentRef, e.CachingRef, e.RetryRef} {
			if r.Document == "" || !strings.HasPrefix(r.URL, "https://") {
				t.Errorf("%v: reference %+v lacks a document or an https link", e, r)
			}
		}
		for _, h := range e.Headers {
			if h.Ref.URL == "" || h.Level == 0 || h.Applies == 0 || h.When == "" {
				t.Errorf("%v: header rule %+v is incomplete", e, h)
			}
		}
		for _, n := range e.Names {
			if n.Ref.URL == "" {
				t.Errorf("%v: name %q has no reference", e, n.Phrase)
			}
		}
		if IsError(e.Code) && e.Condition == ConditionNone {
			t.Errorf("%v: an error must say whether its condition is temporary or permanent", e)
		}
		if !e.Official() && e.State != StateUnofficial && e.State != StateDeprecated {
			t.Errorf("%v: a vendor code is unofficial or deprecated", e)
		}
	}
}

// TestRFCRules checks the registry against the rules RFC 9110 and RFC 6585
// attach to codes.
func TestRFCRules(t *testing.T) {
	t.Parallel()
	heuristic := map[int]bool{200: true, 203: true, 204: true, 206: true, 300: true, 301: true, 308: true,
		404: true, 405: true, 410: true, 414: true, 451: true, 501: true}
	noStore := map[int]bool{428: true, 429: true, 431: true, 511: true}
	for e := range All() {
		if !e.Official() {
			continue
		}
		noContent := IsInformational(e.Code) || e.Code == 204 || e.Code == 205 || e.Code == 304
		if (e.Content == ContentNone) != noContent {
			t.Errorf("%v: content %v", e, e.Content)
		}
		// RFC 9111, section 3: a cache stores only final responses.
		noStore[e.Code] = noStore[e.Code] || IsInformational(e.Code)
		if heuristic[e.Code] != (e.Caching == CachingHeuristic) || noStore[e.Code] != (e.Caching == CachingNoStore) {
			t.Errorf("%v: caching %v", e, e.Caching)
		}
	}
	for code, field := range map[int]string{101: "Upgrade", 206: "Content-Range", 401: "WWW-Authenticate",
		405: "Allow", 407: "Proxy-Authenticate", 426: "Upgrade"} {
		e, _ := Lookup(code)
		if h, ok := e.HeaderRule(field); !ok || h.Level != LevelMust {
			t.Errorf("%d: want a MUST rule for %s, got %+v", code, field, h)
		}
	}
	for code, field := range map[int]string{201: "Location", 301: "Location", 302: "Location", 303: "Location",
		307: "Location", 308: "Location", 416: "Content-Range", 413: "Retry-After"} {
		e, _ := Lookup(code)
		if h, ok := e.HeaderRule(field); !ok || h.Level != LevelShould {
			t.Errorf("%d: want a SHOULD rule for %s, got %+v", code, field, h)
		}
	}
	for _, code := range []int{429, 503} {
		e, _ := Lookup(code)
		if h, ok := e.HeaderRule("retry-after"); !ok || h.Level != LevelMay {
			t.Errorf("%d: want a MAY rule for Retry-After, got %+v", code, h)
		}
	}
}

func TestClasses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code  int
		class Class
		str   string
	}{
		{99, 0, "invalid"}, {100, ClassInformational, "1xx"}, {299, ClassSuccess, "2xx"}, {301, ClassRedirection, "3xx"},
		{404, ClassClientError, "4xx"}, {599, ClassServerError, "5xx"}, {600, 0, "invalid"},
	} {
		if c := ClassOf(tc.code); c != tc.class || c.String() != tc.str {
			t.Errorf("ClassOf(%d) = %v (%s), want %v (%s)", tc.code, c, c, tc.class, tc.str)
		}
	}
	for s, want := range map[string]Class{"1xx": ClassInformational, "4XX": ClassClientError, "5": ClassServerError, "6xx": 0, "0": 0,
		"4x": 0, "44x": 0, "": 0, "x": 0, "4xxx": 0} {
		if got, ok := ParseClass(s); got != want || ok != (want != 0) {
			t.Errorf("ParseClass(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	if !IsError(404) || !IsError(503) || IsError(302) || !IsValid(599) || IsValid(600) {
		t.Error("class helpers disagree with the classes")
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _, _ = Lookup(404) }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = LookupPhrase("Request Entity Too Large") }); n != 0 {
		t.Errorf("LookupPhrase allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Meanings(499) }); n != 0 {
		t.Errorf("Meanings allocates %v times", n)
	}
}

// TestMeaningsPointIntoTheTables checks that Meanings gives the very
// entries Lookup and All give, each meaning of a number once.
func TestMeaningsPointIntoTheTables(t *testing.T) {
	t.Parallel()
	n := 0
	for e := range Codes() {
		ms := Meanings(e.Code)
		if primary, _ := Lookup(e.Code); len(ms) == 0 || ms[0] != primary {
			t.Errorf("Meanings(%d) does not start with Lookup's entry", e.Code)
		}
		n += len(ms)
	}
	all := 0
	for e := range All() {
		all++
		if !slices.Contains(Meanings(e.Code), e) {
			t.Errorf("Meanings(%d) lacks %s's entry", e.Code, e.Origin)
		}
	}
	if n != all {
		t.Errorf("Meanings gives %d entries in all, All %d", n, all)
	}
}

func FuzzLookupPhrase(f *testing.F) {
	for _, names := range seedNames {
		for _, n := range names {
			f.Add(n)
		}
	}
	f.Add("")
	f.Add("\xff\x00 teapot")
	f.Fuzz(func(t *testing.T, phrase string) {
		e, ok := LookupPhrase(phrase)
		if !ok {
			return
		}
		key := string(phraseKey(nil, phrase))
		match := string(phraseKey(nil, e.Phrase)) == key
		for _, n := range e.Names {
			match = match || string(phraseKey(nil, n.Phrase)) == key
		}
		if !match {
			// Another meaning of the same phrase may have lost to this one.
			for m := range All() {
				match = match || string(phraseKey(nil, m.Phrase)) == key
			}
		}
		if !match {
			t.Errorf("LookupPhrase(%q) = %v, which has no such name", phrase, e)
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = Lookup(400 + i%32)
	}
}

func BenchmarkText(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Text(400 + i%32)
	}
}

func BenchmarkNetHTTPStatusText(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = http.StatusText(400 + i%32)
	}
}

func BenchmarkLookupPhrase(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = LookupPhrase("Request Entity Too Large")
	}
}

// TestCheckedFacts pins facts that were once wrong in codes.json, each
// with the document that settles it.
func TestCheckedFacts(t *testing.T) {
	t.Parallel()
	entry := func(code int, origin, phrase string) *Entry {
		for _, m := range Meanings(code) {
			if m.Origin == origin && (phrase == "" || m.Phrase == phrase) {
				return m
			}
		}
		t.Fatalf("no %s meaning of %d %q", origin, code, phrase)
		return nil
	}
	named := func(e *Entry, phrase, doc, section string) {
		t.Helper()
		for _, n := range e.Names {
			if n.Phrase == phrase && n.Ref.Document == doc && n.Ref.Section == section {
				return
			}
		}
		t.Errorf("%v: no name %q citing %s section %q", e, phrase, doc, section)
	}
	rule := func(e *Entry, field string, level Level, applies Applies, doc, section string) {
		t.Helper()
		for _, h := range e.Headers {
			if h.Field == field && h.Level == level {
				if h.Applies != applies || h.Ref.Document != doc || h.Ref.Section != section {
					t.Errorf("%v: %s %s applies %v citing %v; want %v citing %s section %q", e, level, field, h.Applies, h.Ref, applies, doc, section)
				}
				return
			}
		}
		t.Errorf("%v: no %s rule for %s", e, level, field)
	}

	named(entry(308, OriginIANA, ""), "Permanent Redirect", "RFC 7238", "")    // June 2014, before RFC 7538
	named(entry(504, OriginIANA, ""), "Gateway Time-out", "RFC 2616", "6.1.1") // 10.5.5's heading says Timeout
	named(entry(421, OriginIANA, ""), "Misdirected Request", "RFC 7540", "9.1.2")
	named(entry(426, OriginIANA, ""), "Upgrade Required", "RFC 2817", "")
	named(entry(422, OriginIANA, ""), "Unprocessable Entity", "RFC 2518", "10.3")
	named(entry(423, OriginIANA, ""), "Locked", "RFC 2518", "10.4")
	named(entry(424, OriginIANA, ""), "Failed Dependency", "RFC 2518", "10.5")
	named(entry(507, OriginIANA, ""), "Insufficient Storage", "RFC 2518", "10.6")
	named(entry(425, OriginIANA, ""), "Unordered Collection", "draft-ietf-webdav-collection-protocol-04", "7.2")
	named(entry(418, OriginIANA, ""), "I'm a Teapot", "RFC 7168", "2.3.3")
	e := entry(104, OriginIANA, "")
	if e.Registered.String() != "2024-11-13" || len(e.Extended) != 1 || e.Extended[0].String() != "2025-09-15" || e.Expires.String() != "2026-11-13" {
		t.Errorf("104: registered %v, extended %v, expires %v; IANA: 2024-11-13, 2025-09-15, 2026-11-13", e.Registered, e.Extended, e.Expires)
	}
	if e := entry(510, OriginIANA, ""); e.Ref.Status != DocHistoric {
		t.Errorf("510: RFC 2774 is %v; the IESG moved it to Historic", e.Ref.Status)
	}
	for _, code := range []int{103, 208, 506, 508} {
		if e := entry(code, OriginIANA, ""); e.Ref.Status != DocExperimental {
			t.Errorf("%v: %v is %v, an Experimental RFC", e, e.Ref, e.Ref.Status)
		}
	}

	if e := entry(403, OriginIANA, ""); e.Retry != RetryModified {
		t.Errorf("403: retry %v; RFC 9110 15.5.4 lets the client retry with other credentials", e.Retry)
	}
	if e := entry(507, OriginIANA, ""); e.Retry != RetryNo {
		t.Errorf("507: retry %v; RFC 4918 11.5 forbids repeating it until the user asks again", e.Retry)
	}
	// 423's RFC 4918 11.3 says neither temporary nor permanent; nor does
	// Spring's documentation of its 419 and 421.
	for _, e := range []*Entry{entry(423, OriginIANA, ""), entry(419, "Spring Framework", ""), entry(421, "Spring Framework", "")} {
		if e.Condition != ConditionEither {
			t.Errorf("%v: condition %v, but its document does not say", e, e.Condition)
		}
	}
	rule(entry(201, OriginIANA, ""), "Location", LevelShould, AppliesToPost, "RFC 9110", "9.3.3")
	rule(entry(303, OriginIANA, ""), "Location", LevelShould, AppliesAlways, "RFC 2616", "10.3.4")
	if e := entry(218, "Unofficial", ""); e.Ref.Status != DocOther {
		t.Errorf("218: %v", e.Ref)
	}

	// Vendors that give a code no reason phrase: the phrase is a label of
	// ours, and the vendor's own words are a name.
	for _, e := range []*Entry{entry(460, "AWS Elastic Load Balancing", ""), entry(463, "AWS Elastic Load Balancing", ""),
		entry(464, "AWS Elastic Load Balancing", ""), entry(530, "Cloudflare", ""), entry(529, "Qualys", "")} {
		if !e.PhraseIsLabel {
			t.Errorf("%v: %s gives no reason phrase, yet the phrase is not marked as a label", e, e.Origin)
		}
	}
	named(entry(530, "Cloudflare", ""), "Error 530", "Cloudflare documentation: Error 530", "")
	if e := entry(529, "Qualys", ""); e.Phrase != "Service is overloaded" {
		t.Errorf("529 (Qualys): phrase %q; the SSL Labs API documentation says the service is overloaded", e.Phrase)
	}
	for _, e := range Meanings(561) {
		if e.PhraseIsLabel {
			t.Errorf("%v: AWS names 561 Unauthorized", e)
		}
	}

	// Meanings and withdrawals the registry once lacked.
	entry(530, "Shopify", "Origin DNS Error")
	entry(526, "Cloud Foundry", "Invalid SSL Certificate")
	for _, tc := range []struct {
		e         *Entry
		withdrawn string
	}{
		{entry(103, "Spring Framework", "Checkpoint"), "2023-01-16"},
		{entry(420, "Shopify", ""), "2018-08-30"},
		{entry(498, "nginx", ""), "2006-02-16"},
	} {
		if tc.e.State != StateDeprecated || tc.e.Withdrawn.String() != tc.withdrawn || tc.e.WithdrawnRef.URL == "" {
			t.Errorf("%v: state %v, withdrawn %v (%v); want deprecated on %s", tc.e, tc.e.State, tc.e.Withdrawn, tc.e.WithdrawnRef, tc.withdrawn)
		}
	}
	// Header rules the registry once lacked or got wrong.
	for _, code := range []int{101, 426} {
		rule(entry(code, OriginIANA, ""), "Connection", LevelMust, AppliesAlways, "RFC 9110", "7.8")
	}
	const upload = "draft-ietf-httpbis-resumable-upload-05"
	e = entry(104, OriginIANA, "")
	rule(e, "Location", LevelMust, AppliesByJudgement, upload, "4")
	rule(e, "Location", LevelMustNot, AppliesToLaterInterim, upload, "4")
	rule(e, "Upload-Draft-Interop-Version", LevelMust, AppliesAlways, upload, "4.2")
	appends := false
	for _, h := range e.Headers {
		appends = appends || h.Field == "Location" && h.Level == LevelMustNot && h.Ref.Section == "6"
	}
	if !appends {
		t.Error("104: no MUST NOT for Location in answer to an upload append (section 6)")
	}
	rule(entry(200, OriginIANA, ""), "ETag", LevelShould, AppliesByJudgement, "RFC 9110", "15.3.1")
	rule(entry(200, OriginIANA, ""), "Last-Modified", LevelShould, AppliesByJudgement, "RFC 9110", "15.3.1")
	rule(entry(511, OriginIANA, ""), "WWW-Authenticate", LevelShouldNot, AppliesAlways, "RFC 6585", "6")
	rule(entry(304, OriginIANA, ""), "Content-Type", LevelShouldNot, AppliesByJudgement, "RFC 9110", "15.4.5")
	rule(entry(206, OriginIANA, ""), "Last-Modified", LevelShouldNot, AppliesToIfRange, "RFC 9110", "15.3.7")
	// RFC 9110, 9.3.6: no 2xx to CONNECT frames content.
	for e := range All() {
		if !IsSuccess(e.Code) {
			continue
		}
		for _, field := range []string{"Content-Length", "Transfer-Encoding"} {
			ok := false
			for _, h := range e.Headers {
				ok = ok || h.Field == field && h.Level == LevelMustNot && (h.Applies == AppliesToConnect || h.Applies == AppliesAlways)
			}
			if !ok {
				t.Errorf("%v: no MUST NOT for %s in answer to CONNECT", e, field)
			}
		}
	}
	// Rules on sending the code at all.
	for _, tc := range []struct {
		code     int
		level    Level
		doc, sec string
	}{
		{101, LevelMustNot, "RFC 9110", "7.8"}, {104, LevelMustNot, upload, "4.2"}, {208, LevelShouldNot, "RFC 5842", "7.1"},
		{305, LevelMustNot, "RFC 2616", "10.3.6"}, {421, LevelMustNot, "RFC 9110", "15.5.20"}, {511, LevelShouldNot, "RFC 6585", "6"},
	} {
		e := entry(tc.code, OriginIANA, "")
		if len(e.Usage) != 1 || e.Usage[0].Level != tc.level || e.Usage[0].Ref.Document != tc.doc || e.Usage[0].Ref.Section != tc.sec {
			t.Errorf("%v: usage %+v, want one %v rule citing %s section %s", e, e.Usage, tc.level, tc.doc, tc.sec)
		}
	}

	if e, _ := Lookup(498); e.Origin != "Esri ArcGIS" {
		t.Errorf("the primary meaning of 498 is %s's, want Esri's: nginx withdrew its 498 in 2006", e.Origin)
	}
}
