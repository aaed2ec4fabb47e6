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

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(function () { mount(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { mount(document); });
  }
})();
