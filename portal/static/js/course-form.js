/* Passerelle — the course form shows the fields of the chosen entry mode only: start dates for
   fixed entries, a first and last day for a rolling entry. Without JavaScript both stay visible,
   each saying when it applies; the server keeps only the fields of the chosen mode. */
(function () {
  "use strict";

  var mode = document.getElementById("entry_mode");
  if (!mode) { return; }
  var parts = document.querySelectorAll("[data-entry-mode]");

  function show() {
    parts.forEach(function (part) { part.hidden = part.getAttribute("data-entry-mode") !== mode.value; });
  }

  mode.addEventListener("change", show);
  show();
}());
