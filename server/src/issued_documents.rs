//! Issued documents over plain HTTP: the holder's PDF (bytes, not a page) and the public
//! document keys that let anyone verify a document offline.

use crate::documents::viewer;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// `/issued/DOC-2026-000001.pdf`: the holder's document, drawn in their language; 404 for
/// anyone else, as for a document that does not exist.
pub async fn download(State(state): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(number) = file.strip_suffix(".pdf") else { return StatusCode::NOT_FOUND.into_response() };
    let account = match viewer(&state, &headers).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    match state.applications.issuer.pdf_for_holder(account.id, number, account.language).await {
        Ok(pdf) => {
            let mut response = pdf.bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", pdf.file_name)) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            response
        }
        Err(raia_app::errors::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// `/.well-known/raia-document-keys.json`: the JWK set of every key that signs or signed documents.
pub async fn keys(State(state): State<AppState>) -> Response {
    let mut response = Json(state.applications.issuer.keys.jwks()).into_response();
    // Verifiers keep a copy for offline use; an hour's caching is plenty for a rotation.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}
