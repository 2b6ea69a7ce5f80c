//! `/dev/outbox` and `/dev/outbox.json`: every SMS and email the server "sent", newest
//! first, for developers and browser tests. Mounted only when APP_ENV=dev.

use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use raia_app::html::escape;
use raia_app::messages::outbox;
use serde::Deserialize;

const SHOWN: i64 = 200;

#[derive(Deserialize)]
pub struct Filter {
    to: Option<String>,
}

pub async fn json(State(state): State<AppState>, Query(filter): Query<Filter>) -> Response {
    match outbox::list(&state.db, filter.to.as_deref(), None, SHOWN).await {
        Ok(messages) => Json(messages).into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}


pub async fn page(State(state): State<AppState>, Query(filter): Query<Filter>) -> Response {
    let Ok(messages) = outbox::list(&state.db, filter.to.as_deref(), None, SHOWN).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let rows: String = messages
        .iter()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                m.created_at,
                m.status,
                m.channel.as_str(),
                escape(&m.to),
                escape(m.subject.as_deref().unwrap_or("")),
                escape(&m.body)
            )
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Outbox (development) – Raia</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:1rem}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #b1b4b6;padding:.4rem;text-align:left;vertical-align:top}}</style></head>\
         <body><main><h1>Outbox (development only)</h1><p>Every SMS and email Raia sent, newest first. JSON: <a href=\"/dev/outbox.json\">/dev/outbox.json</a></p>\
         <table><thead><tr><th>Written (Unix time)</th><th>Delivery</th><th>Channel</th><th>To</th><th>Subject</th><th>Message</th></tr></thead><tbody>{rows}</tbody></table></main></body></html>"
    ))
    .into_response()
}
