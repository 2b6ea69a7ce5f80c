//! Uploading and viewing application documents: plain HTTP endpoints, because files
//! travel as multipart forms (which also work without JavaScript) and come back as bytes.
//! The rules (who may, which types, how big) live in `Applications`.

use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use raia_app::errors::{AppError, Problem};
use raia_app::identity::accounts::Account;
use raia_app::request::token_from_headers;
use raia_app::language::{encode_query_value, safe_return_path};
use raia_app::services::documents::MAX_BYTES;
use raia_app::services::service::{DocumentDownload, FormTarget};
use std::collections::HashMap;

/// The largest request body accepted: one file of at most 5 MB plus the form's fields. A
/// larger upload is cut off here and answered with "too large".
pub const MAX_REQUEST_BYTES: usize = MAX_BYTES + 64 * 1024;

/// A multipart form as it arrived: its text fields, and the one file it may carry.
#[derive(Default)]
pub struct UploadForm {
    fields: HashMap<String, String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The body limit cut the request short: the file was too big.
    pub too_large: bool,
}

impl UploadForm {
    /// A text field's value, empty when it was not sent.
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

/// Reads a multipart form whose file is in the part named `file_field`.
pub async fn read_form(mut multipart: Multipart, file_field: &str) -> UploadForm {
    let mut form = UploadForm::default();
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or("").to_string();
                if name == file_field {
                    form.file_name = part.file_name().unwrap_or("").to_string();
                    match part.bytes().await {
                        Ok(bytes) => form.bytes = bytes.to_vec(),
                        Err(_) => form.too_large = true,
                    }
                    continue;
                }
                let value = part.text().await.unwrap_or_default();
                form.fields.insert(name, value);
            }
            Ok(None) => break,
            // The body limit cut the request short: the file was too big.
            Err(_) => {
                form.too_large = true;
                break;
            }
        }
    }
    form
}

/// Where an anonymous upload's login should come back to: the page the form was on, from
/// `Referer` (the body, with its `return_to`, is never read for someone not logged in).
fn page_of_referer(headers: &HeaderMap) -> String {
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let path = referer.split_once("://").map(|(_, rest)| rest.find('/').map_or("/", |i| &rest[i..])).unwrap_or(referer);
    safe_return_path(Some(path)).to_string()
}

/// `POST /documents`: stores the file for a field of the citizen's form, then goes back to
/// the form's page, with the problem in the address if there was one. The session is
/// checked first: nobody streams megabytes to Raia without being logged in.
pub async fn upload(State(state): State<AppState>, headers: HeaderMap, multipart: Multipart) -> Response {
    let token = token_from_headers(&headers, &state.session_cookie);
    let account = match state.identity.current_account(token.as_deref()).await {
        Ok(Some(account)) => account,
        Ok(None) => return Redirect::to(&format!("/login?next={}", encode_query_value(&page_of_referer(&headers)))).into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let form = read_form(multipart, "file").await;
    let back = safe_return_path(Some(form.text("return_to"))).to_string();
    let field = form.text("field");
    let with_problem = |code: &str| {
        let separator = if back.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{back}{separator}field={}&upload_error={code}#{}", encode_query_value(field), encode_query_value(field))).into_response()
    };
    if form.too_large {
        return with_problem("too_large");
    }
    let target = FormTarget::from_fields(form.text("service"), form.text("reference"));
    match state.applications.attach_document(&account, &target, field, &form.file_name, &form.bytes).await {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(AppError::Invalid(problems)) => match problems.first().map(|p| &p.problem) {
            Some(Problem::FileTooLarge) => with_problem("too_large"),
            Some(Problem::FileWrongType) => with_problem("wrong_type"),
            // The form again, with the reason beside the field: the citizen keeps their
            // place and their other answers, and knows to try again later (see `attach_document`).
            Some(Problem::FileNotSaved) => with_problem("not_saved"),
            Some(Problem::FileRequired) => with_problem("missing"),
            _ => with_problem("not_allowed"),
        },
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /documents/<id>`: the file, for its applicant or an officer of the agency; 404 for anyone else.
pub async fn download(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let account = match viewer(&state, &headers).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    file_response(state.applications.document(&account, id).await)
}

/// Who asks for a stored file: the logged-in account, else a 404 (which says nothing of
/// whether the file exists).
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Account, Response> {
    let token = token_from_headers(headers, &state.session_cookie);
    match state.identity.current_account(token.as_deref()).await {
        Ok(Some(account)) => Ok(account),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// A stored file as the browser shows it (an application's document, a support request's
/// screenshot); 404 when the asker may not see it.
pub fn file_response(document: Result<DocumentDownload, AppError>) -> Response {
    match document {
        Ok(document) => {
            let mut response = document.bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&document.content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", document.file_name)) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            // A document is data, never a page that runs scripts.
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            response
        }
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
