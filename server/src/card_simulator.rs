//! A card gateway simulator for development and tests, mounted at `/sim/card` when
//! `APP_ENV=dev`: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
//! 4000 0000 0000 9995 has insufficient funds, any other valid number succeeds.

//! Charges are filed under the caller's reference and can be asked about again
//! (`GET /charges/<reference>`), as a real gateway's idempotency keys allow. Like an outside
//! service, it keeps them in its own memory.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use raia_app::payments::gateway::{CardCharge, CardChargeResult};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

static CHARGES: AtomicU64 = AtomicU64::new(1);
static BY_REFERENCE: LazyLock<Mutex<HashMap<String, CardChargeResult>>> = LazyLock::new(Default::default);

pub fn routes() -> Router {
    Router::new().route("/charges", post(charge)).route("/charges/{reference}", get(charge_by_reference))
}

async fn charge(Json(charge): Json<CardCharge>) -> Json<CardChargeResult> {
    let mut filed = BY_REFERENCE.lock().expect("simulator lock");
    if let Some(earlier) = filed.get(&charge.reference).filter(|_| !charge.reference.is_empty()) {
        // The same reference again: the same charge, never a second one.
        return Json(earlier.clone());
    }
    let digits: String = charge.number.chars().filter(char::is_ascii_digit).collect();
    let status = match digits.as_str() {
        "4000000000000002" => "declined",
        "4000000000009995" => "insufficient_funds",
        _ => "succeeded",
    };
    let result = CardChargeResult { status: status.to_string(), id: format!("ch_sim_{:08}", CHARGES.fetch_add(1, Ordering::Relaxed)) };
    if !charge.reference.is_empty() {
        filed.insert(charge.reference.clone(), result.clone());
    }
    Json(result)
}

async fn charge_by_reference(Path(reference): Path<String>) -> Response {
    match BY_REFERENCE.lock().expect("simulator lock").get(&reference) {
        Some(result) => Json(result.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
