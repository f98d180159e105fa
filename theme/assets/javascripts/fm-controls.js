// Real buttons for Material's toggles (theme/base.html and the partials).
//
// Material keeps the state of the navigation drawer, the search, the table of contents
// and every navigation section in hidden checkboxes, which its CSS and script read, and
// opened them with <label for> elements that Tab never reaches. Our templates have
// <button data-fm-toggle="<checkbox id>" aria-controls aria-expanded> instead; this
// script ticks the checkbox as the label did (a click, so Material sees the change),
// keeps aria-expanded true to the checkbox, moves the focus into what opened and back to
// the button when it closes, and closes the drawer and search with Escape. The palette
// toggles (data-fm-palette) select Material's hidden radio buttons the same way.
//
// Loaded before Material's bundle, without an inline script or handler (the site's
// Content-Security-Policy allows neither).
(() => {
  "use strict";

  const DRAWER = "__drawer";
  const SEARCH = "__search";
  /** Below this width the navigation is a drawer with sliding panels (Material's CSS). */
  const drawerLayout = window.matchMedia("(max-width: 76.234375em)");

  const byId = (id) => document.getElementById(id);
  const buttonsFor = (id) => document.querySelectorAll(`button[data-fm-toggle="${id}"]`);
  const visible = (el) =>
    el.checkVisibility
      ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
      : el.getClientRects().length > 0;

  /** The first element in `container` that takes focus and is shown. */
  function firstFocusable(container) {
    const candidates = container.querySelectorAll(
      "a[href], button:not([disabled]), input:not([type=hidden]), [tabindex='0']",
    );
    return [...candidates].find(visible);
  }

  /** aria-expanded of every button of this checkbox, as the checkbox is. */
  function sync(box) {
    for (const button of buttonsFor(box.id)) {
      button.setAttribute("aria-expanded", String(box.checked));
    }
  }

  // A restored form state (Firefox keeps checkboxes across reloads; Material turned
  // that off with autocomplete="off", which HTML does not allow on a checkbox): every
  // toggle starts as the page was written, before Material's script reads it.
  for (const box of document.querySelectorAll("input.md-toggle")) {
    box.checked = box.defaultChecked;
    sync(box);
  }

  /** Where the focus goes back to when the drawer or the search closes. */
  const openers = new Map();

  function setToggle(id, open) {
    const box = byId(id);
    if (box && box.checked !== open) box.click(); // Material listens for the change
  }

  // The panel a navigation button opens: for the drawer the drawer, else the <nav>
  // named by aria-controls.
  function onOpened(id, button) {
    if (id === SEARCH) {
      openers.set(id, button);
      const field = document.querySelector(".md-search__input");
      if (field) field.focus();
      return;
    }
    const panel = byId(button.getAttribute("aria-controls"));
    if (!panel) return;
    if (id === DRAWER) {
      openers.set(id, button);
      // The drawer shows the deepest open panel; its first control gets the focus.
      const open = [...panel.querySelectorAll("input.md-toggle:checked ~ nav")].pop();
      const target = firstFocusable(open || panel);
      if (target) target.focus({ preventScroll: true });
    } else if (drawerLayout.matches) {
      // A sliding panel of the drawer: its title (which closes it) gets the focus.
      const title = panel.querySelector(":scope > .md-nav__title");
      if (title && visible(title)) title.focus({ preventScroll: true });
    }
  }

  function onClosed(id, button) {
    let target = openers.get(id);
    openers.delete(id);
    if (id !== DRAWER && id !== SEARCH && drawerLayout.matches) {
      // A panel of the drawer closed by its title: back to the button that opens it.
      target = [...buttonsFor(id)].find((b) => !b.classList.contains("md-nav__title"));
    }
    if (!target && id === SEARCH) {
      // On phones the search button (hidden on wider screens, where the field is shown).
      target = document.querySelector(".md-header__button[data-fm-toggle=__search]");
    }
    if (target && visible(target)) target.focus({ preventScroll: true });
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target && target.closest("button[data-fm-toggle]");
    if (button) {
      const id = button.dataset.fmToggle;
      const box = byId(id);
      if (!box) return;
      box.click();
      if (box.checked) onOpened(id, button);
      else onClosed(id, button);
      return;
    }
    const layer = target && target.closest("[data-fm-close]");
    if (layer) setToggle(layer.dataset.fmClose, false);
    const palette = target && target.closest("button[data-fm-palette]");
    if (palette) selectScheme(palette);
  });

  // Material's script ticks the checkboxes too (search field focused, Escape and Tab in
  // the search, a search result chosen): the buttons follow every change.
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement && box.classList.contains("md-toggle"))) return;
    sync(box);
    if (box.id === SEARCH && !box.checked) {
      // Closed by Material (Escape, Tab): on phones back to the search button.
      const inside = byId("fm-search");
      const active = document.activeElement;
      if (!active || active === document.body || (inside && inside.contains(active))) {
        onClosed(SEARCH, null);
      }
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const drawer = byId(DRAWER);
    const search = byId(SEARCH);
    if (drawer && drawer.checked && !(search && search.checked)) {
      setToggle(DRAWER, false);
      onClosed(DRAWER, null);
    }
  });

  // The drawer is no dialog: when the focus leaves it (Tab past its last link, Shift+Tab
  // before its first), it closes, so nothing stays open over the page behind the focus.
  document.addEventListener("focusin", (event) => {
    const drawer = byId(DRAWER);
    const panel = byId("fm-drawer");
    if (!drawer || !drawer.checked || !panel || !drawerLayout.matches) return;
    if (!panel.contains(event.target)) {
      openers.delete(DRAWER);
      setToggle(DRAWER, false);
    }
  });

  // Chromium does not scroll a box sideways for a focused element that is partly in view
  // (a link in the last column of a wide table on a phone): the whole element is shown.
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if (!(el instanceof Element) || el === document.body) return;
    const box = el.getBoundingClientRect();
    const scroller = el.closest(".md-typeset__scrollwrap");
    const frame = scroller ? scroller.getBoundingClientRect() : { left: 0, right: window.innerWidth };
    if (box.left < frame.left || box.right > Math.min(frame.right, document.documentElement.clientWidth)) {
      el.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });

  // Material's "back to top" button (partials/top.html) shows while the page scrolls up
  // and hides when it scrolls down (bundle 9.x: hidden = true, tabindex -1, blur()), and
  // Chromium blurs a focused element the moment it gets `hidden`. A page that moves
  // under a keyboard user (400 % zoom, a long list laid out as it scrolls into view) so
  // dropped their focus on the body. While the button has the keyboard focus, its hiding
  // waits until the focus leaves. Pressed by keyboard, it scrolls to the top as before,
  // and the focus goes to the page's first stop: the next Tab goes on from the top, not
  // from the footer after the button.
  const top = document.querySelector(".md-top");
  if (top) {
    const hidden = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "hidden");
    const blur = top.blur;
    let hideOnBlur = false; // Material hid it while it had the keyboard focus
    let skipBlur = false; // the blur() Material calls right after hiding it
    const keyboardFocused = () => document.activeElement === top && top.matches(":focus-visible");
    Object.defineProperty(top, "hidden", {
      configurable: true,
      get: () => hidden.get.call(top),
      set: (value) => {
        hideOnBlur = skipBlur = Boolean(value) && keyboardFocused();
        if (!hideOnBlur) hidden.set.call(top, value);
      },
    });
    top.blur = () => {
      if (!skipBlur) blur.call(top);
      skipBlur = false;
    };
    top.addEventListener("blur", () => {
      if (hideOnBlur) hidden.set.call(top, true);
      hideOnBlur = false;
    });
    top.addEventListener("click", (event) => {
      if (event.detail !== 0) return; // a pointer's click: no focus to carry
      const header = document.querySelector(".md-header");
      const first = document.querySelector(".md-skip") || (header && firstFocusable(header));
      if (first) first.focus({ preventScroll: true });
    });
  }

  // The palette: the button after the selected scheme's radio selects the next scheme;
  // Material shows that scheme's button, which gets the focus.
  function selectScheme(button) {
    const radio = byId(button.dataset.fmPalette);
    if (!radio) return;
    radio.click();
    const next = radio.nextElementSibling;
    if (next instanceof HTMLElement) next.focus();
  }
  // Material's own Enter handler on the palette would switch a second time.
  document.addEventListener(
    "keydown",
    (event) => {
      const target = event.target;
      if (event.key === "Enter" && target instanceof Element && target.matches("button[data-fm-palette]")) {
        event.stopPropagation();
      }
    },
    true,
  );
})();
