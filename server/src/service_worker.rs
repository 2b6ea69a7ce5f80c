//! `GET /sw.js`: the service worker, versioned by this build's file hashes.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

const TEMPLATE: &str = include_str!("service_worker.js");

/// What the phone keeps so that Raia opens, and says it is offline, without a network.
/// Only what the offline page shows: the large PNG icons (25 KB) are fetched by the
/// browser itself if the citizen installs Raia, not by every first visit.
const STATIC_SHELL: [&str; 3] = ["/offline", "/manifest.webmanifest", "/icons/favicon.svg"];

pub async fn script(State(state): State<AppState>) -> impl IntoResponse {
    let assets = &state.assets;
    let shell: Vec<&str> = STATIC_SHELL.iter().copied().chain([assets.stylesheet.as_str()]).collect();
    let bundle = [assets.script.as_str(), assets.wasm.as_str()];
    let body = TEMPLATE
        .replace("__VERSION__", &assets.version)
        .replace("__SHELL__", &serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into()))
        .replace("__BUNDLE__", &serde_json::to_string(&bundle).unwrap_or_else(|_| "[]".into()));
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must always see the newest worker, or it would keep an old build.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}
