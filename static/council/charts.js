// Draws every chart on the page from the JSON that the server wrote with json_script.
// One file for all charts: no inline script (CSP-friendly), plotly.js served by the portal.
// Charts inside a hidden element (a slide not shown yet) wait: portalCharts.draw(root) draws them
// once their container is visible, so they get its real width.
(function () {
  "use strict";
  function draw(root) {
    if (typeof window.Plotly === "undefined") { return; }
    (root || document).querySelectorAll(".js-chart").forEach(function (el) {
      if (el.dataset.drawn || el.dataset.drawing || el.offsetParent === null) { return; }
      var source = document.getElementById(el.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      el.dataset.drawing = "true";
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, {
        responsive: true,
        displaylogo: false,
        modeBarButtonsToRemove: ["lasso2d", "select2d"],
        toImageButtonOptions: { format: "png", scale: 2 }
      }).then(function () { el.dataset.drawn = "true"; });
    });
  }
  window.portalCharts = { draw: draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(); });
  } else {
    draw();
  }
})();
