// Time per page on a share page (templates/content/sharing/public.html).
//
// Counts the seconds the page is visible (document.visibilityState) on the page
// each viewer shows (its `pageviewer:change` events), and sends them to the
// link's beacon URL every few seconds, and once more with navigator.sendBeacon
// when the tab hides. Only the viewer the prospect last used is timed. The
// server bounds every beat by the time since the last one (docs/security.md).
(function () {
  "use strict";

  var tracker = document.querySelector("[data-share-tracker]");
  if (!tracker) return;
  var url = tracker.getAttribute("data-beacon-url");
  var token = tracker.getAttribute("data-visit-token");
  var interval = (parseInt(tracker.getAttribute("data-heartbeat-seconds"), 10) || 10) * 1000;
  var MAX_ENTRIES = 20;

  var active = null; // {item: pk, page: n}
  var since = null; // when the current stretch of visible time began
  var pending = {}; // "item:page" -> seconds not yet sent
  var inFlight = false;

  function now() {
    return (window.performance && performance.now) ? performance.now() : Date.now();
  }

  function visible() {
    return document.visibilityState === "visible";
  }

  // Close the running stretch into `pending`.
  function settle() {
    if (active && since !== null) {
      var key = active.item + ":" + active.page;
      pending[key] = (pending[key] || 0) + (now() - since) / 1000;
    }
    since = active && visible() ? now() : null;
  }

  function payload() {
    var entries = [];
    Object.keys(pending).forEach(function (key) {
      var seconds = Math.round(pending[key] * 10) / 10;
      if (seconds <= 0 || entries.length >= MAX_ENTRIES) return;
      var parts = key.split(":");
      entries.push([parseInt(parts[0], 10), parseInt(parts[1], 10), seconds]);
    });
    return entries;
  }

  function send(final) {
    settle();
    var entries = payload();
    if (!entries.length || (inFlight && !final)) return;
    var body = JSON.stringify({ t: token, p: entries });
    var sent = pending;
    pending = {};
    if (final && navigator.sendBeacon) {
      navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }));
      return;
    }
    inFlight = true;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "text/plain" },
    }).then(function (response) {
      if (response.status === 200) {
        return response.json().then(function (data) {
          if (data && data.t) token = data.t; // the visit had lapsed: a new one
        });
      }
      if (response.status === 429) {
        // Too soon after the last beat: keep the seconds for the next one.
        Object.keys(sent).forEach(function (key) {
          pending[key] = (pending[key] || 0) + sent[key];
        });
      }
    }).catch(function () {}).then(function () {
      inFlight = false;
    });
  }

  var announced = {}; // items whose viewer has sent its opening event

  document.addEventListener("pageviewer:change", function (event) {
    var holder = event.target.closest("[data-share-item]");
    if (!holder) return;
    var item = parseInt(holder.getAttribute("data-share-item"), 10);
    var opening = !announced[item];
    announced[item] = true;
    // Every viewer announces its first page as it starts: only the first
    // viewer's counts until the prospect turns a page somewhere.
    if (opening && active && active.item !== item) return;
    settle();
    active = { item: item, page: event.detail.page };
    since = visible() ? now() : null;
  });

  // A deal room: the viewer the prospect touches becomes the one timed.
  document.addEventListener("pointerdown", function (event) {
    var root = event.target.closest && event.target.closest("[data-page-viewer]");
    var holder = root && root.closest("[data-share-item]");
    if (!holder) return;
    var page = parseInt(root.getAttribute("data-current-page"), 10) || 1;
    var item = parseInt(holder.getAttribute("data-share-item"), 10);
    if (active && active.item === item && active.page === page) return;
    settle();
    active = { item: item, page: page };
    since = visible() ? now() : null;
  });

  document.addEventListener("visibilitychange", function () {
    if (visible()) {
      since = active ? now() : null;
    } else {
      send(true);
    }
  });
  window.addEventListener("pagehide", function () {
    send(true);
  });

  // The first viewer on the page is timed until the prospect uses another.
  function start() {
    if (active) return;
    var root = document.querySelector("[data-share-item] [data-page-viewer]");
    if (!root) return;
    var holder = root.closest("[data-share-item]");
    active = {
      item: parseInt(holder.getAttribute("data-share-item"), 10),
      page: parseInt(root.getAttribute("data-current-page"), 10) || 1,
    };
    since = visible() ? now() : null;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.setInterval(function () {
    if (visible()) send(false);
  }, interval);
})();
