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

  // While the form is being changed, the list below is for the previous choices: say so, and let
  // the button count the courses of the new choices (the API, one item per page; the latest
  // request only). Without this file the button simply searches.
  var form = document.querySelector("form.search-form[data-count-url]");
  var results = document.querySelector("section.results");
  if (form && results) { watchEdits(form, results); }

  function defaultValue(control) {
    if (control.tagName === "SELECT") {
      var options = Array.prototype.slice.call(control.options);
      var chosen = options.filter(function (option) { return option.defaultSelected; });
      return (chosen[0] || options[0] || { value: "" }).value;
    }
    if (control.type === "checkbox" || control.type === "radio") { return control.defaultChecked; }
    return control.defaultValue;
  }

  function currentValue(control) {
    if (control.type === "checkbox" || control.type === "radio") { return control.checked; }
    return control.value;
  }

  // Edited = a control differs from what the page was made with (a browser that restores the
  // form after "back" counts too; choosing the first values again is not an edit).
  function isEdited(form) {
    return Array.prototype.some.call(form.elements, function (control) {
      if (!control.name || control.type === "submit" || control.type === "button") { return false; }
      return currentValue(control) !== defaultValue(control);
    });
  }

  function countQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") { params.append(key, value); }
    });
    if (!params.get("near")) {
      // Without a place the page ignores a distance and "nearest first"; the API refuses them.
      params.delete("radius_km");
      if (params.get("sort") === "distance") { params.delete("sort"); }
    }
    params.set("per_page", "1");
    return params.toString();
  }

  function countLabel(labels, total) {
    var category = "other";
    try { category = new Intl.PluralRules(document.documentElement.lang).select(total); } catch (e) { /* other */ }
    return (labels[category] || labels.other || "").replace("{n}", String(total));
  }

  function watchEdits(form, results) {
    var button = form.querySelector("[data-show-count]");
    var note = results.querySelector("[data-stale-note]");
    var labels = JSON.parse(form.getAttribute("data-count-labels") || "{}");
    var searchLabel = button ? button.textContent : "";
    var timer = null;
    var pending = null;
    // The line above the list has the form's button too: no need to scroll back to the form.
    var copy = null;

    function setLabel(text) {
      if (button) { button.textContent = text; }
      if (copy) { copy.textContent = text; }
    }

    function count() {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var signal = pending.signal;
      fetch(form.getAttribute("data-count-url") + "?" + countQuery(form), {
        headers: { Accept: "application/json" }, signal: signal
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (signal.aborted) { return; }
        setLabel(data && typeof data.total === "number" ? countLabel(labels, data.total) : searchLabel);
      }).catch(function () {
        if (!signal.aborted) { setLabel(searchLabel); }
      });
    }

    function update() {
      var edited = isEdited(form);
      results.classList.toggle("is-stale", edited);
      if (edited && !note.firstChild) {
        var line = document.createElement("p");
        line.className = "stale-note";
        line.textContent = note.getAttribute("data-text") + " ";
        copy = document.createElement("button");
        copy.type = "submit";
        copy.className = "button-secondary";
        copy.setAttribute("form", form.id);
        copy.textContent = button ? button.textContent : searchLabel;
        line.appendChild(copy);
        note.appendChild(line);
      } else if (!edited) {
        note.textContent = "";
        copy = null;
      }
      clearTimeout(timer);
      if (!edited) {
        if (pending) { pending.abort(); }
        setLabel(searchLabel);
        return;
      }
      timer = setTimeout(count, 350);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    window.addEventListener("pageshow", update);
    update();
  }

  // "Back to the search": when the search is the page we came from, go back in the history, which
  // also returns to where the list was scrolled. Otherwise the link leads to that search.
  function sameSearch(one, other) {
    function key(address) {
      var url = new URL(address, window.location.href);
      var items = [];
      url.searchParams.forEach(function (value, name) { if (value.trim() !== "") { items.push(name + "=" + value); } });
      return url.origin + url.pathname + "?" + items.sort().join("&");
    }
    try { return key(one) === key(other); } catch (e) { return false; }
  }
  var back = document.querySelector("a[data-back]");
  if (back && document.referrer && window.history.length > 1) {
    back.addEventListener("click", function (event) {
      if (sameSearch(document.referrer, back.href)) {
        event.preventDefault();
        window.history.back();
      }
    });
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
