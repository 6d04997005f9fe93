/*!
 * ipt-embed.js: fits embedded IPT Information pages to their content.
 * MIT licence. https://ipt-info.example.org/for-clinics/
 *
 * Include it once on a page that has one or more
 *   <iframe src="https://ipt-info.example.org/embed/…/" data-ipt-embed …></iframe>
 * Each embedded page posts its height; this sets the iframe's height to match.
 * Messages are only accepted from the iframe itself, from the iframe's origin.
 *
 * Colours: an iframe whose src ends ?theme=auto shows the colour scheme of
 * this page. This script tells every embedded page whether this page is dark
 * or light, and tells it again when that changes: a CSS color-scheme of just
 * "dark" or "light" on <html> decides; otherwise the background around the
 * iframe does (dark if darker than mid-grey); on a page with neither, the
 * reader's device setting. It stores nothing and sets no cookies.
 */
(function () {
  "use strict";

  if (window.__iptEmbedLoaded) {
    return; // included twice: one listener is enough
  }
  window.__iptEmbedLoaded = true;

  var SELECTOR = "iframe[data-ipt-embed]";
  var MAX_HEIGHT = 100000;

  function originOf(frame) {
    try {
      return new URL(frame.getAttribute("src"), document.baseURI).origin;
    } catch (error) {
      return null;
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "ipt-embed:height") {
      return;
    }
    var height = Number(data.height);
    if (!isFinite(height) || height <= 0 || height > MAX_HEIGHT) {
      return;
    }
    var frames = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      // The message must come from this iframe's window, and from the origin
      // its src names: no other frame or window can resize it.
      if (event.source === frame.contentWindow && event.origin === originOf(frame)) {
        frame.style.height = Math.ceil(height) + "px";
        return;
      }
    }
  });

  function askForHeight(frame) {
    if (frame.contentWindow) {
      // "*": the request carries nothing, and before the frame has loaded its
      // window's origin is not yet the embed's (a named origin would log an error).
      frame.contentWindow.postMessage({ type: "ipt-embed:request-height" }, "*");
    }
  }

  // --- colour scheme -------------------------------------------------------------

  var deviceDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function rgba(css) {
    var match = /^rgba?\(([^)]*)\)$/.exec(css || "");
    if (!match) {
      return null;
    }
    var parts = match[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }

  function luminance(c) {
    function channel(v) {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  }

  function schemeAround(frame) {
    var declared = (getComputedStyle(document.documentElement).colorScheme || "").trim().replace(/^only\s+/, "");
    if (declared === "dark" || declared === "light") {
      return declared;
    }
    // The first painted background behind the iframe.
    for (var node = frame.parentElement; node; node = node.parentElement) {
      var colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0.5) {
        // Above about 0.18, black text has more contrast than white: a light page.
        return luminance(colour) < 0.18 ? "dark" : "light";
      }
    }
    return deviceDark && deviceDark.matches ? "dark" : "light";
  }

  var told = typeof WeakMap === "function" ? new WeakMap() : null;

  function tellScheme(frame, force) {
    if (!frame.contentWindow) {
      return;
    }
    var scheme = schemeAround(frame);
    if (!force && told && told.get(frame) === scheme) {
      return;
    }
    if (told) {
      told.set(frame, scheme);
    }
    // "*": as for the height request; whether a page is dark is no secret.
    frame.contentWindow.postMessage({ type: "ipt-embed:theme", scheme: scheme }, "*");
  }

  function tellAll() {
    var all = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < all.length; i++) {
      tellScheme(all[i], false);
    }
  }

  var pending = false;
  function tellAllSoon() {
    if (!pending) {
      pending = true;
      // Once per frame, however many attributes changed.
      (window.requestAnimationFrame || setTimeout)(function () {
        pending = false;
        tellAll();
      });
    }
  }

  if (deviceDark && deviceDark.addEventListener) {
    deviceDark.addEventListener("change", tellAll);
  }
  if (window.MutationObserver) {
    // A theme switch on the clinic's page changes a class, style or data-
    // attribute somewhere (this script's own iframe heights are not one).
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var target = records[i].target;
        if (!(records[i].attributeName === "style" && target.matches && target.matches(SELECTOR))) {
          tellAllSoon();
          return;
        }
      }
    }).observe(document.documentElement, { attributes: true, subtree: true });
  }
  // A background that changes with a CSS transition is only final at its end.
  document.addEventListener("transitionend", tellAllSoon, true);

  // Iframes that loaded before this script ran (or that load later, or are added later).
  var frames = document.querySelectorAll(SELECTOR);
  for (var i = 0; i < frames.length; i++) {
    askForHeight(frames[i]);
    tellScheme(frames[i], true);
  }
  document.addEventListener(
    "load",
    function (event) {
      var target = event.target;
      if (target && target.matches && target.matches(SELECTOR)) {
        askForHeight(target);
        tellScheme(target, true); // a new document in the frame: tell it afresh
      }
    },
    true
  );
})();
