/*
 * The editing page: Decap CMS with the site's two data files as forms.
 * konfiguration.js (generated from the models) sets window.FM_REDAKTION and
 * window.CMS_MANUAL_INIT before decap-cms.js loads; this file registers the file
 * format and the date widget and starts the CMS. No request leaves the site before
 * an editor signs in: Decap contacts the configured backend only then.
 */
(function () {
  "use strict";
  var setup = window.FM_REDAKTION;
  var CMS = window.CMS;

  if (!setup.configured) {
    document.getElementById("fm-nicht-eingerichtet").hidden = false;
    return;
  }

  // One format per data file: a top-level YAML list as { kopf, eintraege }, written
  // back in the canonical format (format.js, the same as `python -m generator format`).
  Object.keys(setup.formats).forEach(function (name) {
    var rules = setup.formats[name];
    var writer = window.FmFormat.makeWriter(rules);
    CMS.registerCustomFormat(name, "yaml", {
      fromFile: function (text) {
        var data = String(text || "").trim()
          ? window.jsyaml.load(text, { schema: window.jsyaml.CORE_SCHEMA })
          : [];
        if (data === null || data === undefined) data = [];
        if (!Array.isArray(data)) {
          // Refuse rather than save over a file the forms do not understand.
          throw new Error(rules.file + " ist keine Liste von Einträgen.");
        }
        return { kopf: window.FmFormat.headerOf(text), eintraege: data };
      },
      toFile: function (data) {
        return writer.fileText(data.kopf || "", data.eintraege || [], rules.layout);
      },
    });
  });

  // "datum" may be a day, a month (JJJJ-MM) or a year (JJJJ): a text field, with a
  // calendar next to it that fills in a day.
  var h = window.h;
  var DatumControl = window.createClass({
    render: function () {
      var props = this.props;
      var value = props.value || "";
      var day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "";
      var change = function (event) {
        props.onChange(event.target.value);
      };
      return h(
        "div",
        { className: props.classNameWrapper + " fm-datum" },
        h("input", {
          type: "text",
          id: props.forID,
          value: value,
          placeholder: "JJJJ-MM-TT",
          inputMode: "numeric",
          autoComplete: "off",
          onChange: change,
          onFocus: props.setActiveStyle,
          onBlur: props.setInactiveStyle,
        }),
        h("input", {
          type: "date",
          value: day,
          "aria-label": "Tag im Kalender wählen",
          title: "Tag im Kalender wählen",
          onChange: change,
          onFocus: props.setActiveStyle,
          onBlur: props.setInactiveStyle,
        })
      );
    },
  });
  CMS.registerWidget("fm-datum", DatumControl);

  // Decap 3.16 keeps the open form when the address goes straight from one file's
  // form to another's (back button, bookmark): the second file would be saved with the
  // first one's entries. Such a change of address loads the page afresh.
  var entry = /^#\/collections\/[^/]+\/entries\//;
  window.addEventListener("hashchange", function (event) {
    var from = new URL(event.oldURL).hash;
    var to = new URL(event.newURL).hash;
    if (entry.test(from) && entry.test(to) && from !== to) window.location.reload();
  });

  // Decap 3.16 leaves some controls without a name or names them in English: the list
  // entries' icon-only buttons (its ListItemTopBar: fold, move, remove), the lists' and
  // groups' "Expand"/"Collapse", the "Jetzt" buttons ("Set beginn to now", which does
  // not even contain what they show), the account menu, the list/grid switch, the move
  // handle's help and the workflow board's dates. They get German names (an entry's
  // with its summary line, a fold button its state). Decap's emotion class names carry
  // the component's name; the names are set once per frame after a change of the page.
  var NAMES = {
    "Account options dropdown": "Konto-Menü",
    "List view option": "Als Liste anzeigen",
    "Grid view option": "Als Kacheln anzeigen",
  };
  // Decap writes the lists' labels in lower case ("9 veranstaltungen", "veranstaltung
  // hinzufügen"); German nouns keep their capital: the labels' words as configured.
  var WORDS = {};
  setup.config.collections.forEach(function (collection) {
    (collection.files || []).forEach(function (file) {
      file.fields.forEach(function (field) {
        [field.label, field.label_singular].join(" ").split(/\s+/).forEach(function (word) {
          if (word && word !== word.toLowerCase()) WORDS[word.toLowerCase()] = word;
        });
      });
    });
  });
  // The workflow board's dates ("December 7": Decap formats "MMMM D" in English).
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var MONATE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember"];
  var ENGLISH_DATE = new RegExp("\\b(" + MONTHS.join("|") + ") (\\d{1,2})\\b", "g");
  var MOVE_HELP =
    "Zum Verschieben die Leertaste drücken, dann mit den Pfeiltasten an die neue Stelle " +
    "bringen und mit der Leertaste ablegen; Escape bricht ab.";

  function setAttr(el, name, value) {
    if (el && el.getAttribute(name) !== value) el.setAttribute(name, value);
  }
  function nameEntry(item) {
    var bar = item.querySelector(':scope > [class*="-StyledListItemTopBar"]');
    var label = item.querySelector(':scope > [class*="-NestedObjectLabel"]');
    if (!bar) return;
    var summary = label ? label.textContent.trim() : "";
    var name = "Eintrag " + (summary ? "„" + summary + "“" : "(neu)");
    var buttons = bar.querySelectorAll(":scope > button");
    if (buttons.length === 2) {
      var fields = label && label.nextElementSibling;
      var open = !!fields && window.getComputedStyle(fields).display !== "none";
      setAttr(buttons[0], "aria-label", name);
      setAttr(buttons[0], "aria-expanded", String(open));
      setAttr(buttons[1], "aria-label", name + " entfernen");
    }
    var handle = bar.querySelector(':scope > [role="button"]');
    setAttr(handle, "aria-label", name + " verschieben");
    setAttr(handle, "aria-roledescription", "verschiebbar");
  }
  /** The field's visible label, without "(Pflichtfeld)" or "(optional)". */
  function fieldLabel(el) {
    var container = el.closest('[class*="-ControlContainer"]');
    var label = container && container.querySelector("label");
    return label ? label.textContent.replace(/\s*\((Pflichtfeld|optional)\)\s*$/, "").trim() : "";
  }
  /** Replaces `pattern` in the text directly inside the elements matching `selector`. */
  function replaceText(selector, pattern, replacement) {
    document.querySelectorAll(selector).forEach(function (el) {
      el.childNodes.forEach(function (node) {
        if (node.nodeType !== Node.TEXT_NODE) return;
        var text = node.nodeValue.replace(pattern, replacement);
        if (text !== node.nodeValue) node.nodeValue = text;
      });
    });
  }
  function germanizeDecap() {
    document.querySelectorAll('[class*="-listControlItem"]').forEach(nameEntry);
    document.querySelectorAll("[aria-label]").forEach(function (el) {
      var english = el.getAttribute("aria-label");
      if (NAMES[english]) {
        el.setAttribute("aria-label", NAMES[english]);
      } else if (english === "Expand" || english === "Collapse") {
        // A list's or a group's fold button: named as the heading next to it.
        el.setAttribute("aria-expanded", String(english === "Collapse"));
        el.setAttribute("aria-label", el.parentElement.textContent.trim() || "Bereich");
      } else if (/^Set .+ to now$/.test(english)) {
        el.setAttribute("aria-label", el.textContent.trim() + ": " + fieldLabel(el));
      } else if (/ field$/.test(english) && !el.hasAttribute("role") && el.tagName === "DIV") {
        el.removeAttribute("aria-label"); // "string field" on a plain box: no name allowed
      }
    });
    var labels = '[class*="-ExpandButtonContainer"], [class*="-AddButton"]';
    replaceText(labels, /[^\s\d]+/g, function (word) {
      return WORDS[word] || word;
    });
    replaceText('[class*="-CardDateContainer"]', ENGLISH_DATE, function (date, month, day) {
      return day + ". " + MONATE[MONTHS.indexOf(month)];
    });
    document.querySelectorAll('[id^="DndDescribedBy-"]').forEach(function (el) {
      if (el.textContent.indexOf("To pick up") !== -1) el.textContent = MOVE_HELP;
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      germanizeDecap();
    });
  }).observe(document.body, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["class", "aria-label"],
  });

  CMS.init({ config: setup.config });
})();
