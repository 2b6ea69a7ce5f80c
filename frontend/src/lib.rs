//! The browser entry: hydrates the server-rendered page, then registers the service worker.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(raia_app::App);
    mark_hydrated();
    register_service_worker();
}

/// `<body data-hydrated="true">`: lets browser tests (and anyone debugging) see that the
/// page has become interactive.
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
