/* Progressive enhancement: turns the marker data printed by the page into a Leaflet map.
   Without JavaScript, Leaflet or tiles, the page's list remains the complete answer. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    if (typeof window.L === "undefined") { return; }
    var labelsNode = document.getElementById("map-labels");
    var labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
    document.querySelectorAll(".map[data-markers]").forEach(function (canvas) {
      var dataNode = document.getElementById(canvas.getAttribute("data-markers"));
      if (!dataNode) { return; }
      var markers = JSON.parse(dataNode.textContent);
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
      var bounds = [];
      markers.forEach(function (m) {
        var title = m.kind ? m.name + " (" + m.kind + ")" : m.name;
        if (m.estimated && labels.estimated) { title += " – " + labels.estimated; }
        var marker = L.marker([m.lat, m.lng], { title: title, alt: title, keyboard: true }).addTo(map);
        var popup = document.createElement("div");
        if (m.url) {
          var link = document.createElement("a");
          link.href = m.url;
          link.textContent = m.name;
          if (m.lang) { link.lang = m.lang; }
          popup.appendChild(link);
        } else {
          popup.textContent = m.name;
        }
        if (m.place) {
          popup.appendChild(document.createElement("br"));
          popup.appendChild(document.createTextNode(m.place));
        } else if (m.provinceWide && labels.provinceWide) {
          popup.appendChild(document.createElement("br"));
          popup.appendChild(document.createTextNode(labels.provinceWide));
        }
        if (m.estimated && labels.estimated) {
          popup.appendChild(document.createElement("br"));
          var note = document.createElement("em");
          note.textContent = labels.estimated;
          popup.appendChild(note);
        }
        marker.bindPopup(popup);
        bounds.push([m.lat, m.lng]);
      });
      if (bounds.length === 1) { map.setView(bounds[0], 9); } else { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 }); }
    });
  });
})();
