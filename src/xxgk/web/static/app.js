// xxgk pages: a click on a finding highlights its cells and the quoted sentence; charts drawn with Plotly.
(function () {
  "use strict";

  function clearSelection() {
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
  }

  function lineAt(offset) {
    var lines = document.querySelectorAll("#source .line");
    for (var i = 0; i < lines.length; i++) {
      var start = Number(lines[i].dataset.offset), end = Number(lines[i].dataset.end);
      if (offset >= start && offset <= end) { return lines[i]; }
    }
    return null;
  }

  function select(finding) {
    clearSelection();
    finding.classList.add("selected");
    var keys = (finding.dataset.cells || "").split(" ").filter(Boolean);
    var first = null;
    keys.forEach(function (key) {
      var cell = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (cell) { cell.classList.add("selected"); first = first || cell; }
    });
    if (finding.dataset.offset !== undefined) {
      var line = lineAt(Number(finding.dataset.offset));
      if (line) {
        line.classList.add("selected");
        var details = line.closest("details");
        if (details) { details.open = true; }
        line.scrollIntoView({ block: "center" });
      }
    }
    if (first) { first.scrollIntoView({ block: "nearest" }); }
  }

  document.querySelectorAll(".finding").forEach(function (finding) {
    finding.addEventListener("click", function () { select(finding); });
    finding.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(finding); }
    });
  });

  // A link from elsewhere (a grade's deduction) names a finding: /reports/1#rule=T3-ROW-TOTAL&where=requests…
  if (location.hash.indexOf("rule=") > 0) {
    var wanted = new URLSearchParams(location.hash.slice(1));
    var match = Array.prototype.find.call(document.querySelectorAll(".finding"), function (f) {
      return f.dataset.rule === wanted.get("rule") && f.dataset.where === wanted.get("where");
    });
    if (match) { select(match); match.scrollIntoView({ block: "center" }); }
  }

  document.querySelectorAll("td.flag").forEach(function (cell) {
    cell.addEventListener("click", function () {
      var index = (cell.dataset.findings || "").split(" ")[0];
      var finding = document.querySelector('.finding[data-finding="' + index + '"]');
      if (finding) { select(finding); finding.scrollIntoView({ block: "nearest" }); }
    });
  });

  if (window.Plotly) {
    document.querySelectorAll("script.chart").forEach(function (spec) {
      var figure = JSON.parse(spec.textContent);
      var target = document.getElementById(spec.dataset.target);
      if (target) {
        // The figure brings its config (charts.py: locale zh-CN, registered by static/plotly-locale-zh-cn.js).
        window.Plotly.newPlot(target, figure.data, figure.layout, figure.config);
      }
    });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
