//! The browser entry: hydrates the server-rendered page, then registers the service worker.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(raia_app::App);
    register_service_worker();
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
