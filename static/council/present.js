// 会議モード: one slide at a time; arrow keys, Page Up/Down, Home/End and the buttons move; Esc leaves
// the mode for the meeting's page (the 「終了」 link).
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) { return; }
  var counter = document.querySelector("[data-current]");
  var exit = document.querySelector("[data-exit]");
  var current = 0;
  var fromHash = parseInt((window.location.hash || "").replace("#", ""), 10);
  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    if (counter) { counter.textContent = String(current + 1); }
    history.replaceState(null, "", "#" + (current + 1));
    if (window.portalCharts) { window.portalCharts.draw(slides[current]); }  // now that it has a width
    document.body.dataset.slide = String(current + 1);
  }
  document.addEventListener("keydown", function (event) {
    if (event.target && /INPUT|TEXTAREA|SELECT/.test(event.target.tagName)) { return; }
    if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") { show(current + 1); event.preventDefault(); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { show(current - 1); event.preventDefault(); }
    else if (event.key === "Home") { show(0); event.preventDefault(); }
    else if (event.key === "End") { show(slides.length - 1); event.preventDefault(); }
    else if (event.key === "Escape" && exit) { event.preventDefault(); window.location.assign(exit.href); }
  });
  document.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () { show(current + (button.dataset.action === "next" ? 1 : -1)); });
  });
  show(isNaN(fromHash) ? 0 : fromHash - 1);
})();
