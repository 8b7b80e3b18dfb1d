/* A cue on every table wider than its column (Markdown or HTML, as Material wraps both in
   .md-typeset__scrollwrap): the scroller gets `is-scrollable`, and `at-start` / `at-end` while
   scrolled to an edge, so the stylesheet can say "左右滑动" and fade the edge that hides more
   columns. Without JavaScript the table still scrolls; only the cue is missing.
   The scrollers are measured together when the browser has laid them out (a ResizeObserver),
   all of them before any class changes: measuring one after changing another's classes made
   the browser lay out the whole page again for each (a county page's 15 tables, a second of
   a phone's main thread). */
(function () {
  "use strict";
  function measure(wrap) {
    return { wrap: wrap, room: wrap.scrollWidth - wrap.clientWidth, left: wrap.scrollLeft };
  }
  function apply(m) {
    var wrap = m.wrap;
    wrap.classList.toggle("is-scrollable", m.room > 1);
    wrap.classList.toggle("at-start", m.left <= 1);
    wrap.classList.toggle("at-end", m.left >= m.room - 1);
    // A scroller must take the keyboard focus to be scrolled without a mouse. Material makes
    // the scrollers it finds overflowing focusable; a long table is laid out only when it
    // comes near the screen (.table-deferred), after Material looked.
    if (m.room > 1 && !wrap.hasAttribute("tabindex")) wrap.tabIndex = 0;
  }
  function update(wraps) {
    wraps.map(measure).forEach(apply);
  }
  var observer = window.ResizeObserver
    ? new ResizeObserver(function (entries) {
        var wraps = [];
        entries.forEach(function (entry) {
          var wrap = entry.target.closest(".md-typeset__scrollwrap");
          if (wrap && wraps.indexOf(wrap) < 0) wraps.push(wrap);
        });
        update(wraps);
      })
    : null;
  function watch(wrap) {
    if (wrap.dataset.scrollCue) return;
    wrap.dataset.scrollCue = "1";
    wrap.addEventListener("scroll", function () { update([wrap]); }, { passive: true });
    if (observer) {
      // the scroller's width, and the table's (it grows when fonts or lazy images land, and
      // when a long table is first laid out); the first report comes once it is laid out
      observer.observe(wrap);
      wrap.querySelectorAll("table").forEach(function (table) { observer.observe(table); });
    } else {
      update([wrap]);
    }
  }
  function init() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(watch);
  }
  // Material wraps the tables once the page is there (and again after an instant navigation).
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("load", init);
})();
