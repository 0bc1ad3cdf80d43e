// The observation tablet form (coaching/observation_edit.html) autosaves through htmx: every
// change posts the form to the autosave endpoint, which answers the "Saved at 10:42" fragment
// for the status region. This file only makes the refusals visible: htmx leaves 4xx answers
// unswapped by default, and a lost connection or a sign-out would otherwise say nothing.
// Nothing typed is ever replaced; the next change (or the Save button) tries again.
(function () {
  "use strict";

  // The form that sent the request: htmx keeps it in the request's configuration (the
  // event's own `elt` is the element it fires on, the status line for a swap).
  function isSheet(detail) {
    var elt = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-coaching-sheet"));
  }

  function say(text) {
    var region = document.getElementById("save-status");
    if (!region) return;
    var span = document.createElement("span");
    span.className = "save-error";
    span.textContent = text;
    region.replaceChildren(span);
  }

  // Save and Share post the whole form themselves. An autosave racing that post (the
  // textarea's change event fires as the finger leaves it for the button) would write the
  // same draft at the same moment, so once a submit is under way no autosave starts, and a
  // submit waits for an autosave already on its way.
  var submitting = false;   // a Save/Share press or submit is under way
  var submitted = false;    // the form was submitted: the page is leaving
  var inFlight = 0;         // autosaves sent and not yet answered
  var skipped = false;      // an autosave was held back while a press was under way
  var held = null;          // the submit waiting for the autosave in flight: {form, submitter}
  var releaseTimer = null;

  function sheetOf(el) {
    if (!el) return null;
    var form = el.form || (el.closest && el.closest("form"));
    return form && form.hasAttribute("data-coaching-sheet") ? form : null;
  }

  // The finger (or mouse) lands on Save or Share before the field it leaves fires "change":
  // from here no autosave starts. If no submit follows (the press slid off the button), the
  // autosave held back goes after all.
  document.addEventListener("pointerdown", function (event) {
    var button = event.target.closest && event.target.closest("button[type=submit], input[type=submit]");
    var form = sheetOf(button);
    if (!form) return;
    submitting = true;
    clearTimeout(releaseTimer);
    releaseTimer = setTimeout(function () {
      if (submitted) return;
      submitting = false;
      if (skipped) {
        skipped = false;
        htmx.trigger(form, "change");
      }
    }, 1500);
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-coaching-sheet")) return;
    submitting = true;
    if (inFlight > 0) {
      // Let the autosave already sent finish first; then submit with the same button.
      event.preventDefault();
      held = { form: form, submitter: event.submitter || null };
      setTimeout(release, 8000);
      return;
    }
    submitted = true;
  });

  function release() {
    if (!held) return;
    var next = held;
    held = null;
    inFlight = 0;
    if (next.form.requestSubmit) {
      next.form.requestSubmit(next.submitter || undefined);
    } else {
      submitted = true;
      next.form.submit();
    }
  }

  function hold(event) {
    if (!submitting || !isSheet(event.detail)) return;
    skipped = true;
    event.preventDefault();
  }
  document.addEventListener("htmx:confirm", hold);
  document.addEventListener("htmx:beforeRequest", hold);

  document.addEventListener("htmx:beforeSend", function (event) {
    if (isSheet(event.detail)) inFlight += 1;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isSheet(event.detail)) return;
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0 && held) release();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!isSheet(detail)) return;
    var xhr = detail.xhr;
    // Only the endpoint's own answers belong in the status line. Anything else is the sign-in
    // page (signed out), a refusal of the session (CSRF) or an error page.
    if (!xhr.getResponseHeader("X-Autosave")) {
      detail.shouldSwap = false;
      detail.isError = false;
      if (xhr.status === 200 || xhr.status === 403) {
        say("Not saved: you are signed out or your session ended. Sign in again in another tab; what you typed is still here.");
      } else {
        say("Not saved (error " + xhr.status + "). What you typed is still here; the next change tries again.");
      }
      return;
    }
    if (xhr.status >= 400) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (!isSheet(event.detail)) return;
    if (event.detail.xhr.getResponseHeader("X-Autosave")) {
      say("Not saved: the server had a problem (error " + event.detail.xhr.status + "). What you typed is still here; the next change tries again.");
    }
  });

  function offline(event) {
    if (!isSheet(event.detail)) return;
    say("Not saved: no connection. What you typed is still here; the next change tries again.");
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
})();
