//! The browser entry. Raia renders every page on the server; only the components marked
//! `#[island]` in `raia-app` come to life here. The app's island loader
//! (`raia_app::islands::loader`) fetches this WASM only on a page that has an island, calls
//! `hydrate` once, then hydrates each `<leptos-island>` it finds.

use wasm_bindgen::prelude::wasm_bindgen;

// The islands are exported from the app crate; naming it keeps them linked in (leptos #2083).
#[allow(unused_imports)]
use raia_app::islands as _;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
