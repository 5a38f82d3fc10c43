// Upload progress for forms marked data-upload-progress.
// Without JavaScript (or without a file chosen) the form posts as usual; with it,
// the file is sent by XMLHttpRequest so the bar can follow the upload.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function humanSize(bytes) {
    var units = ["bytes", "KB", "MB", "GB"];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) {
      bytes /= 1024;
      i += 1;
    }
    return (i === 0 ? bytes : bytes.toFixed(1)) + " " + units[i];
  }

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (e) {
      return false;
    }
  }

  function hasChosenFile(form) {
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].files && inputs[i].files.length) return true;
    }
    return false;
  }

  // Replace the page's main content with the re-rendered form (validation errors).
  function showPage(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    var current = document.getElementById("main");
    if (!fresh || !current) {
      document.open();
      document.write(html);
      document.close();
      return;
    }
    current.replaceWith(document.importNode(fresh, true));
    if (doc.title) document.title = doc.title;
    document.dispatchEvent(new CustomEvent("wingman:content-replaced"));
    init();
    var error = document.querySelector(".field-error input, .field-error select, .field-error textarea, [role=alert]");
    if (error && error.focus) error.focus();
  }

  function bind(form) {
    if (form.getAttribute("data-upload-bound")) return;
    form.setAttribute("data-upload-bound", "1");
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !window.FormData || !window.XMLHttpRequest) return;
      if (!hasChosenFile(form)) return;
      event.preventDefault();

      var panel = form.querySelector("[data-upload-progress-panel]");
      var bar = panel && panel.querySelector("progress");
      var status = panel && panel.querySelector("[data-upload-status]");
      var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
      function setBusy(busy) {
        for (var i = 0; i < buttons.length; i += 1) buttons[i].disabled = busy;
        form.setAttribute("aria-busy", busy ? "true" : "false");
      }
      function say(text) {
        if (status) status.textContent = text;
      }
      function fail(text) {
        setBusy(false);
        if (bar) bar.value = 0;
        say(text);
      }

      if (panel) panel.hidden = false;
      if (bar) bar.value = 0;
      say("Starting upload…");
      setBusy(true);

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Upload-Progress", "1");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !bar) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        bar.textContent = percent + "%";
        say(percent + "% · " + humanSize(e.loaded) + " of " + humanSize(e.total));
      });
      xhr.upload.addEventListener("load", function () {
        if (bar) bar.removeAttribute("value"); // indeterminate while the server works
        say("Uploaded. Checking the file and making its preview…");
      });
      xhr.addEventListener("load", function () {
        var location = xhr.getResponseHeader("X-Location");
        if (xhr.status === 204 && location && sameOrigin(location)) {
          say("Done.");
          window.location.assign(location);
        } else if (xhr.status === 200) {
          showPage(xhr.responseText);
        } else if (xhr.status === 413) {
          fail("The file is too large for the server. Try a smaller file.");
        } else {
          fail("The upload failed (error " + xhr.status + "). Please try again.");
        }
      });
      xhr.addEventListener("error", function () {
        fail("The connection was lost during the upload. Please try again.");
      });
      xhr.addEventListener("abort", function () {
        fail("The upload was cancelled.");
      });
      xhr.send(new FormData(form));
    });
  }

  // Bulk upload: list the chosen files, and accept files dropped on the zone.
  function bindDropzone(zone) {
    if (zone.getAttribute("data-drop-bound")) return;
    zone.setAttribute("data-drop-bound", "1");
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector("[data-file-list]");
    if (!input) return;
    function render() {
      if (!list) return;
      list.textContent = "";
      for (var i = 0; i < input.files.length; i += 1) {
        var item = document.createElement("li");
        item.textContent = input.files[i].name + " (" + humanSize(input.files[i].size) + ")";
        list.appendChild(item);
      }
    }
    input.addEventListener("change", render);
    zone.addEventListener("dragover", function (e) {
      e.preventDefault();
      zone.classList.add("dragover");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("dragover");
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("dragover");
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        render();
      }
    });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-upload-progress]");
    for (var i = 0; i < forms.length; i += 1) bind(forms[i]);
    var zones = document.querySelectorAll("[data-dropzone]");
    for (var j = 0; j < zones.length; j += 1) bindDropzone(zones[j]);
  }

  ready(init);
})();
