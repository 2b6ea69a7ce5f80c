//! Opening a support request and viewing its screenshot: plain HTTP endpoints, because the
//! form is multipart (it may carry a screenshot, and works without JavaScript) and a
//! screenshot comes back as bytes. The rules live in `raia_app::support::service`.

use crate::state::AppState;
use crate::documents::{read_form, viewer};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::server_fn::error::ServerFnUrlError;
use raia_app::errors::AppError;
use raia_app::request::token_from_headers;
use raia_app::language::encode_query_value;
use raia_app::support::api::OPEN_TICKET_PATH;
use raia_app::support::service::{Screenshot, Support, TicketForm};

/// The largest request accepted: a screenshot of at most 5 MB plus the form's fields (a
/// 2,000-character message). A larger one is cut off here and answered with "too large".
pub const MAX_REQUEST_BYTES: usize = crate::documents::MAX_REQUEST_BYTES;

/// Where the form is: problems are sent back there, as a server function's would be.
const FORM_PAGE: &str = "/support";

/// The form's page with the problems in its address, where `FormProblems::at` reads them.
fn back_with(error: AppError) -> Response {
    match ServerFnUrlError::new(OPEN_TICKET_PATH, error).to_url(&format!("http://raia{FORM_PAGE}")) {
        Ok(url) => Redirect::to(&format!("{}?{}#new", url.path(), url.query().unwrap_or(""))).into_response(),
        Err(_) => Redirect::to(FORM_PAGE).into_response(),
    }
}

/// `POST /support/open`: opens a request for the logged-in citizen, then shows it; a
/// problem sends the form back with each problem beside its field. The session is checked
/// before the body is read: nobody streams megabytes to Raia without being logged in.
pub async fn open(State(state): State<AppState>, headers: HeaderMap, multipart: Multipart) -> Response {
    let token = token_from_headers(&headers, &state.session_cookie);
    let account = match state.identity.current_account(token.as_deref()).await {
        Ok(Some(account)) => account,
        Ok(None) => return Redirect::to(&format!("/login?next={}", encode_query_value(FORM_PAGE))).into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let form = read_form(multipart, "screenshot").await;
    let screenshot = match (form.too_large, form.bytes.is_empty()) {
        (true, _) => Screenshot::TooLarge,
        // No file chosen: browsers send an empty part.
        (false, true) => Screenshot::None,
        (false, false) => Screenshot::File { name: &form.file_name, bytes: &form.bytes },
    };
    let ticket = TicketForm { topic: form.text("topic"), application: form.text("application"), message: form.text("message"), screenshot };
    match Support::from(&state.applications).open(&account, &ticket).await {
        Ok(reference) => Redirect::to(&format!("/support/{reference}?opened=1")).into_response(),
        Err(error @ AppError::Invalid(_)) => back_with(error),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /documents/support/<id>`: a request's screenshot, for its citizen and the staff who
/// may answer the request; 404 for anyone else.
pub async fn screenshot(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let account = match viewer(&state, &headers).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    crate::documents::file_response(Support::from(&state.applications).attachment(&account, id).await)
}
