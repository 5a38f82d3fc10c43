// The page viewer (templates/content/_page_viewer.html): one page at a time.
//
// Progressive: without this file the viewer is a list of images. Each viewer
// root ([data-page-viewer]) opens at ?page=N, else its data-start-page, and
// dispatches `pageviewer:change` ({detail: {page: n}}, bubbling) on itself
// when it starts and each time the shown page changes (share pages time the
// pages from it). Keys: the arrows flip pages whenever focus is not in a form
// field (one viewer per page) or is inside the viewer; PageUp/PageDown and
// Home/End only inside the viewer, so the rest of a page scrolls as usual.
// A script loaded later reads the page shown from root.pageViewer.current or
// the root's data-current-page.
(function () {
  "use strict";

  // Loaded again by an htmx swap that brings a viewer (the asset page's
  // preview): the first copy already watches for new viewers.
  if (window.wingmanPageViewer) return;
  window.wingmanPageViewer = true;

  var SWIPE_PIXELS = 40;

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function clamp(n, count) {
    return Math.min(Math.max(n, 1), count);
  }

  function requestedPage(fallback) {
    var asked = parseInt(new URLSearchParams(window.location.search).get("page"), 10);
    return isNaN(asked) ? fallback : asked;
  }

  function isFormField(element) {
    if (!element || !element.tagName) return false;
    var tag = element.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" ||
      element.isContentEditable;
  }

  function PageViewer(root, onlyViewer) {
    this.root = root;
    this.pages = Array.prototype.slice.call(root.querySelectorAll("[data-page]"));
    this.count = this.pages.length;
    this.counter = root.querySelector("[data-viewer-counter]");
    this.current = 0;
    this.onlyViewer = onlyViewer;
    if (!this.count) return;
    var start = parseInt(root.getAttribute("data-start-page"), 10) || 1;
    if (onlyViewer) start = requestedPage(start);
    root.classList.add("is-paged");
    var controls = root.querySelector("[data-viewer-controls]");
    if (controls) controls.hidden = false;
    this.bind();
    this.show(clamp(start, this.count));
  }

  PageViewer.prototype.show = function (number) {
    number = clamp(number, this.count);
    if (number === this.current) return;
    var self = this;
    this.pages.forEach(function (page, index) {
      var isCurrent = index + 1 === number;
      page.classList.toggle("is-current", isCurrent);
      if (isCurrent) page.removeAttribute("aria-hidden");
      else page.setAttribute("aria-hidden", "true");
    });
    this.current = number;
    this.root.setAttribute("data-current-page", String(number));
    if (this.counter) this.counter.textContent = "Page " + number + " of " + this.count;
    this.root.querySelectorAll("[data-viewer-go]").forEach(function (button) {
      var go = button.getAttribute("data-viewer-go");
      var atStart = number === 1 && (go === "first" || go === "previous");
      var atEnd = number === self.count && (go === "last" || go === "next");
      button.disabled = atStart || atEnd;
    });
    this.preload(number + 1);
    if (this.onlyViewer && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("page", String(number));
      window.history.replaceState(window.history.state, "", url.toString());
    }
    this.root.dispatchEvent(
      new CustomEvent("pageviewer:change", { detail: { page: number }, bubbles: true })
    );
  };

  // The next page loads while this one is read: flipping shows it at once.
  PageViewer.prototype.preload = function (number) {
    if (number > this.count) return;
    var image = this.pages[number - 1].querySelector("img");
    if (image && image.loading === "lazy") image.loading = "eager";
  };

  PageViewer.prototype.go = function (where) {
    var targets = {
      first: 1,
      previous: this.current - 1,
      next: this.current + 1,
      last: this.count,
    };
    if (where in targets) this.show(targets[where]);
  };

  PageViewer.prototype.bind = function () {
    var self = this;
    this.root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-viewer-go]");
      if (button && self.root.contains(button)) self.go(button.getAttribute("data-viewer-go"));
    });
    var keys = {
      ArrowRight: "next",
      ArrowLeft: "previous",
      PageDown: "next",
      PageUp: "previous",
      Home: "first",
      End: "last",
    };
    var arrows = { ArrowRight: true, ArrowLeft: true };
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var where = keys[event.key];
      if (!where) return;
      var target = event.target;
      var inside = self.root.contains(target);
      var onPage = !isFormField(target) && self.onlyViewer && arrows[event.key];
      if (!(inside && !isFormField(target)) && !onPage) return;
      event.preventDefault();
      self.go(where);
    });
    var startX = null;
    var startY = null;
    var area = this.root.querySelector("[data-viewer-pages]") || this.root;
    area.addEventListener("touchstart", function (event) {
      if (event.touches.length !== 1) {
        startX = null;
        return;
      }
      startX = event.touches[0].clientX;
      startY = event.touches[0].clientY;
    }, { passive: true });
    area.addEventListener("touchend", function (event) {
      if (startX === null || !event.changedTouches.length) return;
      var dx = event.changedTouches[0].clientX - startX;
      var dy = event.changedTouches[0].clientY - startY;
      startX = null;
      if (Math.abs(dx) < SWIPE_PIXELS || Math.abs(dx) < Math.abs(dy) * 1.5) return;
      self.go(dx < 0 ? "next" : "previous");
    }, { passive: true });
  };

  function start() {
    var roots = document.querySelectorAll("[data-page-viewer]");
    roots.forEach(function (root) {
      if (!root.pageViewer) root.pageViewer = new PageViewer(root, roots.length === 1);
    });
  }

  ready(start);
  // A viewer swapped in by htmx (a preview that became ready) starts too.
  document.addEventListener("htmx:load", start);
})();
