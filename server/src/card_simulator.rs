//! A card gateway simulator for development and tests, mounted at `/sim/card` when
//! `APP_ENV=dev`: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
//! 4000 0000 0000 9995 has insufficient funds, any other valid number succeeds.

use axum::routing::post;
use axum::{Json, Router};
use raia_app::payments::gateway::{CardCharge, CardChargeResult};
use std::sync::atomic::{AtomicU64, Ordering};

static CHARGES: AtomicU64 = AtomicU64::new(1);

pub fn routes() -> Router {
    Router::new().route("/charges", post(charge))
}

async fn charge(Json(charge): Json<CardCharge>) -> Json<CardChargeResult> {
    let digits: String = charge.number.chars().filter(char::is_ascii_digit).collect();
    let status = match digits.as_str() {
        "4000000000000002" => "declined",
        "4000000000009995" => "insufficient_funds",
        _ => "succeeded",
    };
    Json(CardChargeResult { status: status.to_string(), id: format!("ch_sim_{:08}", CHARGES.fetch_add(1, Ordering::Relaxed)) })
}
