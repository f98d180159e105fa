/*
 * The family-manager map (familienmanager/karte/): consent, markers from the GeoJSON
 * data file, popups, and the filter shared by the list and the markers.
 *
 * The map skeleton (Leaflet map, tile layer, cluster group) comes from folium, as
 * window.familienmanagerKarte(L) in the page. Everything built here from data uses
 * textContent and DOM APIs, never innerHTML, so no field can inject markup.
 */
(function () {
  "use strict";

  var STORE_KEY = "familienmanager-karte-kacheln";
  // Shared by every copy of this script: instant navigation runs it again per visit.
  var shared = window.__familienmanagerKarte || (window.__familienmanagerKarte = {});

  // --- small helpers ---------------------------------------------------------------

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    return node;
  }

  function stored() {
    try {
      return window.localStorage.getItem(STORE_KEY);
    } catch (error) {
      return null; // storage blocked: ask on every visit
    }
  }

  function store(value) {
    try {
      if (value) window.localStorage.setItem(STORE_KEY, value);
      else window.localStorage.removeItem(STORE_KEY);
    } catch (error) {
      /* storage blocked: the choice lasts for this page view */
    }
  }

  var UMLAUTS = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss" };

  // Two spellings per text, so "Dusseldorf", "Duesseldorf" and "Düsseldorf" all match.
  function folds(text) {
    var lower = text.toLowerCase();
    var spelled = lower.replace(/[äöüß]/g, function (c) { return UMLAUTS[c]; });
    return [spelled, lower].map(function (t) {
      return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
    });
  }

  function plural(n) {
    if (n === 0) return "Keine Orte gefunden";
    return n === 1 ? "1 Ort gefunden" : n + " Orte gefunden";
  }

  // --- popups ------------------------------------------------------------------------

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function managerItem(m) {
    var item = el("li");
    var lines = [];
    if (m.name) lines.push(document.createTextNode(m.name));
    lines.push(document.createTextNode(m.dienststelle));
    lines.push(document.createTextNode("Zertifikatskurs " + m.kurs + " (" + m.jahr + ")"));
    if (m.email) lines.push(link("mailto:" + m.email, m.email));
    if (m.telefon) lines.push(link("tel:" + m.telefon.replace(/[^0-9+]/g, ""), m.telefon));
    if (m.web && /^https?:\/\//i.test(m.web)) {
      lines.push(link(m.web, new URL(m.web).hostname));
    }
    lines.forEach(function (line, i) {
      if (i) item.appendChild(el("br"));
      item.appendChild(line);
    });
    return item;
  }

  function placeLabel(p) {
    return p.kreis ? p.kommune + " (" + p.kreis + ")" : p.kommune;
  }

  // A manager's row of the data file as an object, by the collection's column names.
  function manager(fields, row) {
    var m = {};
    fields.forEach(function (name, i) { m[name] = row[i]; });
    return m;
  }

  function popupContent(p, fields, map) {
    // One popup is open at a time (Leaflet closes the last one), so the id is unique.
    var box = el("div", null, { "class": "karte-popup", id: "karte-popup", tabindex: "-1" });
    // Leaflet listens for Escape only while the map itself has focus, not its popup.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") map.closePopup();
    });
    var head = el("p");
    head.appendChild(el("strong", p.kommune));
    head.appendChild(el("br"));
    head.appendChild(document.createTextNode(
      (p.kreis ? p.kreis + ", " : "") + "Regierungsbezirk " + p.regierungsbezirk
    ));
    box.appendChild(head);
    var list = el("ul");
    p.familienmanager.forEach(function (row) { list.appendChild(managerItem(manager(fields, row))); });
    box.appendChild(list);
    return box;
  }

  // --- the map -----------------------------------------------------------------------

  // Runs as soon as the map area is parsed, before the long list below it, so that
  // Leaflet and the data file load while the browser still reads the page.
  // Leaflet frames the map by the container's size when it is made; made at size 0
  // (a page that instant navigation has swapped in but not yet laid out), the frame
  // and the clusters come out wrong. So wait until the container has a size.
  function whenLaidOut(element, callback) {
    if (element.clientWidth && element.clientHeight) return callback();
    if (!window.ResizeObserver) return callback();
    var observer = new ResizeObserver(function () {
      if (!element.clientWidth || !element.clientHeight) return;
      observer.disconnect();
      callback();
    });
    observer.observe(element);
  }

  function setupMap(area) {
    var mapEl = area.querySelector(".karte__map");
    var consentBox = document.getElementById("karte-zustimmung");
    var loadButton = document.getElementById("karte-laden");
    var legend = document.getElementById("karte-legende");
    var withdraw = document.getElementById("karte-widerruf");
    var data = area.querySelector("a[href$='.geojson']");
    var host = mapEl.getAttribute("data-kacheln");
    var needsConsent = mapEl.getAttribute("data-zustimmung") === "ja";
    // places: the list's entries once parsed (setupList); query: the filter's text.
    var state = { area: area, mapEl: mapEl, markers: [], buttons: [], places: null, query: null };

    area.querySelector(".karte__ohne-js").hidden = true;

    function visible(i) {
      return !state.places || state.places[i].visible;
    }

    state.showMarkers = function (zoom) {
      if (!state.cluster) return;
      var shown = state.markers.filter(function (m, i) { return m && visible(i); });
      state.cluster.clearLayers();
      state.cluster.addLayers(shown);
      if (zoom && shown.length) {
        state.map.fitBounds(window.L.featureGroup(shown).getBounds(), { maxZoom: 11, padding: [30, 30] });
      } else if (!zoom) {
        state.map.setView(state.home[0], state.home[1]);
      }
    };

    // "Auf der Karte zeigen": keyboard and screen-reader users reach every marker here.
    state.addButtons = function () {
      if (!state.places || !state.cluster || state.buttons.length) return;
      state.markers.forEach(function (marker, i) {
        var place = state.places[i];
        if (!marker || !place) return;
        var button = el("button", "Auf der Karte zeigen", {
          type: "button",
          "class": "md-button karte-zeigen",
          "aria-label": "Auf der Karte zeigen: " + place.name,
        });
        button.addEventListener("click", function () {
          state.returnFocus = button;
          mapEl.scrollIntoView({ block: "center" });
          state.cluster.zoomToShowLayer(marker, function () { marker.openPopup(); });
        });
        place.heading.after(button);
        state.buttons.push(button);
      });
    };

    function buildMarkers(collection) {
      var L = window.L;
      state.markers = collection.features.map(function (feature) {
        if (!feature.geometry) return null;
        var p = feature.properties;
        var c = feature.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], { alt: placeLabel(p), keyboard: true });
        // Leaflet makes the marker an <img role="button"> named by its alt text. Not every
        // checker (HTML_CodeSniffer) takes alt as the name of a button: say it once more.
        marker.on("add", function () {
          var icon = marker.getElement();
          if (icon) icon.setAttribute("aria-label", placeLabel(p));
        });
        marker.bindTooltip(function () { return el("span", placeLabel(p)); }, {
          direction: "top",
          offset: [0, -36],
        });
        marker.bindPopup(function () { return popupContent(p, collection.felder, state.map); }, {
          maxWidth: Math.min(300, mapEl.clientWidth - 110), // fits beside the zoom buttons
          maxHeight: 320,
          autoPanPaddingTopLeft: [50, 10], // clear of the zoom buttons
        });
        return marker;
      });
      state.showMarkers(Boolean(state.query));
      state.addButtons();
    }

    function createMap(L) {
      L.Icon.Default.imagePath = new URL("../vendor/leaflet/images/", here).href;
      L.Control.Zoom.prototype.options.zoomInTitle = "Vergrößern";
      L.Control.Zoom.prototype.options.zoomOutTitle = "Verkleinern";
      var parts = window.familienmanagerKarte(L);
      state.map = parts.map;
      state.cluster = parts.cluster;
      state.home = [parts.map.getCenter(), parts.map.getZoom()];
      parts.tiles.addTo(parts.map);
      // Leaflet reads the container's size once. After an instant navigation (back
      // button) the page may still be laid out when the map is made: with a size of
      // 0 the cluster draws no marker and never learns better. Follow the container.
      if (window.ResizeObserver) {
        state.resize = new ResizeObserver(function () {
          if (state.map) state.map.invalidateSize();
        });
        state.resize.observe(mapEl);
      }
      parts.map.on("popupopen", function (event) {
        var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (close) {
          close.setAttribute("aria-label", "Schließen");
          close.title = "Schließen";
          // Leaflet's href="#close" points at nothing (a broken in-page link to checkers);
          // Leaflet cancels the click anyway. Point it at the popup's content instead.
          close.setAttribute("href", "#karte-popup");
        }
        var content = event.popup.getElement().querySelector(".karte-popup");
        if (content && state.returnFocus) content.focus();
      });
      parts.map.on("popupclose", function () {
        var back = state.returnFocus;
        state.returnFocus = null;
        if (back && (mapEl.contains(document.activeElement) || document.activeElement === document.body)) {
          back.focus();
        }
      });
    }

    function loadMap() {
      var visit = (state.visit = {});
      consentBox.hidden = true;
      mapEl.hidden = false;
      legend.hidden = false;
      withdraw.parentElement.hidden = !needsConsent;
      var collection = fetch(data.href).then(function (response) {
        if (!response.ok) throw new Error(data.href + ": " + response.status);
        return response.json();
      });
      Promise.all([libraries(), collection])
        .then(function (results) {
          whenLaidOut(mapEl, function () {
            if (state.visit !== visit) return; // taken back meanwhile
            createMap(window.L);
            buildMarkers(results[1]);
          });
        })
        .catch(function (error) {
          console.error("karte.js:", error);
          mapEl.parentElement.insertBefore(
            el("p", "Die Karte konnte nicht geladen werden. Bitte nutzen Sie die Liste unten.",
              { "class": "karte__fehler", role: "alert" }),
            mapEl
          );
        });
    }

    function unloadMap() {
      state.visit = null;
      if (state.resize) state.resize.disconnect();
      if (state.map) state.map.remove();
      state.buttons.forEach(function (b) { b.remove(); });
      state.map = state.cluster = null;
      state.markers = [];
      state.buttons = [];
      mapEl.hidden = true;
      legend.hidden = true;
      consentBox.hidden = false;
    }

    loadButton.addEventListener("click", function () {
      store(host);
      loadMap();
      mapEl.focus();
    });
    withdraw.addEventListener("click", function () {
      store(null);
      unloadMap();
      loadButton.focus();
    });

    if (!needsConsent || stored() === host) loadMap();
    else consentBox.hidden = false;
    return state;
  }

  // --- the list and the filter -------------------------------------------------------

  // Runs once the page is parsed: the filter narrows the list and the markers together
  // and says in a live region how many places are left.
  function setupList(state) {
    var list = document.getElementById("karte-liste");
    var input = document.getElementById("karte-filter");
    var status = document.getElementById("karte-anzahl");
    if (!list || !input) return;
    // The n-th place of the list is the n-th feature of the data file.
    state.places = Array.prototype.map.call(list.querySelectorAll("h5"), function (h) {
      var group = h.parentElement.parentElement.parentElement;
      return {
        name: h.textContent,
        heading: h,
        item: h.parentElement,
        text: folds(h.textContent + " " + group.querySelector("h4").textContent).join(" | "),
        visible: true,
      };
    });
    var boxes = Array.prototype.slice.call(list.querySelectorAll("section, section > div"));
    document.getElementById("karte-filter-bereich").hidden = false;

    var timer = null;
    function applyFilter() {
      var query = input.value.trim() ? folds(input.value) : null;
      var count = 0;
      state.places.forEach(function (p) {
        p.visible = !query || p.text.indexOf(query[0]) >= 0 || p.text.indexOf(query[1]) >= 0;
        p.item.hidden = !p.visible;
        if (p.visible) count++;
      });
      boxes.forEach(function (box) {
        box.hidden = !box.querySelector("li:not([hidden]) > h5");
      });
      state.query = query;
      status.textContent = query ? plural(count) : "";
      state.showMarkers(Boolean(query));
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(applyFilter, 200);
    });
    state.addButtons();
  }

  // Leaflet and its plugins (copied by generator/mapping.py to assets/vendor/), loaded
  // only when the visitor wants the map, once per full page load, and run in order:
  // the plugins need Leaflet. Material's instant navigation would run script tags
  // of the content in no fixed order, so the page names none of them.
  var LIBRARIES = [
    "../vendor/leaflet/leaflet.js",
    "../vendor/markercluster/leaflet.markercluster.js",
    "../vendor/gesturehandling/leaflet-gesture-handling.min.js",
  ];
  var here = document.currentScript.src; // assets/javascripts/karte.js

  function libraries() {
    if (!shared.libraries) {
      shared.libraries = Promise.all(LIBRARIES.map(function (path) {
        return new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.async = false; // run in insertion order, download in parallel
          script.onload = resolve;
          script.onerror = function () { reject(new Error(script.src)); };
          script.src = new URL(path, here).href;
          document.head.appendChild(script);
        });
      }));
      shared.libraries.catch(function () { shared.libraries = null; }); // retry next time
    }
    return shared.libraries;
  }

  // Runs on every page view: Material's instant navigation swaps the content and
  // emits on document$; without it this runs once on DOMContentLoaded.
  function init() {
    var area = document.getElementById("karte-bereich");
    var current = shared.current;
    if (current && current.area !== area) {
      if (current.resize) current.resize.disconnect();
      if (current.map) current.map.remove(); // the page was left: free the old map
      shared.current = null;
    }
    if (!area || area.hasAttribute("data-bereit")) return;
    area.setAttribute("data-bereit", "");
    var state = (shared.current = setupMap(area));
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { setupList(state); });
    } else {
      setupList(state);
    }
  }

  function subscribe() {
    if (window.document$ && !shared.subscribed) {
      shared.subscribed = true;
      window.document$.subscribe(init);
    }
  }

  function start() {
    subscribe();
    // Read before the end of the page, Material's bundle has not run yet.
    if (!shared.subscribed) document.addEventListener("DOMContentLoaded", subscribe);
    init(); // idempotent: a page's map area is set up once
  }

  start(); // the page puts this script right after the map area, before the list
})();
