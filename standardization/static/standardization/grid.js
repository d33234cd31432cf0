// 資料1 operations × steps grid: arrow keys move between cells, 1–4 set the focused cell's status;
// one cell at a time is in the tab order (a roving tabindex), so Tab leaves the grid.
(function () {
  "use strict";
  var table = document.getElementById("status-grid");
  if (!table) return;
  var KEYS = { "1": "done", "2": "in_progress", "3": "not_started", "4": "not_applicable" };
  var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("select"));
  });
  if (!rows.length || !rows[0].length) return;
  var current = rows[0][0];

  function paint(select) {
    select.parentNode.className = "st-" + select.value;
  }

  function focusCell(select) {
    current.tabIndex = -1;
    current = select;
    current.tabIndex = 0;
    current.focus();
  }

  rows.forEach(function (cells) {
    cells.forEach(function (select) {
      select.tabIndex = -1;
      select.addEventListener("change", function () { paint(select); });
      select.addEventListener("focus", function () {
        if (current !== select) { current.tabIndex = -1; current = select; select.tabIndex = 0; }
      });
    });
  });
  current.tabIndex = 0;

  table.addEventListener("keydown", function (event) {
    var select = event.target;
    if (select.tagName !== "SELECT" || event.altKey || event.ctrlKey || event.metaKey) return;
    var r = -1, c = -1;
    rows.some(function (cells, i) { c = cells.indexOf(select); r = i; return c >= 0; });
    if (c < 0) return;
    var moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (moves[event.key]) {
      event.preventDefault();
      var nr = Math.min(Math.max(r + moves[event.key][0], 0), rows.length - 1);
      var nc = Math.min(Math.max(c + moves[event.key][1], 0), rows[nr].length - 1);
      focusCell(rows[nr][nc]);
    } else if (KEYS[event.key] && !select.disabled) {
      event.preventDefault();
      select.value = KEYS[event.key];
      paint(select);
    }
  });
})();
