// record-har.mjs: drives Chromium with Playwright over two running
// "httpstatus serve" processes, one over HTTP/1.1 and one over HTTPS (where
// Chromium speaks HTTP/2), and saves what the browser fetched as one HAR
// file, written by Playwright's own HAR recorder (the recordHar option of a
// browser context). scripts/record-har.sh installs Playwright, starts the
// servers on loopback and runs this; run it through that script.
//
// Usage: node record-har.mjs OUT.har CHROMIUM HTTP-BASE HTTPS-BASE
//
// Over HTTP/1.1, each step a navigation of the one tab unless it says fetch:
//   /                      the web reference's index (HTML, CSS, JS, the SVG icon)
//   /codes/404             a code page (its CSS, JS and icon come from the memory cache)
//   /404, /503             problem details
//   /301                   a redirect, which the browser follows to /200
//   /200?header=ETag:abc   broken on purpose: an ETag that is not a quoted entity tag
//   /resource?key=har      a plain page without a content security policy; from it
//                          a script fetches the same URL (200), with Range (206), with
//                          If-None-Match and the ETag of the 200 (304), then /204, then
//                          /500 with a delay after its header section, aborted before
//                          its content comes
//   reload                 the browser revalidates /resource?key=har itself (304)
// Over HTTP/2: /codes/404, /301, /503?header=Retry-After:soon (broken on
// purpose: a Retry-After that is neither seconds nor a date), and the
// /resource?key=har steps without /204 and the aborted /500.
import { chromium } from "playwright-core";

const [out, executablePath, httpBase, httpsBase] = process.argv.slice(2);
if (!out || !executablePath || !httpBase || !httpsBase) {
  console.error("usage: node record-har.mjs OUT.har CHROMIUM HTTP-BASE HTTPS-BASE");
  process.exit(2);
}

const browser = await chromium.launch({ executablePath });
const version = browser.version();
// The HTTPS server's certificate is a throwaway one made for the recording.
const context = await browser.newContext({
  ignoreHTTPSErrors: true,
  recordHar: { path: out, mode: "full", content: "embed" },
});
const page = await context.newPage();

// visit navigates to base+path and waits until the network has been quiet
// for a moment, so that late sub-resources such as the icon are recorded.
async function visit(base, path) {
  const res = await page.goto(base + path, { waitUntil: "networkidle" });
  console.log(`${res ? res.status() : "-"} ${base}${path}`);
}

// fetchAll runs fetch() in the page, as a script of the page would, and
// returns the statuses it saw. The Range request bypasses the HTTP cache
// so that the server, not the cache, answers it; a request the page gives
// If-None-Match is never answered from the cache.
async function fetchAll(more) {
  return page.evaluate(async (more) => {
    const url = "/resource?key=har";
    const seen = [];
    const full = await fetch(url, { cache: "no-store" });
    await full.arrayBuffer();
    seen.push(full.status);
    const part = await fetch(url, { cache: "no-store", headers: { Range: "bytes=0-99" } });
    await part.arrayBuffer();
    seen.push(part.status);
    const again = await fetch(url, { headers: { "If-None-Match": full.headers.get("ETag") } });
    await again.arrayBuffer();
    seen.push(again.status);
    if (more) {
      const none = await fetch("/204");
      seen.push(none.status);
      // The header section comes at once, the content two seconds later;
      // the script gives up on it in between.
      const stop = new AbortController();
      const slow = await fetch("/500?delay-after-headers=2s", { signal: stop.signal });
      stop.abort();
      await slow.arrayBuffer().catch(() => {});
      seen.push(`${slow.status} (aborted)`);
    }
    return seen;
  }, more);
}

async function reload() {
  const res = await page.reload({ waitUntil: "networkidle" });
  console.log(`${res ? res.status() : "-"} reload of ${page.url()}`);
}

for (const path of ["/", "/codes/404", "/404", "/503", "/301", "/200?header=ETag:abc", "/resource?key=har"]) {
  await visit(httpBase, path);
}
console.log(`fetch from the page: ${(await fetchAll(true)).join(", ")}`);
await reload();

for (const path of ["/codes/404", "/301", "/503?header=Retry-After:soon", "/resource?key=har"]) {
  await visit(httpsBase, path);
}
console.log(`fetch from the page: ${(await fetchAll(false)).join(", ")}`);
await reload();

await context.close(); // writes the HAR file
await browser.close();
console.log(`${out}: recorded by Playwright's HAR recorder over Chromium ${version}`);
