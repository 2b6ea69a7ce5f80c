//! Headers every response carries, and long caching for the hashed build files.
//! The Content-Security-Policy names a nonce drawn here per request and handed to the page
//! through the request's extensions (see raia_app::content_security).
//! Personal pages and every server function's answer are never stored by a browser or
//! proxy; HSTS is sent in prod only (a developer's plain-HTTP localhost must stay usable).

use crate::config::AppEnv;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use raia_app::content_security::{self, ScriptNonce};

/// Browser features Raia never uses, denied to the page and anything it could embed.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), serial=(), xr-spatial-tracking=()";

pub async fn add(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let nonce = ScriptNonce::fresh();
    request.extensions_mut().insert(nonce.clone());
    let immutable = state.assets.hashed && request.uri().path().starts_with("/pkg/");
    // Server functions answer with personal data or set cookies: never cached, session or not.
    let server_function = request.uri().path().starts_with("/api/");
    let has_session = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.contains(&format!("{}=", state.session_cookie.name)));
    let mut response = next.run(request).await;
    let success = response.status().is_success();
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS_POLICY));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    // A response with a stricter policy of its own (an uploaded file, sandboxed) keeps it.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = content_security::policy(&nonce, live_reload(&state).as_deref());
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).expect("the policy is ASCII"));
    }
    if state.config.env == AppEnv::Prod {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    // File names under /pkg/ carry a hash of their content (cargo-leptos `hash-files`),
    // so a new build always has new names and old copies can be kept forever.
    if immutable && success {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else if has_session || server_function {
        // Pages for someone with a session may be personal: no browser, proxy or
        // back-button cache keeps them.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// `cargo leptos watch` reloads the page through a websocket on its own port; the policy
/// allows it only while that tool runs.
fn live_reload(state: &AppState) -> Option<String> {
    std::env::var_os("LEPTOS_WATCH").map(|_| format!("ws://*:{}", state.leptos_options.reload_port))
}
