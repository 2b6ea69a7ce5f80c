// Raia's page-to-page navigation (inlined into every page by shell.rs).
//
// Every page is whole in the server's HTML and works without JavaScript. With it, once the
// first page has loaded, following a link or sending a form fetches the next page's HTML
// and swaps its <body> in: the WASM and its islands are neither downloaded nor started
// again, and a phone on a slow network sees "Please wait" on the button it pressed.
// Leptos's own islands router (0.8) diffs pages instead of swapping them, and its diff only
// ever adds attributes: an `aria-invalid` would outlive the error it marked. Hence this swap.
// Whenever anything here cannot help (another site, a download, a failed fetch), the
// browser does what it would have done anyway: a full page load.
(() => {
  if (!window.fetch || !window.DOMParser || !window.history.pushState) return;

  let latest = 0; // a newer navigation wins over one still under way
  let shown = location.pathname + location.search; // the page the body shows

  // The build the page came from: a page of another build (a deploy since this page
  // loaded) must be loaded in full, so old WASM never meets new HTML.
  const buildOf = (doc) => {
    const build = doc.querySelector("meta[name=raia-build]");
    return build ? build.getAttribute("content") : null;
  };

  // Only pages: not server functions' JSON, uploads, downloads, files or the language switch.
  const isPage = (url) =>
    url.origin === location.origin &&
    !/^\/(api|documents|pkg|lang|sim|callbacks)(\/|$)/.test(url.pathname) &&
    !/\.[a-z0-9]+$/i.test(url.pathname);

  async function visit(url, init, { replace = false, form = null, button = null } = {}) {
    const id = ++latest;
    const typed = form ? typedValues(form) : null;
    let response, html;
    try {
      // The server sends a failed form back to the page it came from (the Referer), with
      // the problems in the query: name this page without the last attempt's problems.
      response = await fetch(url, { ...init, headers: { Accept: "text/html" }, referrer: withoutProblems(location.href) });
      html = await response.text();
    } catch (error) {
      if (id === latest) giveUp(url, form, button, init.body);
      return;
    }
    if (id !== latest) return;
    const type = response.headers.get("content-type") || "";
    const next = type.includes("text/html") ? new DOMParser().parseFromString(html, "text/html") : null;
    if (!next || !next.body || buildOf(next) !== buildOf(document)) {
      location.assign(response.url);
      return;
    }
    const landed = new URL(response.url);
    // Sent back with problems: keep what the citizen typed.
    if (typed && landed.searchParams.has("__err")) keepTyped(next, form, typed);
    swap(next);
    shown = landed.pathname + landed.search;
    if (replace) history.replaceState(null, "", landed.href);
    else history.pushState(null, "", landed.href);
    settle(landed);
  }

  const withoutProblems = (href) => {
    const url = new URL(href);
    url.searchParams.delete("__path");
    url.searchParams.delete("__err");
    return url.href;
  };

  // What the citizen entered, field by field. Passwords are not kept (as GOV.UK does):
  // they are typed again rather than left in the page.
  function typedValues(form) {
    const values = [];
    for (const field of form.elements) {
      if (!field.name || ["password", "file", "hidden", "submit", "button", "reset"].includes(field.type)) continue;
      if (field.type === "checkbox" || field.type === "radio") values.push({ name: field.name, value: field.value, checked: field.checked });
      else values.push({ name: field.name, value: field.value });
    }
    return values;
  }

  // Puts the typed values into the same form of the page the server sent back (as
  // attributes, which survive the move into this document).
  function keepTyped(next, form, values) {
    const action = form.getAttribute("action");
    const again = [...next.querySelectorAll("form")].find((f) => f.getAttribute("action") === action);
    if (!again) return;
    for (const { name, value, checked } of values) {
      for (const field of again.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (checked !== undefined) {
          if (field.value === value) field.toggleAttribute("checked", checked);
        } else if (field.tagName === "TEXTAREA") {
          field.textContent = value;
        } else if (field.tagName === "SELECT") {
          for (const option of field.options) option.toggleAttribute("selected", option.value === value);
        } else if (field.type !== "hidden") {
          field.setAttribute("value", value);
        }
      }
    }
  }

  function swap(next) {
    document.title = next.title;
    for (const name of ["lang", "dir"]) {
      const value = next.documentElement.getAttribute(name);
      if (value) document.documentElement.setAttribute(name, value);
    }
    const description = next.querySelector("meta[name=description]");
    const current = document.querySelector("meta[name=description]");
    if (description && current) current.setAttribute("content", description.getAttribute("content"));
    document.body.replaceWith(document.adoptNode(next.body));
    // Start the new page's islands (islands/loader.js loads the WASM if no page before
    // this one needed it).
    if (window.raiaIslands) window.raiaIslands(document.body);
  }

  // Where the citizen's attention goes on the new page: to what went wrong, if anything
  // (GOV.UK's error summary pattern), else to the top of the page's main content.
  function settle(url) {
    const summary = document.querySelector(".error-summary");
    const target = url.hash && document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (summary) {
      summary.focus();
    } else if (target) {
      target.scrollIntoView();
    } else {
      window.scrollTo(0, 0);
      const main = document.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    }
  }

  // The fetch failed (offline, a dropped connection). A draft step is kept on the phone and
  // sent later (offline_drafts.js); anything else lets the browser try on its own, so the
  // service worker's offline page or the browser's own error tells the citizen.
  function giveUp(url, form, button, body) {
    if (!form) {
      location.assign(url);
      return;
    }
    ready(form, button);
    if (window.raiaDrafts && window.raiaDrafts.keep(form, url, body)) return;
    form.dataset.native = "";
    form.requestSubmit(button || undefined);
  }

  function pending(form, button) {
    form.dataset.sending = "";
    if (!button) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    if (button.dataset.pendingLabel) {
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.pendingLabel;
    }
  }

  function ready(form, button) {
    delete form.dataset.sending;
    if (!button) return;
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (button.dataset.label) button.textContent = button.dataset.label;
  }

  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download") || /\bexternal\b/.test(link.rel)) return;
    const url = new URL(link.href, location.href);
    if (!isPage(url)) return;
    // A jump within this page (the error summary's links to fields) stays the browser's.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    visit(url.href, {});
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    // Attributes, not properties: a field named "action" or "method" hides the property.
    if (event.defaultPrevented || form.getAttribute("target") || "native" in form.dataset) return;
    const button = event.submitter || null;
    const action = new URL((button && button.getAttribute("formaction")) || form.getAttribute("action") || location.href, location.href);
    const method = ((button && button.getAttribute("formmethod")) || form.getAttribute("method") || "get").toUpperCase();
    if (action.origin !== location.origin || (method !== "GET" && method !== "POST")) return;
    event.preventDefault();
    // A second tap, or Enter pressed again, while the first is on its way sends nothing.
    if ("sending" in form.dataset) return;
    const data = new FormData(form, button);
    pending(form, button);
    if (method === "GET") {
      action.search = new URLSearchParams(data).toString();
      visit(action.href, {}, { form, button });
    } else {
      const body = form.getAttribute("enctype") === "multipart/form-data" ? data : new URLSearchParams(data);
      visit(action.href, { method: "POST", body }, { form, button });
    }
  });

  // Back and forward. A jump to a field (#id) also lands here and must not refetch the page.
  window.addEventListener("popstate", () => {
    if (location.pathname + location.search !== shown) visit(location.href, {}, { replace: true });
  });

  // Islands ask for the page to be fetched again (the pay page once the phone has answered).
  window.addEventListener("raia:refresh", () => visit(location.href, {}, { replace: true }));
})();
