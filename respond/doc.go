// Package respond answers HTTP requests with errors: RFC 9457 problem
// details, negotiated as JSON, HTML or plain text, that follow the rules
// the httpstatus registry attaches to each status code.
//
// Answer any error in three lines: return a Problem from a HandlerFunc,
//
//	if err != nil {
//		return respond.Wrap(http.StatusServiceUnavailable, err).WithRetryAfter(time.Minute)
//	}
//
// or, in a plain http.Handler, write it and stop:
//
//	if err != nil {
//		respond.Write(w, r, respond.Wrap(http.StatusNotFound, err))
//		return
//	}
//
// Any error that is not a Problem becomes a 500 whose body hides its text.
// Write returns an error only when the Problem broke a rule of its code
// (see Write); HandlerFunc logs it, with slog.Default or the logger given
// to Handler.
//
// # Problems
//
// New, Errorf and Wrap make a *Problem from a status code; the With
// methods add what a code needs or a client can use:
//
//	respond.New(http.StatusMethodNotAllowed).WithAllow("GET", "POST")  // 405 must list the allowed methods
//	respond.New(http.StatusUnauthorized).WithChallenge(`Bearer realm="api"`) // 401 must carry a challenge
//	respond.New(http.StatusUpgradeRequired).WithUpgrade("TLS/1.3")     // 426 must name the protocol
//	respond.New(http.StatusRequestedRangeNotSatisfiable).WithContentRange(size)
//	respond.New(http.StatusTooManyRequests).WithRetryAfter(30 * time.Second) // or WithRetryAt(t)
//	respond.Errorf(http.StatusBadRequest, "field %q: must be a date", name).WithExtension("field", name)
//
// A Problem is an error: errors.Is and errors.As see through it to its
// Cause, and errors.Is(err, respond.New(404)) matches any 404 problem.
// The Cause's text is for logs. It reaches the client, as the detail, only
// when Expose is true; Wrap sets Expose for 4xx codes and never for 5xx.
//
// # What Write sends
//
// Negotiate picks the representation from the Accept header, q-values
// included: application/problem+json (application/json for a status
// below 400), application/json, text/html or text/plain, and
// problem+json when the client accepts none of them. The JSON object has
// the members of RFC 9457 and a few more a client can act on:
//
//	{"type":"about:blank","title":"Service Unavailable","status":503,
//	 "detail":"...","instance":"...",
//	 "summary":"...",           // what the code means, from the registry
//	 "condition":"temporary",   // temporary, permanent, either (not stated) or none
//	 "retry":"later",           // yes, later, modified (change the request first) or no
//	 "retryAfter":60,           // seconds, when Retry-After is set
//	 "retryAt":"...",           // RFC 3339, when Retry-After is a date
//	 ...extension members, which never replace the members above}
//
// The HTML page is one self-contained document (no scripts, styles or
// images from elsewhere) with a language, a title, a main landmark and a
// heading, every value escaped. The plain text starts with the status and
// phrase. All three say whether the condition is temporary or permanent and
// when to retry; WithCondition settles it for codes, such as 404, whose
// meaning leaves it open.
//
// Write follows the registry: HEAD gets the headers of GET and no content;
// 1xx, 204, 205 and 304 never carry content; codes that must not be stored
// get Cache-Control: no-store. A Problem missing a header its code
// requires (Allow for 405, a challenge for 401 and 407, Upgrade for 426,
// and so on) is not sent: Write answers 500 instead and returns an error
// wrapping ErrMissingHeader, so that the mistake reaches the server's log
// and never the client.
//
// # Helpers
//
// Recover turns panics into 500 problems and logs them with log/slog.
// NotFound and MethodNotAllowed give http.ServeMux problem answers.
// HandlerFunc adapts handlers that return an error. Recover and Handler
// take the logger the same way, after the handler they wrap; nil means
// slog.Default.
package respond
