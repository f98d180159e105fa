/*
 * The canonical format of managers.yaml and events.yaml, as the editing page writes it.
 * The same rules as generator/data/canonical.py (python -m generator format); the field
 * layout and the pattern for unquoted text come from there, in the page's configuration,
 * and tests/test_redaktion.py runs both writers on the same data and compares the bytes.
 * Works in the browser (window.FmFormat) and in Node (module.exports) for that test.
 */
(function (root) {
  "use strict";

  function isMapping(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isEmpty(value) {
    return (
      value === null ||
      value === undefined ||
      value === "" ||
      (isMapping(value) && Object.keys(value).length === 0)
    );
  }

  function makeWriter(rules) {
    var plain = new RegExp(rules.plain);
    var reserved = rules.reserved;

    function scalar(value) {
      if (typeof value === "boolean") return value ? "true" : "false";
      if (typeof value === "number") return String(value);
      var text = String(value);
      if (plain.test(text) && reserved.indexOf(text.toLowerCase()) < 0) return text;
      return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      });
    }

    function flow(value) {
      if (isMapping(value)) return "{}";
      if (Array.isArray(value)) return "[]";
      return value === null || value === undefined ? "null" : scalar(value);
    }

    function ordered(entry, layout) {
      var known = {};
      var names = [];
      layout.forEach(function (field) {
        known[field.name] = field;
        if (Object.prototype.hasOwnProperty.call(entry, field.name)) names.push(field.name);
      });
      Object.keys(entry).forEach(function (key) {
        if (!Object.prototype.hasOwnProperty.call(known, key)) names.push(key);
      });
      var pairs = [];
      names.forEach(function (name) {
        var value = entry[name];
        var spec = known[name];
        if (spec) {
          if (spec.kind === "object" && isMapping(value)) {
            var inner = {};
            ordered(value, spec.fields || []).forEach(function (pair) {
              inner[pair[0]] = pair[1];
            });
            value = inner;
          } else if (spec.kind === "string" && typeof value === "number" && Number.isInteger(value)) {
            value = String(value);
          }
          if (spec.default !== undefined && value === spec.default) return;
        }
        if (isEmpty(value)) return;
        pairs.push([String(name), value]);
      });
      return pairs;
    }

    function lines(value, indent) {
      var out = [];
      if (isMapping(value)) {
        Object.keys(value).forEach(function (key) {
          out = out.concat(pair(scalar(String(key)), value[key], indent));
        });
      } else {
        value.forEach(function (item) {
          var nested = (isMapping(item) && Object.keys(item).length) || (Array.isArray(item) && item.length);
          if (nested) {
            var inner = lines(item, indent + "  ");
            out.push(indent + "- " + inner[0].slice(indent.length + 2));
            out = out.concat(inner.slice(1));
          } else {
            out.push(indent + "- " + flow(item));
          }
        });
      }
      return out;
    }

    function pair(key, value, indent) {
      var nested = (isMapping(value) && Object.keys(value).length) || (Array.isArray(value) && value.length);
      if (nested) return [indent + key + ":"].concat(lines(value, indent + "  "));
      return [indent + key + ": " + flow(value)];
    }

    function entryText(entry, layout) {
      var pairs = ordered(entry, layout);
      if (!pairs.length) return "- {}\n";
      var out = [];
      pairs.forEach(function (p) {
        out = out.concat(pair(scalar(p[0]), p[1], "  "));
      });
      out[0] = "- " + out[0].slice(2);
      return out.join("\n") + "\n";
    }

    /** The whole file: header comment, a blank line, the entries one blank line apart. */
    function fileText(header, entries, layout) {
      var blocks = (entries || []).map(function (entry) {
        return isMapping(entry) ? entryText(entry, layout) : "- " + flow(entry) + "\n";
      });
      var body = blocks.length ? blocks.join("\n") : "[]\n";
      return header ? header + "\n" + body : body;
    }

    return { scalar: scalar, entryText: entryText, fileText: fileText };
  }

  /** The comment lines at the top of a file, up to the first line that is not one. */
  function headerOf(text) {
    var header = "";
    var rows = String(text).split(/\r\n|\r|\n/);
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].charAt(0) !== "#") break;
      header += rows[i].replace(/\s+$/, "") + "\n";
    }
    return header;
  }

  var api = { makeWriter: makeWriter, headerOf: headerOf };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.FmFormat = api;
})(typeof window !== "undefined" ? window : this);
