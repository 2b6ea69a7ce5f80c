//! Faults that need a real server process: `kill -9` between an STK push and its
//! callback, and the database going away while citizens keep asking. Each test runs the
//! `raia-server` binary as a child process (see `support::process`).

mod support;

use raia_app::db::Db;
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use support::payment_world::{account, awaiting_payment, count};
use support::process::{eventually, ProcessConfig, ServerProcess};
use support::TestServer;

const CITIZEN: (&str, &str, &str) = ("12345678", "Harambee demo 2026", "+254712345678");

/// Daraja (the test's in-process simulator) answers this long after a push in the first
/// test: time enough to kill and restart the server, which takes a second or two.
const CALLBACK_DELAY_SECONDS: u64 = 15;

/// The test's own Raia on `test_db`: it writes the application to pay, and its Daraja
/// simulator stands in for Safaricom, which lives on when our process dies.
async fn world(test_db: TestDb, callback_delay: &'static str) -> TestServer {
    TestServer::start_in(test_db, &[("MPESA_SIM_DELAY_SECONDS", callback_delay)]).await
}

fn process_for(world: &TestServer) -> ProcessConfig {
    ProcessConfig::new(&world.test_db.url).with("MPESA_BASE_URL", &format!("{}/sim/mpesa", world.base))
}

/// Logs in on `server` and presses "Pay with M-Pesa" for a new application; the payment's id.
async fn push_for_a_new_application(world: &TestServer, server: &ServerProcess) -> i64 {
    let citizen = account(world, CITIZEN.0).await;
    let reference = awaiting_payment(world, &citizen).await;
    let cookie = server.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;
    let pushed = server.post_form("/api/pay/mpesa", &format!("reference={reference}&phone=0712345678&attempt_key=before-the-kill"), Some(&cookie)).await;
    assert!(pushed.status().is_success() || pushed.status().is_redirection(), "the push was accepted: {}", pushed.status());
    sqlx::query_scalar("SELECT id FROM payments WHERE checkout_request_id IS NOT NULL").fetch_one(world.state.db.pool()).await.expect("the push and Daraja's id are recorded")
}

async fn settled_once(world: &TestServer, payment: i64) {
    let succeeded = eventually(60, || async { count(world, &format!("SELECT COUNT(*) FROM payments WHERE id = {payment} AND status = 'succeeded'")).await == 1 }).await;
    assert!(succeeded, "the payment was settled after the restart");
    assert_eq!(count(world, "SELECT COUNT(*) FROM receipts").await, 1, "one receipt");
    assert_eq!(count(world, "SELECT COUNT(*) FROM payments").await, 1, "one payment");
    assert_eq!(count(world, "SELECT COUNT(*) FROM application_events WHERE action = 'payment_received'").await, 1);
    assert_eq!(count(world, "SELECT COUNT(*) FROM applications WHERE status = 'paid'").await, 1);
}

#[tokio::test]
async fn a_push_made_just_before_kill_9_is_settled_by_its_callback_to_the_restarted_server() {
    for test_db in TestDb::all().await {
        let world = world(test_db, "15").await;
        let config = process_for(&world);
        let mut server = ServerProcess::start(&config).await;
        let pushed_at = Instant::now();
        let payment = push_for_a_new_application(&world, &server).await;

        server.kill_9();
        assert_eq!(count(&world, &format!("SELECT COUNT(*) FROM payments WHERE id = {payment} AND status = 'pending'")).await, 1, "the push survived the kill");
        // The same address: Daraja's callback, on its way, reaches the new process.
        let restarted = ServerProcess::start(&config).await;
        assert!(pushed_at.elapsed() < Duration::from_secs(CALLBACK_DELAY_SECONDS), "restarted before the callback came (else this test proves nothing)");

        settled_once(&world, payment).await;
        assert!(restarted.log().contains("callback applied"), "the callback settled it");
        drop((server, restarted));
        world.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_push_whose_callback_found_no_server_is_settled_by_the_reconciliation_after_the_restart() {
    for test_db in TestDb::all().await {
        let world = world(test_db, "1").await;
        let mut server = ServerProcess::start(&process_for(&world)).await;
        let payment = push_for_a_new_application(&world, &server).await;

        server.kill_9();
        // The process comes back on another address (a new machine), so Daraja's callback,
        // a second after the push, reaches nobody and is lost, as when it comes during the
        // restart.
        let restarted = ServerProcess::start(&process_for(&world)).await;
        assert_ne!(restarted.port, server.port);
        // Raia asks Daraja about a push a minute after it; that minute passes at once here,
        // once the simulator's phone has answered (a second after the push).
        let answered = eventually(10, || async {
            let created: i64 = sqlx::query_scalar("SELECT created_at FROM payments").fetch_one(world.state.db.pool()).await.unwrap();
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 > created + 1
        })
        .await;
        assert!(answered);
        sqlx::query("UPDATE payments SET next_check_at = 0 WHERE id = $1").bind(payment).execute(world.state.db.pool()).await.unwrap();

        settled_once(&world, payment).await;
        assert!(restarted.log().contains("pending payments checked"), "the reconciliation worker settled it");
        assert!(!restarted.log().contains("callback applied"), "no callback came");
        drop((server, restarted));
        world.test_db.drop_database().await;
    }
}

/// The name of the database a URL points at.
fn database_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap().split('?').next().unwrap()
}

/// Each answer in the outage must come within this: a request never hangs on a database
/// that is gone (the pool's acquire timeout is 10 s).
const ANSWER_WITHIN: Duration = Duration::from_secs(12);

/// Awaits one answer, failing the test when it took longer than `ANSWER_WITHIN`.
async fn promptly<T>(what: &str, answer: impl std::future::Future<Output = T>) -> T {
    let started = Instant::now();
    let answer = answer.await;
    assert!(started.elapsed() < ANSWER_WITHIN, "{what} took {:?}", started.elapsed());
    answer
}

/// A login posted by the page's script (it asks for JSON), as the outage finds it.
async fn log_in_by_script(server: &ServerProcess) -> reqwest::Response {
    server
        .client
        .post(format!("{}/api/login/password", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .body("identifier=12345678&password=Harambee+demo+2026")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn while_postgresql_is_gone_pages_say_try_again_and_everything_recovers_without_a_restart() {
    let Some(test_db) = TestDb::postgres().await else {
        eprintln!("TEST_DATABASE_URL is unset: the PostgreSQL outage is not tested");
        return;
    };
    let mut server = ServerProcess::start(&ProcessConfig::new(&test_db.url)).await;
    let cookie = server.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;
    assert_eq!(server.get("/applications", Some(&cookie)).await.status(), StatusCode::OK);
    assert_eq!(server.get("/readyz", None).await.status(), StatusCode::OK);

    // The database goes away: closed to new connections, and every open one cut.
    let name = database_name(&test_db.url).to_string();
    let admin = Db::connect(&std::env::var("TEST_DATABASE_URL").unwrap(), 1).await.unwrap();
    sqlx::query(&format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")).execute(admin.pool()).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1").bind(&name).execute(admin.pool()).await.unwrap();

    // Ten seconds of citizens asking.
    let outage = Instant::now();
    let mut asked = 0;
    while outage.elapsed() < Duration::from_secs(10) {
        let ready = promptly("/readyz", server.get("/readyz", None)).await;
        assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE, "/readyz tells the load balancer");

        let page = promptly("a personal page", server.get("/applications", Some(&cookie))).await;
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(page.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("120"));
        let html = page.text().await.unwrap();
        assert!(html.contains("Try again in a few minutes") && html.contains("Jaribu tena baada ya dakika chache"), "a friendly page in both languages: {html}");

        let public = promptly("a public page", server.get("/verify/ABCDEFGHJKLMNPQR", None)).await;
        assert_eq!(public.status(), StatusCode::SERVICE_UNAVAILABLE, "a public page that reads the database");

        // A server function called by a page's script: a 503 it can show, not a 500.
        let login = promptly("a login", log_in_by_script(&server)).await;
        assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE);
        asked += 1;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(asked >= 3, "requests kept coming during the outage");

    // The database comes back; the same process serves again, the same session included.
    sqlx::query(&format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")).execute(admin.pool()).await.unwrap();
    admin.close().await;
    let ready = eventually(30, || async { server.get("/readyz", None).await.status() == StatusCode::OK }).await;
    assert!(ready, "/readyz recovers");
    assert_eq!(server.get("/applications", Some(&cookie)).await.status(), StatusCode::OK, "the session from before the outage");
    let again = server.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;
    assert_eq!(server.get("/applications", Some(&again)).await.status(), StatusCode::OK, "a new login");
    assert!(server.is_running(), "never restarted");
    drop(server);
    test_db.drop_database().await;
}

/// SQLite is a file on the server's own disk: it does not go away, but another process
/// (a backup tool, an administrator's `sqlite3` shell) can hold its write lock. Writes wait
/// the busy timeout (5 s) and then answer 503; pages that only read keep working, since
/// the write-ahead log lets readers read beside a writer; and all recovers by itself.
#[tokio::test]
async fn while_another_process_holds_the_sqlite_write_lock_writes_answer_503_and_then_work_again() {
    let test_db = TestDb::sqlite().await;
    let server = ServerProcess::start(&ProcessConfig::new(&test_db.url)).await;
    let cookie = server.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;

    let mut holder = test_db.db.pool().acquire().await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut *holder).await.unwrap();
    let login = promptly("a login", log_in_by_script(&server)).await;
    assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE, "a login needs to write");
    assert_eq!(server.get("/applications", Some(&cookie)).await.status(), StatusCode::OK, "reading still works");
    assert_eq!(server.get("/readyz", None).await.status(), StatusCode::OK);
    sqlx::query("ROLLBACK").execute(&mut *holder).await.unwrap();
    drop(holder);

    let again = server.log_in(CITIZEN.0, CITIZEN.1, CITIZEN.2).await;
    assert_eq!(server.get("/applications", Some(&again)).await.status(), StatusCode::OK, "a login once the lock is gone");
    drop(server);
    test_db.drop_database().await;
}
