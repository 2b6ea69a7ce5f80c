//! PostgreSQL's plans for the queries behind the pages `raia-bench scale` measures, with the
//! data set's own values. Reads run under `EXPLAIN (ANALYZE, BUFFERS)`; writes (the payment
//! callback's and the reconciler's) only under `EXPLAIN`, in a transaction rolled back. A
//! sequential scan of a big table fails the budget: at ten million applications it is the
//! one thing that turns a 2 ms page into a 2 s one.
//!
//! Where the app builds its SQL in a public function or constant (the officer queue,
//! `/performance`), that very SQL is explained; the others are written out here as the
//! stores write them (`services::store`, `payments::{invoices, store}`, `issued::store`).

use crate::scale::Subjects;
use crate::world::World;
use crate::BenchResult;
use raia_app::performance::service::DAY_SECONDS;
use raia_app::performance::store as performance;
use raia_app::services::store as applications;
use serde_json::{json, Value};
use sqlx::Row;

/// Tables that grow with the country: reading one from end to end is a failure once it holds
/// more than `SMALL_TABLE_ROWS` (below that, PostgreSQL rightly reads a few pages whole).
pub const BIG_TABLES: [&str; 10] =
    ["applications", "accounts", "registry_people", "invoices", "payments", "receipts", "application_events", "notifications", "sessions", "issued_documents"];

pub const SMALL_TABLE_ROWS: i64 = 10_000;

#[derive(Clone)]
enum Bind {
    Int(i64),
    Text(String),
}

struct Query {
    page: &'static str,
    name: &'static str,
    sql: String,
    binds: Vec<Bind>,
    /// Explained without running it (it writes).
    writes: bool,
}

fn read(page: &'static str, name: &'static str, sql: impl Into<String>, binds: Vec<Bind>) -> Query {
    Query { page, name, sql: sql.into(), binds, writes: false }
}

fn write(page: &'static str, name: &'static str, sql: impl Into<String>, binds: Vec<Bind>) -> Query {
    Query { page, name, sql: sql.into(), binds, writes: true }
}

const APPLICATION_COLUMNS: &str = "id, reference, account_id, service_slug, agency, status, version, answers, amount_due_cents, declaration_accepted_at, claimed_by, collection_centre, officer_note, updated_at, submitted_at";

async fn queries(world: &World, subjects: &Subjects) -> BenchResult<Vec<Query>> {
    use Bind::{Int, Text};
    let pool = world.db.pool();
    let e = |error: sqlx::Error| error.to_string();
    let application = sqlx::query("SELECT id, version FROM applications WHERE reference = $1").bind(&subjects.reference).fetch_one(pool).await.map_err(e)?;
    let (application_id, version): (i64, i64) = (application.get("id"), application.get("version"));
    let invoice = sqlx::query("SELECT id, number FROM invoices ORDER BY id DESC LIMIT 1").fetch_one(pool).await.map_err(e)?;
    let (invoice_id, invoice_number): (i64, String) = (invoice.get("id"), invoice.get("number"));
    let now = world.identity.clock.now();
    let cursor = applications::QueueCursor::parse(&subjects.page_1000).ok_or("page 1,000's cursor")?;
    let since_90 = now - 90 * DAY_SECONDS;
    let day_end = (since_90.div_euclid(DAY_SECONDS) + 1) * DAY_SECONDS;

    Ok(vec![
        read("dashboard", "a citizen's applications", format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE account_id = $1 ORDER BY updated_at DESC, id DESC"), vec![Int(subjects.heavy.0)]),
        read(
            "dashboard",
            "a citizen's notifications",
            "SELECT n.id, n.read_at, a.reference, a.service_slug, e.action, e.to_status, a.amount_due_cents, e.note, e.at FROM notifications n \
             JOIN application_events e ON e.id = n.event_id JOIN applications a ON a.id = e.application_id WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
            vec![Int(subjects.heavy.0), Int(100)],
        ),
        read("dashboard", "a citizen's issued documents", "SELECT * FROM issued_documents WHERE account_id = $1 ORDER BY issued_at DESC, id DESC LIMIT 200", vec![Int(subjects.heavy.0)]),
        read("application page", "the application", format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE reference = $1"), vec![Text(subjects.reference.clone())]),
        read("application page", "its history", "SELECT at, actor, actor_name, action, to_status, note FROM application_events WHERE application_id = $1 ORDER BY id", vec![Int(application_id)]),
        read("application page", "its documents", "SELECT id, field, file_name, content_type, size_bytes FROM application_documents WHERE application_id = $1 ORDER BY id", vec![Int(application_id)]),
        read("application page", "its latest invoice", "SELECT * FROM invoices WHERE application_id = $1 ORDER BY id DESC LIMIT 1", vec![Int(application_id)]),
        read("application page", "its issued document", "SELECT * FROM issued_documents WHERE application_id = $1", vec![Int(application_id)]),
        read("officer queue", "first page", applications::queue_sql(false, false), vec![Text(subjects.agency.clone()), Int(subjects.officer), Int(i64::MIN), Int(0)]),
        read(
            "officer queue",
            "page 1,000",
            applications::queue_sql(false, false),
            vec![Text(subjects.agency.clone()), Int(subjects.officer), Int(cursor.submitted_at), Int(cursor.id)],
        ),
        read("officer queue", "first page of one status", applications::queue_sql(false, true), vec![Text(subjects.agency.clone()), Int(subjects.officer), Int(i64::MIN), Int(0), Text("submitted".into())]),
        read("performance page", "the summary", performance::SUMMARY_SQL, vec![Int((now - 30 * DAY_SECONDS) / DAY_SECONDS + 1), Int(since_90 / DAY_SECONDS + 1)]),
        read("performance page", "received on the window's first day", performance::PARTIAL_RECEIVED_SQL, vec![Int(since_90), Int(day_end)]),
        read("performance page", "decided on the window's first day", performance::PARTIAL_DECISIONS_SQL, vec![Int(since_90), Int(day_end)]),
        read("payment callback", "the invoice by number", "SELECT * FROM invoices WHERE number = $1", vec![Text(invoice_number)]),
        read("payment callback", "the receipt number seen before", "SELECT (SELECT COUNT(*) FROM payments WHERE mpesa_receipt = $1) + (SELECT COUNT(*) FROM payments_needing_attention WHERE mpesa_receipt = $1)", vec![Text("SX00000001".into())]),
        read("payment callback", "the invoice's pending payment", "SELECT * FROM payments WHERE invoice_id = $1 AND status = 'pending' ORDER BY id DESC LIMIT 1", vec![Int(invoice_id)]),
        write("payment callback", "the invoice paid", "UPDATE invoices SET status = 'paid', paid_at = $1 WHERE id = $2 AND status IN ('unpaid', 'pending')", vec![Int(now), Int(invoice_id)]),
        write(
            "payment callback",
            "the application moved",
            "UPDATE applications SET status = 'paid', version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
            vec![Int(now), Int(application_id), Int(version)],
        ),
        write("reconciler", "open invoices past their expiry", "UPDATE invoices SET status = 'expired' WHERE expires_at <= $1 AND status IN ('unpaid', 'pending')", vec![Int(now)]),
        read("reconciler", "payments to check", "SELECT * FROM payments WHERE status = 'pending' AND method IN ('mpesa', 'card') AND next_check_at <= $1 ORDER BY id LIMIT $2", vec![Int(now), Int(50)]),
    ])
}

/// Every query's plan: the tables it reads from end to end (a failure when big), the indexes
/// it uses, and PostgreSQL's own execution time.
pub async fn all(world: &World, subjects: &Subjects) -> BenchResult<Value> {
    let sizes: Vec<(String, i64)> = sqlx::query_as("SELECT relname::TEXT, reltuples::BIGINT FROM pg_class WHERE relkind = 'r'")
        .fetch_all(world.db.pool())
        .await
        .map_err(|e| e.to_string())?;
    let big: Vec<String> = sizes.into_iter().filter(|(name, rows)| BIG_TABLES.contains(&name.as_str()) && *rows > SMALL_TABLE_ROWS).map(|(name, _)| name).collect();
    let mut plans = Vec::new();
    for query in queries(world, subjects).await? {
        let explain = if query.writes { format!("EXPLAIN {}", query.sql) } else { format!("EXPLAIN (ANALYZE, BUFFERS) {}", query.sql) };
        let mut tx = world.db.pool().begin().await.map_err(|e| e.to_string())?;
        let mut statement = sqlx::query(&explain);
        for bind in &query.binds {
            statement = match bind {
                Bind::Int(n) => statement.bind(*n),
                Bind::Text(text) => statement.bind(text.clone()),
            };
        }
        let lines: Vec<String> = statement.fetch_all(&mut *tx).await.map_err(|e| format!("{}: {e}", query.name))?.iter().map(|r| r.get::<String, _>(0)).collect();
        tx.rollback().await.map_err(|e| e.to_string())?;
        plans.push(summary(&query, &lines, &big));
    }
    Ok(Value::Array(plans))
}

fn summary(query: &Query, lines: &[String], big_tables: &[String]) -> Value {
    let after = |line: &str, marker: &str| line.split(marker).nth(1).map(|rest| rest.split_whitespace().next().unwrap_or_default().to_string());
    let seq_scans: Vec<String> = lines.iter().filter_map(|l| after(l, "Seq Scan on ")).collect();
    let big: Vec<&String> = seq_scans.iter().filter(|t| big_tables.contains(t)).collect();
    let mut indexes: Vec<String> = lines.iter().filter_map(|l| after(l, " using ").or_else(|| after(l, "Bitmap Index Scan on "))).collect();
    indexes.dedup();
    let execution_ms = lines.iter().find_map(|l| l.trim().strip_prefix("Execution Time: ")).and_then(|t| t.trim_end_matches(" ms").parse::<f64>().ok());
    json!({
        "page": query.page,
        "query": query.name,
        "indexes": indexes,
        "seq_scans": seq_scans,
        "big_seq_scans": big,
        "execution_ms": execution_ms,
        "plan": lines,
    })
}
