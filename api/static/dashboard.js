// PR Agent dashboard charts: each <div data-chart="ID"> draws the JSON in <script id="ID">
// with uPlot (vendored). Days are ISO dates; every other key is one series.
(function () {
  "use strict";
  var COLORS = ["#2f5bd3", "#d17b0f", "#1f7a45", "#b42318"];
  function draw(target) {
    var source = document.getElementById(target.getAttribute("data-chart"));
    if (!source || typeof uPlot === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var names = (target.getAttribute("data-series") || "").split(",");
    var xs = data.days.map(function (day) { return Date.parse(day + "T00:00:00Z") / 1000; });
    var series = [{}];
    var columns = [xs];
    names.forEach(function (name, index) {
      series.push({ label: name, stroke: COLORS[index % COLORS.length], width: 2,
                    fill: index === 0 ? "rgba(47,91,211,0.08)" : undefined });
      columns.push(data[name]);
    });
    var options = { width: Math.max(280, target.clientWidth - 20), height: 220, series: series,
                    scales: { x: { time: true } }, axes: [{}, { size: 60 }] };
    target.textContent = "";
    target.setAttribute("data-drawn", "true");
    new uPlot(options, columns, target);
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
