//! What the payment tests share: a server whose simulators answer in a second, demo accounts,
//! an application awaiting payment, and the worker seen later.

use super::TestServer;
use raia_app::clock::ManualClock;
use raia_app::identity::accounts::{self, Account};
use raia_app::identity::contact::{IdNumber, Identifier};
use raia_app::payments::service::Payments;
use raia_app::services::service::FormTarget;
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use std::collections::HashMap;
use std::sync::Arc;

pub async fn server(test_db: TestDb) -> TestServer {
    TestServer::start_in(test_db, &[("MPESA_SIM_DELAY_SECONDS", "1")]).await
}

pub async fn account(server: &TestServer, id_number: &str) -> Account {
    let id = IdNumber::parse(id_number).unwrap();
    accounts::find_by_identifier(server.state.db.pool(), &Identifier::IdNumber(id)).await.unwrap().unwrap()
}

/// A good-conduct application (paid on submission, KES 1,050): it waits for payment at once.
pub async fn awaiting_payment(server: &TestServer, citizen: &Account) -> String {
    let apps = &server.state.applications;
    let draft = FormTarget::Draft { service: "good-conduct".into() };
    let answers: HashMap<String, String> = [("purpose", "employment"), ("county_of_residence", "Nairobi"), ("fingerprint_centre", "huduma-gpo")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    apps.save_step(citizen, &draft, 0, &answers).await.unwrap();
    apps.accept_declaration(citizen, &draft, true).await.unwrap();
    apps.submit(citizen, &draft).await.unwrap()
}

pub async fn status_of(server: &TestServer, citizen: &Account, reference: &str) -> Status {
    server.state.applications.my_application(citizen, reference).await.unwrap().status
}

/// The application's status once it is paid, or as it stands after 10 s of waiting for the
/// simulator's callback.
pub async fn status_once_paid(server: &TestServer, citizen: &Account, reference: &str) -> Status {
    for _ in 0..50 {
        let status = status_of(server, citizen, reference).await;
        if status == Status::Paid {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    status_of(server, citizen, reference).await
}

pub async fn count(server: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(server.state.db.pool()).await.unwrap()
}

pub fn later(server: &TestServer, seconds: i64) -> Payments {
    let clock = ManualClock::starting_now();
    clock.advance(seconds);
    Payments { clock: Arc::new(clock), ..server.state.payments.clone() }
}

pub async fn post_json(server: &TestServer, path: &str, body: &str) -> reqwest::Response {
    server.client.post(format!("{}{path}", server.base)).header("content-type", "application/json").body(body.to_string()).send().await.unwrap()
}

