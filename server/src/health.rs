//! `/healthz`: the process answers. `/readyz`: it can also reach its database, so a load
//! balancer can send it citizens.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

pub async fn alive() -> &'static str {
    "ok"
}

pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
