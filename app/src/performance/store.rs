//! The counts behind `/performance`, in three grouped queries that each read one index
//! (migration 0012) and only the rows of the last 90 days or of the open queue, so the page
//! stays quick with a million applications (`raia-bench performance-query` times them). The
//! SQL is the same on SQLite and PostgreSQL: plain grouping and integer arithmetic.

use crate::db::Db;
use crate::performance::service::{self, Counts, DAY_SECONDS};
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

    // By agency and status, so that applications_queue (agency, status, submitted_at,
    // service_slug) answers alone.
    let agencies: Vec<String> = (1..=catalogue.agencies.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT service_slug, COUNT(*) AS open FROM applications WHERE agency IN ({}) AND status IN ({}) GROUP BY service_slug",
        agencies.join(", "),
        open_statuses()
    );
    let mut open = sqlx::query(&sql);
    for agency in &catalogue.agencies {
        open = open.bind(agency.slug.clone());
    }
    for row in open.fetch_all(pool).await? {
        counts.entry(row.get("service_slug")).or_default().in_progress = row.get("open");
    }

    // Decisions: completed and rejected, the only applications with a decision time.
    let mut histograms: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
    for row in decisions(db, since_30, since_90).await? {
        let slug: String = row.get("service_slug");
        let (last_30, last_90): (i64, i64) = (row.get("last_30"), row.get("last_90"));
        let entry = counts.entry(slug.clone()).or_default();
        match row.get::<String, _>("status").as_str() {
            "completed" => {
                (entry.completed_30, entry.completed_90) = (entry.completed_30 + last_30, entry.completed_90 + last_90);
                histograms.entry(slug).or_default().push((row.get("took"), last_90));
            }
            "rejected" => entry.rejected_90 += last_90,
            _ => {}
        }
    }
    for service in &catalogue.services {
        let Some(histogram) = histograms.get_mut(&service.slug) else { continue };
        histogram.sort_unstable();
        let timings = service::timings(histogram, i64::from(service.processing_days) * DAY_SECONDS);
        let entry = counts.entry(service.slug.clone()).or_default();
        (entry.timed, entry.within_promise, entry.median_seconds, entry.p90_seconds) = (timings.timed, timings.within_promise, timings.median_seconds, timings.p90_seconds);
    }
    Ok(counts)
}

/// The decisions since `since_90`, counted by service, outcome and duration from submission
/// (rounded up as `service::rounded_up` does: the same arithmetic, in SQL), in the last 90
/// and 30 days. Grouped, never sorted row by row: a quarter-year of decisions comes back as a
/// few thousand rows, from which the percentiles are read in Rust.
async fn decisions(db: &Db, since_30: i64, since_90: i64) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    sqlx::query(
        "SELECT service_slug, status, took, SUM(CASE WHEN decided_at >= $1 THEN 1 ELSE 0 END) AS last_30, COUNT(*) AS last_90 FROM ( \
             SELECT service_slug, status, decided_at, CASE \
                 WHEN decided_at - submitted_at < 86400 THEN (CASE WHEN decided_at - submitted_at <= 0 THEN 1 ELSE (decided_at - submitted_at + 3599) / 3600 END) * 3600 \
                 ELSE (decided_at - submitted_at + 8639) / 8640 * 8640 END AS took \
             FROM applications WHERE decided_at >= $2) decided \
         GROUP BY service_slug, status, took",
    )
    .bind(since_30)
    .bind(since_90)
    .fetch_all(db.pool())
    .await
}
