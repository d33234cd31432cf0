/* Accessibility fixes for Django's admin, which leaves some fields without an accessible name:
 * - inputs in tabular inlines and editable change lists, labelled only by their column header;
 * - the two inputs of a split date/time field, labelled only by the text before each;
 * - the select2 comboboxes of autocomplete fields, and their search boxes.
 * Each gets an aria-label from what a sighted user reads. Runs on load and whenever rows are
 * added (MutationObserver), so new inline rows and select2 widgets are covered too. */
(function () {
  "use strict";

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").replace(/[*:：]\s*$/, "").trim() : "";
  }

  function unnamed(field) {
    return !(field.labels && field.labels.length) && !field.getAttribute("aria-label") && !field.getAttribute("aria-labelledby");
  }

  function columnHeaders(table) {
    var headers = [];
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) { return headers; }
    Array.prototype.forEach.call(row.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i += 1) { headers.push(text(cell)); }
    });
    return headers;
  }

  function labelTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var headers = columnHeaders(table);
      if (!headers.length) { return; }
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var header = headers[column];
            column += cell.colSpan || 1;
            if (!header) { return; }
            cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
              if (unnamed(field)) { field.setAttribute("aria-label", header); }
            });
          });
        });
      });
    });
  }

  function labelSplitDateTimes(root) {
    root.querySelectorAll("p.datetime").forEach(function (group) {
      var row = group.closest(".form-row, .fieldBox, td");
      var label = row ? text(row.querySelector("label")) : "";
      group.querySelectorAll("input").forEach(function (field) {
        var before = field.previousSibling;
        while (before && before.nodeType === 1 && before.tagName === "BR") { before = before.previousSibling; }
        var part = before && before.nodeType === 3 ? before.textContent.replace(/[:：]\s*$/, "").trim() : "";
        if (unnamed(field)) { field.setAttribute("aria-label", [label, part].filter(Boolean).join(" ")); }
      });
    });
  }

  function nameComboboxes(root) {
    // select2 labels its combobox by the element showing the selection, a textbox whose name (when
    // reached that way) is only the selected value: label the combobox by the field's label and
    // then the selection. Inline rows have no <label>: a visually hidden one is added.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var rendered = box.querySelector(".select2-selection__rendered");
      if (!select || select.tagName !== "SELECT" || !rendered || !rendered.id || box.dataset.named) { return; }
      var label = select.labels && select.labels.length ? select.labels[0] : null;
      var name = label ? text(label) : select.getAttribute("aria-label");
      if (!name) { return; }
      if (!label) {
        label = document.createElement("span");
        label.className = "council-visually-hidden";
        label.textContent = name;
        container.parentNode.insertBefore(label, container);
      }
      label.id = label.id || select.id + "-name";
      box.setAttribute("aria-labelledby", label.id + " " + rendered.id);
      rendered.setAttribute("aria-label", name);  // the textbox's own name
      box.dataset.named = "1";
    });
  }

  function syncExpanded(root) {
    // an expanded combobox must say which list it controls (ARIA 1.2); select2 does not
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var rendered = box.querySelector(".select2-selection__rendered");
      var results = rendered && document.getElementById(rendered.id.replace(/-container$/, "-results"));
      if (box.getAttribute("aria-expanded") === "true" && results) {
        box.setAttribute("aria-controls", results.id);
      } else {
        box.removeAttribute("aria-controls");
      }
    });
  }

  function nameSearchFields(root) {
    // the search box of an open select2 dropdown: "<field>を検索"
    root.querySelectorAll(".select2-search__field").forEach(function (field) {
      var controls = field.getAttribute("aria-controls") || "";
      var select = document.getElementById(controls.replace(/^select2-/, "").replace(/-results$/, ""));
      var name = select && (select.labels && select.labels.length ? text(select.labels[0]) : select.getAttribute("aria-label"));
      if (name && unnamed(field)) { field.setAttribute("aria-label", name + "を検索"); }
    });
  }

  function fix() {
    labelTables(document);
    labelSplitDateTimes(document);
    nameComboboxes(document);
    nameSearchFields(document);
    syncExpanded(document);
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fix(); });
  }

  window.addEventListener("load", function () {
    fix();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
