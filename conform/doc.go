// Package conform checks HTTP responses against the rules that HTTP and the
// httpstatus registry attach to their status codes.
//
// [Check] inspects an *http.Response, such as one a client received or one
// an httptest.ResponseRecorder captured; [CheckRaw] reads a raw HTTP/1.x
// response, as "curl -si" prints it. Both return [Finding] values. Every
// finding names a rule of the fixed table that [Rules] returns, carries a
// [Severity] (Error for a broken MUST or MUST NOT, Warning for a SHOULD, Info
// for the rest), a one-line summary naming the code and the field, a longer
// explanation, and the reference that states the requirement.
//
// Some rules need more than one response. [Probe] sends a GET and the
// follow-up requests that settle them (conditional requests with the
// response's validators, ranges, HEAD, another Accept-Encoding, OPTIONS and
// an unknown method) and returns a [Report] of every request sent and its
// findings. [CheckHAR] checks every entry of a browser's HAR export, and
// [Middleware] checks the responses a running handler writes, without
// changing them, and reports the findings to a callback or to log/slog.
//
// The rules specific to one status code (the header fields it requires or
// forbids, whether it may carry content, whether it is official) come from
// the httpstatus registry, so the checker knows every code the registry
// knows. The package imports only the standard library.
//
// When the request is unknown, the checker assumes a GET without
// conditional or range header fields.
package conform
