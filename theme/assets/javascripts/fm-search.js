// The site search in the header: Pagefind's JavaScript API on the index the build writes
// to pagefind/ (generator/site/search.py), shown in Material's search markup
// (theme/partials/search.html), so the header looks and works as it did with Material's
// own search, which loaded one index of the whole site before the first result.
//
// Pagefind loads its code and the index only when the search is first used, and then
// only the parts of the index a query needs. What Material's search did, this does too:
// "/", "s" and "f" open it, the arrow keys move between the field and the results, Enter
// opens the best result, Escape and Tab close it, the line above the results (a live
// region) tells screen readers how many results there are, and ?q= on any address opens
// the search with that term (the 404 page's form).
//
// Spellings: "Muelheim" finds "Mülheim" as the place finder does (tests/folding_cases.json):
// Pagefind's German stemmer drops umlauts ("Mulheim" finds "Mülheim" by itself), and a
// query with "ae", "oe" or "ue" is searched a second time with the umlauts written.
//
// No inline script and no eval: the site's Content-Security-Policy allows this file and
// Pagefind's WebAssembly ('wasm-unsafe-eval'), nothing more.
(() => {
  "use strict";

  const SEARCH = "__search";
  const SHOWN = 10;
  const dialog = document.getElementById("fm-search");
  if (!dialog) return;
  const form = dialog.querySelector(".md-search__form");
  const field = dialog.querySelector(".md-search__input");
  const meta = dialog.querySelector(".md-search-result__meta");
  const list = dialog.querySelector(".md-search-result__list");
  const toggle = document.getElementById(SEARCH);
  const bundle = new URL(dialog.dataset.fmSearch, document.baseURI);

  let pagefind = null;
  let latest = 0;

  function setOpen(open) {
    if (toggle && toggle.checked !== open) toggle.click(); // fm-controls.js follows the change
  }

  /** Pagefind's module, loaded once from the site itself. */
  function load() {
    if (!pagefind) {
      pagefind = import(bundle.href).then(async (module) => {
        // Result addresses relative to the site's root, wherever the site is published.
        await module.options({ baseUrl: new URL("../", bundle).pathname, excerptLength: 16 });
        await module.init();
        return module;
      });
      pagefind.catch(() => {
        pagefind = null;
      });
    }
    return pagefind;
  }

  /** The query as typed and, if it spells umlauts out ("Muelheim"), with umlauts. */
  function spellings(query) {
    const written = query
      .toLowerCase()
      .replace(/(^|[^q])ue/g, "$1ü")
      .replace(/ae/g, "ä")
      .replace(/oe/g, "ö");
    return written === query.toLowerCase() ? [query] : [query, written];
  }

  function announce(key, count) {
    meta.textContent = (meta.dataset[key] || "").replace("#", String(count));
  }

  /** Pagefind's excerpt as text with <mark>s, nothing else of its markup. */
  function excerpt(html) {
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
    const p = document.createElement("p");
    for (const node of parsed.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  }

  function item(data, score) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.href = data.url;
    link.className = "md-search-result__link";
    link.tabIndex = -1; // the arrow keys move through the results, Tab leaves the search
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    article.dataset.mdScore = String(score);
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    const title = document.createElement("div");
    title.className = "fm-search-result__title";
    title.textContent = data.meta.title || data.url;
    const kind = document.createElement("p");
    kind.className = "fm-search-result__kind";
    const what = data.meta.typ || "Seite";
    kind.textContent = data.meta.datum ? `${what} · ${data.meta.datum}` : what;
    article.append(icon, title, kind, excerpt(data.excerpt || ""));
    link.append(article);
    li.append(link);
    return li;
  }

  // New results replace the list; a result that had the focus (an arrow key pressed
  // while the results of a longer query were still coming) hands it to the result in its
  // place, or to the field, instead of dropping it to the page.
  function show(items) {
    const links = () => [...list.querySelectorAll("[href]")];
    const at = links().indexOf(document.activeElement);
    list.replaceChildren(...items);
    if (at < 0) return;
    const now = links();
    (now[Math.min(at, now.length - 1)] || field).focus();
  }

  async function run(query) {
    const turn = ++latest;
    if (!query.trim()) {
      show([]);
      announce("fmInitial", 0);
      return;
    }
    let results;
    try {
      const module = await load();
      const found = await Promise.all(spellings(query).map((q) => module.search(q)));
      const best = new Map();
      for (const result of found.flatMap((s) => (s ? s.results : []))) {
        const seen = best.get(result.id);
        if (!seen || seen.score < result.score) best.set(result.id, result);
      }
      results = [...best.values()].sort((a, b) => b.score - a.score);
      if (turn !== latest) return; // a newer query is on its way: no fragments for this one
      const shown = await Promise.all(results.slice(0, SHOWN).map((r) => r.data()));
      if (turn !== latest) return; // a newer query is on its way
      show(shown.map((data, n) => item(data, results[n].score)));
    } catch (error) {
      if (turn !== latest) return;
      show([]);
      announce("fmFailed", 0);
      console.error(error);
      return;
    }
    if (results.length === 0) announce("fmNone", 0);
    else announce(results.length === 1 ? "fmOne" : "fmOther", results.length);
  }

  field.addEventListener("focus", () => {
    setOpen(true);
    load();
  });
  field.addEventListener("input", () => run(field.value));
  form.addEventListener("reset", () => {
    setTimeout(() => {
      run("");
      field.focus();
    });
  });
  // Enter in the field and the magnifier button: the best result opens.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const links = [...list.querySelectorAll(".md-search-result__link")];
    const score = (a) => parseFloat(a.firstElementChild.dataset.mdScore);
    const best = links.sort((a, b) => score(b) - score(a))[0];
    if (best) best.click();
    else field.focus();
  });
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });

  const typing = (el) =>
    el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    const active = document.activeElement;
    if (!(toggle && toggle.checked)) {
      if (["/", "s", "f"].includes(event.key) && !typing(active)) {
        event.preventDefault();
        field.focus();
        field.select();
      }
      return;
    }
    switch (event.key) {
      case "Escape":
      case "Tab":
        setOpen(false);
        field.blur();
        if (event.key === "Escape") event.preventDefault();
        break;
      case "ArrowUp":
      case "ArrowDown": {
        const stops = [field, ...list.querySelectorAll("[href]")];
        const at = Math.max(0, stops.indexOf(active));
        const next = (at + stops.length + (event.key === "ArrowUp" ? -1 : 1)) % stops.length;
        stops[next].focus();
        event.preventDefault();
        break;
      }
      default:
        // Typing while a result has the focus goes on in the field.
        if (event.key.length === 1 && active !== field && dialog.contains(active)) field.focus();
    }
  });

  // ?q=…: the search opens with the term (the 404 page's form sends its term so).
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    field.value = asked;
    setOpen(true);
    field.focus();
    run(asked);
  }
})();
