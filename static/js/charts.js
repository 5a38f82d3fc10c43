// Charts for the analytics pages, drawn with the vendored Chart.js.
// Each <canvas data-chart="kind" data-source="id"> reads its numbers from the
// <script type="application/json" id="id"> block that Django's json_script wrote:
// no inline script, so the Content-Security-Policy stays script-src 'self'.
// Every chart has its numbers on the page as text too; without JavaScript
// nothing is lost but the picture.
(function () {
  "use strict";

  var BLUE = "#1f4fd1";
  var GREEN = "#17794a";
  var AMBER = "#9a5b00";
  var GRID = "#d9dee7";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function readData(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      return null;
    }
  }

  function shorten(text, length) {
    text = String(text);
    return text.length > length ? text.slice(0, length - 1) + "…" : text;
  }

  function baseOptions() {
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: still ? false : { duration: 300 },
      plugins: { legend: { display: false } },
    };
  }

  var builders = {
    // The first rows of the dashboard by the figure it is sorted by.
    bars: function (data) {
      var options = baseOptions();
      options.indexAxis = "y";
      options.scales = {
        x: { beginAtZero: true, grid: { color: GRID } },
        y: { grid: { display: false }, ticks: { callback: function (value) { return shorten(this.getLabelForValue(value), 38); } } },
      };
      options.plugins.tooltip = { callbacks: { title: function (items) { return items.length ? data.labels[items[0].dataIndex] : ""; } } };
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: BLUE }] },
        options: options,
      };
    },
    // An asset's views, downloads and uses per week.
    weekly: function (data) {
      var options = baseOptions();
      options.plugins.legend = { display: true, position: "bottom" };
      options.interaction = { mode: "index", intersect: false };
      options.scales = {
        x: { grid: { display: false } },
        y: { beginAtZero: true, grid: { color: GRID }, ticks: { precision: 0 } },
      };
      return {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            { label: "Views", data: data.views, borderColor: BLUE, backgroundColor: BLUE, cubicInterpolationMode: "monotone" },
            { label: "Downloads", data: data.downloads, borderColor: AMBER, backgroundColor: AMBER, cubicInterpolationMode: "monotone" },
            { label: "Uses in deals", data: data.usages, borderColor: GREEN, backgroundColor: GREEN, cubicInterpolationMode: "monotone" },
          ],
        },
        options: options,
      };
    },
    // How many ratings gave 1 to 5 stars.
    stars: function (data) {
      var options = baseOptions();
      options.scales = {
        x: { grid: { display: false } },
        y: { beginAtZero: true, grid: { color: GRID }, ticks: { precision: 0 } },
      };
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{ label: "Ratings", data: data.counts, backgroundColor: ["#b42318", "#d9622b", "#9a5b00", "#3f7d3a", "#17794a"] }],
        },
        options: options,
      };
    },
  };

  ready(function () {
    if (!window.Chart) return;
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var build = builders[canvas.getAttribute("data-chart")];
      var data = readData(canvas);
      if (!build || !data) return;
      new window.Chart(canvas, build(data));
    });
  });
})();
