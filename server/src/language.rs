//! `GET /lang/{code}?next=/path`: remembers the language in a cookie and goes back to the
//! page the citizen was on. A plain link, so it works without JavaScript.

use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use raia_app::language::{safe_return_path, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS};
use serde::Deserialize;

const LOCALES: [&str; 2] = ["en", "sw"];

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

pub async fn switch(State(state): State<AppState>, Path(code): Path<String>, Query(query): Query<SwitchQuery>) -> Response {
    if !LOCALES.contains(&code.as_str()) {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    }
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    let cookie = format!("{LOCALE_COOKIE}={code}; Path=/; Max-Age={LOCALE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax{secure}");
    let location = safe_return_path(query.next.as_deref()).to_string();
    (StatusCode::SEE_OTHER, [(header::SET_COOKIE, cookie), (header::LOCATION, location)]).into_response()
}
