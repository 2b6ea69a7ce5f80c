//! Server functions take small forms (the largest, an application's answers, is a few KB).
//! Leptos registers their routes itself and reads the raw body, so axum's per-route
//! `DefaultBodyLimit` never applies to them: this middleware reads their body up to the
//! limit first, and answers 413 past it, before any function sees the request. A body
//! holding a NUL character is refused with 400 (see crate::nul_bytes).

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest body a server function accepts.
pub const SERVER_FUNCTION_BYTES: usize = 256 * 1024;

pub async fn server_functions(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, SERVER_FUNCTION_BYTES).await {
        Ok(bytes) if crate::nul_bytes::holds_nul(&bytes) => StatusCode::BAD_REQUEST.into_response(),
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    }
}
