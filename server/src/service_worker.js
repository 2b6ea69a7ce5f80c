// Raia's service worker. Served by the server at /sw.js with this build's version and
// file names filled in, so each build gets its own cache and old WASM is never served
// against new HTML.
const VERSION = "__VERSION__";
const CACHE = "raia-shell-" + VERSION;
const OFFLINE_PAGE = "/offline";
const SHELL = __SHELL__;
// The WASM and its script: only pages with an island fetch them, so they are kept when a
// page first does, not downloaded by every first visit.
const BUNDLE = __BUNDLE__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // Without cookies: the cached offline page must never carry anyone's account.
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("raia-") && name !== CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only our own GETs; /api/ (server functions) and anything else goes to the network untouched.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  } else if (BUNDLE.includes(url.pathname)) {
    event.respondWith(keep(request));
  }
});

// From this build's cache, or from the network and then kept in it.
async function keep(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    cache.put(request, response.clone());
  }
  return response;
}

// Pages always come from the network (they may be personal and must be current);
// without a network the citizen gets the offline page, which says so plainly.
async function page(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(OFFLINE_PAGE, { ignoreSearch: true });
    if (!offline) {
      throw error;
    }
    if (url.pathname === OFFLINE_PAGE) {
      return offline;
    }
    // Go to the offline page's own address, so the page the browser hydrates matches it.
    const next = encodeURIComponent(url.pathname + url.search);
    return Response.redirect(OFFLINE_PAGE + "?next=" + next, 302);
  }
}
