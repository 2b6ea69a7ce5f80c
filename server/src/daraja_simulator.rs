//! A Daraja simulator for development and tests, mounted at `/sim/mpesa` when
//! `APP_ENV=dev` (absent in prod), so Raia's real Daraja client runs over real HTTP.
//! The paying phone's last four digits choose what happens:
//! `0001` insufficient funds (1), `0002` cancelled by the user (1032), `0003` no answer
//! (1037: no callback; the query answers 1037 after the delay), `0004` success with the
//! callback two minutes late (the query answers success after the delay), `0005` success,
//! but the answer to the push itself is lost (as when the call times out after Daraja has
//! accepted it), anything else success with a fresh M-Pesa receipt number.
//! It stands in for an outside service, so its memory of pushes is its own, in process.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use raia_app::payments::daraja::{CallbackMetadata, MetadataItem, StkCallback, StkCallbackBody, StkCallbackEnvelope, StkPushRequest, StkPushResponse, StkQueryRequest, StkQueryResponse};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LATE_CALLBACK: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    InsufficientFunds,
    Cancelled,
    NoAnswer,
    LateCallback,
    AnswerLost,
    Success,
}

impl Scenario {
    fn of_phone(phone: &str) -> Scenario {
        match phone.get(phone.len().saturating_sub(4)..) {
            Some("0001") => Scenario::InsufficientFunds,
            Some("0002") => Scenario::Cancelled,
            Some("0003") => Scenario::NoAnswer,
            Some("0004") => Scenario::LateCallback,
            Some("0005") => Scenario::AnswerLost,
            _ => Scenario::Success,
        }
    }

    fn result(self) -> (i64, &'static str) {
        match self {
            Scenario::InsufficientFunds => (1, "The balance is insufficient for the transaction."),
            Scenario::Cancelled => (1032, "Request cancelled by user."),
            Scenario::NoAnswer => (1037, "DS timeout user cannot be reached."),
            Scenario::LateCallback | Scenario::AnswerLost | Scenario::Success => (0, "The service request is processed successfully."),
        }
    }
}

struct Push {
    scenario: Scenario,
    merchant_request_id: String,
    answered_at: Instant,
}

pub struct DarajaSimulator {
    delay: Duration,
    pushes: Mutex<HashMap<String, Push>>,
    counter: AtomicU64,
    http: reqwest::Client,
}

impl DarajaSimulator {
    pub fn new(delay_seconds: u64) -> Arc<Self> {
        Arc::new(DarajaSimulator { delay: Duration::from_secs(delay_seconds), pushes: Mutex::new(HashMap::new()), counter: AtomicU64::new(1), http: reqwest::Client::new() })
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }
}

pub fn routes(simulator: Arc<DarajaSimulator>) -> Router {
    Router::new()
        .route("/oauth/v1/generate", get(token))
        .route("/mpesa/stkpush/v1/processrequest", post(stk_push))
        .route("/mpesa/stkpushquery/v1/query", post(stk_query))
        .with_state(simulator)
}

async fn token(headers: HeaderMap) -> Response {
    if !headers.get("authorization").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Basic ")) {
        return (StatusCode::BAD_REQUEST, Json(json!({ "errorMessage": "Invalid Authentication passed" }))).into_response();
    }
    Json(json!({ "access_token": format!("sim-{}", rand_token()), "expires_in": "3599" })).into_response()
}

fn rand_token() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
}

fn bearer(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer sim-"))
}

async fn stk_push(State(sim): State<Arc<DarajaSimulator>>, headers: HeaderMap, Json(request): Json<StkPushRequest>) -> Response {
    if !bearer(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "errorMessage": "Invalid Access Token" }))).into_response();
    }
    if request.amount < 1 || request.account_reference.len() > 12 || request.phone_number.len() != 12 {
        return (StatusCode::BAD_REQUEST, Json(json!({ "errorMessage": "Bad Request - Invalid request" }))).into_response();
    }
    let n = sim.next();
    let checkout = format!("ws_CO_SIM{n:08}");
    let merchant = format!("SIM-{n}");
    let scenario = Scenario::of_phone(&request.phone_number);
    sim.pushes.lock().expect("simulator lock").insert(checkout.clone(), Push { scenario, merchant_request_id: merchant.clone(), answered_at: Instant::now() + sim.delay });

    // The phone answers after the delay; Daraja then posts the result (except when it cannot reach the phone).
    let callback_delay = match scenario {
        Scenario::NoAnswer => None,
        Scenario::LateCallback => Some(LATE_CALLBACK),
        _ => Some(sim.delay),
    };
    if let Some(delay) = callback_delay {
        let (sim, checkout, merchant) = (sim.clone(), checkout.clone(), merchant.clone());
        let (url, amount, phone) = (request.callback_url.clone(), request.amount, request.phone_number.clone());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let (code, desc) = scenario.result();
            let metadata = (code == 0).then(|| CallbackMetadata {
                item: vec![
                    MetadataItem { name: "Amount".into(), value: Some(json!(amount)) },
                    MetadataItem { name: "MpesaReceiptNumber".into(), value: Some(json!(format!("SIM{:07}", sim.next()))) },
                    MetadataItem { name: "Balance".into(), value: None },
                    MetadataItem { name: "TransactionDate".into(), value: Some(json!(20261122140500_i64)) },
                    MetadataItem { name: "PhoneNumber".into(), value: Some(json!(phone.parse::<i64>().unwrap_or_default())) },
                ],
            });
            let body = StkCallbackEnvelope {
                body: StkCallbackBody {
                    stk_callback: StkCallback { merchant_request_id: merchant, checkout_request_id: checkout, result_code: code, result_desc: desc.into(), callback_metadata: metadata },
                },
            };
            if let Err(error) = sim.http.post(&url).json(&body).send().await {
                tracing::warn!(%error, "simulated Daraja callback not delivered");
            }
        });
    }
    if scenario == Scenario::AnswerLost {
        // Accepted and going ahead, but the caller never reads a usable answer.
        return (StatusCode::OK, "<html>upstream timed out</html>").into_response();
    }
    Json(StkPushResponse {
        merchant_request_id: merchant,
        checkout_request_id: checkout,
        response_code: "0".into(),
        response_description: "Success. Request accepted for processing".into(),
        customer_message: "Success. Request accepted for processing".into(),
    })
    .into_response()
}

async fn stk_query(State(sim): State<Arc<DarajaSimulator>>, headers: HeaderMap, Json(request): Json<StkQueryRequest>) -> Response {
    if !bearer(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "errorMessage": "Invalid Access Token" }))).into_response();
    }
    let pushes = sim.pushes.lock().expect("simulator lock");
    let Some(push) = pushes.get(&request.checkout_request_id) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "errorCode": "500.001.1001", "errorMessage": "The transaction is being processed" }))).into_response();
    };
    let answered = Instant::now() >= push.answered_at;
    let (code, desc) = push.scenario.result();
    Json(StkQueryResponse {
        response_code: "0".into(),
        merchant_request_id: push.merchant_request_id.clone(),
        checkout_request_id: request.checkout_request_id.clone(),
        result_code: answered.then(|| code.to_string()),
        result_desc: answered.then(|| desc.to_string()),
    })
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::Scenario;

    #[test]
    fn the_last_four_digits_choose_the_outcome() {
        assert_eq!(Scenario::of_phone("254700000001"), Scenario::InsufficientFunds);
        assert_eq!(Scenario::of_phone("254700000002"), Scenario::Cancelled);
        assert_eq!(Scenario::of_phone("254700000003"), Scenario::NoAnswer);
        assert_eq!(Scenario::of_phone("254700000004"), Scenario::LateCallback);
        assert_eq!(Scenario::of_phone("254700000005"), Scenario::AnswerLost);
        assert_eq!(Scenario::of_phone("254712345678"), Scenario::Success);
    }
}
