// Starts Raia's islands (crate::islands), and only on a page that has one: a page without
// any loads no WASM and no framework script at all. Inlined into every page by shell.rs,
// called with the build's file names. Leptos's own island script would load the WASM on
// every page, islands or not.
((script, wasm, registerWorker) => {
  let bundle = null; // the WASM, loaded once per page load and kept across swapped pages

  const load = () =>
    (bundle ||= import(script).then(async (module) => {
      await module.default({ module_or_path: wasm });
      module.hydrate();
      return module;
    }));

  // Brings to life every island under `root` not yet live, then marks <body> (browser tests
  // and anyone debugging read `data-hydrated` as "the page's scripts are ready").
  const wake = (root) => {
    const asleep = [...root.querySelectorAll("leptos-island")].filter((island) => !("live" in island.dataset));
    if (asleep.length === 0) {
      document.body.dataset.hydrated = "true";
      return;
    }
    load().then((module) => {
      for (const island of asleep) {
        const hydrate = module[island.dataset.component];
        if (!hydrate) continue;
        island.dataset.live = "";
        hydrate(island);
      }
      document.body.dataset.hydrated = "true";
    });
  };

  // navigation.js calls this for each page it swaps in.
  window.raiaIslands = wake;
  wake(document.body);

  // The offline page and the installable app need the service worker on every page, WASM
  // or not. Only release builds: a development build reloads itself on every change.
  if (registerWorker && "serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");
})
