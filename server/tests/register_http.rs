//! The HTTP register client against a fake agency started by the test, over real HTTP:
//! answers as the contract says, and when the agency is slow, failing or talking nonsense
//! the citizen is told the agency is not answering, nothing is charged and nothing is lost.

mod support;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use raia_app::errors::{AppError, Problem};
use raia_app::registers::embedded::EmbeddedRegisters;
use raia_app::registers::http::{AgencyEndpoint, HttpRegisters, HttpSettings};
use raia_app::registers::{Asker, FinePayment, FineSettlement, RegisterError, Registers};
use raia_app::services::service::FormTarget;
use raia_app::test_db::TestDb;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::payment_world::{account, count};
use support::TestServer;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mood {
    Fine,
    Slow,
    Failing,
    Nonsense,
}

#[derive(Clone)]
struct FakeNtsa {
    mood: Arc<Mutex<Mood>>,
    hits: Arc<AtomicU32>,
    paid_by: Arc<Mutex<Option<String>>>,
}

impl FakeNtsa {
    fn set(&self, mood: Mood) {
        *self.mood.lock().unwrap() = mood;
        self.hits.store(0, Ordering::SeqCst);
    }

    fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn misbehave(fake: &FakeNtsa) -> Option<Response> {
    fake.hits.fetch_add(1, Ordering::SeqCst);
    let mood = *fake.mood.lock().unwrap();
    match mood {
        Mood::Fine => None,
        Mood::Slow => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            None
        }
        Mood::Failing => Some(StatusCode::BAD_GATEWAY.into_response()),
        Mood::Nonsense => Some((StatusCode::OK, "{\"registration_number\": 12").into_response()),
    }
}

async fn vehicle(State(fake): State<FakeNtsa>, Path(registration): Path<String>) -> Response {
    if let Some(response) = misbehave(&fake).await {
        return response;
    }
    if registration != "KDA 123A" {
        return StatusCode::NOT_FOUND.into_response();
    }
    Json(serde_json::json!({
        "registration_number": "KDA 123A", "make": "Toyota", "model": "Probox", "year": 2015, "colour": "White",
        "chassis_number": "NCP160-0012345", "logbook_number": "LB2015004821", "owner_id_number": "12345678",
        "owner_name": "Wanjiku Kamau", "insurance_status": "valid", "insurance_expiry": "2027-03-31", "caveats": []
    }))
    .into_response()
}

async fn pay(State(fake): State<FakeNtsa>, Path(notice): Path<String>, Json(payment): Json<FinePayment>) -> Response {
    if let Some(response) = misbehave(&fake).await {
        return response;
    }
    if notice != "NTSA0010001" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut paid_by = fake.paid_by.lock().unwrap();
    let outcome = match paid_by.as_deref() {
        None => {
            *paid_by = Some(payment.reference.clone());
            FineSettlement::Paid
        }
        Some(reference) if reference == payment.reference => FineSettlement::Paid,
        Some(_) => FineSettlement::PaidByOther,
    };
    Json(outcome).into_response()
}

async fn fake_ntsa() -> (FakeNtsa, String) {
    let fake = FakeNtsa { mood: Arc::new(Mutex::new(Mood::Fine)), hits: Arc::new(AtomicU32::new(0)), paid_by: Arc::new(Mutex::new(None)) };
    let app = Router::new().route("/api/vehicles/{registration}", get(vehicle)).route("/api/fines/{notice}/payment", put(pay)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (fake, base)
}

fn client(base: &str, test_db: &TestDb) -> HttpRegisters {
    let settings = HttpSettings { timeout: Duration::from_millis(300), retries: 2, backoff: Duration::from_millis(20), open_for: Duration::from_millis(500) };
    let ntsa = AgencyEndpoint { base_url: base.parse().unwrap(), token: "test-token".into() };
    HttpRegisters::new(settings, Some(ntsa), None, None, Box::new(EmbeddedRegisters::new(test_db.db.clone())))
}

#[tokio::test]
async fn the_client_reads_the_agency_and_survives_its_bad_days() {
    let test_db = TestDb::sqlite().await;
    let (fake, base) = fake_ntsa().await;
    let registers = client(&base, &test_db);
    let asker = Asker::system("test");

    let found = registers.vehicle("kda123a", &asker).await.unwrap().expect("found");
    assert_eq!((found.make.as_str(), found.owner_id_number.as_str()), ("Toyota", "12345678"));
    assert_eq!(registers.vehicle("KZZ 1Z", &asker).await.unwrap(), None, "404 is not found, not an error");

    // Paying twice with the same reference pays once; another reference is refused.
    let payment = FinePayment { reference: "RA2600000001".into(), amount_cents: 500_00, paid_at: 0 };
    assert_eq!(registers.pay_fine("NTSA0010001", &payment, &asker).await.unwrap(), FineSettlement::Paid);
    assert_eq!(registers.pay_fine("NTSA0010001", &payment, &asker).await.unwrap(), FineSettlement::Paid);
    let other = FinePayment { reference: "RA2600000002".into(), ..payment.clone() };
    assert_eq!(registers.pay_fine("NTSA0010001", &other, &asker).await.unwrap(), FineSettlement::PaidByOther);

    // Slow: each attempt times out, tried three times in all, then "not answering".
    fake.set(Mood::Slow);
    assert!(matches!(registers.vehicle("KDA 123A", &asker).await, Err(RegisterError::NotAnswering(_))));
    assert_eq!(fake.hits(), 3);

    // Unreadable JSON is not retried: the same question gets the same nonsense.
    fake.set(Mood::Nonsense);
    assert!(matches!(registers.vehicle("KDA 123A", &asker).await, Err(RegisterError::Malformed(_))));
    assert_eq!(fake.hits(), 1);

    // 5xx: the breaker opens after five failures in a row (three were the slow ones) and
    // spares the agency (and us) the rest.
    fake.set(Mood::Failing);
    assert!(matches!(registers.vehicle("KDA 123A", &asker).await, Err(RegisterError::NotAnswering(_))));
    let hits_when_open = fake.hits();
    assert_eq!(hits_when_open, 2, "two more failures opened it; the third attempt was never sent");
    assert!(matches!(registers.vehicle("KDA 123A", &asker).await, Err(RegisterError::NotAnswering(reason)) if reason.contains("circuit open")));
    assert_eq!(fake.hits(), hits_when_open, "an open breaker sends nothing");

    // Back to health: after the breaker's pause, one trial call closes it.
    fake.set(Mood::Fine);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(registers.vehicle("KDA 123A", &asker).await.unwrap().is_some());
    test_db.drop_database().await;
}

#[tokio::test]
async fn a_citizen_is_told_the_agency_is_not_answering_and_loses_nothing() {
    let test_db = TestDb::sqlite().await;
    let (fake, base) = fake_ntsa().await;
    let url: &'static str = Box::leak(base.into_boxed_str());
    let server = TestServer::start_in(test_db, &[("REGISTER_NTSA_URL", url), ("REGISTER_NTSA_TOKEN", "test-token"), ("REGISTER_TIMEOUT_MS", "300")]).await;
    let citizen = account(&server, "12345678").await;
    let apps = &server.state.applications;
    let draft = FormTarget::Draft { service: "vehicle-search".into() };
    let answers = |registration: &str| [("registration_number", registration), ("purpose", "buying")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();

    fake.set(Mood::Slow);
    match apps.save_step(&citizen, &draft, 0, &answers("KDA 123A")).await {
        Err(AppError::Invalid(problems)) => assert_eq!(problems[0].problem, Problem::AgencyNotAnswering),
        other => panic!("expected 'not answering', got {other:?}"),
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM invoices").await, 0, "nothing charged");
    // Every call is in the log: who asked, why, and that the agency did not answer.
    assert_eq!(count(&server, "SELECT COUNT(*) FROM register_calls WHERE outcome LIKE 'not answering%' AND account_id IS NOT NULL AND purpose LIKE 'vehicle-search form%'").await, 1);

    // The agency is back: the same form goes through, and the draft the citizen started is there.
    fake.set(Mood::Fine);
    tokio::time::sleep(Duration::from_millis(100)).await;
    apps.save_step(&citizen, &draft, 0, &answers("kda 123a")).await.expect("saved once the agency answers");
    assert_eq!(apps.form(&citizen, &draft).await.unwrap().answers.get("registration_number").map(String::as_str), Some("KDA 123A"));
    server.test_db.drop_database().await;
}
