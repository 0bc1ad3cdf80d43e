// Autosave for forms marked data-autosave="<url>": a few seconds after the last change the whole
// form is posted to that url, and the answer's "detail" is shown in the element named by
// data-autosave-status. Nothing typed is ever replaced: a refusal or a lost connection only
// says so, and the next change (or the Save button) tries again.
(function () {
  "use strict";
  var DELAY = 3000;

  function setup(form) {
    var url = form.getAttribute("data-autosave");
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    var timer = null;
    var dirty = false;
    var saving = false;

    function say(text, failed) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("error", !!failed);
    }

    function save() {
      timer = null;
      if (saving) { schedule(); return; }
      saving = true;
      dirty = false;
      say("Saving…");
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            say(answer.detail || "Saved");
          } else {
            dirty = true;
            say(answer.detail || "Not saved (error " + response.status + "). Your text is still here.", true);
          }
        });
      }).catch(function () {
        dirty = true;
        say("Not saved: no connection. Your text is still here; it saves on your next change.", true);
      }).then(function () { saving = false; });
    }

    function schedule() {
      dirty = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, DELAY);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () {
      if (timer) clearTimeout(timer);
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty || saving) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i++) setup(forms[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
