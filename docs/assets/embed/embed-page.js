/*
 * IPT Information: script of the embeddable pages (embed/…/), loaded inside a
 * clinic's iframe. MIT licence.
 *
 * - Theme: ?theme=light (the default), dark or auto on the iframe's src sets
 *   Material's data-md-color-scheme; any other value means light. With auto the
 *   frame takes the scheme the parent script (assets/embed/ipt-embed.js) says
 *   the clinic's page has, {type: "ipt-embed:theme", scheme: "light"|"dark"},
 *   every time it says it; until then (or with no parent script) it follows
 *   the reader's device.
 * - Size: posts {type: "ipt-embed:height", height} to the parent page, which
 *   assets/embed/ipt-embed.js uses to fit the iframe to the content.
 *
 * It never touches localStorage, sessionStorage or cookies: a browser that
 * blocks third-party storage throws on those inside a frame.
 */
(function () {
  "use strict";

  var SCHEMES = { light: "default", dark: "slate" };
  var THEMES = { light: true, dark: true, auto: true };

  function requestedTheme() {
    // URLSearchParams never throws, whatever a clinic writes after "theme=".
    var value = (new URLSearchParams(location.search).get("theme") || "").trim().toLowerCase();
    return THEMES.hasOwnProperty(value) ? value : "light";
  }

  function setScheme(name) {
    var scheme = SCHEMES[name] || SCHEMES.light;
    // On <html> too, so the page's background colour fills the whole frame.
    document.documentElement.setAttribute("data-md-color-scheme", scheme);
    document.body.setAttribute("data-md-color-scheme", scheme);
  }

  function applyTheme() {
    var theme = requestedTheme();
    if (theme !== "auto") {
      setScheme(theme);
      return;
    }
    var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    var hostSaid = false; // once the clinic's page has said its scheme, that is followed
    function followDevice() {
      if (!hostSaid) {
        setScheme(dark && dark.matches ? "dark" : "light");
      }
    }
    followDevice();
    if (dark && dark.addEventListener) {
      dark.addEventListener("change", followDevice);
    }
    window.addEventListener("message", function (event) {
      var data = event.data;
      if (event.source !== window.parent || !data || data.type !== "ipt-embed:theme") {
        return;
      }
      if (data.scheme === "light" || data.scheme === "dark") {
        hostSaid = true;
        setScheme(data.scheme);
      }
    });
  }

  applyTheme();

  // Not in a frame (someone opened the embed URL itself): nothing to size.
  if (window.parent === window) {
    return;
  }

  var lastHeight = -1;

  function contentHeight() {
    // assets/embed/embed.css lets <body> shrink to its content, unlike the
    // document, which is never shorter than the frame.
    return Math.ceil(document.body.getBoundingClientRect().height);
  }

  function post(force) {
    var height = contentHeight();
    if (!force && height === lastHeight) {
      return;
    }
    lastHeight = height;
    // "*": the height is not a secret, and the clinic's origin is not known here.
    window.parent.postMessage({ type: "ipt-embed:height", height: height }, "*");
  }

  function update() {
    post(false);
  }

  window.addEventListener("load", update);
  window.addEventListener("resize", update);
  // <details> "toggle" does not bubble: listen in the capture phase.
  document.addEventListener("toggle", update, true);
  if (document.fonts) {
    document.fonts.ready.then(update);
    if (document.fonts.addEventListener) {
      document.fonts.addEventListener("loadingdone", update);
    }
  }
  if (window.ResizeObserver) {
    new ResizeObserver(update).observe(document.body);
  }
  // The parent script asks when it starts, in case it missed the first message.
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "ipt-embed:request-height") {
      post(true);
    }
  });
  post(true);
})();
