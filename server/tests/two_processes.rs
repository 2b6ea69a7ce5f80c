//! Two `raia-server` processes on one PostgreSQL database, as Raia runs behind a load
//! balancer: both migrate at once safely, a session made on one works on the other, a push
//! started on one is settled by the callback arriving at the other, and with both running
//! the reconciliation and delivery workers nothing is settled or sent twice.
//! PostgreSQL only (SQLite is one machine's file); skipped with a note without
//! `TEST_DATABASE_URL`, which CI sets.

mod support;

use raia_app::db::Db;
use raia_app::i18n::Locale;
use raia_app::messages::outbox::{self, Message};
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use support::payment_world::{account, awaiting_payment, count, status_of};
use support::process::{eventually, free_port, EmptyPostgres, ProcessConfig, ServerProcess};
use support::{africas_talking, TestServer};

const CITIZEN: (&str, &str, &str) = ("12345678", "Harambee demo 2026", "+254712345678");

fn skipped() {
    eprintln!("TEST_DATABASE_URL is unset: two processes on one PostgreSQL not tested");
}

#[tokio::test]
async fn two_processes_starting_at_once_on_an_empty_database_migrate_it_once() {
    let Some(database) = EmptyPostgres::create().await else { return skipped() };
    // Both at the same moment: sqlx takes a PostgreSQL advisory lock around the migrations,
    // so the second waits for the first and then finds nothing left to do.
    let (mut a, mut b) = (ServerProcess::spawn(&ProcessConfig::new(&database.url)), ServerProcess::spawn(&ProcessConfig::new(&database.url)));
    a.wait_until_healthy().await;
    b.wait_until_healthy().await;
    assert!(a.is_running() && b.is_running(), "neither stopped on a migration error");
    for process in [&a, &b] {
        assert_eq!(process.get("/readyz", None).await.status(), StatusCode::OK);
    }

    let db = Db::connect(&database.url, 1).await.unwrap();
    let applied: Vec<(i64, i64)> = sqlx::query_as("SELECT version, COUNT(*) FROM _sqlx_migrations GROUP BY version ORDER BY version").fetch_all(db.pool()).await.unwrap();
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/migrations/postgres")).unwrap().count();
    assert_eq!(applied.len(), shipped, "every migration applied: {applied:?}");
    assert!(applied.iter().all(|(_, times)| *times == 1), "each once: {applied:?}");
    let unfinished: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE NOT success").fetch_one(db.pool()).await.unwrap();
    assert_eq!(unfinished, 0);
    // Both seeded the demo accounts on start-up; each is there once.
    let citizens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id_number = '12345678'").fetch_one(db.pool()).await.unwrap();
    assert_eq!(citizens, 1);
    db.close().await;
    drop((a, b));
    database.drop_database().await;
}

#[tokio::test]
async fn a_session_a_payment_and_the_workers_are_shared_by_two_processes() {
    let Some(test_db) = TestDb::postgres().await else { return skipped() };
    let (sms, sms_base) = africas_talking().await;
    // The test's own Raia on the same database: it writes the application to pay, and its
    // Daraja simulator stands in for Safaricom, outside both processes.
    let world = TestServer::start_in(test_db, &[("MPESA_SIM_DELAY_SECONDS", "1")]).await;
    let (port_a, port_b) = (free_port(), free_port());
    let process = |port: u16| {
        ProcessConfig { port, ..ProcessConfig::new(&world.test_db.url) }
            .with("MPESA_BASE_URL", &format!("{}/sim/mpesa", world.base))
            .with("SMS_PROVIDER", "africastalking")
            .with("AFRICASTALKING_BASE_URL", &sms_base)
            .with("AFRICASTALKING_USERNAME", "raia")
            .with("AFRICASTALKING_API_KEY", "atsk_test")
    };
    // A's public address is B's: Daraja posts the result of a push made on A to the address
    // A gave it, and the load balancer there sends it to B.
    let a = ServerProcess::start(&process(port_a).with("PUBLIC_BASE_URL", &format!("http://127.0.0.1:{port_b}"))).await;
    let b = ServerProcess::start(&process(port_b)).await;

    // A session made on A is a session on B.
    let citizen = account(&world, CITIZEN.0).await;
    let reference = awaiting_payment(&world, &citizen).await;
    let cookie = a.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;
    let on_b = b.get("/applications", Some(&cookie)).await;
    assert_eq!(on_b.status(), StatusCode::OK);
    assert!(on_b.text().await.unwrap().contains(&reference), "B shows the citizen's own applications");
    let anonymous = b.get("/applications", None).await;
    assert!(anonymous.status().is_redirection(), "without the session B asks for a login");

    // A push started on A; its callback arrives at B and settles it.
    let pushed = a.post_form("/api/pay/mpesa", &format!("reference={reference}&phone=0712345678&attempt_key=two-processes"), Some(&cookie)).await;
    assert!(pushed.status().is_success() || pushed.status().is_redirection(), "the push was accepted: {}", pushed.status());
    let succeeded = eventually(30, || async { count(&world, "SELECT COUNT(*) FROM payments WHERE status = 'succeeded'").await == 1 }).await;
    // Within 30 s: the workers only ask Daraja about a push a minute old, so the callback did it.
    assert!(succeeded, "the callback settled the payment");
    assert!(b.log().contains("callback applied"), "B took the callback");
    assert!(!a.log().contains("callback applied"), "A never saw it");
    assert_eq!(status_of(&world, &citizen, &reference).await, Status::Paid);
    // Paid on B's page too.
    let page = b.get(&format!("/applications/{reference}/pay"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("KES 1,050"), "the pay page on B");

    // A push whose answer only the reconciliation worker can fetch (its callback is two
    // minutes late), made due for a check at once: both processes' workers race for it.
    let late = world.state.payments.clone();
    let second = awaiting_payment(&world, &citizen).await;
    let late_id = late.pay_mpesa(&citizen, &second, "0700000004", "late").await.unwrap();
    // The simulator knows the answer after its one-second delay; the minute Raia waits
    // before asking passes at once.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    sqlx::query("UPDATE payments SET next_check_at = 0 WHERE id = $1").bind(late_id).execute(world.state.db.pool()).await.unwrap();
    let reconciled = eventually(30, || async { count(&world, &format!("SELECT COUNT(*) FROM payments WHERE id = {late_id} AND status = 'succeeded'")).await == 1 }).await;
    assert!(reconciled, "a worker settled the late push");

    // Both workers deliver one outbox: every message once.
    let now = raia_app::clock::Clock::now(&raia_app::clock::SystemClock);
    for n in 0..40 {
        let mut tx = world.state.db.begin_write().await.unwrap();
        outbox::queue(&mut tx, &Message::sms(&format!("+2547120000{n:02}"), Locale::en, format!("two processes {n}")), now).await.unwrap();
        tx.commit().await.unwrap();
    }
    let delivered = eventually(30, || async { count(&world, "SELECT COUNT(*) FROM outbox_messages WHERE status IN ('queued', 'sending')").await == 0 }).await;
    assert!(delivered, "the outbox emptied");
    let mut bodies: Vec<String> = sms.received().into_iter().map(|m| m.message).filter(|m| m.starts_with("two processes")).collect();
    bodies.sort();
    let before = bodies.len();
    bodies.dedup();
    assert_eq!((before, bodies.len()), (40, 40), "each of the 40 messages sent, none twice");
    let sent = count(&world, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent' AND channel = 'sms'").await;
    assert_eq!(sms.requests() as i64, sent, "one request to the provider per message sent");

    // Nothing settled twice.
    assert_eq!(count(&world, "SELECT COUNT(*) FROM receipts").await, 2);
    assert_eq!(count(&world, "SELECT COUNT(*) FROM payments WHERE status = 'succeeded'").await, 2);
    assert_eq!(count(&world, "SELECT COUNT(*) FROM application_events WHERE action = 'payment_received'").await, 2);
    assert_eq!(count(&world, "SELECT COUNT(*) FROM (SELECT invoice_id FROM receipts GROUP BY invoice_id HAVING COUNT(*) > 1) doubled").await, 0);

    drop((a, b));
    world.test_db.drop_database().await;
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// Two hosts behind one load balancer: a file uploaded to one is served by the other. Each
/// process runs in a working folder of its own (as on a host of its own), so a file kept on
/// the receiving host's disk would be "missing" on the other.
#[tokio::test]
async fn an_upload_received_by_one_process_is_served_to_the_officer_by_the_other() {
    let Some(test_db) = TestDb::postgres().await else { return skipped() };
    let world = TestServer::start_with(test_db).await;
    let a = ServerProcess::start(&ProcessConfig::new(&world.test_db.url)).await;
    let b = ServerProcess::start(&ProcessConfig::new(&world.test_db.url)).await;

    let citizen = a.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;
    let form = reqwest::multipart::Form::new()
        .text("service", "passport")
        .text("reference", "")
        .text("field", "photo")
        .text("return_to", "/services/passport/apply?step=4")
        .part("file", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("photo.png"));
    let uploaded = a.client.post(format!("{}/documents", a.base)).header("cookie", &citizen).header("sec-fetch-site", "same-origin").multipart(form).send().await.unwrap();
    assert_eq!(uploaded.headers()["location"], "/services/passport/apply?step=4", "A kept the photo");
    let id: i64 = sqlx::query_scalar("SELECT id FROM application_documents").fetch_one(world.state.db.pool()).await.unwrap();

    let on_b = b.get(&format!("/documents/{id}"), Some(&citizen)).await;
    assert_eq!(on_b.status(), StatusCode::OK, "B serves the citizen's own upload");
    assert_eq!(on_b.bytes().await.unwrap().as_ref(), PNG);

    // Once the application is with Immigration, its officer opens the photo on B.
    sqlx::query("UPDATE applications SET status = 'submitted'").execute(world.state.db.pool()).await.unwrap();
    let officer = b.log_in("30000001", "Raia staff demo 2026", "+254700000101").await;
    let for_officer = b.get(&format!("/documents/{id}"), Some(&officer)).await;
    assert_eq!(for_officer.status(), StatusCode::OK, "B serves it to Immigration's officer");
    assert_eq!(for_officer.bytes().await.unwrap().as_ref(), PNG);

    drop((a, b));
    world.test_db.drop_database().await;
}
