/* Passerelle — small enhancements of the search pages. Everything works without this file. */
(function () {
  "use strict";

  // "Use my position": fills the place with the browser's coordinates and searches.
  var locate = document.querySelector("[data-locate]");
  if (locate && "geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      var input = document.getElementById("near");
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        input.value = position.coords.latitude.toFixed(5) + "," + position.coords.longitude.toFixed(5);
        locate.disabled = false;
        input.form.submit();
      }, function () {
        locate.disabled = false;
        input.setAttribute("placeholder", locate.getAttribute("data-error") || "");
        input.focus();
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }

  // Wide screens have room for every filter: open the folded ones.
  if (window.matchMedia("(min-width: 60em)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }

  // Sort: apply as soon as a choice is made.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form.querySelector("[data-autosubmit-button]");
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Print view.
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  // The error summary takes the focus so that screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  // Maps: Leaflet is fetched only when a map is shown (at once on wide screens, on demand on phones).
  function loadStyle(href) {
    return new Promise(function (resolve, reject) {
      var link = document.createElement("link");
      link.rel = "stylesheet"; link.href = href;
      link.onload = resolve; link.onerror = reject;
      document.head.appendChild(link);
    });
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src; script.async = false;
      script.onload = resolve; script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  var assetsLoaded = null;
  function loadMapAssets(assets) {
    if (!assetsLoaded) {
      assetsLoaded = Promise.all(assets.css.map(loadStyle)).then(function () {
        return assets.js.reduce(function (chain, src) {
          return chain.then(function () { return loadScript(src); });
        }, Promise.resolve());
      });
    }
    return assetsLoaded;
  }

  document.querySelectorAll("[data-map-panel]").forEach(function (panel) {
    var showButton = panel.querySelector("[data-map-show]");
    function start() {
      if (showButton) { showButton.hidden = true; }
      loadMapAssets(JSON.parse(panel.getAttribute("data-assets"))).then(function () {
        window.PasserelleMap.init(panel);
      });
    }
    if (window.matchMedia("(min-width: 60em)").matches) {
      start();
    } else if (showButton) {
      showButton.hidden = false;
      showButton.addEventListener("click", start);
    }
  });
}());
