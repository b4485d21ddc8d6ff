/*
 * Typesets the page's formulas with the KaTeX shipped in assets/vendor/katex/.
 *
 * pymdownx.arithmatex (generic mode) writes each formula the pipeline recognised as
 * <span class="arithmatex">\(…\)</span> or <div class="arithmatex">\[…\]</div>; exactly
 * those elements are rendered, nothing else on the page is scanned for "$" (a price stays
 * text, code stays code). No network: KaTeX and its fonts (CSS url() next to katex.min.css)
 * load from the site itself, also from file://. A formula KaTeX cannot parse shows its
 * TeX source instead of breaking the page.
 */
(function () {
  "use strict";

  var OPTIONS = { throwOnError: false, strict: "ignore", trust: false };

  function tex(el, display) {
    var text = el.textContent.trim();
    var open = display ? "\\[" : "\\(";
    var close = display ? "\\]" : "\\)";
    if (text.slice(0, 2) === open && text.slice(-2) === close) {
      text = text.slice(2, -2);
    }
    return text.trim();
  }

  function typeset(root) {
    if (typeof window.katex === "undefined") {
      return;
    }
    var found = root.querySelectorAll(".arithmatex");
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (el.getAttribute("data-llmkb-math") === "done") {
        continue;
      }
      var display = el.tagName !== "SPAN";
      try {
        window.katex.render(tex(el, display), el, Object.assign({ displayMode: display }, OPTIONS));
        el.setAttribute("data-llmkb-math", "done");
      } catch (err) {
        el.setAttribute("data-llmkb-math", "error");
      }
    }
  }

  // Material's document$ emits each page it shows (navigation.instant is off, so once).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { typeset(document.body); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  } else {
    typeset(document.body);
  }
})();
