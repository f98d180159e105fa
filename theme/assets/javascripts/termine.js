/* Termine pages: keep "upcoming" and "today" true when the page is older than today.
 * The site is rebuilt nightly; between rebuilds this moves events that are over from
 * "Kommende Termine" into their year of the archive and marks today's day in the grid.
 * Without JavaScript the pages show the state of their build, which is still correct
 * except for the days since then. */
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

  // Lists: events whose last day is before today go to the archive.
  var upcoming = document.getElementById("fm-upcoming");
  if (!upcoming) { return; }
  var wrapper = upcoming.closest(".fm-upcoming");
  if (wrapper && wrapper.getAttribute("data-today") >= today) { return; }
  var over = Array.prototype.filter.call(upcoming.children, function (item) {
    return item.getAttribute("data-end") < today;
  });
  if (!over.length) { return; }
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
})();
