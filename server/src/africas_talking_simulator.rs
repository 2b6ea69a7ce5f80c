//! An Africa's Talking SMS simulator for development and tests, mounted at
//! `/sim/africastalking` when `APP_ENV=dev`, so Raia's real client runs over real HTTP
//! (`SMS_PROVIDER=africastalking AFRICASTALKING_BASE_URL=http://127.0.0.1:3000/sim/africastalking`).
//! It answers as the real API does: HTTP 201 with each recipient's `statusCode`. A number
//! ending `0403` is refused as invalid (403); `fail_next(n)` makes the next `n` requests
//! answer HTTP 500, as when the API is down. It stands in for an outside service, so what
//! it received is its own memory, in process.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One SMS the simulator accepted.
#[derive(Clone, Debug)]
pub struct ReceivedSms {
    pub username: String,
    pub api_key: String,
    pub to: String,
    pub message: String,
    pub from: Option<String>,
}

#[derive(Clone, Default)]
pub struct AfricasTalkingSimulator {
    received: Arc<Mutex<Vec<ReceivedSms>>>,
    requests: Arc<AtomicUsize>,
    fail_next: Arc<AtomicUsize>,
}

#[derive(Deserialize)]
struct SendForm {
    username: String,
    to: String,
    message: String,
    from: Option<String>,
}

impl AfricasTalkingSimulator {
    pub fn routes(&self) -> Router {
        Router::new().route("/version1/messaging", post(send)).with_state(self.clone())
    }

    /// What it accepted, oldest first.
    pub fn received(&self) -> Vec<ReceivedSms> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Every request, accepted or not.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The next `n` requests answer HTTP 500.
    pub fn fail_next(&self, n: usize) {
        self.fail_next.store(n, Ordering::SeqCst);
    }
}

async fn send(State(sim): State<AfricasTalkingSimulator>, headers: HeaderMap, Form(form): Form<SendForm>) -> Response {
    sim.requests.fetch_add(1, Ordering::SeqCst);
    if sim.fail_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response();
    }
    let api_key = headers.get("apikey").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if api_key.is_empty() || form.username.is_empty() {
        return (StatusCode::UNAUTHORIZED, "The supplied authentication is invalid").into_response();
    }
    let recipient = if form.to.ends_with("0403") {
        json!({ "statusCode": 403, "number": form.to, "status": "InvalidPhoneNumber", "cost": "0", "messageId": "None" })
    } else {
        let mut received = sim.received.lock().expect("simulator memory");
        received.push(ReceivedSms { username: form.username.clone(), api_key, to: form.to.clone(), message: form.message.clone(), from: form.from.clone() });
        json!({ "statusCode": 101, "number": form.to, "status": "Success", "cost": "KES 0.8000", "messageId": format!("ATXid_sim_{}", received.len()) })
    };
    let accepted = usize::from(recipient["statusCode"] == 101);
    (StatusCode::CREATED, Json(json!({ "SMSMessageData": { "Message": format!("Sent to {accepted}/1 Total Cost: KES 0.8000"), "Recipients": [recipient] } }))).into_response()
}
