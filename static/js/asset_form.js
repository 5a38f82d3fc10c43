// The asset form shows only the fields of the chosen kind. Without JavaScript every
// fieldset stays visible, each labelled with the kinds it is for.
(function () {
  "use strict";

  function apply(form) {
    var select = form.querySelector("[data-kind-select]");
    if (!select) return;
    var kind = select.value;
    var sets = form.querySelectorAll("fieldset[data-kinds]");
    for (var i = 0; i < sets.length; i += 1) {
      var kinds = sets[i].getAttribute("data-kinds").split(" ");
      sets[i].hidden = kinds.indexOf(kind) === -1;
    }
  }

  function init() {
    var forms = document.querySelectorAll("form[data-asset-form]");
    for (var i = 0; i < forms.length; i += 1) {
      var form = forms[i];
      apply(form);
      var select = form.querySelector("[data-kind-select]");
      if (select && !select.getAttribute("data-kind-bound")) {
        select.setAttribute("data-kind-bound", "1");
        select.addEventListener("change", apply.bind(null, form));
      }
    }
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("wingman:content-replaced", init);
})();
