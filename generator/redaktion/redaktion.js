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

  CMS.init({ config: setup.config });
})();
