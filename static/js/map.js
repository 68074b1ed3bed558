/* Progressive enhancement: draws a Leaflet map from the open data API's GeoJSON
   (data-geojson: /api/partnerships.geojson with the page's filters) or from marker data
   printed in the page (data-markers: a partnership's served places). Without JavaScript,
   Leaflet, the API or tiles, the page's list remains the complete answer. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    if (typeof window.L === "undefined") { return; }
    var labelsNode = document.getElementById("map-labels");
    var labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
    var pageLang = (document.documentElement.lang || "en").split("-")[0];
    var kinds = labels.kinds || {};
    // A feature's properties, as the marker the drawing code reads (names and links in the
    // page's language; a name in the other language keeps its lang attribute).
    function fromFeature(feature) {
      var p = feature.properties || {};
      var coordinates = (feature.geometry || {}).coordinates || [];
      var name = p.name || p.name_fr || "";
      var lang = p.name && p.name === p.name_fr ? "fr" : "en";
      if (pageLang === "fr" && p.name_fr) { name = p.name_fr; lang = "fr"; }
      if (!p.name && p.name_fr) { lang = "fr"; }
      var kind = kinds[p.kind] || {};
      return {
        name: name,
        lang: lang === pageLang ? "" : lang,
        kind: kind.abbr || p.kind || "",
        kindName: kind.name || "",
        url: pageLang === "fr" ? p.url_fr : p.url,
        lat: coordinates[1],
        lng: coordinates[0],
        place: p.place || "",
        provinceWide: !!p.province_wide,
        estimated: !!p.estimated
      };
    }
    document.querySelectorAll(".map[data-geojson]").forEach(function (canvas) {
      if (!window.fetch) { return; }
      window.fetch(canvas.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) {
          if (!collection || !collection.features) { return; }
          drawMap(canvas, collection.features.map(fromFeature).filter(function (m) {
            return typeof m.lat === "number" && typeof m.lng === "number";
          }));
        })
        .catch(function () { /* the list on the page is the answer */ });
    });
    document.querySelectorAll(".map[data-markers]").forEach(function (canvas) {
      var dataNode = document.getElementById(canvas.getAttribute("data-markers"));
      if (!dataNode) { return; }
      drawMap(canvas, JSON.parse(dataNode.textContent));
    });
    function drawMap(canvas, markers) {
      if (!markers.length) { return; }
      canvas.hidden = false;
      canvas.setAttribute("role", "region");
      canvas.setAttribute("aria-label", labels.region || "Map");
      var map = L.map(canvas, { scrollWheelZoom: false, zoomControl: false });
      L.control.zoom({ zoomInTitle: labels.zoomIn || "Zoom in", zoomOutTitle: labels.zoomOut || "Zoom out" }).addTo(map);
      L.tileLayer(canvas.getAttribute("data-tiles"), {
        maxZoom: 18,
        attribution: canvas.getAttribute("data-attribution") || ""
      }).addTo(map);
      map.attributionControl.setPrefix(false);
      map.on("popupopen", function (event) {
        var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (close && labels.closePopup) { close.setAttribute("aria-label", labels.closePopup); }
      });
      // Pins closer than a finger's width are drawn as one pin listing them all, so every pin
      // can be tapped (24 px targets, WCAG 2.5.8); regrouped at each zoom. No shadows: one
      // image fewer, and nothing blurry on high-density screens.
      var Pin = L.Icon.Default.extend({
        _getIconUrl: function (name) {
          return name === "shadow" ? null : L.Icon.Default.prototype._getIconUrl.call(this, name);
        }
      });
      var pin = new Pin();
      var layer = L.layerGroup().addTo(map);
      function entry(m) {
        var item = document.createElement("div");
        if (m.url) {
          var link = document.createElement("a");
          link.href = m.url;
          link.textContent = m.name;
          if (m.lang) { link.lang = m.lang; }
          item.appendChild(link);
        } else {
          item.textContent = m.name;
        }
        if (m.place) {
          item.appendChild(document.createElement("br"));
          item.appendChild(document.createTextNode(m.place));
        } else if (m.provinceWide && labels.provinceWide) {
          item.appendChild(document.createElement("br"));
          item.appendChild(document.createTextNode(labels.provinceWide));
        }
        if (m.estimated && labels.estimated) {
          item.appendChild(document.createElement("br"));
          var note = document.createElement("em");
          note.textContent = labels.estimated;
          item.appendChild(note);
        }
        return item;
      }
      function titleOf(m) {
        var title = m.kind ? m.name + " (" + m.kind + ")" : m.name;
        if (m.estimated && labels.estimated) { title += " – " + labels.estimated; }
        return title;
      }
      function draw() {
        layer.clearLayers();
        var groups = [];
        markers.forEach(function (m) {
          var point = map.latLngToLayerPoint([m.lat, m.lng]);
          var group = null;
          for (var i = 0; i < groups.length && !group; i++) {
            if (Math.abs(groups[i].point.x - point.x) < 32 && Math.abs(groups[i].point.y - point.y) < 48) { group = groups[i]; }
          }
          if (group) { group.items.push(m); } else { groups.push({ point: point, items: [m] }); }
        });
        groups.forEach(function (group) {
          var first = group.items[0];
          var title = group.items.length === 1 ? titleOf(first)
            : (labels.group || "%(count)s at this spot").replace("%(count)s", group.items.length) + ": " + group.items.map(function (m) { return m.name; }).join("; ");
          var marker = L.marker([first.lat, first.lng], { icon: pin, title: title, alt: title, keyboard: true }).addTo(layer);
          var icon = marker.getElement();
          if (icon) { icon.setAttribute("data-count", String(group.items.length)); }
          var popup = document.createElement("div");
          group.items.forEach(function (m, index) {
            var item = entry(m);
            if (index) { item.className = "map-popup-item"; }
            popup.appendChild(item);
          });
          marker.bindPopup(popup);
        });
      }
      var bounds = markers.map(function (m) { return [m.lat, m.lng]; });
      if (bounds.length === 1) { map.setView(bounds[0], 9); } else { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 }); }
      draw();
      map.on("zoomend", draw);
      canvas.setAttribute("data-drawn", String(markers.length));
    }
  });
})();
