//! Backups as the README tells an operator to make them, restored into an empty database:
//! every application, payment, receipt, issued document and uploaded file is there, byte
//! for byte. SQLite (`VACUUM INTO`, the same online snapshot as the `sqlite3` tool's
//! `.backup`) and PostgreSQL (`pg_dump --format=custom`, `pg_restore` into a new database).

mod support;

use raia_app::db::Db;
use raia_app::services::service::FormTarget;
use raia_app::test_db::TestDb;
use std::collections::HashMap;
use std::process::Command;
use support::payment_world::{account, post_json, server};
use support::TestServer;

const SECRET: &str = "dev-callback-secret-not-for-production";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0backup";

/// What a restore must give back: each table's rows, as text, in a stable order.
const CONTENTS: &[(&str, &str)] = &[
    ("applications", "SELECT CAST(id AS TEXT) || ' ' || COALESCE(reference, 'draft') || ' ' || status FROM applications ORDER BY id"),
    ("payments", "SELECT CAST(id AS TEXT) || ' ' || status || ' ' || CAST(amount_cents AS TEXT) FROM payments ORDER BY id"),
    ("receipts", "SELECT number FROM receipts ORDER BY number"),
    ("issued documents", "SELECT number || ' ' || signed FROM issued_documents ORDER BY number"),
    ("uploaded files", "SELECT sha256 FROM stored_files ORDER BY sha256"),
    ("accounts", "SELECT id_number FROM accounts ORDER BY id_number"),
];

/// A paid, approved certificate (a payment, a receipt, an issued document) and a draft
/// with an uploaded photo.
async fn world(test_db: TestDb) -> TestServer {
    let server = server(test_db).await;
    let apps = &server.state.applications;
    let citizen = account(&server, "12345678").await;
    let draft = FormTarget::Draft { service: "good-conduct".into() };
    let answers: HashMap<String, String> = [("purpose", "employment"), ("county_of_residence", "Nairobi"), ("fingerprint_centre", "huduma-gpo")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    apps.save_step(&citizen, &draft, 0, &answers).await.unwrap();
    apps.accept_declaration(&citizen, &draft, true).await.unwrap();
    let reference = apps.submit(&citizen, &draft).await.unwrap();
    let page = server.state.payments.pay_page(&citizen, &reference, None).await.unwrap();
    let cents = page.invoice.total_cents;
    let body = format!(
        r#"{{"TransactionType":"Pay Bill","TransID":"RKB0000001","TransTime":"20261204140500","TransAmount":"{}.{:02}","BusinessShortCode":"222111","BillRefNumber":"{}","MSISDN":"254712345678","FirstName":"Wanjiku"}}"#,
        cents / 100,
        cents % 100,
        page.invoice.number
    );
    assert!(post_json(&server, &format!("/callbacks/mpesa/{SECRET}/c2b"), &body).await.status().is_success());
    let officer_id: String = sqlx::query_scalar("SELECT id_number FROM accounts WHERE email = 'dci.officer@raia.example'").fetch_one(server.state.db.pool()).await.unwrap();
    let dci = account(&server, &officer_id).await;
    for action in ["claim", "approve"] {
        let version = apps.my_application(&citizen, &reference).await.unwrap().version;
        apps.officer_move(&dci, &reference, version, action, "", "").await.unwrap();
    }
    apps.attach_document(&citizen, &FormTarget::Draft { service: "passport".into() }, "photo", "photo.png", PNG).await.unwrap();
    server
}

async fn contents(db: &Db) -> Vec<(String, Vec<String>)> {
    let mut all = Vec::new();
    for (name, sql) in CONTENTS {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap();
        all.push((name.to_string(), rows));
    }
    all
}

async fn photo(db: &Db) -> Vec<u8> {
    sqlx::query_scalar("SELECT bytes FROM stored_files f JOIN application_documents d ON d.sha256 = f.sha256").fetch_one(db.pool()).await.unwrap()
}

async fn assert_restored(original: &Db, restored: &Db) {
    let before = contents(original).await;
    for (name, rows) in &before {
        assert!(!rows.is_empty(), "the world has {name}");
    }
    assert_eq!(contents(restored).await, before, "the restored database holds the same rows");
    assert_eq!(photo(restored).await, PNG, "the uploaded file, byte for byte");
}

#[tokio::test]
async fn a_sqlite_backup_restores_everything() {
    let server = world(TestDb::sqlite().await).await;
    let copy = std::env::temp_dir().join(format!("raia-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&copy);
    sqlx::query(&format!("VACUUM INTO '{}'", copy.display())).execute(server.state.db.pool()).await.unwrap();
    let restored = Db::connect(&format!("sqlite://{}", copy.display()), 1).await.unwrap();
    assert_restored(&server.state.db, &restored).await;
    restored.close().await;
    let _ = std::fs::remove_file(&copy);
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn a_postgres_dump_restores_everything_into_an_empty_database() {
    let Some(test_db) = TestDb::postgres().await else { return eprintln!("TEST_DATABASE_URL is unset: pg_dump not tested") };
    let server = world(test_db).await;
    let dump = std::env::temp_dir().join(format!("raia-backup-{}.dump", std::process::id()));
    let dumped = Command::new("pg_dump").args(["--format=custom", "--file"]).arg(&dump).arg(&server.test_db.url).status().expect("pg_dump runs");
    assert!(dumped.success());
    let empty = EmptyDatabase::create(&server.test_db.url).await;
    let restored = Command::new("pg_restore").args(["--no-owner", "--exit-on-error", "--dbname"]).arg(&empty.url).arg(&dump).status().expect("pg_restore runs");
    assert!(restored.success());
    let db = Db::connect(&empty.url, 1).await.unwrap();
    assert_restored(&server.state.db, &db).await;
    // A restored database is one Raia starts on: nothing left to migrate.
    db.migrate().await.expect("the migrations are all recorded");
    db.close().await;
    empty.drop().await;
    let _ = std::fs::remove_file(&dump);
    server.test_db.drop_database().await;
}

/// A new database with nothing in it, beside the test's own.
struct EmptyDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl EmptyDatabase {
    async fn create(beside: &str) -> EmptyDatabase {
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap();
        let name = format!("raia_restored_{}", std::process::id());
        let admin = Db::connect(&admin_url, 1).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(admin.pool()).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.unwrap();
        admin.close().await;
        let base = beside.rsplit_once('/').map(|(base, _)| base).unwrap_or(beside);
        EmptyDatabase { url: format!("{base}/{name}"), admin_url, name }
    }

    async fn drop(self) {
        let admin = Db::connect(&self.admin_url, 1).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(admin.pool()).await;
        admin.close().await;
    }
}
