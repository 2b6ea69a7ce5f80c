//! The SMS provider is down for a minute: every message waits in the outbox, then goes
//! once the provider is back, each exactly once; none lost, none sent twice. SQLite and
//! PostgreSQL.
//!
//! The provider is a fake Africa's Talking on a port of its own that answers HTTP 500
//! until the outage ends, reached by Raia's real client over HTTP. The worker's backoff
//! (30 s, 1 min, 2 min, ...) would make a real minute of outage take minutes of suite, so
//! time is a `ManualClock` both the worker and the fake read, and the test runs the
//! worker's pass once per simulated second, as `delivery_worker` does with
//! `DELIVER_EVERY_SECONDS=1`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use raia_app::clock::{Clock, ManualClock};
use raia_app::db::Db;
use raia_app::i18n::Locale;
use raia_app::messages::africas_talking::{AfricasTalking, AfricasTalkingSettings};
use raia_app::messages::delivery::{Delivery, OutboxOnly, BATCH};
use raia_app::messages::outbox::{self, Message};
use raia_app::test_db::TestDb;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const OUTAGE_SECONDS: i64 = 60;

/// An Africa's Talking that is down until `down_until` on the shared clock.
#[derive(Clone)]
struct FlakyProvider {
    clock: ManualClock,
    down_until: i64,
    /// Each message accepted, by its text, with the time it was accepted.
    accepted: Arc<Mutex<HashMap<String, Vec<i64>>>>,
    refused: Arc<Mutex<usize>>,
}

#[derive(Deserialize)]
struct SendForm {
    to: String,
    message: String,
}

async fn send(State(provider): State<FlakyProvider>, Form(form): Form<SendForm>) -> Response {
    let now = provider.clock.now();
    if now < provider.down_until {
        *provider.refused.lock().unwrap() += 1;
        return (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response();
    }
    provider.accepted.lock().unwrap().entry(form.message).or_default().push(now);
    let recipient = json!({ "statusCode": 101, "number": form.to, "status": "Success", "cost": "KES 0.8000", "messageId": "ATXid_flaky" });
    (StatusCode::CREATED, Json(json!({ "SMSMessageData": { "Message": "Sent to 1/1", "Recipients": [recipient] } }))).into_response()
}

impl FlakyProvider {
    async fn start(clock: &ManualClock, down_until: i64) -> (FlakyProvider, String) {
        let provider = FlakyProvider { clock: clock.clone(), down_until, accepted: Arc::default(), refused: Arc::default() };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = Router::new().route("/version1/messaging", post(send)).with_state(provider.clone());
        tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });
        (provider, base)
    }
}

async fn queue_sms(db: &Db, to: &str, body: &str, now: i64) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let id = outbox::queue(&mut tx, &Message::sms(to, Locale::en, body.into()), now).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// One pass of the worker, as `delivery_worker` runs it: again at once while a batch is full.
async fn worker_pass(delivery: &Delivery) {
    while delivery.deliver_due().await.unwrap() >= BATCH {}
}

#[tokio::test]
async fn messages_wait_out_a_minute_of_provider_errors_then_go_once_each() {
    for test_db in TestDb::all().await {
        let clock = ManualClock::starting_now();
        let start = clock.now();
        let (provider, base) = FlakyProvider::start(&clock, start + OUTAGE_SECONDS).await;
        let settings = AfricasTalkingSettings { base_url: base, username: "raia".into(), api_key: "atsk_test".into(), sender_id: None };
        let delivery = Delivery { db: test_db.db.clone(), clock: Arc::new(clock.clone()), sms: Arc::new(AfricasTalking::new(settings)), email: Arc::new(OutboxOnly) };

        // More than a batch waiting when the outage starts, and more arriving during it.
        let mut queued = Vec::new();
        for n in 0..25 {
            let body = format!("Raia: message {n} queued before the outage");
            queued.push((queue_sms(&test_db.db, &format!("+2547120001{n:02}"), &body, clock.now()).await, body));
        }
        for second in 0..OUTAGE_SECONDS + 10 * 60 {
            if second % 10 == 5 && second < OUTAGE_SECONDS {
                let body = format!("Raia: message queued {second} s into the outage");
                queued.push((queue_sms(&test_db.db, "+254712000999", &body, clock.now()).await, body));
            }
            worker_pass(&delivery).await;
            if second < OUTAGE_SECONDS {
                assert!(provider.accepted.lock().unwrap().is_empty(), "nothing goes while the provider is down");
            }
            clock.advance(1);
        }

        assert!(*provider.refused.lock().unwrap() >= queued.len(), "every message met the outage at least once");
        let accepted = provider.accepted.lock().unwrap().clone();
        for (id, body) in &queued {
            let times = accepted.get(body).cloned().unwrap_or_default();
            assert_eq!(times.len(), 1, "message {id} ({body}) accepted once, not {} times", times.len());
            assert!(times[0] >= start + OUTAGE_SECONDS, "and only after the outage");
        }
        assert_eq!(accepted.len(), queued.len(), "nothing but the queued messages was sent");

        let rows: Vec<(i64, String, i64, Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT id, status, attempts, sent_at, last_error FROM outbox_messages ORDER BY id").fetch_all(test_db.db.pool()).await.unwrap();
        assert_eq!(rows.len(), queued.len());
        for (id, status, attempts, sent_at, last_error) in rows {
            assert_eq!(status, "sent", "message {id}");
            assert!(attempts >= 2, "message {id} was tried during the outage and again after: {attempts} tries");
            assert!(sent_at.is_some_and(|at| at >= start + OUTAGE_SECONDS), "message {id} sent at {sent_at:?}");
            assert_eq!(last_error, None, "message {id}: the outage's error is cleared once sent");
        }

        // The worker keeps running: nothing is sent again.
        clock.advance(24 * 3600);
        worker_pass(&delivery).await;
        assert_eq!(provider.accepted.lock().unwrap().values().map(Vec::len).sum::<usize>(), queued.len());
        test_db.drop_database().await;
    }
}
