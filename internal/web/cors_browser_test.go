package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/httpstatus/httpstatus/server"
)

// TestBrowserCORS has a page on one origin (127.0.0.1) call the status
// server behind CORS on another (localhost, another port) as a browser
// test of 401 would: fetch with credentials: "include" and an
// Authorization field, which takes a preflight, then read the status, the
// body and header fields that only Access-Control-Expose-Headers lets a
// script see. Chromium refuses the whole exchange if the server answers a
// credentialed request with Access-Control-Allow-Origin: *, or fails to
// allow credentials on the preflight.
func TestBrowserCORS(t *testing.T) {
	exe := needChromium(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><title>caller</title><main>caller</main>"))
	}))
	t.Cleanup(page.Close)
	status := httptest.NewServer(server.New(server.WithCORS(true)))
	t.Cleanup(status.Close)
	// Both listen on 127.0.0.1; the name localhost makes the second
	// another origin, and another site.
	other := strings.Replace(status.URL, "127.0.0.1", "localhost", 1)

	ctx, cancel := chromedp.NewContext(startChromium(t, exe))
	t.Cleanup(cancel)
	ctx, cancelStep := context.WithTimeout(ctx, stepTimeout)
	t.Cleanup(cancelStep)
	if err := chromedp.Do(ctx, chromedp.Navigate(page.URL+"/"), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		t.Fatalf("open the calling page: %v", err)
	}
	script := `(async (base) => {
		const basic = (user, pass) => ({Authorization: "Basic " + btoa(user + ":" + pass)});
		const call = async (path, headers) => {
			const r = await fetch(base + path, {credentials: "include", headers});
			return {status: r.status, body: await r.text(), challenge: r.headers.get("WWW-Authenticate"),
				date: r.headers.get("Date"), retry: r.headers.get("Retry-After"), location: r.headers.get("Location")};
		};
		return JSON.stringify({
			wrong: await call("/401?user=ann&password=pw", basic("ann", "no")),
			right: await call("/401?user=ann&password=pw", basic("ann", "pw")),
			retry: await call("/503?retry-after=2s", {}),
			created: await call("/201", {}),
		});
	})(` + jsString(other) + `)`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch from %s to %s with credentials: %v", page.URL, other, err)
	}
	type answer struct {
		Status                                 int
		Body, Challenge, Date, Retry, Location string
	}
	var got struct{ Wrong, Right, Retry, Created answer }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if got.Wrong.Status != 401 || !strings.HasPrefix(got.Wrong.Challenge, "Basic ") || got.Wrong.Date == "" {
		t.Errorf("wrong password: %+v; want 401 with WWW-Authenticate and Date readable", got.Wrong)
	}
	if got.Right.Status != 200 || !strings.Contains(got.Right.Body, "granted") {
		t.Errorf("right password: %+v; want 200, granted", got.Right)
	}
	if got.Retry.Status != 503 || got.Retry.Retry != "2" {
		t.Errorf("503: %+v; want Retry-After 2 readable", got.Retry)
	}
	if got.Created.Status != 201 || got.Created.Location != "/200" {
		t.Errorf("201: %+v; want Location /200 readable", got.Created)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
