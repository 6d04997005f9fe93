/*!
 * ipt-embed.js: fits embedded IPT Information pages to their content.
 * MIT licence. https://ipt-info.example.org/for-clinics/
 *
 * Include it once on a page that has one or more
 *   <iframe src="https://ipt-info.example.org/embed/…/" data-ipt-embed …></iframe>
 * Each embedded page posts its height; this sets the iframe's height to match.
 * Messages are only accepted from the iframe itself, from the iframe's origin.
 * It stores nothing and sets no cookies.
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

  // Iframes that loaded before this script ran (or that load later, or are added later).
  var frames = document.querySelectorAll(SELECTOR);
  for (var i = 0; i < frames.length; i++) {
    askForHeight(frames[i]);
  }
  document.addEventListener(
    "load",
    function (event) {
      var target = event.target;
      if (target && target.matches && target.matches(SELECTOR)) {
        askForHeight(target);
      }
    },
    true
  );
})();
