/*
 * IPT Information: the copy button of the "Embed this page" block on every
 * full page (overrides/partials/ipt-page-extras.html). MIT licence.
 * The button is added here, so a reader without JavaScript never sees a
 * button that does nothing; the code can still be selected and copied.
 */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    // Style set through the DOM, not a style attribute (the site's CSP blocks those).
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function selectCode(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUp(block) {
    var code = block.querySelector("[data-ipt-snippet]");
    var row = block.querySelector("[data-ipt-copy-row]");
    if (!code || !row) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.setAttribute("data-ipt-copy", "");
    button.textContent = "Copy code";
    var status = document.createElement("span");
    status.className = "ipt-copy-status";
    status.setAttribute("role", "status");
    row.appendChild(button);
    row.appendChild(document.createTextNode(" "));
    row.appendChild(status);
    button.addEventListener("click", function () {
      copy(code.textContent).then(
        function () {
          status.textContent = "Copied. Paste it into your web page.";
        },
        function () {
          selectCode(code);
          status.textContent = "Could not copy. The code is selected: press Ctrl+C (or Command+C) to copy it.";
        }
      );
    });
  }

  var blocks = document.querySelectorAll("[data-ipt-embed-block]");
  for (var i = 0; i < blocks.length; i++) {
    setUp(blocks[i]);
  }
})();
