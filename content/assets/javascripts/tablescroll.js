/* A cue on every table wider than its column (Markdown or HTML, as Material wraps both in
   .md-typeset__scrollwrap): the scroller gets `is-scrollable`, and `at-start` / `at-end` while
   scrolled to an edge, so the stylesheet can say "左右滑动" and fade the edge that hides more
   columns. Without JavaScript the table still scrolls; only the cue is missing. */
(function () {
  "use strict";
  function update(wrap) {
    var room = wrap.scrollWidth - wrap.clientWidth;
    wrap.classList.toggle("is-scrollable", room > 1);
    wrap.classList.toggle("at-start", wrap.scrollLeft <= 1);
    wrap.classList.toggle("at-end", wrap.scrollLeft >= room - 1);
  }
  function watch(wrap) {
    if (wrap.dataset.scrollCue) return;
    wrap.dataset.scrollCue = "1";
    wrap.addEventListener("scroll", function () { update(wrap); }, { passive: true });
    if (window.ResizeObserver) {
      // the scroller's width, and the table's (it grows when web fonts or lazy images land)
      var observer = new ResizeObserver(function () { update(wrap); });
      observer.observe(wrap);
      wrap.querySelectorAll("table").forEach(function (table) { observer.observe(table); });
    }
    update(wrap);
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
