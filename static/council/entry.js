// Safe data entry (#13), on pages with a form marked data-entry (council/includes/entry_guard.html):
// 1. leaving the page with changes not saved asks first (not when the form is being submitted);
//    a form shown again after a refused save (data-entry-unsaved) counts as changed from the start;
// 2. a dialog warns before the login expires and extends it (POST to the extend URL); when it has
//    expired, it says that 「保存する」 leads through the login back to the form with the values kept.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-entry]"));
  if (!forms.length) { return; }

  // 1. The leave warning
  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") { parts.push(name + "=" + value); }
    });
    return parts.join("&");
  }
  var initial = forms.map(snapshot);
  var submitting = false;
  function changed() {
    return forms.some(function (form, i) {
      return form.hasAttribute("data-entry-unsaved") || snapshot(form) !== initial[i];
    });
  }
  forms.forEach(function (form) {
    form.addEventListener("submit", function () { submitting = true; });
  });
  window.addEventListener("pageshow", function () { submitting = false; });  // back from a submit
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && changed()) {
      event.preventDefault();
      event.returnValue = "";  // the browser shows its own wording
    }
  });

  // 2. The login's expiry
  var dialog = document.getElementById("session-timer");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var STORE = "portal.sessionDeadline";  // shared by the tabs of the portal: extending in one counts in all
  var warnBefore = Number(dialog.dataset.warnBefore) * 1000;
  var deadline = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
  var status = document.getElementById("entry-status");
  var remaining = dialog.querySelector("[data-remaining]");
  var failed = dialog.querySelector("[data-extend-failed]");
  var warning = dialog.querySelector('[data-state="warning"]');
  var expired = dialog.querySelector('[data-state="expired"]');
  var timer = null, ticker = null, dismissed = false;

  function stored() {
    try { return Number(window.localStorage.getItem(STORE)) || 0; } catch (e) { return 0; }
  }
  function store(value) {
    try { window.localStorage.setItem(STORE, String(value)); } catch (e) { /* private mode: this tab only */ }
  }
  function duration(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) { return "約" + Math.ceil(seconds / 60) + "分"; }
    return seconds + "秒";
  }
  function setState(isExpired) {
    warning.hidden = isExpired;
    expired.hidden = !isExpired;
    dialog.setAttribute("aria-labelledby", isExpired ? "session-timer-expired-h" : "session-timer-h");
    dialog.setAttribute("aria-describedby", isExpired ? "session-timer-expired-text" : "session-timer-text");
  }
  function open() {
    if (!dialog.open) { dialog.showModal(); }
  }
  function close() {
    if (dialog.open) { dialog.close(); }
  }
  function showExpired() {
    window.clearTimeout(timer);
    window.clearInterval(ticker);
    setState(true);
    open();
  }
  function schedule() {
    window.clearTimeout(timer);
    window.clearInterval(ticker);
    deadline = Math.max(deadline, stored());
    var left = deadline - Date.now();
    if (left <= 0) {
      showExpired();
      return;
    }
    setState(false);
    if (left > warnBefore) {
      close();
      dismissed = false;
      timer = window.setTimeout(schedule, left - warnBefore);
      return;
    }
    remaining.textContent = duration(left);
    if (!dismissed) { open(); }
    ticker = window.setInterval(function () { remaining.textContent = duration(deadline - Date.now()); }, 1000);
    timer = window.setTimeout(schedule, left);
  }
  function extend() {
    var token = forms[0].querySelector('input[name="csrfmiddlewaretoken"]');
    failed.hidden = true;
    window.fetch(dialog.dataset.extendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) { showExpired(); return null; }  // the login had already expired
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      deadline = Date.now() + data.expires_in * 1000;
      store(deadline);
      close();
      schedule();
      status.textContent = "ログインを延長しました（あと" + duration(deadline - Date.now()) + "）。";
    }).catch(function () { failed.hidden = false; });
  }

  dialog.querySelector("[data-extend]").addEventListener("click", extend);
  Array.prototype.forEach.call(dialog.querySelectorAll("[data-close]"), function (button) {
    button.addEventListener("click", function () { dismissed = true; close(); });
  });
  dialog.addEventListener("cancel", function () { dismissed = true; });  // Esc
  window.addEventListener("storage", function (event) {
    if (event.key === STORE) { schedule(); }  // extended in another tab
  });
  store(Math.max(deadline, stored()));
  schedule();
})();
