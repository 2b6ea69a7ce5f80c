//! The script that starts the islands on the pages that have them (see loader.js), and the
//! build's file names it needs, which the server provides.

use leptos::prelude::*;

const LOADER_SCRIPT: &str = include_str!("loader.js");

/// The browser bundle of this build: its JS glue and WASM file, by their (hashed) paths.
#[derive(Clone, Debug, Default)]
pub struct BrowserBundle {
    pub script: String,
    pub wasm: String,
    /// Release builds (hashed names) register the service worker.
    pub release: bool,
}

/// In `<head>`: the build's name, for navigation.js to tell pages of another build, and the
/// loader, a module script (so it runs once the document is parsed).
#[component]
pub fn IslandScripts() -> impl IntoView {
    // As Leptos's `<HydrationScripts islands=true>` does: outside islands nothing is
    // serialised for hydration (each island turns it on for itself).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let bundle = use_context::<BrowserBundle>().unwrap_or_default();
    let call = format!(
        "{LOADER_SCRIPT}({}, {}, {});",
        serde_json::to_string(&bundle.script).unwrap_or_default(),
        serde_json::to_string(&bundle.wasm).unwrap_or_default(),
        bundle.release
    );
    view! {
        <meta name="raia-build" content=bundle.script.clone() />
        <script type="module" nonce=leptos::nonce::use_nonce() inner_html=call></script>
    }
}
