//! When the database cannot be reached, a page answers 503 (see `AppError::Unavailable`)
//! with this short page in English and Kiswahili: what happened, that nothing was lost and
//! to try again in a few minutes, instead of whatever the page rendered without its data.
//! Server functions (`/api/...`) keep their own 503, which a page's script reads; `/readyz`
//! keeps its plain answer for the load balancer.

use crate::assets::BuildAssets;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use raia_app::request::UNAVAILABLE_RETRY_AFTER_SECONDS;
use std::sync::Arc;

pub async fn friendly_page(State(assets): State<Arc<BuildAssets>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_page = matches!(*request.method(), Method::GET | Method::HEAD) && !path.starts_with("/api/") && !path.starts_with("/callbacks/") && path != "/readyz" && path != "/healthz";
    let response = next.run(request).await;
    if !is_page || response.status() != StatusCode::SERVICE_UNAVAILABLE {
        return response;
    }
    let mut page = (StatusCode::SERVICE_UNAVAILABLE, Html(page(&assets.stylesheet))).into_response();
    let headers = page.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static(UNAVAILABLE_RETRY_AFTER_SECONDS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    page
}

/// Both languages on one page: the language cookie may be all the citizen has, and reading
/// it is no reason to fail again.
fn page(stylesheet: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Try again in a few minutes – Raia</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><main id=\"main-content\" class=\"container\">\
         <h1>Sorry, Raia is not available right now</h1>\
         <p>We cannot reach our records at the moment. Nothing you sent us was lost. Try again in a few minutes.</p>\
         <div lang=\"sw\"><h2>Samahani, Raia haipatikani kwa sasa</h2>\
         <p>Hatuwezi kufikia kumbukumbu zetu kwa sasa. Hakuna ulichotutumia kilichopotea. Jaribu tena baada ya dakika chache.</p></div>\
         <p><a href=\"/\">Raia home / Mwanzo</a></p>\
         </main></body></html>"
    )
}
