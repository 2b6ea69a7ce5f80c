//! `raia-server seed-scale` at a small size, on PostgreSQL (skipped without
//! `TEST_DATABASE_URL`): the same arguments give the same rows on two fresh databases, a
//! second run is refused, SQLite is refused, and the pages read the rows: a seeded citizen's
//! dashboard and application, the busiest agency's queue page after page, and `/performance`
//! counting what the applications table holds.

mod support;

use raia_app::clock::{Clock, SystemClock};
use raia_app::identity::sessions::{self, Flow, Stage};
use raia_app::performance::service::DAY_SECONDS;
use raia_app::test_db::TestDb;
use raia_server::seed_scale::{self, Plan, DOMAIN};
use support::TestServer;

fn plan(now: i64) -> Plan {
    Plan::parse(&["--citizens", "300", "--applications", "6000", "--batch", "2500"].map(String::from), now).unwrap()
}

async fn cookie_of(server: &TestServer, email: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1").bind(email).fetch_one(server.state.db.pool()).await.unwrap();
    let mut tx = server.state.db.begin_write().await.unwrap();
    let (token, _) = sessions::create(&mut tx, SystemClock.now(), Some(id), Stage::Authenticated, &Flow::default(), None).await.unwrap();
    tx.commit().await.unwrap();
    format!("{}={token}", server.state.session_cookie.name)
}

async fn page(server: &TestServer, path: &str, cookie: &str) -> String {
    let response = server.get_with(path, "cookie", cookie).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_same_arguments_give_the_same_rows_and_the_pages_read_them() {
    let (Some(first), Some(second)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let now = SystemClock.now();
    let plan = plan(now);
    let (one, two) = (TestServer::start_with(first).await, TestServer::start_with(second).await);
    let catalogue = &one.state.applications.catalogue;
    let seeded = seed_scale::seed(&one.state.db, catalogue, &plan).await.unwrap();
    assert_eq!((seeded.citizens, seeded.applications), (300, 6000));
    assert!(seeded.invoices > 1000 && seeded.payments > 1000, "{seeded:?}");
    assert_eq!(seed_scale::seed(&two.state.db, catalogue, &plan).await.unwrap(), seeded, "deterministic");
    let again = seed_scale::seed(&one.state.db, catalogue, &plan).await.unwrap_err();
    assert!(again.contains("already holds"), "{again}");
    let sqlite = TestDb::sqlite().await;
    assert!(seed_scale::seed(&sqlite.db, catalogue, &plan).await.unwrap_err().contains("PostgreSQL"));
    sqlite.drop_database().await;

    // The heavy citizen's dashboard lists their applications; one opens.
    let citizen = cookie_of(&one, &format!("citizen1@{DOMAIN}")).await;
    let reference: String = sqlx::query_scalar("SELECT a.reference FROM applications a JOIN accounts p ON p.id = a.account_id WHERE p.email = $1 ORDER BY a.updated_at DESC LIMIT 1")
        .bind(format!("citizen1@{DOMAIN}"))
        .fetch_one(one.state.db.pool())
        .await
        .unwrap();
    assert!(page(&one, "/dashboard", &citizen).await.contains(&reference));
    assert!(page(&one, &format!("/applications/{reference}"), &citizen).await.contains(&reference));

    // The busiest agency's queue, a page at a time: the second page starts where the first ended.
    let officer = cookie_of(&one, &format!("officer-ntsa@{DOMAIN}")).await;
    let first = page(&one, "/officer", &officer).await;
    let next = first.split("after=").nth(1).and_then(|rest| rest.split('"').next()).expect("a link to the next page").to_string();
    let second = page(&one, &format!("/officer?after={next}"), &officer).await;
    let references = |html: &str| html.matches("/officer/applications/").count();
    assert_eq!((references(&first), references(&second)), (50, 50));
    assert_ne!(first, second);

    // /performance from the summary counts what the table holds.
    let counts = raia_app::performance::store::counts(&one.state.db, catalogue, now).await.unwrap();
    let received: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE service_slug = 'vehicle-search' AND submitted_at >= $1")
        .bind(now - 90 * DAY_SECONDS)
        .fetch_one(one.state.db.pool())
        .await
        .unwrap();
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE service_slug = 'vehicle-search' AND status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')")
        .fetch_one(one.state.db.pool())
        .await
        .unwrap();
    let search = counts["vehicle-search"];
    assert_eq!((search.received_90, search.in_progress), (received, open));
    assert!(search.received_90 > 0 && search.timed > 0);
    assert!(page(&one, "/performance", "").await.contains(r#"<tr id="service-vehicle-search""#));
    one.test_db.drop_database().await;
    two.test_db.drop_database().await;
}
