// Progressive enhancement only: every page works without this file.
// - renders Vega-Lite charts from <script type="application/json"> specs with the app-served bundle
//   (AST interpreter: no eval, so the Content-Security-Policy stays strict);
// - shows a tooltip for map markers on hover, focus and tap.
(function () {
  "use strict";

  function loadBundle(callback) {
    if (window.vegaEmbed) { callback(); return; }
    var script = document.createElement("script");
    script.src = "/static/vendor/vega-bundle.js";
    script.onload = callback;
    document.head.appendChild(script);
  }

  function renderCharts() {
    var slots = document.querySelectorAll(".chart[data-spec]");
    if (!slots.length) { return; }
    loadBundle(function () {
      slots.forEach(function (slot) {
        var source = document.getElementById(slot.getAttribute("data-spec"));
        if (!source) { return; }
        var spec = JSON.parse(source.textContent);
        delete spec.title;  // the page's heading names the chart; the title is for the downloaded file
        window.vegaEmbed(slot, spec, { actions: false, ast: true, renderer: "svg", defaultStyle: false, tooltip: { disableDefaultStyle: true } })
          .then(function () { slot.setAttribute("data-rendered", "true"); })
          .catch(function (err) { slot.setAttribute("data-error", String(err)); });
      });
    });
  }

  function mapTooltips() {
    document.querySelectorAll("figure.map").forEach(function (figure) {
      var tip = figure.querySelector(".map-tooltip");
      if (!tip) { return; }
      function show(marker) {
        var d = marker.dataset;
        var parts = [d.name];
        if (d.rank) { parts.push("#" + d.rank); }
        if (d.score) { parts.push(d.score); }
        if (d.change) { parts.push(d.change); }
        tip.textContent = parts.join(" · ");
        var box = figure.getBoundingClientRect();
        var dot = marker.getBoundingClientRect();
        tip.style.left = (dot.left - box.left + 12) + "px";
        tip.style.top = (dot.top - box.top - 8) + "px";
        tip.hidden = false;
      }
      figure.querySelectorAll(".marker").forEach(function (marker) {
        marker.addEventListener("mouseenter", function () { show(marker); });
        marker.addEventListener("focus", function () { show(marker); });
        marker.addEventListener("mouseleave", function () { tip.hidden = true; });
        marker.addEventListener("blur", function () { tip.hidden = true; });
      });
    });
  }

  function autoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    renderCharts();
    mapTooltips();
    autoSubmit();
  });
})();
