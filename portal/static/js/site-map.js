/* Passerelle — the pin of a site on a small map (workspace site form). Loaded after Leaflet.
   The latitude and longitude fields are the truth: the pin fills them, typing in them moves the
   pin, and emptying them leaves the site to the gazetteer (its postal code and locality). Without
   JavaScript, Leaflet or tiles, the fields work alone. */
(function () {
  "use strict";

  var panel = document.querySelector("[data-site-map]");
  if (!panel || !window.L) { return; }
  var latField = document.getElementById("lat");
  var lonField = document.getElementById("lon");
  var postalField = document.getElementById("postal_code");
  var localityField = document.getElementById("locality");
  var postalHint = document.getElementById("hint-postal_code");
  var localities = document.getElementById("localities");
  var container = panel.querySelector("[data-map]");
  var resetButton = panel.querySelector("[data-pin-reset]");
  var status = panel.querySelector("[data-map-status]");
  var noTiles = panel.querySelector("[data-map-no-tiles]");
  var ZOOM = 16;
  var WALLONIA = L.latLng(50.45, 4.9);

  function label(name, values) {
    var text = panel.getAttribute("data-label-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  // The server accepts "50.4669" and "50,4669"; so does the pin.
  function number(text) {
    text = (text || "").trim().replace(",", ".");
    return /^[+-]?\d{1,3}(\.\d+)?$/.test(text) ? parseFloat(text) : NaN;
  }

  function typedPoint() {
    var lat = number(latField.value);
    var lon = number(lonField.value);
    return isNaN(lat) || isNaN(lon) ? null : L.latLng(lat, lon);
  }

  var address = null;
  if (panel.hasAttribute("data-address-lat")) {
    address = L.latLng(parseFloat(panel.getAttribute("data-address-lat")),
                       parseFloat(panel.getAttribute("data-address-lon")));
  }

  container.hidden = false;
  resetButton.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
  // Right-to-left pages: the controls and the attribution change sides with the reading direction.
  var rtl = document.documentElement.dir === "rtl";
  L.control.zoom({ position: rtl ? "topright" : "topleft" }).addTo(map);
  if (rtl) { map.attributionControl.setPosition("bottomleft"); }
  var tiles = L.tileLayer(panel.getAttribute("data-tiles"), {
    attribution: panel.getAttribute("data-attribution"), maxZoom: 19
  }).addTo(map);
  tiles.on("tileerror", function () { noTiles.hidden = false; });

  var start = typedPoint() || address;
  map.setView(start || WALLONIA, start ? ZOOM : 8);
  var marker = L.marker(start || WALLONIA, {
    draggable: true, autoPan: true, keyboard: true,
    title: label("pin"), alt: label("pin")
  }).addTo(map);

  function fill(point) {
    latField.value = point.lat.toFixed(6);
    lonField.value = point.lng.toFixed(6);
    status.textContent = label("moved", { lat: latField.value, lon: lonField.value });
  }

  function moveTo(point, zoom) {
    marker.setLatLng(point);
    map.setView(point, zoom || Math.max(map.getZoom(), ZOOM), { animate: false });
  }

  marker.on("dragend", function () { fill(marker.getLatLng()); });
  map.on("click", function (event) { marker.setLatLng(event.latlng); fill(event.latlng); });

  // Arrow keys move the focused pin (Shift: in bigger steps) instead of the map.
  var STEPS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
  marker.getElement().addEventListener("keydown", function (event) {
    var step = STEPS[event.key];
    if (!step) { return; }
    event.preventDefault();
    event.stopPropagation();
    var size = event.shiftKey ? 40 : 8;
    var point = map.latLngToContainerPoint(marker.getLatLng()).add([step[0] * size, step[1] * size]);
    var moved = map.containerPointToLatLng(point);
    marker.setLatLng(moved);
    map.panTo(moved, { animate: false });
    fill(moved);
  });

  function typedChanged() {
    var point = typedPoint();
    if (point) {
      moveTo(point);
    } else if (!latField.value.trim() && !lonField.value.trim() && address) {
      moveTo(address);
    }
  }
  latField.addEventListener("change", typedChanged);
  lonField.addEventListener("change", typedChanged);

  // The gazetteer's position of the address typed, and its localities for the suggestions.
  var asked = null;
  function lookUp() {
    var code = postalField.value.trim();
    if (!/^\d{4}$/.test(code)) { return Promise.resolve(address); }
    var url = panel.getAttribute("data-position-url") + "?postal_code=" + encodeURIComponent(code) +
      "&locality=" + encodeURIComponent(localityField.value.trim());
    if (url === asked) { return Promise.resolve(address); }
    asked = url;
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        var data = result[1];
        if (!result[0]) {
          address = null;
          if (postalHint) { postalHint.textContent = label("unknown"); }
          return null;
        }
        address = L.latLng(data.lat, data.lon);
        if (postalHint) { postalHint.textContent = label("commune", { commune: data.commune, bassin: data.bassin_efe }); }
        localities.textContent = "";
        data.localities.forEach(function (name) {
          var option = document.createElement("option");
          option.value = name;
          localities.appendChild(option);
        });
        if (typedPoint()) { status.textContent = label("kept"); } else { moveTo(address, ZOOM); }
        return address;
      })
      .catch(function () { asked = null; return address; });
  }
  if (postalHint) { postalHint.setAttribute("aria-live", "polite"); }
  postalField.addEventListener("input", function () { if (/^\d{4}$/.test(postalField.value.trim())) { lookUp(); } });
  postalField.addEventListener("change", lookUp);
  localityField.addEventListener("change", lookUp);

  resetButton.addEventListener("click", function () {
    latField.value = "";
    lonField.value = "";
    lookUp().then(function (point) {
      if (point) { moveTo(point, ZOOM); }
      status.textContent = label("address");
    });
  });

  window.passerelleSiteMap = { map: map, marker: marker };
  panel.setAttribute("data-ready", "true");
}());
