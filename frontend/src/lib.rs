//! The browser entry. Raia renders every page on the server; only the components marked
//! `#[island]` in `raia-app` come to life here. Leptos's island script calls `hydrate`
//! once the WASM is loaded, then hydrates each `<leptos-island>` it finds.

use wasm_bindgen::prelude::wasm_bindgen;

// The islands are exported from the app crate; naming it keeps them linked in (leptos #2083).
#[allow(unused_imports)]
use raia_app::islands as _;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    mark_hydrated();
    register_service_worker();
}

/// `<body data-hydrated="true">`: lets browser tests (and anyone debugging) see that the
/// islands are live. The navigation script sets it again on each page it swaps in.
fn mark_hydrated() {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Only release builds register the worker: a development build reloads itself on every
/// change (cargo-leptos hot reload), and a caching worker would fight that.
fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
}
