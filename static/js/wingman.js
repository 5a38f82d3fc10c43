// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // Phone navigation toggle.
    var toggle = document.querySelector("[data-nav-toggle]");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var nav = document.getElementById(toggle.getAttribute("aria-controls"));
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
        nav.classList.toggle("open", !open);
      });
    }

    // Confirmation before destructive actions: data-confirm="..." on the form, or
    // on the one button of a form that needs it (Mark lost beside Mark won). The
    // pressed button's question comes first. Listening in the capture phase runs
    // this before htmx or any other handler can send the form.
    document.addEventListener(
      "submit",
      function (event) {
        var form = event.target;
        var button = event.submitter;
        var question =
          (button && button.getAttribute("data-confirm")) ||
          (form.getAttribute && form.getAttribute("data-confirm"));
        if (question && !window.confirm(question)) {
          event.preventDefault();
          event.stopPropagation();
        }
      },
      true
    );

    // The usage form: one deal menu whose last option is "A new deal…". The new
    // deal's fields show (and are sent) only when that option is picked, and the
    // stage menu follows the deal's current stage (data-stage on its option).
    // Without JavaScript the fields stay visible and the server does the same.
    function syncNewDeal(menu) {
      var fieldset = document.querySelector('[data-new-deal-for="' + menu.id + '"]');
      if (!fieldset) return;
      var creating = menu.value === "new";
      fieldset.hidden = !creating;
      fieldset.disabled = !creating;
      fieldset.querySelectorAll(".no-js-only").forEach(function (el) {
        el.hidden = true;
      });
    }

    function followDeal(menu, onlyIfBlank) {
      var stage = document.querySelector('[data-stage-of="' + menu.id + '"]');
      var option = menu.options[menu.selectedIndex];
      var value = option && option.getAttribute("data-stage");
      if (!stage || !value) return;
      if (onlyIfBlank && stage.value !== "") return;
      if (stage.querySelector('option[value="' + value + '"]')) stage.value = value;
    }

    function enhance(root) {
      root.querySelectorAll("[data-new-deal-for]").forEach(function (fieldset) {
        var menu = document.getElementById(fieldset.getAttribute("data-new-deal-for"));
        if (!menu) return;
        syncNewDeal(menu);
        // On load, name the stage the server left as "the deal's current stage";
        // a stage the user already chose (a form sent back with errors) stays.
        followDeal(menu, true);
      });
    }

    document.addEventListener("change", function (event) {
      var menu = event.target;
      if (!menu.id || !document.querySelector('[data-new-deal-for="' + menu.id + '"]')) return;
      syncNewDeal(menu);
      followDeal(menu, false);
    });
    enhance(document);
    // htmx swaps the usage panel in place after a save or an error.
    document.addEventListener("htmx:load", function (event) {
      enhance(event.target.parentNode || document);
    });

    // A secret shown once (a new share link, a new API key) is the answer to the
    // POST that made it. Point this history entry at the plain page, so a reload
    // or Back shows that page instead of sending the form again (a second link).
    var shownOnce = document.querySelector("[data-replace-url]");
    if (shownOnce && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", shownOnce.getAttribute("data-replace-url"));
    }

    // Copy-to-clipboard buttons: <button data-copy="#input-id">.
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy]");
      if (!button) return;
      var field = document.querySelector(button.getAttribute("data-copy"));
      if (!field) return;
      field.select();
      if (navigator.clipboard) navigator.clipboard.writeText(field.value);
      button.textContent = "Copied";
    });
  });
})();
