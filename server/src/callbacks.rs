//! Daraja's callbacks: STK push results and C2B (paybill) confirmations. The URL carries a
//! per-deployment secret, compared in constant time; a wrong one is 404 as if nothing were
//! there. Anything malformed is 400 and logged; duplicates, late or unknown ids are 200 and
//! change nothing; our own failures are 500 so that Daraja tries again.

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use raia_app::payments::daraja::{C2bConfirmation, StkCallbackEnvelope};
use raia_app::payments::service::CallbackOutcome;
use serde_json::json;
use subtle::ConstantTimeEq;

/// Whether the secret in a callback's URL is ours, compared in constant time.
pub fn secret_matches(expected: &str, given: &str) -> bool {
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

fn accepted() -> Response {
    Json(json!({ "ResultCode": 0, "ResultDesc": "Accepted" })).into_response()
}

fn answer(outcome: Result<CallbackOutcome, raia_app::errors::AppError>, kind: &str) -> Response {
    match outcome {
        Ok(CallbackOutcome::Ignored(why)) => {
            tracing::warn!(kind, why, "callback changed nothing");
            accepted()
        }
        Ok(outcome) => {
            tracing::info!(kind, ?outcome, "callback applied");
            accepted()
        }
        Err(error) => {
            tracing::error!(kind, ?error, "callback failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /callbacks/mpesa/<secret>/stk`
pub async fn stk(State(state): State<AppState>, Path(secret): Path<String>, body: Bytes) -> Response {
    if !secret_matches(&state.config.payments.callback_secret, &secret) {
        tracing::warn!("STK callback with a wrong secret refused");
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(envelope) = parse::<StkCallbackEnvelope>(&body) else {
        tracing::warn!(bytes = body.len(), "malformed STK callback");
        return (StatusCode::BAD_REQUEST, Json(json!({ "ResultCode": 1, "ResultDesc": "Malformed" }))).into_response();
    };
    answer(state.payments.stk_callback(&envelope.body.stk_callback).await, "stk")
}

/// `POST /callbacks/mpesa/<secret>/c2b`
pub async fn c2b(State(state): State<AppState>, Path(secret): Path<String>, body: Bytes) -> Response {
    if !secret_matches(&state.config.payments.callback_secret, &secret) {
        tracing::warn!("C2B confirmation with a wrong secret refused");
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(confirmation) = parse::<C2bConfirmation>(&body) else {
        tracing::warn!(bytes = body.len(), "malformed C2B confirmation");
        return (StatusCode::BAD_REQUEST, Json(json!({ "ResultCode": 1, "ResultDesc": "Malformed" }))).into_response();
    };
    answer(state.payments.c2b_confirmation(&confirmation).await, "c2b")
}

/// Daraja's JSON, or nothing: a body that does not parse, or carries a NUL character (which
/// Daraja never sends and PostgreSQL cannot store), is refused as malformed.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    if crate::nul_bytes::holds_nul(body) {
        return None;
    }
    serde_json::from_slice(body).ok()
}
