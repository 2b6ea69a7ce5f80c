//! The counts behind `/performance`, in four grouped queries that each read one index
//! (migration 0012) and only the rows of the last 90 days or the open queue, so the page
//! stays quick with millions of applications (`raia-bench performance-query` times them).
//! The SQL is the same on SQLite (3.25 or later, for window functions) and PostgreSQL.

use crate::db::Db;
use crate::performance::service::{Counts, DAY_SECONDS};
use crate::services::catalogue::Catalogue;
use crate::services::status::{Status, ALL_STATUSES};
use sqlx::Row;
use std::collections::HashMap;

/// Submitted and not finished: in somebody's hands, the agency's or the applicant's.
fn open_statuses() -> String {
    ALL_STATUSES
        .into_iter()
        .filter(|s| !matches!(s, Status::Draft | Status::Completed | Status::Rejected | Status::Withdrawn))
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every service's counts at `now`, by service slug; services with no applications are absent.
pub async fn counts(db: &Db, catalogue: &Catalogue, now: i64) -> Result<HashMap<String, Counts>, sqlx::Error> {
    let since_30 = now - 30 * DAY_SECONDS;
    let since_90 = now - 90 * DAY_SECONDS;
    let pool = db.pool();
    let mut counts: HashMap<String, Counts> = HashMap::new();

    let received = sqlx::query(
        "SELECT service_slug, SUM(CASE WHEN submitted_at >= $1 THEN 1 ELSE 0 END) AS last_30, COUNT(*) AS last_90 \
         FROM applications WHERE submitted_at >= $2 GROUP BY service_slug",
    )
    .bind(since_30)
    .bind(since_90)
    .fetch_all(pool)
    .await?;
    for row in received {
        let entry = counts.entry(row.get("service_slug")).or_default();
        entry.received_30 = row.get("last_30");
        entry.received_90 = row.get("last_90");
    }

    // Only completed and rejected applications have a decision time.
    let decided = sqlx::query(
        "SELECT service_slug, status, SUM(CASE WHEN decided_at >= $1 THEN 1 ELSE 0 END) AS last_30, COUNT(*) AS last_90 \
         FROM applications WHERE decided_at >= $2 GROUP BY service_slug, status",
    )
    .bind(since_30)
    .bind(since_90)
    .fetch_all(pool)
    .await?;
    for row in decided {
        let entry = counts.entry(row.get("service_slug")).or_default();
        match row.get::<String, _>("status").as_str() {
            "completed" => (entry.completed_30, entry.completed_90) = (row.get("last_30"), row.get("last_90")),
            "rejected" => entry.rejected_90 = row.get("last_90"),
            _ => {}
        }
    }

    let open = sqlx::query(&format!("SELECT service_slug, COUNT(*) AS open FROM applications WHERE status IN ({}) GROUP BY service_slug", open_statuses()))
        .fetch_all(pool)
        .await?;
    for row in open {
        counts.entry(row.get("service_slug")).or_default().in_progress = row.get("open");
    }

    for row in timings(db, catalogue, since_90).await? {
        let entry = counts.entry(row.get("service_slug")).or_default();
        entry.timed = row.get("timed");
        entry.within_promise = row.get("within_promise");
        entry.median_seconds = row.get::<Option<i64>, _>("median").unwrap_or_default();
        entry.p90_seconds = row.get::<Option<i64>, _>("p90").unwrap_or_default();
    }
    Ok(counts)
}

/// Per service, over the applications completed since `since`: how many, how many within the
/// catalogue's promise (passed in as a table of values), and the nearest-rank median and 90th
/// percentile of their durations (positions as `service::nearest_rank` computes them).
async fn timings(db: &Db, catalogue: &Catalogue, since: i64) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let promises: Vec<String> = (0..catalogue.services.len()).map(|i| format!("(${}, ${})", 2 * i + 2, 2 * i + 3)).collect();
    let sql = format!(
        "WITH promise (service_slug, seconds) AS (VALUES {}), \
         done AS (SELECT a.service_slug, a.decided_at - a.submitted_at AS took, p.seconds \
                  FROM applications a JOIN promise p ON p.service_slug = a.service_slug \
                  WHERE a.decided_at >= $1 AND a.status = 'completed' AND a.submitted_at IS NOT NULL), \
         ranked AS (SELECT service_slug, took, seconds, \
                    ROW_NUMBER() OVER (PARTITION BY service_slug ORDER BY took) AS position, \
                    COUNT(*) OVER (PARTITION BY service_slug) AS timed FROM done) \
         SELECT service_slug, MAX(timed) AS timed, SUM(CASE WHEN took <= seconds THEN 1 ELSE 0 END) AS within_promise, \
                MAX(CASE WHEN position = (timed * 50 + 99) / 100 THEN took END) AS median, \
                MAX(CASE WHEN position = (timed * 90 + 99) / 100 THEN took END) AS p90 \
         FROM ranked GROUP BY service_slug",
        promises.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(since);
    for service in &catalogue.services {
        query = query.bind(service.slug.clone()).bind(i64::from(service.processing_days) * DAY_SECONDS);
    }
    query.fetch_all(db.pool()).await
}
