/*
 * IPT Information: Material for MkDocs' JavaScript, loaded on the reader's first
 * interaction instead of on every page view. MIT licence.
 *
 * Why: Material's bundle (about 35 kB gzipped) starts its search worker at once,
 * and the worker downloads the search index (about 25 kB more). A reader who only
 * reads needs none of it: the page, its navigation and the help line are HTML and
 * CSS. Loading it on demand keeps a first visit within the 40 kB budget
 * (benchmarks/README.md) for readers on slow phone connections.
 *
 * overrides/main.html turns the theme's <script src> tags into inert
 * <script type="text/plain" data-src>; this file makes them real on the first
 * click, key press, focus or mouse hover (a touch scroll is not an interaction).
 * Material starts on DOMContentLoaded, which has passed by then, so that event is
 * sent again once its scripts (and the style sheet for what they build) are in.
 * In Chromium, tests/test_on_demand.py checks search, the colour toggle and that
 * style sheet through this path; test_browser_pages.py and test_accessibility.py
 * the citation tooltips.
 */
(function () {
  "use strict";

  // Material's style sheet hides search until its script runs ("no-js"); here it
  // runs on demand, so the page is styled as Material styles it with scripts.
  document.documentElement.classList.remove("no-js");
  document.documentElement.classList.add("js");

  var palette = document.querySelector("[data-md-component=palette]");
  var inputs = palette ? Array.prototype.slice.call(palette.querySelectorAll("input")) : [];

  function storedPalette() {
    try {
      return typeof __md_get === "function" ? __md_get("__palette") : null;
    } catch (error) {
      return null; // storage can throw (blocked cookies, some embedded browsers)
    }
  }

  // Until Material runs, show the colours it would choose: the reader's earlier
  // choice (already applied by Material's inline script), else the system setting.
  // Material hides every toggle until it runs, so show the current one too.
  function showPalette() {
    if (!inputs.length) return;
    var stored = storedPalette();
    var index = stored && typeof stored.index === "number" ? stored.index : inputs.findIndex(function (input) {
      return matchMedia(input.getAttribute("data-md-color-media")).matches;
    });
    index = Math.max(0, Math.min(index, inputs.length - 1));
    var input = inputs[index];
    if (!stored) {
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        var value = input.getAttribute("data-md-color-" + key);
        if (value !== null) document.body.setAttribute("data-md-color-" + key, value);
      });
    }
    input.checked = true;
    inputs.forEach(function (other) {
      var label = other.nextElementSibling;
      if (label && label.tagName === "LABEL") label.hidden = other !== input;
    });
  }

  // A toggle clicked before Material ran checked its radio button without Material
  // seeing the change: send the change again, or the toggle would stay stuck.
  function replayPaletteChoice() {
    var stored = storedPalette();
    var checked = inputs.findIndex(function (input) {
      return input.checked;
    });
    if (checked >= 0 && (!stored || stored.index !== checked)) {
      inputs[checked].dispatchEvent(new Event("change"));
    }
  }

  // The key that woke Material (its "/" or "s" opens search, "n" goes to the next
  // page) is sent again once Material listens, so the first press is not lost.
  // The browser's own action for it (a Tab, say) has already happened.
  function replayKey(event) {
    if (!event || event.type !== "keydown") return;
    var target = document.contains(event.target) ? event.target : document.body;
    target.dispatchEvent(new KeyboardEvent("keydown", {
      key: event.key, code: event.code, bubbles: true, cancelable: true,
      altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, shiftKey: event.shiftKey
    }));
  }

  var started = false;
  var triggers = ["click", "keydown", "focusin", "pointerover"];

  function loadScripts(scripts, done) {
    if (!scripts.length) return done();
    var inert = scripts.shift();
    var script = document.createElement("script");
    script.src = inert.getAttribute("data-src");
    script.onload = script.onerror = function () {
      loadScripts(scripts, done);
    };
    inert.parentNode.replaceChild(script, inert);
  }

  function start(event) {
    if (started) return;
    // A finger scrolling the page fires pointerover too; only a mouse hover counts.
    if (event && event.type === "pointerover" && event.pointerType !== "mouse") return;
    started = true;
    triggers.forEach(function (type) {
      document.removeEventListener(type, start, true);
    });
    var scripts = Array.prototype.slice.call(document.querySelectorAll("script[data-src][type='text/plain']"));
    // The style sheet of what Material's scripts create (hooks/minify_site.py), right
    // after the first-paint one so the cascade keeps its order. Material starts once
    // both it and the scripts are in.
    var waiting = 1;
    var firstPaint = document.querySelector("link[data-ipt-full]");
    if (firstPaint) {
      waiting += 1;
      var full = document.createElement("link");
      full.rel = "stylesheet";
      full.href = firstPaint.getAttribute("data-ipt-full");
      full.onload = full.onerror = function () {
        if (--waiting === 0) startMaterial();
      };
      firstPaint.parentNode.insertBefore(full, firstPaint.nextSibling);
    }
    loadScripts(scripts, function () {
      if (--waiting === 0) startMaterial();
    });

    function startMaterial() {
      // Material's start-up closes search, which takes the focus from a search box
      // the reader is already typing in: it is given back (and search opens).
      var box = document.activeElement;
      var typing = box && box.matches("[data-md-component=search-query]");
      if (document.readyState !== "loading") {
        document.dispatchEvent(new Event("DOMContentLoaded"));
      }
      setTimeout(function () {
        if (typing && document.activeElement !== box) box.focus();
        replayPaletteChoice();
        replayKey(event);
      }, 0);
    }
  }

  showPalette();
  triggers.forEach(function (type) {
    document.addEventListener(type, start, { capture: true, passive: true });
  });
  // A search link (?q=...) needs search straight away.
  if (/[?&]q=/.test(location.search)) start();
})();
