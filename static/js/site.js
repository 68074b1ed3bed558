/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Keep shareable URLs short: search forms don't send their empty fields.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[method='get']")) { return; }
    form.querySelectorAll("input[type='text'], input[type='search'], input[type='number']").forEach(function (input) {
      if (!input.value.trim()) { input.disabled = true; }
    });
  });
  // Move focus to the error summary so screen-reader and keyboard users hear it first.
  var summary = document.getElementById("errors");
  if (summary) { summary.focus(); }
})();
