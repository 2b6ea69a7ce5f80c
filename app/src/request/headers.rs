//! What the request's headers say: its language, browser, client address and kind of post.

use axum::extract::ConnectInfo;
use http::header::COOKIE;
use http::request::Parts;
use leptos::prelude::*;
use std::net::SocketAddr;

/// The language this request's pages are in (see `language::locale_of_request`).
pub fn request_language() -> crate::i18n::Locale {
    let header = |parts: &Parts, name: http::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (cookie, accept) = match use_context::<Parts>() {
        Some(parts) => (header(&parts, COOKIE), header(&parts, http::header::ACCEPT_LANGUAGE)),
        None => (None, None),
    };
    crate::language::locale_of_request(cookie.as_deref(), accept.as_deref())
}

/// The browser's `User-Agent`, or empty.
pub fn user_agent() -> String {
    use_context::<Parts>().and_then(|parts| parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string)).unwrap_or_default()
}

/// The client's address as rate limits count it, put on each request by the server (which
/// knows the trusted proxies): an IPv4 address, or an IPv6 client's /64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// The client's address for rate limits: the server's `ClientAddress`, else the TCP peer.
pub fn client_ip() -> String {
    let Some(parts) = use_context::<Parts>() else { return "unknown".into() };
    if let Some(address) = parts.extensions.get::<ClientAddress>() {
        return address.0.clone();
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

pub fn is_post() -> bool {
    use_context::<Parts>().is_some_and(|parts| parts.method == http::Method::POST)
}
