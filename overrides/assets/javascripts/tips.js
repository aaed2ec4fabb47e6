/* The hover and focus text of a lesson's marks: a glossary term's definition, a figure's source, date
   and how sure it is. Each mark carries it as its title. One tooltip serves the whole page, with one
   listener, however many marks there are (the theme's own tooltips mount one per element, which on a
   long lesson cost a phone a quarter of a second before it answers a tap).

   The tooltip shows while the mark is hovered or has keyboard focus, stays while the pointer is over
   it, and Escape closes it (WCAG 1.4.13). While it shows, the mark's title waits in data-fd-tip, so the
   browser's own tooltip does not show on top, and the mark is described by the tooltip
   (aria-describedby), so a screen reader still reads the text; the title comes back when it hides. A
   mark without words of its own (an icon button, named by its title) keeps its title and the browser's
   tooltip. */
(function () {
  "use strict";

  var MARKS = ".md-content [title], .md-content [data-fd-tip]";

  function isMark(element) {
    return Boolean(element) && element.textContent.trim() !== "";   // its text names it; the title describes
  }

  var tip = null, owner = null, hiding = 0;

  function element() {
    if (tip && tip.isConnected) return tip;
    tip = document.createElement("div");
    tip.id = "fd-tip";
    tip.className = "fd-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { clearTimeout(hiding); });
    tip.addEventListener("mouseleave", function () { hide(); });
    document.body.appendChild(tip);
    return tip;
  }

  function place(mark) {
    var box = mark.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    tip.style.maxWidth = Math.min(320, width - 16) + "px";
    tip.style.left = "0px";
    tip.style.top = "0px";
    var size = tip.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left + box.width / 2 - size.width / 2, width - size.width - 8));
    var below = box.bottom + 8;
    var top = below + size.height > window.innerHeight && box.top - size.height - 8 > 0 ? box.top - size.height - 8 : below;
    tip.style.left = Math.round(left + window.scrollX) + "px";
    tip.style.top = Math.round(top + window.scrollY) + "px";
  }

  function release(mark) {
    if (mark.dataset.fdTip !== undefined) {
      mark.setAttribute("title", mark.dataset.fdTip);
      delete mark.dataset.fdTip;
    }
    mark.removeAttribute("aria-describedby");
  }

  function show(mark) {
    clearTimeout(hiding);
    if (owner && owner !== mark) release(owner);
    if (mark.hasAttribute("title")) {
      mark.dataset.fdTip = mark.getAttribute("title");
      mark.removeAttribute("title");
    }
    if (!mark.dataset.fdTip) return;
    element();
    owner = mark;
    tip.textContent = mark.dataset.fdTip;
    mark.setAttribute("aria-describedby", tip.id);
    tip.hidden = false;
    place(mark);
  }

  function hide(now) {
    clearTimeout(hiding);
    var done = function () {
      if (tip) tip.hidden = true;
      if (owner) release(owner);
      owner = null;
    };
    if (now) done(); else hiding = setTimeout(done, 150);     // time to move the pointer onto the tooltip
  }

  function markOf(event) {
    var mark = event.target instanceof Element ? event.target.closest(MARKS) : null;
    return isMark(mark) ? mark : null;
  }

  document.addEventListener("mouseover", function (event) {
    var mark = markOf(event);
    if (mark) show(mark);
  });
  document.addEventListener("mouseout", function (event) {
    var mark = markOf(event);
    if (mark && mark === owner && !(event.relatedTarget instanceof Node && mark.contains(event.relatedTarget))) hide();
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event);
    if (mark) show(mark); else if (owner) hide(true);
  });
  document.addEventListener("focusout", function (event) {
    if (markOf(event) === owner) hide(true);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && owner) hide(true);
  });
  // Instant navigation swaps the page's content: a tooltip of the old page must not stay behind.
  if (typeof document$ !== "undefined") document$.subscribe(function () { hide(true); });
})();
