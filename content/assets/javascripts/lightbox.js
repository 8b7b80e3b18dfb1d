/* Case images and charts open large over the page (a "lightbox"), for photos and diagrams whose detail
   does not fit the column. Written small and offline: no library, nothing to fetch.

   An image of a case is a link to its own file (generator/case_pages.py), so without this
   script, or in a browser without <dialog>, the link simply opens the image. With it, a click
   shows the image and its caption in a modal <dialog>: Esc, the close button or a click
   anywhere closes it, and focus returns to the image link. */
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function") return;
  var dialog = null;
  var opener = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "case-lightbox-dialog";
    dialog.setAttribute("aria-label", "查看大图");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "case-lightbox-close";
    close.setAttribute("aria-label", "关闭大图");
    close.textContent = "×";
    var figure = document.createElement("figure");
    figure.appendChild(document.createElement("img"));
    figure.appendChild(document.createElement("figcaption"));
    dialog.appendChild(close);
    dialog.appendChild(figure);
    dialog.addEventListener("click", function (event) {
      // a chart on a phone is panned inside the dialog: only the close button or Esc closes it
      if (!dialog.classList.contains("is-chart") || event.target.tagName !== "IMG") dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (opener) opener.focus();
      opener = null;
    });
    document.body.appendChild(dialog);
  }

  function show(link) {
    if (!dialog || !dialog.isConnected) build();
    dialog.classList.toggle("is-chart", link.classList.contains("chart-zoom"));
    var image = link.querySelector("img");
    var caption = link.closest("figure") && link.closest("figure").querySelector("figcaption");
    var big = dialog.querySelector("img");
    big.src = link.href;
    big.alt = image ? image.alt : "";
    dialog.querySelector("figcaption").textContent = caption ? caption.textContent : big.alt;
    opener = link;
    dialog.showModal();
    dialog.querySelector(".case-lightbox-close").focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.case-lightbox, a.chart-zoom");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    show(link);
  });
})();
