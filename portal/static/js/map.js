/* Passerelle — the map of a search (or of one course). Loaded after Leaflet and markercluster.
   Operator text is never HTML: popups are built with textContent. */
(function () {
  "use strict";

  var MAX_PAGES = 10;

  function markerIcon(availability) {
    return L.divIcon({
      className: "marker marker-" + availability,
      html: '<span class="shape"></span>',
      iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]
    });
  }

  // Same classes as rules.availability on the server; the server gives the last "soon" day.
  function availability(properties, soonUntil) {
    if (properties.entries_state === "registration_closed") { return "closed"; }
    if (properties.entries_state === "full") { return "full"; }
    if (!properties.next_entry) { return "later"; }
    if (properties.next_entry_status === "waiting_list") { return "waiting_list"; }
    return properties.next_entry <= soonUntil ? "soon" : "later";
  }

  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function popupContent(properties, panel) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.title;
    var operator = document.createElement("p");
    operator.textContent = properties.operator.name;
    var place = document.createElement("p");
    place.textContent = properties.site.postal_code + " " + properties.site.locality;
    var status = document.createElement("p");
    var kind = availability(properties, panel.getAttribute("data-soon-until"));
    status.textContent = panel.getAttribute("data-label-" + kind);
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = panel.getAttribute("data-label-open");
    box.append(title, operator, place, status, link);
    return box;
  }

  function fetchAll(url) {
    var features = [];
    var separator = url.indexOf("?") === -1 ? "?" : "&";
    function page(number) {
      return fetch(url + separator + "per_page=100&page=" + number, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : { features: [], total: 0 }; })
        .then(function (data) {
          features = features.concat(data.features);
          if (features.length < data.total && number < MAX_PAGES) { return page(number + 1); }
          return features;
        });
    }
    return page(1);
  }

  function highlightCard(ref) {
    var card = document.getElementById("course-" + ref);
    if (!card) { return; }
    document.querySelectorAll(".card.is-selected").forEach(function (other) { other.classList.remove("is-selected"); });
    card.classList.add("is-selected");
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }

  // Tiles come from another server: when none of a view's tiles loads (server down, blocked by a
  // network or a browser setting), say so in text above the map instead of a grey square.
  function watchTiles(tiles, panel, container) {
    var assets = JSON.parse(panel.getAttribute("data-assets") || "{}");
    var messages = assets.messages || {};
    var text = panel.hasAttribute("data-single") ? messages.tiles_error_single : messages.tiles_error;
    var message = document.createElement("p");
    message.className = "map-message";
    message.setAttribute("role", "status");
    message.setAttribute("data-map-message", "");
    message.hidden = true;
    container.parentNode.insertBefore(message, container);
    var failed = 0;
    var loaded = 0;
    tiles.on("loading", function () { failed = 0; loaded = 0; });
    tiles.on("tileerror", function () { failed += 1; });
    tiles.on("tileload", function () { loaded += 1; });
    // "load": every tile of the view has loaded or failed.
    tiles.on("load", function () {
      var broken = failed > 0 && loaded === 0;
      message.hidden = !broken;
      message.textContent = broken ? (text || "") : "";
    });
  }

  function init(panel) {
    var container = panel.querySelector("[data-map]");
    container.hidden = false;
    var legend = panel.querySelector("[data-map-legend]");
    if (legend) { legend.hidden = false; }
    var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
    // Right-to-left pages: the controls and the attribution change sides with the reading direction.
    var rtl = document.documentElement.dir === "rtl";
    L.control.zoom({ position: rtl ? "topright" : "topleft" }).addTo(map);
    if (rtl) { map.attributionControl.setPosition("bottomleft"); }
    var tiles = L.tileLayer(panel.getAttribute("data-tiles"), {
      attribution: panel.getAttribute("data-attribution"), maxZoom: 18
    });
    watchTiles(tiles, panel, container);
    tiles.addTo(map);
    var lat = parseFloat(panel.getAttribute("data-lat"));
    var lon = parseFloat(panel.getAttribute("data-lon"));
    var hasPlace = !isNaN(lat) && !isNaN(lon);

    if (panel.hasAttribute("data-single")) {
      L.marker([lat, lon], { icon: markerIcon("soon"), title: panel.getAttribute("data-place") }).addTo(map);
      map.setView([lat, lon], 14);
      window.passerelleMap = map;
      return;
    }
    map.setView([50.45, 4.9], 8);
    var bounds = L.latLngBounds([]);
    if (hasPlace) {
      L.circleMarker([lat, lon], { radius: 7, color: "#1d3557", weight: 3, fillColor: "#fff", fillOpacity: 1 })
        .bindTooltip(textNode(panel.getAttribute("data-label-you")))
        .addTo(map);
      bounds.extend([lat, lon]);
      var radius = parseFloat(panel.getAttribute("data-radius"));
      if (!isNaN(radius)) {
        var circle = L.circle([lat, lon], { radius: radius * 1000, color: "#1d3557", weight: 1, fillOpacity: 0.04 }).addTo(map);
        bounds.extend(circle.getBounds());
      }
    }
    var cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    var markers = {};
    fetchAll(panel.getAttribute("data-geojson")).then(function (features) {
      features.forEach(function (feature) {
        var p = feature.properties;
        var marker = L.marker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
          icon: markerIcon(availability(p, panel.getAttribute("data-soon-until"))),
          title: p.title, alt: p.title, keyboard: true
        });
        marker.bindPopup(popupContent(p, panel));
        marker.on("click", function () { highlightCard(p.ref); });
        markers[p.ref] = marker;
        cluster.addLayer(marker);
        bounds.extend(marker.getLatLng());
      });
      map.addLayer(cluster);
      // No animation: the map is ready (and its buttons work) as soon as it is drawn.
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14, animate: false }); }
      document.querySelectorAll(".card[data-ref]").forEach(function (card) {
        var marker = markers[card.getAttribute("data-ref")];
        if (!marker) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button-link show-on-map";
        button.textContent = panel.getAttribute("data-label-show") || "Map";
        button.addEventListener("click", function () {
          container.scrollIntoView({ behavior: "smooth", block: "nearest" });
          cluster.zoomToShowLayer(marker, function () { marker.openPopup(); });
          highlightCard(card.getAttribute("data-ref"));
        });
        card.appendChild(button);
      });
      panel.setAttribute("data-ready", "true");
    });
    window.passerelleMap = map;
  }

  window.PasserelleMap = { init: init };
}());
