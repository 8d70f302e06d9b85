package web

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	httpstatus "github.com/httpstatus/httpstatus"
)

// Bounds on the browser test: each step, and the whole run.
const (
	stepTimeout    = 30 * time.Second
	browserTimeout = 3 * time.Minute
)

// TestBrowser opens the reference in Debian's Chromium as a new user
// would, on a desktop and on a phone, in light and dark, with and without
// JavaScript, and checks what a person would see. It saves screenshots to
// $HTTPSTATUS_ARTIFACTS, or to a temporary directory it names in the log.
//
// Without Chromium it skips, unless HTTPSTATUS_REQUIRE_BROWSER=1.
func TestBrowser(t *testing.T) {
	exe := needChromium(t)
	shots := os.Getenv("HTTPSTATUS_ARTIFACTS")
	if shots == "" {
		shots = t.TempDir()
	}
	shots = filepath.Join(shots, "web-screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	srv := httptest.NewServer(newMux(t)) // listens on loopback
	t.Cleanup(srv.Close)

	b := &browser{t: t, ctx: startChromium(t, exe), base: srv.URL, shots: shots}
	t.Run("desktop", b.desktop)
	t.Run("dark", b.dark)
	t.Run("phone", b.phone)
	t.Run("no JavaScript", b.noScript)
}

// needChromium returns the path of Chromium, or skips t without it
// (fails it, with HTTPSTATUS_REQUIRE_BROWSER=1).
func needChromium(t *testing.T) string {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		if os.Getenv("HTTPSTATUS_REQUIRE_BROWSER") == "1" {
			t.Fatal("Chromium is not installed and HTTPSTATUS_REQUIRE_BROWSER=1: apt-get install -y chromium")
		}
		t.Skip("Chromium is not installed; set HTTPSTATUS_REQUIRE_BROWSER=1 to make this a failure")
	}
	return exe
}

// startChromium starts Chromium headless for the rest of t, within
// browserTimeout, and returns the context of its first tab.
func startChromium(t *testing.T, exe string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 800),
	)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser
		t.Fatalf("starting Chromium: %v", err)
	}
	return browserCtx
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser drives one Chromium through the scenarios.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
}

// tab is a browser tab with a viewport, collecting every console error,
// uncaught exception and CSP report the page produces.
type tab struct {
	t        *testing.T
	ctx      context.Context
	b        *browser
	mu       sync.Mutex
	errors   []string
	notFound map[string]bool // URLs expected to answer 404
}

func (b *browser) newTab(t *testing.T, width, height int64, mobile bool, setup ...chromedp.Action[chromedp.Void]) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	tb := &tab{t: t, ctx: ctx, b: b}
	// Collect what the page reports: console errors and warnings, uncaught
	// exceptions, and browser log entries such as CSP violations.
	var wg sync.WaitGroup
	messages := chromedp.Console(ctx)
	wg.Go(func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleException, "error", "warning":
				tb.mu.Lock()
				if !(m.Source == "network" && tb.notFound[m.URL]) {
					tb.errors = append(tb.errors, m.String())
				}
				tb.mu.Unlock()
			}
		}
	})
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		tb.checkConsole()
	})
	viewport := chromedp.EmulateViewport(width, height, func(p *emulation.SetDeviceMetricsOverrideParams, s *emulation.SetTouchEmulationEnabledParams) {
		p.Mobile = mobile
		if mobile {
			p.DeviceScaleFactor = 2
			s.Enabled = true
		}
	})
	tb.do("open a tab", append([]chromedp.Action[chromedp.Void]{viewport}, setup...)...)
	return tb
}

// call makes an action of a protocol command whose result is not needed.
func call[P any](cmd cdp.Command[P, cdp.Empty], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// do performs browser actions within stepTimeout.
func (tb *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.fail(step, err)
	}
}

// get runs one action that returns a value, within stepTimeout.
func value[T any](tb *tab, step string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.fail(step, err)
	}
	return v
}

func (tb *tab) fail(step string, err error) {
	tb.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("gave up after %v: %w", stepTimeout, err)
	}
	tb.t.Fatalf("%s: %v", step, err)
}

// open loads a page of the test server and waits for its main landmark.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.b.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

// expectNotFound tells the tab that a page will answer 404 on purpose.
func (tb *tab) expectNotFound(path string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.notFound == nil {
		tb.notFound = map[string]bool{}
	}
	tb.notFound[tb.b.base+path] = true
}

// eval evaluates a JavaScript expression.
func eval[T any](tb *tab, what, expr string) T {
	tb.t.Helper()
	return value(tb, what, chromedp.Evaluate[T](expr))
}

// text returns the visible text of the first element that matches a CSS selector.
func (tb *tab) text(css string) string {
	tb.t.Helper()
	return value(tb, "read "+css, chromedp.Text(chromedp.CSS(css)))
}

// shot saves a screenshot of the viewport, what a person sees first.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	tb.save(name, value(tb, "screenshot "+name, chromedp.CaptureScreenshot()))
}

// fullShot saves a screenshot of the whole page.
func (tb *tab) fullShot(name string) {
	tb.t.Helper()
	tb.save(name+"-full", value(tb, "screenshot "+name, chromedp.FullScreenshot(100)))
}

func (tb *tab) save(name string, png []byte) {
	tb.t.Helper()
	p := filepath.Join(tb.b.shots, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot %s", p)
}

func (tb *tab) checkConsole() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		tb.t.Errorf("the page reported an error (CSP violation, script error or failed load): %s", e)
	}
}

// visibleCodes returns "code origin" for every entry a person can see in
// the list, in order.
func (tb *tab) visibleCodes() []string {
	tb.t.Helper()
	return eval[[]string](tb, "read the visible codes", `Array.from(document.querySelectorAll("li.entry"))
		.filter(li => li.offsetParent !== null)
		.map(li => li.querySelector("a").getAttribute("href"))`)
}

// checkPage runs the checks every page must pass: landmarks, one h1,
// no skipped heading levels, labelled controls, nothing wider than the
// window, and legible text.
func (tb *tab) checkPage(name string) {
	tb.t.Helper()
	problems := eval[[]string](tb, "check "+name, `(() => {
		const p = [];
		for (const sel of ["header", "nav", "main", "footer"]) {
			if (!document.querySelector(sel)) p.push("no " + sel + " landmark");
		}
		if (document.documentElement.lang !== "en") p.push("no lang");
		const hs = Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6"));
		if (hs.filter(h => h.tagName === "H1").length !== 1) p.push("not exactly one h1");
		let last = 0;
		for (const h of hs) {
			const l = +h.tagName[1];
			if (l > last + 1) p.push("heading " + h.tagName + " '" + h.textContent + "' skips a level");
			last = l;
		}
		for (const el of document.querySelectorAll("input, select, textarea")) {
			if (!el.labels || el.labels.length === 0) p.push("unlabelled " + el.id);
		}
		for (const a of document.querySelectorAll("a")) {
			if (!a.textContent.trim() && !a.getAttribute("aria-label")) p.push("link without text: " + a.href);
		}
		const ids = new Set();
		for (const el of document.querySelectorAll("[id]")) {
			if (ids.has(el.id)) p.push("duplicate id " + el.id);
			ids.add(el.id);
		}
		if (document.documentElement.scrollWidth > window.innerWidth + 1) {
			p.push("page is wider than the window: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
		}
		const size = parseFloat(getComputedStyle(document.body).fontSize);
		if (size < 14) p.push("body text is " + size + "px");
		return p;
	})()`)
	for _, p := range problems {
		tb.t.Errorf("%s: %s", name, p)
	}
}

func (b *browser) desktop(t *testing.T) {
	tb := b.newTab(t, 1280, 800, false)
	tb.open("/")
	tb.checkPage("index")
	if title := value(tb, "read the title", chromedp.Title()); title != "HTTP status codes · httpstatus" {
		t.Errorf("title %q", title)
	}
	n := 0
	for range httpstatus.All() {
		n++
	}
	if got := tb.visibleCodes(); len(got) != n {
		t.Errorf("the index shows %d entries, the registry has %d", len(got), n)
	}
	if !eval[bool](tb, "look for the live-search hint", `document.getElementById("q-live").offsetParent !== null`) {
		t.Error("the index does not say that results update as you type")
	}
	tb.shot("desktop-index")

	// Search as a person does: click the box, type, read the list.
	tb.do("type a search",
		chromedp.Click(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "too large"),
		waitFor(`document.getElementById("status").textContent.includes("too large")`),
	)
	got := tb.visibleCodes()
	for _, want := range []string{"/codes/413", "/codes/431"} {
		if !slices.Contains(got, want) {
			t.Errorf("searching 'too large' shows %v, not %s", got, want)
		}
	}
	if slices.Contains(got, "/codes/404") || len(got) > 10 {
		t.Errorf("searching 'too large' shows %v", got)
	}
	status := tb.text("#status")
	location := value(tb, "read the address", chromedp.Location())
	if !strings.Contains(status, fmt.Sprintf("%d codes match", len(got))) {
		t.Errorf("status line %q for %d visible codes", status, len(got))
	}
	if !strings.HasSuffix(location, "/?q=too+large") {
		t.Errorf("the address is %q; the search should be in it", location)
	}
	tb.shot("desktop-search")

	// Open 413 from the filtered list.
	tb.do("open 413",
		chromedp.Click(chromedp.CSS(`#all a[href="/codes/413"]`)),
		chromedp.WaitVisible(chromedp.ID("curl")),
	)
	tb.checkPage("413")
	h1, curl, lead := tb.text("h1"), tb.text("#curl"), tb.text(".code-head .lead")
	copyVisible := eval[bool](tb, "look for the copy button", `document.querySelector(".copy-btn").offsetParent !== null`)
	e, _ := httpstatus.Lookup(413)
	if h1 != "413 "+e.Phrase {
		t.Errorf("h1 %q, want %q", h1, "413 "+e.Phrase)
	}
	if lead != e.Summary+"." {
		t.Errorf("summary %q, want %q", lead, e.Summary+".")
	}
	if curl != "curl -i "+b.base+"/413" {
		t.Errorf("curl line %q, want %q", curl, "curl -i "+b.base+"/413")
	}
	if !copyVisible {
		t.Error("the copy button is hidden although JavaScript runs")
	}
	sections := eval[[]string](tb, "read the sections", `Array.from(document.querySelectorAll("article h2:not(.vh), article h3")).map(h => h.textContent)`)
	for _, want := range []string{"Explanation", "At a glance", "Header fields", "Phrase history", "References"} {
		if !slices.Contains(sections, want) {
			t.Errorf("413 has sections %q, lacks %q", sections, want)
		}
	}
	tb.shot("desktop-413")
	tb.fullShot("desktop-413")

	// A number with two meanings, and an unknown number.
	tb.open("/codes/499")
	tb.checkPage("499")
	meanings := eval[int](tb, "count meanings", `document.querySelectorAll("article.meaning").length`)
	if meanings != len(httpstatus.Meanings(499)) {
		t.Errorf("499 shows %d meanings, the registry has %d", meanings, len(httpstatus.Meanings(499)))
	}
	tb.shot("desktop-499")
	tb.fullShot("desktop-499")
	tb.expectNotFound("/codes/299")
	tb.open("/codes/299")
	tb.checkPage("299")
	if h1 = tb.text("h1"); !strings.Contains(h1, "No status code 299") {
		t.Errorf("unknown code page says %q", h1)
	}
	if eval[bool](tb, "look for the live-search hint", `document.getElementById("q-live").offsetParent !== null`) {
		t.Error("the not-found page says that results update as you type, but it has no list to filter")
	}
	tb.shot("desktop-299-not-found")

	// A problem from the API as a browser sees it: respond's own HTML page,
	// whose inline style its Content-Security-Policy allows by hash (a
	// violation would be reported by checkConsole).
	tb.expectNotFound("/api/codes/299")
	tb.open("/api/codes/299")
	if got := eval[string](tb, "problem page style", `getComputedStyle(document.querySelector("main")).maxWidth`); got != "640px" {
		t.Errorf("the problem page's main element is %q wide at most, want its style sheet's 40rem (640px)", got)
	}
	tb.shot("desktop-api-problem")
}

func (b *browser) dark(t *testing.T) {
	tb := b.newTab(t, 1280, 800, false, call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}))
	for _, p := range []struct{ path, name string }{{"/", "dark-index"}, {"/codes/503", "dark-503"}, {"/codes/499", "dark-499"}} {
		tb.open(p.path)
		tb.checkPage(p.name)
		lum := eval[float64](tb, "read the background", `(() => {
			const m = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
			return (0.2126*m[0] + 0.7152*m[1] + 0.0722*m[2]) / 255;
		})()`)
		if lum > 0.2 {
			t.Errorf("%s: the dark theme's background has luminance %.2f", p.path, lum)
		}
		tb.shot(p.name)
	}
}

func (b *browser) phone(t *testing.T) {
	tb := b.newTab(t, 390, 844, true)
	tb.open("/")
	tb.checkPage("phone index")
	tb.shot("phone-index")
	tb.do("type a search",
		chromedp.SendKeys(chromedp.ID("q"), "nginx"),
		waitFor(`document.getElementById("status").textContent.includes("nginx")`),
	)
	got := tb.visibleCodes()
	var want []string
	for e := range httpstatus.All() {
		if e.Origin == "nginx" {
			want = append(want, href(e))
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("searching nginx on a phone shows %v, not %s", got, w)
		}
	}
	tb.shot("phone-search")
	tb.open("/codes/413")
	tb.checkPage("phone 413")
	tb.shot("phone-413")
	tb.fullShot("phone-413")
	tb.open("/codes/499")
	tb.checkPage("phone 499")
	tb.shot("phone-499")
}

// noScript searches with JavaScript off: the form goes to the server,
// which ranks the results.
func (b *browser) noScript(t *testing.T) {
	tb := b.newTab(t, 1280, 800, false, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	tb.open("/")
	tb.checkPage("index without JavaScript")
	tb.do("search without JavaScript",
		chromedp.SendKeys(chromedp.ID("q"), "teapot"+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("results")),
	)
	got := tb.visibleCodes()
	if len(got) == 0 || got[0] != "/codes/418" {
		t.Errorf("searching teapot without JavaScript shows %v, want /codes/418 first", got)
	}
	tb.checkPage("results without JavaScript")
	tb.shot("nojs-search")
	tb.open("/codes/418")
	if !eval[bool](tb, "look for the copy button", `document.querySelector(".copy-btn").offsetParent === null`) {
		t.Error("the copy button shows although it cannot work without JavaScript")
	}
	tb.shot("nojs-418")
}

// waitFor waits until a JavaScript expression is true.
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(stepTimeout))(ctx, t)
		return err
	})
}
