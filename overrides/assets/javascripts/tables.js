/* Sortable comparison tables. Served from the site itself; without JavaScript the tables still read
   in their authored order. Mounted on every page load, including Material's instant navigation. */
(function () {
  "use strict";

  function compare(kind, a, b) {
    if (a === "" && b === "") return 0;
    if (a === "") return 1;          /* "not disclosed" always sorts last */
    if (b === "") return -1;
    if (kind === "number") return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b);
  }

  function sortBy(table, header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var kind = header.dataset.sort;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = x.cells[index].dataset.sortValue || "", b = y.cells[index].dataset.sortValue || "";
      if (a === "" || b === "") return compare(kind, a, b);
      var order = compare(kind, a, b);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[data-sort]").forEach(function (other) {
      other.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function mount(root) {
    root.querySelectorAll(".fd-table-wrap[data-fd-sortable] table").forEach(function (table) {
      if (table.dataset.fdMounted) return;
      table.dataset.fdMounted = "1";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
        if (!header.dataset.sort) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "fd-sort";
        button.textContent = header.textContent;
        button.setAttribute("aria-label", "Sort by " + header.textContent);
        header.textContent = "";
        header.appendChild(button);
        header.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () { sortBy(table, header, index); });
      });
    });
  }

  /* A table wider than the screen scrolls sideways inside its box. When nothing in it takes the Tab key
     (its figures' marks do not), the box itself does, named by the table's caption, so a keyboard can
     scroll it too. Off screen, a table is not laid out (content-visibility: auto in textbook.css): its
     width is checked when the browser is idle, and again each time it is shown or the window resized. */
  var TABBABLE = "a[href]:not([tabindex='-1']), button, input, select, textarea, [tabindex='0']";
  var BOXES = ".md-typeset__scrollwrap, .fd-table-wrap";

  function laidOut(box) {
    var inside = box.firstElementChild;
    return !inside || typeof inside.checkVisibility !== "function" || inside.checkVisibility({ contentVisibilityAuto: true });
  }

  /* A box not laid out yet is measured when the browser is idle, one box at a time: laid out for that
     moment alone, so the Tab key already knows it before the reader scrolls to it. */
  var pending = [];
  var later = window.requestIdleCallback ? window.requestIdleCallback.bind(window)
    : function (callback) { return setTimeout(callback, 50); };

  function measureNext() {
    var box = pending.shift();
    if (box && box.isConnected) {
      var holder = box.closest(".md-typeset__scrollwrap") || box;     // the block whose layout is skipped
      holder.style.contentVisibility = "visible";
      decide(box);
      holder.style.contentVisibility = "";
    }
    if (pending.length) later(measureNext);
  }

  function check(box) {
    if (laidOut(box)) { decide(box); return; }
    if (pending.indexOf(box) < 0 && pending.push(box) === 1) later(measureNext);
  }

  function decide(box) {
    var overflow = window.getComputedStyle(box).overflowX;
    var wide = (overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth + 1;
    var own = box.dataset.fdScrollFocus === "1";
    if (wide && !own && !box.querySelector(TABBABLE)) {
      var caption = box.querySelector("caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table, scrolls sideways");
      box.dataset.fdScrollFocus = "1";
    } else if (!wide && own) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.fdScrollFocus;
    }
  }

  function scrollable(root) {
    root.querySelectorAll(BOXES).forEach(check);
  }

  function start() {
    mount(document);
    // After the first frame, when the browser knows which boxes are off screen and skipped.
    window.requestAnimationFrame(function () { scrollable(document); });
  }

  // Shown after being skipped: its width may have changed (checked again if it is skipped by then).
  document.addEventListener("contentvisibilityautostatechange", function (event) {
    if (event.skipped || !(event.target instanceof Element)) return;
    var boxes = Array.prototype.slice.call(event.target.querySelectorAll(BOXES));
    if (event.target.matches(BOXES)) boxes.unshift(event.target);
    boxes.forEach(check);
  }, true);
  window.addEventListener("resize", function () { scrollable(document); });
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
