/*
 * The family-manager map page (familienmanager/karte/): the finder ("Wer ist für
 * meinen Wohnort zuständig?"), consent, markers from the GeoJSON data file, popups,
 * and the filter shared by the list and the markers.
 *
 * One object per page view (MapPage) holds all state and has one teardown
 * (destroy), as Leaflet's own classes do; Material's instant navigation swaps pages
 * without a reload, so the registry on window keeps only the current instance. The
 * map skeleton (Leaflet map, tile layer, cluster group) comes from folium, as
 * window.familienmanagerKarte(L) in the page. Markers, list entries and finder
 * results are paired by the places' stable ids ("kreis-dueren"), never by position.
 * Everything built from data uses textContent and DOM APIs, never innerHTML.
 */
(function () {
  "use strict";

  var STORE_KEY = "familienmanager-karte-kacheln";
  // One registry for every copy of this script: instant navigation runs it again per visit.
  var registry = window.__familienmanagerKarte || (window.__familienmanagerKarte = {});
  var here = document.currentScript.src; // assets/javascripts/karte.js

  // --- small helpers ---------------------------------------------------------------

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
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

  function persons(n) {
    return n === 1 ? "1 Person" : n + " Personen";
  }

  // --- folding: the same as generator/data/register.py (fold, name_keys) ------------
  // tests/folding_cases.json holds the cases both must agree on.

  var UMLAUTS = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss" };
  var PREFIX = /^(stadt|gemeinde|kreisfreie stadt|kreis|landkreis)\s+/;

  function ascii(text) {
    return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  }

  function fold(name) {
    var text = name.normalize("NFC").trim().toLowerCase();
    text = ascii(text.replace(/[äöüß]/g, function (c) { return UMLAUTS[c]; }));
    return text.replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean).join(" ");
  }

  function nameKeys(name) {
    var nfc = name.normalize("NFC");
    var keys = [fold(nfc), fold(ascii(nfc.toLowerCase().replace(/ß/g, "ss")))];
    keys = keys.concat(keys.map(function (key) { return key.replace(PREFIX, ""); }));
    return keys.filter(function (key, i) { return keys.indexOf(key) === i; }).sort();
  }

  // --- the finder: an APG combobox with list autocomplete ----------------------------

  var MAX_OPTIONS = 8;

  function Finder(section, page) {
    this.section = section;
    this.page = page;
    this.input = section.querySelector("#finder-eingabe");
    this.listbox = section.querySelector("#finder-vorschlaege");
    this.status = section.querySelector("#finder-anzahl");
    this.result = section.querySelector("#finder-ergebnis");
    this.dataHref = section.getAttribute("data-daten");
    this.pagesHref = section.getAttribute("data-kommunen");
    this.data = null;
    this.matches = [];
    this.active = -1;
    this.timer = null;
  }

  Finder.prototype.start = function () {
    var self = this;
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    this.page.listen(input, "input", function () { self.onInput(); });
    this.page.listen(input, "keydown", function (event) { self.onKey(event); });
    this.page.listen(input, "focus", function () { self.load(); });
    this.page.listen(input, "blur", function () {
      self.timer = setTimeout(function () { self.close(); }, 150);
    });
    this.page.listen(input.form, "submit", function (event) {
      event.preventDefault();
      self.chooseTyped();
    });
    this.page.listen(this.listbox, "mousedown", function (event) { event.preventDefault(); });
    this.page.listen(this.listbox, "click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.choose(Number(option.getAttribute("data-index")));
    });
    var wanted = new URLSearchParams(window.location.search).get("gemeinde");
    if (wanted) {
      this.load().then(function () {
        var index = self.data.gemeinden.findIndex(function (g) { return g.slug === wanted; });
        if (index >= 0) self.choose(index, true);
      });
    }
  };

  // The data file (every municipality and who is there for it) loads on first use.
  Finder.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.loading = fetch(this.dataHref)
        .then(function (response) {
          if (!response.ok) throw new Error(self.dataHref + ": " + response.status);
          return response.json();
        })
        .then(function (data) {
          data.orte = data.orte.map(placeOfRow);
          data.gemeinden = data.gemeinden.map(municipalityOfRow);
          self.data = data;
          if (self.input.value.trim()) self.onInput();
        })
        .catch(function (error) {
          console.error("karte.js:", error);
          self.loading = null;
          self.status.textContent = "Die Suche ist gerade nicht verfügbar. Bitte nutzen Sie die Liste aller Städte und Gemeinden.";
        });
    }
    return this.loading;
  };

  // The rows of the finder's data file (generator/map/responsibility.py: finder_data).
  // Ids and page names are the names folded, as the generator makes them (slugify).
  function slugOf(name) {
    return fold(name).split(" ").join("-");
  }

  function placeOfRow(row) {
    return { id: slugOf(row[0]), name: row[0], count: row[1] };
  }

  function municipalityOfRow(row) {
    var name = row[0];
    var plain = name.replace(/\s*\(.*?\)/g, "");
    return {
      name: name,
      slug: slugOf(name),
      kreis: row[1],
      own: row[2],
      kreisPlace: row[3],
      nearby: row[4],
      sentence: row[5],
      kreisPhrase: row[6],
      postcodes: row[7] ? row[7].split(" ") : [],
      keys: nameKeys(name).concat(plain !== name ? nameKeys(plain) : []),
      folded: fold(name),
    };
  }

  // Digits are a postcode or its beginning: "52372", "523".
  function postcodeIn(text) {
    var digits = text.replace(/\s+/g, "");
    return /^\d{1,5}$/.test(digits) ? digits : null;
  }

  function postcodesStartingWith(g, digits) {
    return g.postcodes.filter(function (c) { return c.indexOf(digits) === 0; });
  }

  // "Monschau 52156" or "52156 Monschau": a whole postcode and a name together.
  function postcodeAndName(text) {
    var code = /(?:^|\D)(\d{5})(?!\d)/.exec(text);
    if (!code) return null;
    var name = text.replace(code[1], " ").replace(/[\s,;]+/g, " ").trim();
    return /[^\W\d_]/.test(name) ? { code: code[1], name: name } : null;
  }

  function listed(names) {
    return names.length < 2 ? names.join("") : names.slice(0, -1).join(", ") + " und " + names[names.length - 1];
  }

  // The municipalities a postcode (or its beginning) serves, by name.
  Finder.prototype.byPostcode = function (digits) {
    var served = [];
    this.data.gemeinden.forEach(function (g, index) {
      if (postcodesStartingWith(g, digits).length) served.push([g.folded, index]);
    });
    served.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    return served.map(function (f) { return f[1]; });
  };

  // [rank, folded name, index], best first: 0 the whole name, 1 a name that starts with
  // the text, 2 a word in the name that does.
  Finder.prototype.ranked = function (text) {
    var wanted = nameKeys(text).filter(Boolean);
    if (!wanted.length) return [];
    var found = [];
    this.data.gemeinden.forEach(function (g, index) {
      var rank = 9;
      g.keys.forEach(function (key) {
        wanted.forEach(function (w) {
          if (key === w) rank = Math.min(rank, 0);
          else if (key.indexOf(w) === 0) rank = Math.min(rank, 1);
          else if (key.indexOf(" " + w) >= 0) rank = Math.min(rank, 2);
        });
      });
      if (rank < 9) found.push([rank, g.folded, index]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return found;
  };

  Finder.prototype.byName = function (text) {
    return this.ranked(text).map(function (f) { return f[2]; });
  };

  // Best first: the whole name, then names that start with the text, then a word in them;
  // for a postcode, the municipalities it serves (a beginning: all whose codes start so);
  // for a postcode with a name, those both point at.
  Finder.prototype.search = function (text) {
    if (!this.data) return [];
    var postcode = postcodeIn(text);
    if (postcode) return this.byPostcode(postcode);
    var both = postcodeAndName(text);
    if (both) {
      var byCode = this.byPostcode(both.code);
      var named = this.byName(both.name);
      var agree = byCode.filter(function (i) { return named.indexOf(i) >= 0; });
      if (agree.length) return agree;
      return byCode.concat(named.filter(function (i) { return byCode.indexOf(i) < 0; }));
    }
    return this.byName(text);
  };

  // Nothing matched the whole text ("Köln-Porz", "Essen Kettwig"): the municipalities
  // named by a part of it, longest part first. Ortsteile are not in the data.
  Finder.prototype.within = function (text) {
    var words = fold(text).split(" ").filter(Boolean);
    for (var size = words.length - 1; size >= 1; size--) {
      var found = [];
      for (var start = 0; start + size <= words.length; start++) {
        var part = words.slice(start, start + size).join(" ");
        if (part.length < 3) continue;
        this.ranked(part).forEach(function (f) {
          if (f[0] <= 1 && found.indexOf(f[2]) < 0) found.push(f[2]);
        });
      }
      if (found.length) return found;
    }
    return [];
  };

  Finder.prototype.onInput = function () {
    var text = this.input.value;
    if (!this.data) {
      this.load();
      return;
    }
    this.matches = text.trim() ? this.search(text) : [];
    this.active = -1;
    this.status.classList.remove("finder__anzahl--leise");
    var n = this.matches.length;
    var postcode = postcodeIn(text);
    var within = text.trim() && !n && !postcode ? this.within(text) : [];
    if (within.length) this.matches = within;
    this.render();
    if (!text.trim()) this.status.textContent = "";
    else if (within.length) {
      var self = this;
      var names = within.slice(0, 3).map(function (i) { return self.data.gemeinden[i].name; });
      this.status.textContent = "„" + text.trim() + "“ ist keine Stadt und keine Gemeinde in NRW. " +
        "Ortsteile kennt die Suche nicht. Meinen Sie " + listed(names).replace(/ und /, " oder ") +
        "? Wählen Sie einen Vorschlag oder tippen Sie Ihre Postleitzahl.";
    } else if (!n) this.status.textContent = postcode
      ? "Keine Stadt oder Gemeinde in NRW mit dieser Postleitzahl gefunden."
      : "Keine Stadt oder Gemeinde in NRW gefunden. Ortsteile kennt die Suche nicht: " +
        "Tippen Sie den Namen Ihrer Stadt oder Gemeinde oder Ihre Postleitzahl.";
    else this.status.textContent = n === 1 ? "1 Vorschlag" : n + " Vorschläge" +
      (n > MAX_OPTIONS ? ", die ersten " + MAX_OPTIONS + " werden gezeigt" : "");
  };

  Finder.prototype.render = function () {
    var self = this;
    var listbox = this.listbox;
    listbox.textContent = "";
    var postcode = postcodeIn(this.input.value);
    this.matches.slice(0, MAX_OPTIONS).forEach(function (index, i) {
      var g = self.data.gemeinden[index];
      var option = el("li", g.name, {
        role: "option",
        id: "finder-option-" + i,
        "data-index": String(index),
        "aria-selected": i === self.active ? "true" : "false",
      });
      option.appendChild(el("span", g.kreis ? " " + g.kreis : " kreisfreie Stadt", { "class": "finder__kreis" }));
      if (postcode) {
        var codes = postcodesStartingWith(g, postcode);
        option.appendChild(el("span", ", PLZ " + codes.slice(0, 3).join(", ") + (codes.length > 3 ? " …" : ""), { "class": "finder__kreis" }));
      }
      listbox.appendChild(option);
    });
    var open = listbox.children.length > 0;
    listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", "finder-option-" + this.active);
    else this.input.removeAttribute("aria-activedescendant");
  };

  Finder.prototype.close = function () {
    this.listbox.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Finder.prototype.move = function (step) {
    var count = Math.min(this.matches.length, MAX_OPTIONS);
    if (!count) return;
    if (this.listbox.hidden || this.active < 0) this.active = step > 0 ? 0 : count - 1;
    else this.active = (this.active + step + count) % count;
    this.render();
    var option = document.getElementById("finder-option-" + this.active);
    if (option) option.scrollIntoView({ block: "nearest" });
  };

  Finder.prototype.onKey = function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (event.altKey) this.render();
      else this.move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.move(-1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (this.active >= 0) this.choose(this.matches[this.active]);
      else this.chooseTyped();
    } else if (event.key === "Escape") {
      if (!this.listbox.hidden) this.close();
      else {
        this.input.value = "";
        this.status.textContent = "";
      }
    }
  };

  // Enter without a highlighted suggestion: the name typed in full, or the only match.
  Finder.prototype.chooseTyped = function () {
    var self = this;
    this.load().then(function () {
      if (!self.data) return;
      var matches = self.search(self.input.value);
      var exact = matches.filter(function (index) {
        var keys = nameKeys(self.input.value);
        return self.data.gemeinden[index].keys.some(function (k) { return keys.indexOf(k) >= 0; });
      });
      if (exact.length === 1 || matches.length === 1) {
        self.choose(exact[0] !== undefined ? exact[0] : matches[0]);
        return;
      }
      self.onInput();
      if (self.matches.length === 1 && !matches.length) {
        // "Köln-Porz": the one municipality it names, with the reason on screen.
        var typed = self.input.value.trim();
        self.choose(self.matches[0]);
        self.status.textContent = "„" + typed + "“: Ortsteile kennt die Suche nicht. Gezeigt wird " +
          self.input.value + ".";
        self.status.classList.remove("finder__anzahl--leise");
      } else if (self.matches.length > 1) {
        // Several fit (52525 is Heinsberg's and Waldfeucht's): say so, never nothing.
        var names = self.matches.slice(0, MAX_OPTIONS).map(function (i) { return self.data.gemeinden[i].name; });
        var code = postcodeIn(self.input.value);
        self.status.textContent = (code && code.length === 5
          ? "Die Postleitzahl " + code + " gehört zu " + self.matches.length + " Städten und Gemeinden: " + listed(names) + "."
          : self.matches.length + " Städte und Gemeinden passen" + (self.matches.length > MAX_OPTIONS ? ", die ersten " + MAX_OPTIONS + " stehen in der Liste." : ": " + listed(names) + ".")) +
          " Bitte wählen Sie Ihre aus der Liste: mit den Pfeiltasten und der Eingabetaste oder mit einem Klick.";
      }
    });
  };

  // The reason, from the generator's templates (generator/map/responsibility.py).
  Finder.prototype.reason = function (g) {
    return this.data.saetze[g.sentence].replace("{gemeinde}", g.name).replace("{kreis}", g.kreisPhrase);
  };

  Finder.prototype.choose = function (index, fromLink) {
    var data = this.data;
    var g = data.gemeinden[index];
    var sentence = this.reason(g);
    var place = function (i) { return data.orte[i]; };
    this.input.value = g.name;
    this.close();
    var box = this.result;
    box.textContent = "";
    box.appendChild(el("h3", g.name));
    if (this.section.hasAttribute("data-beispieldaten")) {
      box.appendChild(el("p", "Beispieldaten: Diese Angaben zeigen nicht, wer tatsächlich zuständig ist.", { "class": "finder__beispiel" }));
    }
    box.appendChild(el("p", sentence));
    var responsible = g.own >= 0 ? g.own : g.kreisPlace;
    if (responsible >= 0) {
      var list = el("ul");
      list.appendChild(this.placeItem(place(responsible), null));
      box.appendChild(list);
    }
    if (g.nearby.length) {
      box.appendChild(el("p", data.saetze.naehe.replace("{gemeinde}", g.name)));
      var near = el("ul");
      var self = this;
      g.nearby.forEach(function (n) { near.appendChild(self.placeItem(place(n[0]), n[1])); });
      box.appendChild(near);
    }
    var more = el("p");
    more.appendChild(link(new URL(g.slug + "/", new URL(this.pagesHref, window.location.href)).href,
      "Alles zu " + g.name + " mit Kontaktdaten"));
    box.appendChild(more);
    box.hidden = false;
    this.status.textContent = sentence;
    this.status.classList.add("finder__anzahl--leise");
    if (!fromLink) {
      var url = new URL(window.location.href);
      url.searchParams.set("gemeinde", g.slug);
      window.history.replaceState(window.history.state, "", url.href);
    }
    var target = responsible >= 0 ? place(responsible).id : g.nearby.length ? place(g.nearby[0][0]).id : null;
    if (target) this.page.showPlace(target, false);
  };

  // A place in the results: its entry in the list below (contacts), people, distance.
  Finder.prototype.placeItem = function (p, km) {
    var item = el("li");
    item.appendChild(link("#ort-" + p.id, p.name));
    item.appendChild(document.createTextNode(
      (km ? ": etwa " + km + " km, " : ": ") + persons(p.count)
    ));
    return item;
  };

  // --- popups: the place's entry of the list, so the page carries each manager once ----

  function placeLabel(p) {
    return p.kreis && p.kreis !== p.name ? p.name + " (" + p.kreis + ")" : p.name;
  }

  function popupContent(p, map) {
    // One popup is open at a time (Leaflet closes the last one), so the id is unique.
    var box = el("div", null, { "class": "karte-popup", id: "karte-popup", tabindex: "-1" });
    // Leaflet listens for Escape only while the map itself has focus, not its popup.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") map.closePopup();
    });
    var head = el("p");
    head.appendChild(el("strong", p.name));
    head.appendChild(el("br"));
    var kreis = p.kreis && p.kreis !== p.name ? p.kreis + ", " : "";
    head.appendChild(document.createTextNode(kreis + "Regierungsbezirk " + p.bezirk));
    box.appendChild(head);
    box.appendChild(p.item.querySelector("ul").cloneNode(true));
    return box;
  }

  // --- the page: one instance per page view, one teardown ----------------------------

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

  function MapPage(area) {
    this.area = area;
    this.mapEl = area.querySelector(".karte__map");
    this.consentBox = area.querySelector("#karte-zustimmung");
    this.loadButton = area.querySelector("#karte-laden");
    this.withdraw = area.querySelector("#karte-widerruf");
    this.message = area.querySelector("#karte-meldung");
    this.host = this.mapEl.getAttribute("data-kacheln");
    this.needsConsent = this.mapEl.getAttribute("data-zustimmung") === "ja";
    this.listeners = [];
    this.markers = {}; // place id -> Leaflet marker
    this.places = {}; // place id -> list entry {name, heading, item, text, visible, button}
    this.map = this.cluster = this.tiles = null;
    this.visit = null; // the current map load; null when taken back
    this.query = null;
    this.finder = null;
    var self = this;
    this.listReady = new Promise(function (resolve) { self.listParsed = resolve; });
  }

  MapPage.prototype.listen = function (target, type, handler) {
    target.addEventListener(type, handler);
    this.listeners.push([target, type, handler]);
  };

  MapPage.prototype.start = function () {
    var self = this;
    this.area.querySelector(".karte__ohne-js").hidden = true;
    this.listen(this.loadButton, "click", function () {
      store(self.host);
      self.loadMap(true);
    });
    if (this.withdraw) {
      this.listen(this.withdraw, "click", function () {
        store(null);
        self.unloadMap();
        self.loadButton.focus();
      });
    }
    var section = document.getElementById("finder");
    if (section) {
      this.finder = new Finder(section, this);
      this.finder.start();
    }
    if (!this.needsConsent || stored() === this.host) this.loadMap(false);
    else this.consentBox.hidden = false;
  };

  // Runs once the page is parsed (the list comes after this script).
  MapPage.prototype.startList = function () {
    var self = this;
    var list = document.getElementById("karte-liste");
    var input = document.getElementById("karte-filter");
    if (!list || !input || this.destroyed) return;
    Array.prototype.forEach.call(list.querySelectorAll("li[id^='ort-']"), function (item) {
      var heading = item.querySelector("h5");
      var group = item.closest("div").querySelector("h4").textContent;
      var lage = item.getAttribute("data-lage");
      self.places[item.id.slice(4)] = {
        name: heading.textContent,
        kreis: group === "Kreisfreie Städte" ? "" : group,
        bezirk: item.closest("section").querySelector("h3").textContent.replace("Regierungsbezirk ", ""),
        point: lage ? lage.split(",").map(Number) : null,
        heading: heading,
        item: item,
        group: group,
        text: null, // the folded name keys, made on the first filter (not on every load)
        visible: true,
      };
    });
    var boxes = Array.prototype.slice.call(list.querySelectorAll("section, section > div"));
    var status = document.getElementById("karte-anzahl");
    document.getElementById("karte-filter-bereich").hidden = false;
    var timer = null;
    function applyFilter() {
      var query = input.value.trim() ? nameKeys(input.value).filter(Boolean) : null;
      var count = 0;
      Object.keys(self.places).forEach(function (id) {
        var p = self.places[id];
        if (query && p.text === null) p.text = nameKeys(p.name + " " + p.group).join(" | ");
        p.visible = !query || query.some(function (q) { return p.text.indexOf(q) >= 0; });
        p.item.hidden = !p.visible;
        if (p.visible) count++;
      });
      boxes.forEach(function (box) { box.hidden = !box.querySelector("li:not([hidden]) > h5"); });
      self.query = query;
      status.textContent = query ? (count === 0 ? "Keine Orte gefunden" : count === 1 ? "1 Ort gefunden" : count + " Orte gefunden") : "";
      self.showMarkers(Boolean(query));
    }
    this.listen(input, "input", function () {
      clearTimeout(timer);
      timer = setTimeout(applyFilter, 200);
    });
    this.listParsed();
  };

  MapPage.prototype.showMarkers = function (zoom) {
    if (!this.cluster) return;
    var self = this;
    var shown = Object.keys(this.markers).filter(function (id) {
      return !self.places[id] || self.places[id].visible;
    }).map(function (id) { return self.markers[id]; });
    this.cluster.clearLayers();
    this.cluster.addLayers(shown);
    if (!shown.length) {
      if (!zoom) this.map.setView(this.home[0], this.home[1]);
      return;
    }
    this.frame(shown, zoom);
  };

  MapPage.prototype.frame = function (shown, zoom) {
    // Frame the points with room for what is drawn around them: a marker stands 41 px
    // above its point and is 25 px wide, a cluster is 40 px round. Framed by NRW's box
    // alone, Höxter's marker was cut off at the right edge of a phone-wide map.
    this.framing = !zoom;
    this.moved = false;
    this.map.fitBounds(window.L.featureGroup(shown).getBounds(), {
      maxZoom: zoom ? 11 : 9,
      paddingTopLeft: [24, 48],
      paddingBottomRight: [24, 24],
      // The first frame (and back to all places) at once: a zoom still running would
      // meet "Auf der Karte zeigen" pressed right after the map appeared.
      animate: Boolean(zoom),
    });
    this.framing = false;
  };

  // "Auf der Karte zeigen": keyboard and screen-reader users reach every marker here.
  MapPage.prototype.addButtons = function () {
    var self = this;
    if (!this.cluster) return;
    Object.keys(this.markers).forEach(function (id) {
      var place = self.places[id];
      if (!place || place.button) return;
      var button = el("button", "Auf der Karte zeigen", {
        type: "button",
        "class": "md-button karte-zeigen",
        "aria-label": "Auf der Karte zeigen: " + place.name,
      });
      button.addEventListener("click", function () { self.showPlace(id, true, button); });
      place.heading.after(button);
      place.button = button;
    });
  };

  MapPage.prototype.showPlace = function (id, open, returnFocus) {
    var marker = this.markers[id];
    if (!marker || !this.cluster) return;
    this.returnFocus = returnFocus || null;
    if (open) this.mapEl.scrollIntoView({ block: "center" });
    this.cluster.zoomToShowLayer(marker, function () { if (open) marker.openPopup(); });
  };

  MapPage.prototype.buildMarkers = function () {
    var L = window.L;
    var self = this;
    this.markers = {};
    Object.keys(this.places).forEach(function (id) {
      var p = self.places[id];
      if (!p.point) return;
      var label = placeLabel(p);
      var marker = L.marker(p.point, { alt: label, title: label, keyboard: true });
      // Leaflet makes the marker an <img role="button"> named by its alt text. Not every
      // checker (HTML_CodeSniffer) takes alt as the name of a button: say it once more.
      marker.on("add", function () {
        var icon = marker.getElement();
        if (icon) icon.setAttribute("aria-label", label);
      });
      marker.bindTooltip(function () { return el("span", label); }, { direction: "top", offset: [0, -36] });
      marker.bindPopup(function () { return popupContent(p, self.map); }, {
        maxWidth: Math.min(300, self.mapEl.clientWidth - 110), // fits beside the zoom buttons
        maxHeight: 320,
        autoPanPaddingTopLeft: [50, 10], // clear of the zoom buttons
      });
      marker.placeName = p.name;
      self.markers[id] = marker;
    });
    this.showMarkers(Boolean(this.query));
    this.addButtons();
  };

  // Clusters get a name: "3 Orte: Düren, Jülich, Kreuzau – vergrößern", not just "3".
  function clusterIcon(L) {
    var Named = L.DivIcon.extend({
      createIcon: function (old) {
        var icon = L.DivIcon.prototype.createIcon.call(this, old);
        icon.setAttribute("aria-label", this.options.label);
        icon.setAttribute("role", "button");
        return icon;
      },
    });
    return function (cluster) {
      var count = cluster.getChildCount();
      var names = cluster.getAllChildMarkers().map(function (m) { return m.placeName; }).sort();
      var shown = names.slice(0, 5).join(", ") + (names.length > 5 ? " und weitere" : "");
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var html = el("div");
      html.appendChild(el("span", String(count), { "aria-hidden": "true" }));
      return new Named({
        html: html,
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
        label: count + " Orte: " + shown + " – vergrößern",
      });
    };
  }

  MapPage.prototype.createMap = function (L) {
    var self = this;
    L.Icon.Default.imagePath = new URL("../vendor/leaflet/images/", here).href;
    L.Control.Zoom.prototype.options.zoomInTitle = "Vergrößern";
    L.Control.Zoom.prototype.options.zoomOutTitle = "Verkleinern";
    var parts = window.familienmanagerKarte(L);
    this.map = parts.map;
    this.cluster = parts.cluster;
    this.tiles = parts.tiles;
    this.cluster.options.iconCreateFunction = clusterIcon(L);
    // No flag: a public body's site shows the library's name, not a political symbol.
    this.map.attributionControl.setPrefix('<a href="https://leafletjs.com/" hreflang="en">Leaflet</a>');
    this.home = [this.map.getCenter(), this.map.getZoom()];
    this.watchTiles(parts.tiles);
    parts.tiles.addTo(this.map);
    // Leaflet reads the container's size once; follow it (instant navigation, rotation).
    if (window.ResizeObserver) {
      this.resize = new ResizeObserver(function () {
        if (!self.map) return;
        self.map.invalidateSize();
        // Still the first frame (the page's scrollbar came, the phone turned): frame anew.
        var all = self.cluster.getLayers();
        if (!self.moved && !self.query && all.length) self.frame(all, false);
      });
      this.resize.observe(this.mapEl);
    }
    // Any move but our own framing (drag, zoom buttons, a place shown) keeps the view.
    this.map.on("dragstart zoomstart", function () { if (!self.framing) self.moved = true; });
    this.map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", "Schließen");
        close.title = "Schließen";
        // Leaflet's href="#close" points at nothing (a broken in-page link to checkers);
        // Leaflet cancels the click anyway. Point it at the popup's content instead.
        close.setAttribute("href", "#karte-popup");
      }
      var content = event.popup.getElement().querySelector(".karte-popup");
      if (content && self.returnFocus) content.focus();
    });
    this.map.on("popupclose", function () {
      var back = self.returnFocus;
      self.returnFocus = null;
      if (back && (self.mapEl.contains(document.activeElement) || document.activeElement === document.body)) {
        back.focus();
      }
    });
  };

  // Tiles that fail (server down, offline, blocked) leave grey space: say so; markers,
  // popups, the list and the finder keep working.
  MapPage.prototype.watchTiles = function (tiles) {
    var self = this;
    var loaded = 0;
    var failed = 0;
    function check() {
      if (loaded === 0 && failed > 0 && self.map) {
        self.say("Die Kartenbilder konnten nicht geladen werden: Der Kartenserver " + self.host +
          " ist nicht erreichbar oder wird blockiert. Die Markierungen, die Liste und die Suche funktionieren trotzdem.");
      }
    }
    tiles.on("tileload", function () { loaded++; self.say(""); });
    tiles.on("tileerror", function () { failed++; });
    tiles.on("load", check);
    // A server that never answers sends neither: look again after a while.
    this.tileTimer = setTimeout(function () {
      if (loaded === 0) {
        failed = Math.max(failed, 1);
        check();
      }
    }, 8000);
  };

  MapPage.prototype.say = function (text) {
    if (this.message.textContent !== text) this.message.textContent = text;
  };

  MapPage.prototype.loadMap = function (byClick) {
    var self = this;
    var visit = (this.visit = {});
    this.consentBox.hidden = true;
    this.mapEl.hidden = false;
    if (this.withdraw) this.withdraw.parentElement.classList.toggle("karte__widerruf--aktiv", this.needsConsent);
    // Focus the map region at once (it has tabindex="-1"): not <body> after the click.
    if (byClick) this.mapEl.focus();
    Promise.all([libraries(), this.listReady])
      .then(function () {
        whenLaidOut(self.mapEl, function () {
          if (self.visit !== visit) return; // taken back or left meanwhile
          self.createMap(window.L);
          self.buildMarkers();
          if (byClick && document.activeElement === document.body) self.mapEl.focus();
        });
      })
      .catch(function (error) {
        console.error("karte.js:", error);
        self.say("Die Karte konnte nicht geladen werden. Bitte nutzen Sie die Suche oben oder die Liste unten.");
      });
  };

  MapPage.prototype.unloadMap = function () {
    var self = this;
    this.visit = null;
    clearTimeout(this.tileTimer);
    if (this.resize) this.resize.disconnect();
    if (this.map) this.map.remove();
    Object.keys(this.places).forEach(function (id) {
      var place = self.places[id];
      if (place.button) place.button.remove();
      place.button = null;
    });
    this.map = this.cluster = this.tiles = this.resize = null;
    this.markers = {};
    this.say("");
    this.mapEl.hidden = true;
    if (this.withdraw) this.withdraw.parentElement.classList.remove("karte__widerruf--aktiv");
    this.consentBox.hidden = false;
  };

  // The one teardown: the page was left (instant navigation) or set up anew.
  MapPage.prototype.destroy = function () {
    this.destroyed = true;
    this.unloadMap();
    this.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2]); });
    this.listeners = [];
  };

  // Leaflet, its plugins and their stylesheets (copied to assets/vendor/), loaded only
  // when the visitor wants the map, once per full page load; scripts run in order (the
  // plugins need Leaflet). Stylesheets load here, not in the head, so they never block
  // the page's first paint.
  var LIBRARIES = [
    "../vendor/leaflet/leaflet.js",
    "../vendor/markercluster/leaflet.markercluster.js",
    "../vendor/gesturehandling/leaflet-gesture-handling.min.js",
  ];
  var STYLES = [
    "../vendor/leaflet/leaflet.css",
    "../vendor/markercluster/MarkerCluster.css",
    "../vendor/markercluster/MarkerCluster.Default.css",
    "../vendor/gesturehandling/leaflet-gesture-handling.min.css",
  ];

  function fetchInto(tag, path) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      node.onload = resolve;
      node.onerror = function () { reject(new Error(path)); };
      if (tag === "script") {
        node.async = false; // run in insertion order, download in parallel
        node.src = new URL(path, here).href;
      } else {
        node.rel = "stylesheet";
        node.href = new URL(path, here).href;
      }
      document.head.appendChild(node);
    });
  }

  function libraries() {
    if (!registry.libraries) {
      registry.libraries = Promise.all(
        STYLES.map(function (p) { return fetchInto("link", p); })
          .concat(LIBRARIES.map(function (p) { return fetchInto("script", p); }))
      );
      registry.libraries.catch(function () { registry.libraries = null; }); // retry next time
    }
    return registry.libraries;
  }

  // Runs on every page view: Material's instant navigation swaps the content and emits
  // on document$; without it this runs once on DOMContentLoaded.
  function init() {
    var area = document.getElementById("karte-bereich");
    var current = registry.current;
    if (current && current.area !== area) {
      current.destroy(); // the page was left: free the old map and its listeners
      registry.current = null;
    }
    if (!area || area.hasAttribute("data-bereit")) return;
    area.setAttribute("data-bereit", "");
    var page = (registry.current = new MapPage(area));
    page.start();
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { page.startList(); });
    } else {
      page.startList();
    }
  }

  // For tests/folding_cases.json in the browser (tests/test_map_browser.py).
  registry.fold = fold;
  registry.nameKeys = nameKeys;
  registry.slugOf = slugOf;

  if (window.document$ && !registry.subscribed) {
    registry.subscribed = true;
    window.document$.subscribe(init);
  } else if (!registry.subscribed) {
    // Read before the end of the page, Material's bundle has not run yet.
    document.addEventListener("DOMContentLoaded", function () {
      if (window.document$ && !registry.subscribed) {
        registry.subscribed = true;
        window.document$.subscribe(init);
      }
    });
  }
  init(); // idempotent: a page's map area is set up once
})();
