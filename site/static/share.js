// Share buttons on claim pages: "Copy link" (Clipboard API) and the system share sheet (Web Share API),
// each shown only where the browser has it. No network requests, no third-party code.
(function () {
  "use strict";
  var status = document.querySelector(".share-status");
  function say(text) {
    if (status) status.textContent = text;
  }
  var copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(
        function () { say(copy.getAttribute("data-copied")); },
        function () { say(copy.getAttribute("data-failed")); }
      );
    });
  }
  var share = document.querySelector("[data-share]");
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: share.getAttribute("data-title"), url: share.getAttribute("data-share") }).catch(function () {});
    });
  }
})();
