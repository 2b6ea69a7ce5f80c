//! Cross-site request forgery: a state-changing request (any POST) must come
//! from a Raia page. Browsers say where a request comes from in `Sec-Fetch-Site` and
//! `Origin`; a request another site's page made is refused with 403.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    let changes_state = request.method() != Method::GET && request.method() != Method::HEAD;
    if changes_state && !is_same_origin(&request) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(request).await
}

fn is_same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST).and_then(|v| v.to_str().ok())) {
        // The Origin's host must be the host the request was sent to.
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) == Some(host),
        (Some(_), None) => false,
        // Neither header: not a browser (or a very old one); SameSite=Lax cookies protect these.
        (None, _) => true,
    }
}
