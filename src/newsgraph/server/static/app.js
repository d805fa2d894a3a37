// newsgraph pages: keyboard search shortcut, fact -> sentence scrolling, highlight toggles. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.key === "/" && !(t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement)) {
      var box = document.getElementById("q");
      if (box) { ev.preventDefault(); box.focus(); box.select(); }
    }
  });

  function flash(sentence) {
    if (!sentence) return;
    document.querySelectorAll(".sent.flash").forEach(function (el) { el.classList.remove("flash"); });
    sentence.classList.add("flash");
    sentence.scrollIntoView({ behavior: "smooth", block: "center" });
    window.setTimeout(function () { sentence.classList.remove("flash"); }, 2500);
  }

  function sentenceOf(el) { return el && (el.classList.contains("sent") ? el : el.closest(".sent")); }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a.fact");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var sent = document.getElementById("s-" + link.dataset.s) || sentenceOf(target);
    if (!target && !sent) return;
    ev.preventDefault();
    flash(sentenceOf(target) || sent);
    history.replaceState(null, "", link.getAttribute("href"));
    var focusable = target || sent;
    focusable.setAttribute("tabindex", "-1");
    focusable.focus({ preventScroll: true });
  });

  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      var text = document.getElementById("text");
      if (text) text.classList.toggle("no-" + box.dataset.toggle, !box.checked);
    });
  });

  var text = document.getElementById("text");
  if (text && text.dataset.focus) flash(document.getElementById(text.dataset.focus));
})();
