// deckgen preview: the light/night switch, and phone frames that grow to fit their card.
// Night mode is what the phone apps do: the night classes go on each card's own <body>.
// This runs in <head>, before the frames exist, so the switch works while the page is still loading:
// every frame is fitted (and given the current mode) as it finishes loading.
(function () {
  "use strict";
  var NIGHT_CLASSES = ["night_mode", "nightMode"];
  var FRAME = "iframe.card-frame";
  var prefersNight = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var mode = prefersNight ? "night" : "light";

  function fit(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.body || doc.URL !== "about:srcdoc") return;
    NIGHT_CLASSES.forEach(function (name) { doc.body.classList.toggle(name, mode === "night"); });
    frame.style.height = Math.ceil(doc.documentElement.getBoundingClientRect().height) + "px";
  }

  function setMode(next) {
    mode = next;
    document.documentElement.setAttribute("data-mode", mode);
    document.querySelectorAll("button[data-set-mode]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-set-mode") === mode));
    });
    document.querySelectorAll(FRAME).forEach(fit);
  }

  document.documentElement.setAttribute("data-mode", mode);
  var loaded = [];  // frames that finished loading since the last animation frame: fitted together
  function fitLoaded() {
    var batch = loaded;
    loaded = [];
    batch.forEach(fit);
  }
  document.addEventListener("load", function (event) {
    if (!event.target.matches || !event.target.matches(FRAME)) return;
    if (loaded.push(event.target) === 1) window.requestAnimationFrame(fitLoaded);
  }, true);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-set-mode]");
    if (button) setMode(button.getAttribute("data-set-mode"));
  });
  document.addEventListener("DOMContentLoaded", function () { setMode(mode); });
})();
