/* Click a column header of a table inside <div class="sortable"> to sort by it; click again to
   reverse. Numbers ("62.5%", "1,234") sort as numbers, "—" (no data) sorts last. No library,
   nothing loaded from the internet. */
(function () {
  "use strict";
  function key(cell) {
    var text = cell.textContent.trim();
    var number = parseFloat(text.replace(/[,%\s]/g, ""));
    return isNaN(number) ? text : number;
  }
  function compare(a, b) {
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    return typeof a === "number" ? -1 : 1;
  }
  function enable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      th.setAttribute("aria-sort", "none");
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "点击排序");
      th.classList.add("sortable-header");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = key(r1.cells[column]), b = key(r2.cells[column]);
          if (a === "—") return 1;
          if (b === "—") return -1;
          return ascending ? compare(a, b) : compare(b, a);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }
  function init() {
    document.querySelectorAll(".sortable table").forEach(enable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
