/* Passerelle — small enhancements of the search pages. Everything works without this file. */
(function () {
  "use strict";

  // "Use my position": the browser's position (to 0.01°, about 1 km) becomes the nearest locality's
  // name ("5000 Namur") and the search runs; outside Wallonia, or when the browser cannot give a
  // position, a sentence beside the field says so (read out by screen readers), never an alert.
  var locate = document.querySelector("[data-locate]");
  var locateStatus = document.querySelector("[data-locate-status]");
  if (locate && locateStatus && "geolocation" in navigator && window.fetch) {
    var nearInput = document.getElementById("near");
    var say = function (text, link) {
      locateStatus.textContent = text;
      if (link) {
        var anchor = document.createElement("a");
        anchor.href = link.url;
        anchor.textContent = link.text;
        locateStatus.appendChild(document.createTextNode(" "));
        locateStatus.appendChild(anchor);
      }
      var described = (nearInput.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(locateStatus.id) < 0) {
        described.push(locateStatus.id);
        nearInput.setAttribute("aria-describedby", described.join(" "));
      }
    };
    var failures = { 1: "data-denied", 2: "data-unavailable", 3: "data-timeout" };
    var named = function (position) {
      var url = locate.getAttribute("data-url");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "lat=" + position.coords.latitude.toFixed(2) +
        "&lon=" + position.coords.longitude.toFixed(2);
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (answer) {
          locate.disabled = false;
          say(answer.message, answer.nearest);
          if (answer.inside) {
            nearInput.value = answer.near;
            nearInput.form.submit();
          } else {
            nearInput.focus();
          }
        });
    };
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      say(locate.getAttribute("data-finding"));
      navigator.geolocation.getCurrentPosition(function (position) {
        named(position).catch(function () {
          locate.disabled = false;
          say(locate.getAttribute("data-failed"));
          nearInput.focus();
        });
      }, function (error) {
        locate.disabled = false;
        say(locate.getAttribute(failures[error.code] || "data-unavailable"));
        nearInput.focus();
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
