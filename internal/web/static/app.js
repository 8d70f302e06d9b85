// httpstatus web reference: instant filtering of the code list and the
// copy button. The pages work without this script; it only makes them quicker.
"use strict";
(function () {
  function words(s) {
    return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // Filter the grouped list as the user types. An entry matches when every
  // query word starts a word of its data-search text, as on the server.
  function setupSearch() {
    var input = document.getElementById("q");
    var all = document.getElementById("all");
    if (!input || !all) return;
    // Only a page with the list filters as the user types.
    document.getElementById("q-live").hidden = false;
    var results = document.getElementById("results");
    var status = document.getElementById("status");
    var nothing = document.getElementById("nothing");
    var groups = Array.prototype.map.call(all.querySelectorAll("section.group"), function (section) {
      return {
        section: section,
        items: Array.prototype.map.call(section.querySelectorAll("li.entry"), function (li) {
          return { li: li, hay: " " + li.getAttribute("data-search") };
        }),
      };
    });
    var last = null;
    function apply() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      var ws = words(q);
      var shown = 0;
      groups.forEach(function (g) {
        var any = false;
        g.items.forEach(function (it) {
          var ok = ws.every(function (w) { return it.hay.indexOf(" " + w) >= 0; });
          it.li.hidden = !ok;
          if (ok) { any = true; shown++; }
        });
        g.section.hidden = !any;
      });
      if (results) results.hidden = true;
      all.hidden = false;
      nothing.hidden = shown > 0;
      status.textContent = ws.length === 0 ? "" :
        shown + (shown === 1 ? " code matches" : " codes match") + " “" + q + "”.";
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    input.addEventListener("input", apply);
    // With the script the form filters in place; Enter moves to the first match.
    input.form.addEventListener("submit", function (ev) {
      if (results && !results.hidden) return; // a server-ranked page: let it reload
      ev.preventDefault();
      apply();
      var first = all.querySelector("li.entry:not([hidden]) a");
      if (first) first.focus();
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && input.value !== "") {
        input.value = "";
        apply();
      }
    });
  }

  // "/" focuses the search box from anywhere on a page that has one.
  function setupShortcut() {
    var input = document.getElementById("q");
    if (!input) return;
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      ev.preventDefault();
      input.focus();
      input.select();
    });
  }

  function setupCopy() {
    document.querySelectorAll("button[data-copy]").forEach(function (btn) {
      var source = document.getElementById(btn.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent).then(function () {
          btn.textContent = "Copied";
          setTimeout(function () { btn.textContent = "Copy"; }, 2000);
        }, function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        });
      });
    });
  }

  function init() {
    document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    setupSearch();
    setupShortcut();
    setupCopy();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
