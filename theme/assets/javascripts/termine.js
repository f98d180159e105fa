/* Termine pages: keep "upcoming" and "today" true when the page is older than today.
 * The site is rebuilt nightly; between rebuilds this moves events that are over from
 * "Kommende Termine" into their year of the archive and marks today's day in the grid.
 * Without JavaScript the pages show the state of their build, which is still correct
 * except for the days since then.
 * Then the list filters (place or Kreis, "nur kommende"), which exist only with script:
 * without it every list is complete and the series links still filter by series. */
(function () {
  "use strict";
  function isoToday() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }
  var today = isoToday();

  // Month grid: move aria-current="date" to today's cell.
  var cells = document.querySelectorAll(".fm-cal td[data-date]");
  if (cells.length) {
    var stale = document.querySelector('.fm-cal td[aria-current="date"]');
    var fresh = document.querySelector('.fm-cal td[data-date="' + today + '"]');
    if (stale && stale !== fresh) {
      stale.removeAttribute("aria-current");
      var mark = stale.querySelector(".fm-day__today");
      if (mark) { mark.remove(); }
    }
    if (fresh && fresh !== stale) {
      fresh.setAttribute("aria-current", "date");
      var label = document.createElement("span");
      label.className = "fm-day__today";
      label.textContent = "heute";
      fresh.querySelector(".fm-day__head").append(" ", label);
    }
  }

  // The month at a glance: the same for its day cells.
  var miniStale = document.querySelector('.fm-mini td[aria-current="date"]');
  var miniFresh = document.querySelector('.fm-mini td[data-date="' + today + '"]');
  if (miniStale && miniStale !== miniFresh) { miniStale.removeAttribute("aria-current"); }
  if (miniFresh) { miniFresh.setAttribute("aria-current", "date"); }

  // Subscription box of a build without site_url: show the address the browser knows.
  document.querySelectorAll("code.fm-feed__url[data-href]").forEach(function (code) {
    if (!/^https?:/.test(code.textContent)) {
      code.textContent = new URL(code.getAttribute("data-href"), window.location.href).href;
    }
  });

  var upcoming = document.getElementById("fm-upcoming");
  if (!upcoming) { return; }
  var moved = moveEventsThatAreOver(upcoming);
  setUpFilters(document.getElementById("fm-filters"), upcoming, moved);

  // Lists: events whose last day is before today go to the archive. True when any went.
  function moveEventsThatAreOver(upcoming) {
    var wrapper = upcoming.closest(".fm-upcoming");
    if (wrapper && wrapper.getAttribute("data-today") >= today) { return false; }
    var over = Array.prototype.filter.call(upcoming.children, function (item) {
      return item.getAttribute("data-end") < today;
    });
    if (!over.length) { return false; }
    over.forEach(function (item) {
      var year = item.getAttribute("data-year");
      var list = document.querySelector('ul.fm-list[data-year="' + year + '"]');
      if (!list) {
        var heading = document.createElement("h3");
        heading.id = year;
        heading.textContent = year;
        list = document.createElement("ul");
        list.className = "fm-list";
        list.setAttribute("data-year", year);
        // Years run newest first: insert before the first older year, else at the end.
        var older = Array.prototype.filter.call(
          document.querySelectorAll("ul.fm-list[data-year]"),
          function (other) { return other.getAttribute("data-year") < year; }
        )[0];
        // (With yearly archive pages there are no year lists here: after their links.)
        var anchor = older ? document.getElementById(older.getAttribute("data-year")) : null;
        var archiveNone = document.getElementById("fm-archive-none");
        var yearLinks = document.querySelector(".fm-archive-years");
        if (anchor) {
          anchor.before(heading, list);
        } else if (archiveNone) {
          archiveNone.replaceWith(heading, list);
        } else if (yearLinks) {
          yearLinks.after(heading, list);
        } else {
          var last = document.querySelectorAll("ul.fm-list[data-year]");
          last[last.length - 1].after(heading, list);
        }
      }
      // Within a year: chronological (data-sort puts "April" after its days, "Herbst" last).
      var next = Array.prototype.filter.call(list.children, function (other) {
        return other.getAttribute("data-sort") > item.getAttribute("data-sort");
      })[0];
      list.insertBefore(item, next || null);
    });
    if (!upcoming.children.length) {
      var none = document.getElementById("fm-none");
      if (none) { none.hidden = false; }
    }
    return true;
  }

  // Filters: by place or Kreis, and "nur kommende" (hides the archive section).
  function setUpFilters(form, upcoming, moved) {
    if (!form) { return; }
    var where = form.querySelector("#fm-where");
    var onlyUpcoming = form.querySelector("#fm-only-upcoming");
    var status = form.querySelector("#fm-filter-status");
    var params = new URLSearchParams(window.location.search);
    if (params.get("wo") && where.querySelector('option[value="' + CSS.escape(params.get("wo")) + '"]')) {
      where.value = params.get("wo");
    }
    onlyUpcoming.checked = params.get("kommend") === "1";
    form.hidden = false;
    // The list follows every change; the button (for keyboard and checkers) does the same.
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(event); });
    form.addEventListener("change", apply);
    // The page as built is the unfiltered state: go through every list only for a
    // filter from the address (or the browser's restored form) or for moved events.
    if (moved || where.value || onlyUpcoming.checked) { apply(null); }

    function archiveSection() {
      // Everything from the "Vergangene Termine" heading to the next h2.
      var heading = document.getElementById("vergangene-termine");
      var parts = [];
      if (!heading) { return parts; }
      for (var node = heading; node && (node === heading || node.tagName !== "H2"); node = node.nextElementSibling) {
        if (node.id !== "fm-archive-hidden") { parts.push(node); }
      }
      return parts;
    }

    // "Nach Jahren: 2010 · 2009 · 2008" names only the years the filter leaves (a year an
    // event moved into from "Kommende Termine" too), in the order of their lists.
    function yearLinks() {
      var line = document.getElementById("fm-years");
      if (!line || !line.querySelector('a[href^="#"]')) { return; }
      var label = line.getAttribute("data-label") || line.firstChild.textContent;
      line.setAttribute("data-label", label);
      var years = Array.prototype.filter.call(
        document.querySelectorAll("ul.fm-list[data-year]"),
        function (list) { return !list.hidden; }
      ).map(function (list) { return list.getAttribute("data-year"); });
      line.textContent = label;
      years.forEach(function (year, i) {
        if (i) { line.append(" · "); }
        var link = document.createElement("a");
        link.href = "#" + year;
        link.textContent = year;
        line.append(link);
      });
      line.hidden = !years.length;
    }

    function matches(item, choice) {
      if (!choice) { return true; }
      var cut = choice.indexOf(":");
      var kind = choice.slice(0, cut), value = choice.slice(cut + 1);
      return item.getAttribute(kind === "kreis" ? "data-kreis" : "data-ort") === value;
    }

    function apply(event) {
      var choice = where.value;
      var shown = 0, total = 0;
      document.querySelectorAll("ul.fm-list > li.fm-item").forEach(function (item) {
        var visible = matches(item, choice);
        item.classList.toggle("fm-filtered-out", !visible);
        var counted = !onlyUpcoming.checked || upcoming.contains(item);
        if (counted) {
          total += 1;
          if (visible) { shown += 1; }
        }
      });
      // A year of the archive without a match loses its heading too.
      document.querySelectorAll("ul.fm-list[data-year]").forEach(function (list) {
        var empty = !list.querySelector("li.fm-item:not(.fm-filtered-out)");
        list.hidden = empty;
        var heading = document.getElementById(list.getAttribute("data-year"));
        if (heading) { heading.hidden = empty; }
      });
      yearLinks();
      archiveSection().forEach(function (node) { node.classList.toggle("fm-filtered-out", onlyUpcoming.checked); });
      var hiddenNote = document.getElementById("fm-archive-hidden");
      if (hiddenNote) { hiddenNote.hidden = !onlyUpcoming.checked; }
      var none = document.getElementById("fm-none");
      var noneFiltered = document.getElementById("fm-none-filtered");
      var hasUpcoming = upcoming.children.length > 0;
      var upcomingShown = upcoming.querySelector("li.fm-item:not(.fm-filtered-out)");
      if (noneFiltered) { noneFiltered.hidden = !hasUpcoming || !!upcomingShown; }
      if (none) { none.hidden = hasUpcoming; }
      if (event) {
        status.textContent = (choice || onlyUpcoming.checked)
          ? shown + (shown === 1 ? " Termin" : " Termine") + " von " + total + " angezeigt."
          : "Alle " + total + " Termine angezeigt.";
        var query = new URLSearchParams(window.location.search);
        if (choice) { query.set("wo", choice); } else { query.delete("wo"); }
        if (onlyUpcoming.checked) { query.set("kommend", "1"); } else { query.delete("kommend"); }
        var search = query.toString();
        window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }
  }
})();
