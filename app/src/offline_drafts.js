// Offline drafts (inlined into every page by shell.rs, after navigation.js).
//
// A citizen filling an application on a train loses signal and presses "Save and continue":
// navigation.js's fetch fails and hands the form here. If it is a draft step (a form inside
// [data-offline-draft]), its answers are kept on this phone, under the account that typed
// them, and sent as soon as the phone is online again on any page of that account. Nothing
// else is ever kept: submitting, paying and logging in need a fresh answer from the server.
// Logging out clears every kept draft; another account on this phone never sends, and never
// leaves behind, drafts that are not its own.
(() => {
  const PREFIX = "raia-draft:";
  let storage;
  try {
    storage = window.localStorage;
    storage.length;
  } catch (error) {
    return; // storage blocked: the browser's own offline handling stays
  }

  // The account this page belongs to, as a tag that names nobody (none when logged out).
  const owner = () => {
    const marked = document.querySelector("[data-draft-owner]");
    return marked ? marked.dataset.draftOwner : null;
  };

  const keys = () => Object.keys(storage).filter((key) => key.startsWith(PREFIX));

  function say(box, text) {
    const note = box && box.querySelector("[data-draft-note]");
    if (note && text) note.textContent = text;
  }

  // Called by navigation.js when sending `form` failed. Returns whether it was kept.
  function keep(form, action, body) {
    const box = form.closest("[data-offline-draft]");
    const me = owner();
    if (!box || !me || !(body instanceof URLSearchParams)) return false;
    // One kept copy per form (its hidden fields name the application and the step): saving
    // the same step again offline replaces the older answers.
    const which = [...form.querySelectorAll("input[type=hidden]")].map((field) => field.name + "=" + field.value).join("&");
    const draft = { owner: me, action, body: body.toString(), page: location.href, sent: box.dataset.sentMessage, fix: box.dataset.fixMessage };
    try {
      storage.setItem(PREFIX + me + ":" + action + "?" + which, JSON.stringify(draft));
    } catch (error) {
      return false; // storage full: better the browser's offline page than a false promise
    }
    say(box, box.dataset.savedMessage);
    return true;
  }

  let sending = false;
  async function sendKept() {
    if (sending || !navigator.onLine || keys().length === 0) return;
    const me = owner();
    if (!me) return; // logged out for now (an expired session): kept until its account is back
    sending = true;
    try {
      for (const key of keys()) {
        const draft = JSON.parse(storage.getItem(key) || "null");
        if (!draft || draft.owner !== me) {
          storage.removeItem(key);
          continue;
        }
        let response;
        try {
          // The Referer is the form's page, where the server sends back any problems.
          response = await fetch(draft.action, { method: "POST", body: new URLSearchParams(draft.body), headers: { Accept: "text/html" }, referrer: draft.page });
        } catch (error) {
          return; // still offline: try again on the next "online"
        }
        const landed = new URL(response.url);
        if (!response.ok || landed.pathname === "/login") continue; // kept, sent once logged in again
        storage.removeItem(key);
        const box = document.querySelector("[data-offline-draft]");
        if (landed.searchParams.has("__err")) {
          // The answers need a correction: show the form with the problems beside the fields.
          say(box, draft.fix);
          location.assign(landed.href);
          return;
        }
        say(box, draft.sent);
      }
    } finally {
      sending = false;
    }
  }

  function forgetAll() {
    for (const key of keys()) storage.removeItem(key);
  }

  // Logging out: nothing of this account stays on the phone.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target.closest && event.target.closest("[data-log-out]")) forgetAll();
    },
    true,
  );

  window.addEventListener("online", sendKept);
  // A page swapped in by navigation.js, or loaded in full, may be the first online one.
  new MutationObserver(() => sendKept()).observe(document.documentElement, { childList: true });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sendKept);
  else sendKept();

  window.raiaDrafts = { keep };
})();
