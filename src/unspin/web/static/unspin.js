// unspin article page: the confidence slider and the highlight tooltips.
// Plain JavaScript, no libraries. The page works without it: the server applies
// ?min_confidence= and every highlight has a title attribute.
"use strict";

(function () {
  document.documentElement.classList.add("js");
  var TINT = "59"; // the highlight colour's opacity, as highlight.py draws it

  function spanData() {
    var spans = {};
    document.querySelectorAll("#spans tbody tr[data-index]").forEach(function (row) {
      spans[row.dataset.index] = {
        row: row,
        technique: row.dataset.technique,
        confidence: parseFloat(row.dataset.confidence),
        color: row.dataset.color,
        title: row.dataset.title,
        definition: row.dataset.definition
      };
    });
    return spans;
  }

  function explain(span) {
    var head = span.title + " (" + Math.round(span.confidence * 100) + "% confidence)";
    return span.definition ? head + "\n" + span.definition : head;
  }

  // Which spans each highlight shows at this threshold, most confident first (as the server
  // lists them in data-spans).
  function shown(mark, spans, threshold) {
    return mark.dataset.spans.split(" ").map(function (i) { return spans[i]; })
      .filter(function (s) { return s && s.confidence >= threshold; });
  }

  function apply(threshold, spans) {
    var counts = {};
    var visible = 0;
    Object.keys(spans).forEach(function (i) {
      var span = spans[i];
      var on = span.confidence >= threshold;
      span.row.hidden = !on;
      if (on) {
        visible += 1;
        counts[span.technique] = (counts[span.technique] || 0) + 1;
      }
    });
    document.querySelectorAll("#article-text mark[data-spans]").forEach(function (mark) {
      var list = shown(mark, spans, threshold);
      if (!list.length) {
        mark.classList.add("off");
        mark.removeAttribute("data-technique");
        mark.removeAttribute("title");
        mark.style.background = "";
        mark.style.boxShadow = "";
        return;
      }
      mark.classList.remove("off");
      mark.dataset.technique = list[0].technique;
      mark.title = list.map(explain).join("\n\n");
      mark.style.background = list[0].color + TINT;
      mark.style.boxShadow = list.length > 1 ? "inset 0 -0.22em 0 " + list[1].color : "";
    });
    document.querySelectorAll("#legend tbody tr[data-technique]").forEach(function (row) {
      var n = counts[row.dataset.technique] || 0;
      row.querySelector(".count").textContent = String(n);
      row.classList.toggle("none", n === 0);
    });
    var count = document.getElementById("visible-count");
    if (count) { count.textContent = String(visible); }
  }

  function setUpSlider(spans) {
    var slider = document.querySelector("input[data-slider]");
    if (!slider) { return; }
    var output = document.getElementById("threshold-value");
    slider.addEventListener("input", function () {
      var threshold = parseFloat(slider.value);
      output.textContent = Math.round(threshold * 100) + "%";
      apply(threshold, spans);
      hideTip();
      // Keep the address shareable: it reproduces this view, with or without JavaScript.
      var url = new URL(window.location.href);
      if (threshold > 0) { url.searchParams.set("min_confidence", slider.value); }
      else { url.searchParams.delete("min_confidence"); }
      window.history.replaceState(null, "", url.toString());
    });
  }

  var tip = null;
  var current = null;

  function showTip(mark) {
    if (!tip || mark.classList.contains("off")) { return; }
    if (current && current !== mark) { hideTip(); }
    current = mark;
    // The tooltip replaces the browser's own while it shows, so only one appears.
    if (mark.title) { mark.dataset.tip = mark.title; mark.removeAttribute("title"); }
    tip.textContent = mark.dataset.tip || "";
    tip.hidden = false;
    mark.setAttribute("aria-describedby", "tip");
    var box = mark.getBoundingClientRect();
    var left = Math.min(box.left, document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left) + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
  }

  function hideTip() {
    if (!tip || !current) { return; }
    if (current.dataset.tip && !current.classList.contains("off")) {
      current.title = current.dataset.tip;
    }
    delete current.dataset.tip;
    current.removeAttribute("aria-describedby");
    tip.hidden = true;
    current = null;
  }

  function markOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest("#article-text mark[data-spans]") : null;
  }

  function setUpTips() {
    tip = document.getElementById("tip");
    var text = document.getElementById("article-text");
    if (!tip || !text) { return; }
    text.addEventListener("mouseover", function (e) { var m = markOf(e); if (m) { showTip(m); } });
    text.addEventListener("mouseout", function (e) { if (markOf(e)) { hideTip(); } });
    text.addEventListener("focusin", function (e) { var m = markOf(e); if (m) { showTip(m); } });
    text.addEventListener("focusout", hideTip);
    // A tap has no hover: tapping a highlight shows its tooltip, tapping elsewhere hides it.
    document.addEventListener("click", function (e) {
      var m = markOf(e);
      if (m) { showTip(m); } else { hideTip(); }
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideTip(); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var spans = spanData();
    setUpSlider(spans);
    setUpTips();
  });
})();
