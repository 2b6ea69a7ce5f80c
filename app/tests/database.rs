//! The data layer on every backend this machine has (SQLite always, PostgreSQL when
//! TEST_DATABASE_URL is set): migrations, readiness, and writers that do not trip over
//! each other.
#![cfg(feature = "ssr")]

use raia_app::db::{Backend, Db};
use raia_app::test_db::TestDb;
use sqlx::Row;

#[tokio::test]
async fn migrations_create_the_tables_and_are_idempotent() {
    for test_db in TestDb::all().await {
        let db = &test_db.db;
        db.ping().await.expect("database answers");
        sqlx::query("INSERT INTO registry_people (id_number, first_name, surname, year_of_birth, citizenship) VALUES ($1, $2, $3, $4, $5)")
            .bind("12345678")
            .bind("Wanjiku")
            .bind("Kamau")
            .bind(1990_i64)
            .bind("citizen")
            .execute(db.pool())
            .await
            .expect("insert into a migrated table");
        // A second start applies nothing new and keeps the data.
        db.migrate().await.expect("migrations run twice");
        let row = sqlx::query("SELECT first_name, year_of_birth FROM registry_people WHERE id_number = $1")
            .bind("12345678")
            .fetch_one(db.pool())
            .await
            .expect("row survives");
        assert_eq!(row.get::<String, _>("first_name"), "Wanjiku");
        assert_eq!(row.get::<i64, _>("year_of_birth"), 1990);
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn the_database_rejects_rows_the_schema_forbids() {
    for test_db in TestDb::all().await {
        let result = sqlx::query("INSERT INTO registry_people (id_number, first_name, surname, year_of_birth, citizenship) VALUES ($1, $2, $3, $4, $5)")
            .bind("1")
            .bind("A")
            .bind("B")
            .bind(2000_i64)
            .bind("martian")
            .execute(test_db.db.pool())
            .await;
        assert!(result.is_err(), "citizenship must be citizen or foreign_resident on {:?}", test_db.db.backend());
        test_db.drop_database().await;
    }
}

/// Many SQLite writers that read then write at once: with `begin_write` (BEGIN IMMEDIATE)
/// none fails with SQLITE_BUSY, and no update is lost. (On PostgreSQL, read-then-write
/// code uses conditional updates or row locks instead; later issues test those.)
#[tokio::test]
async fn concurrent_read_then_write_transactions_all_commit_on_sqlite() {
    {
        let test_db = TestDb::sqlite().await;
        let db = test_db.db.clone();
        sqlx::query("INSERT INTO registry_people (id_number, first_name, surname, year_of_birth, citizenship) VALUES ('counter', 'C', 'C', 0, 'citizen')")
            .execute(db.pool())
            .await
            .unwrap();

        let writers = 20;
        let mut tasks = Vec::new();
        for _ in 0..writers {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin_write().await?;
                let year: i64 = sqlx::query_scalar("SELECT year_of_birth FROM registry_people WHERE id_number = 'counter'")
                    .fetch_one(&mut *tx)
                    .await?;
                tokio::task::yield_now().await;
                sqlx::query("UPDATE registry_people SET year_of_birth = $1 WHERE id_number = 'counter'")
                    .bind(year + 1)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            }));
        }
        for task in tasks {
            task.await.expect("task ran").expect("transaction committed");
        }
        let year: i64 = sqlx::query_scalar("SELECT year_of_birth FROM registry_people WHERE id_number = 'counter'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(db.backend(), Backend::Sqlite);
        assert_eq!(year, writers, "no update lost");
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_new_sqlite_database_and_its_folder_are_created_on_first_start() {
    let dir = std::env::temp_dir().join(format!("raia_first_start_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/nested/raia.db", dir.display());
    let db = Db::connect(&url, 2).await.expect("creates the file");
    db.migrate().await.expect("creates the tables");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(db.pool()).await.unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(db.pool()).await.unwrap();
    assert!(timeout >= 1000, "busy timeout set, got {timeout}");
    db.close().await;
    assert!(dir.join("nested/raia.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn unsupported_database_urls_are_refused_with_a_message() {
    let error = Db::connect("mysql://localhost/raia", 1).await.unwrap_err();
    assert!(error.to_string().contains("sqlite:// or postgres://"));
}

#[tokio::test]
async fn a_sqlite_file_another_connection_holds_is_unavailable_after_the_busy_timeout() {
    let test_db = TestDb::sqlite().await;
    let mut holder = test_db.db.pool().acquire().await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut *holder).await.unwrap();
    let waiting = test_db.db.begin_write().await.expect_err("the write lock is held");
    assert!(raia_app::db::is_unavailable(&waiting), "{waiting}");
    sqlx::query("ROLLBACK").execute(&mut *holder).await.unwrap();
    drop(holder);
    test_db.drop_database().await;
}
