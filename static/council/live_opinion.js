// 会議モード: record an opinion (意見) against the current slide's agenda item, without leaving the
// mode. The form posts with fetch and stays on the slide; without script it posts and comes back.
(function () {
  "use strict";
  var dialog = document.getElementById("live-opinion-dialog");
  var openButton = document.querySelector("[data-live-opinion-open]");
  if (!dialog || !openButton) { return; }
  var form = dialog.querySelector("[data-live-opinion-form]");
  var status = document.querySelector("[data-live-opinion-status]");
  var error = dialog.querySelector("[data-live-opinion-error]");
  var slides = JSON.parse(document.getElementById("live-opinion-slides").textContent);
  function currentSlide() { return document.body.dataset.slide || "1"; }
  openButton.addEventListener("click", function () {
    var slide = currentSlide();
    form.elements.slide.value = slide;
    if (slides[slide]) { form.elements.agenda_item.value = String(slides[slide]); }
    error.textContent = "";
    dialog.showModal();
    form.elements.content.focus();
  });
  dialog.querySelector("[data-live-opinion-close]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) { event.stopPropagation(); });  // keys stay in the form
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok && data.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { error.textContent = result.data.message; return; }
      status.textContent = result.data.message;
      form.elements.content.value = "";
      form.elements.action_title.value = "";
      form.elements.make_action.checked = false;
      dialog.close();
      openButton.focus();
    }).catch(function () { error.textContent = "通信できませんでした。もう一度記録してください。"; });
  });
})();
