/*
 * IPT Information: script of the embeddable pages (embed/…/), loaded inside a
 * clinic's iframe. MIT licence.
 *
 * - Theme: ?theme=dark (or light, or auto to follow the reader's device) on the
 *   iframe's src sets Material's data-md-color-scheme.
 * - Size: posts {type: "ipt-embed:height", height} to the parent page, which
 *   assets/embed/ipt-embed.js uses to fit the iframe to the content.
 *
 * It never touches localStorage, sessionStorage or cookies: a browser that
 * blocks third-party storage throws on those inside a frame.
 */
(function () {
  "use strict";

  var SCHEMES = { light: "default", dark: "slate" };

  function requestedTheme() {
    var match = /(?:^|[?&])theme=([a-z]+)/.exec(location.search);
    return match ? match[1] : "light";
  }

  function applyTheme() {
    var theme = requestedTheme();
    var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function set() {
      var scheme = theme === "auto" ? (dark && dark.matches ? "slate" : "default") : SCHEMES[theme] || "default";
      // On <html> too, so the page's background colour fills the whole frame.
      document.documentElement.setAttribute("data-md-color-scheme", scheme);
      document.body.setAttribute("data-md-color-scheme", scheme);
    }
    set();
    if (theme === "auto" && dark && dark.addEventListener) {
      dark.addEventListener("change", set);
    }
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
