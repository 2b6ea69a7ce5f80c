//! `GET /account/data/download`: everything Raia holds about the logged-in citizen as one
//! JSON file (Data Protection Act 2019, the right of access and to data portability). A plain
//! route, so that the browser saves it as a file; the download is recorded in the account's
//! activity, where a citizen would notice somebody else taking it.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use raia_app::identity::activity::{self, SecurityEvent};
use raia_app::privacy::export;
use raia_app::request::{token_from_headers, ClientAddress};

pub async fn download(State(state): State<AppState>, headers: HeaderMap, address: Option<Extension<ClientAddress>>) -> Response {
    let token = token_from_headers(&headers, &state.session_cookie);
    let account = match state.identity.current_account(token.as_deref()).await {
        Ok(Some(account)) => account,
        Ok(None) => return Redirect::to("/login?next=%2Faccount%2Fdata").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let now = state.identity.clock.now();
    let everything = match export::everything(state.db.pool(), account.id, now).await {
        Ok(everything) => everything,
        Err(error) => {
            tracing::error!(%error, "the data download failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let address = address.map(|Extension(ClientAddress(address))| address);
    if let Err(error) = activity::record(state.db.pool(), account.id, SecurityEvent::DataDownloaded, None, address.as_deref(), now).await {
        tracing::error!(%error, "the data download was not recorded");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let body = serde_json::to_vec_pretty(&everything).unwrap_or_default();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"raia-my-data.json\""));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
