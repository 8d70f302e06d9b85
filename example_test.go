package httpstatus_test

import (
	"fmt"

	"github.com/httpstatus/httpstatus"
)

func ExampleLookup() {
	e, ok := httpstatus.Lookup(405)
	if !ok {
		return
	}
	rule, _ := e.HeaderRule("Allow")
	fmt.Println(e)
	fmt.Println(e.Class, e.Class.Name())
	fmt.Println(rule.Level, rule.Field, "-", rule.Ref)
	// Output:
	// 405 Method Not Allowed
	// 4xx Client Error
	// MUST Allow - RFC 9110, section 15.5.6
}

func ExampleLookup_unknown() {
	_, ok := httpstatus.Lookup(477)
	fmt.Println(ok)
	// Output: false
}

func ExampleLookupPhrase() {
	for _, phrase := range []string{"request entity too large", "Request-URI Too Long", "Client Closed Request"} {
		e, _ := httpstatus.LookupPhrase(phrase)
		fmt.Printf("%s: %v (%s)\n", phrase, e, e.Origin)
	}
	// Output:
	// request entity too large: 413 Content Too Large (IANA)
	// Request-URI Too Long: 414 URI Too Long (IANA)
	// Client Closed Request: 499 Client Closed Request (nginx)
}

func ExampleMeanings() {
	for _, e := range httpstatus.Meanings(499) {
		fmt.Printf("%v, %s\n", e, e.Origin)
	}
	// Output:
	// 499 Client Closed Request, nginx
	// 499 Token Required, Esri ArcGIS
}

func ExampleText() {
	fmt.Println(httpstatus.Text(413))
	fmt.Println(httpstatus.Text(499) == "") // not registered with IANA
	// Output:
	// Content Too Large
	// true
}

func ExampleCodes() {
	n := 0
	for e := range httpstatus.Codes() {
		if e.Official() && e.Class == httpstatus.ClassInformational {
			n++
		}
	}
	fmt.Println(n, "informational codes are registered")
	// Output: 5 informational codes are registered
}

func ExampleEntry_names() {
	e, _ := httpstatus.Lookup(413)
	for _, n := range e.Names {
		fmt.Printf("%s (%s)\n", n.Phrase, n.Ref.Document)
	}
	// Output:
	// Request Entity Too Large (RFC 2616)
	// Payload Too Large (RFC 7231)
}

func ExampleParseCode() {
	for _, s := range []string{"404", "477", "600", "4xx"} {
		code, err := httpstatus.ParseCode(s)
		fmt.Println(code, err)
	}
	// Output:
	// 404 <nil>
	// 477 <nil>
	// 0 "600": a status code is a number from 100 to 599
	// 0 "4xx": a status code is a number from 100 to 599
}
