// The header menu on a narrow screen (a phone): folded behind the 「メニュー」 button, which says
// whether it is open (aria-expanded) and is reached and pressed with the keyboard like any button;
// Esc folds the menu again and returns to the button. Without this script the menu stays open.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  var narrow = window.matchMedia("(max-width: 47.99rem)");
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }
  function layout() {
    button.hidden = !narrow.matches;
    set(!narrow.matches);  // wide: always open; narrow: folded until asked for
  }
  header.classList.add("menu-collapsible");
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches) { set(false); button.focus(); }
  });
  if (narrow.addEventListener) { narrow.addEventListener("change", layout); }
  layout();
})();
