//! The counts behind `/performance`, read from a summary rather than from the applications
//! (migration 0016): `performance_counts` holds, per service and day, how many applications
//! were received and decided (decisions also by rounded duration), and how many are open
//! now. A trigger on `applications` appends every change as a row of `performance_changes`
//! in the transaction that makes it; `fold` moves those rows into the counts. So the page
//! reads a few thousand summary rows however many millions of applications there are
//! (`raia-bench scale` measures it on ten million), and is never older than the last commit.
//!
//! The summary has whole days; the windows ("the last 30 days") start at a second, `now`
//! minus 30 days, inside a day. That first, partial day is counted from the applications
//! themselves, over an index range of less than a day (migration 0012's indexes). The SQL is
//! the same on SQLite and PostgreSQL.

use crate::db::Db;
use crate::performance::service::{self, Counts, DAY_SECONDS};
use crate::services::catalogue::Catalogue;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// Summary rows per INSERT when folding: 5 values each, well under both databases' limits.
const FOLD_BATCH: usize = 500;

/// The whole days of both windows and the open queue, from the summary and the changes not
/// yet folded (PostgreSQL sums BIGINTs as NUMERIC, which the Any driver cannot read: cast). Binds the first whole day of the 30 days' window, then the 90 days'. (The
/// queries are public for `raia-bench scale`, which has PostgreSQL explain them.)
pub const SUMMARY_SQL: &str = "SELECT service_slug, measure, took, CAST(SUM(CASE WHEN day >= $1 THEN n ELSE 0 END) AS BIGINT) AS last_30, CAST(SUM(n) AS BIGINT) AS last_90 FROM ( \
             SELECT service_slug, measure, day, took, n FROM performance_counts WHERE day = 0 OR day >= $2 \
             UNION ALL SELECT service_slug, measure, day, took, n FROM performance_changes WHERE day = 0 OR day >= $2) summary \
         GROUP BY service_slug, measure, took";

/// Applications submitted in `$1..$2` (a window's partial first day), by service.
pub const PARTIAL_RECEIVED_SQL: &str = "SELECT service_slug, COUNT(*) AS n FROM applications WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY service_slug";

/// Decisions made in `$1..$2`, by service, outcome and rounded duration.
pub const PARTIAL_DECISIONS_SQL: &str = "SELECT service_slug, status, took, COUNT(*) AS n FROM ( \
             SELECT service_slug, status, CASE \
                 WHEN decided_at - submitted_at < 86400 THEN (CASE WHEN decided_at - submitted_at <= 0 THEN 1 ELSE (decided_at - submitted_at + 3599) / 3600 END) * 3600 \
                 ELSE (decided_at - submitted_at + 8639) / 8640 * 8640 END AS took \
             FROM applications WHERE decided_at >= $1 AND decided_at < $2 AND submitted_at IS NOT NULL) decided \
         GROUP BY service_slug, status, took";

/// Moves the changes written since the last fold into `performance_counts`. Safe in several
/// processes at once: each DELETE ... RETURNING takes the rows it returns (on PostgreSQL a
/// second process waits for them, then finds them gone), and the counts are added to in key
/// order, so two folds never wait on each other in a circle.
pub async fn fold(db: &Db) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query("DELETE FROM performance_changes RETURNING service_slug, measure, day, took, n").fetch_all(&mut *tx).await?;
    let mut sums: BTreeMap<(String, i64, String, i64), i64> = BTreeMap::new();
    for row in &rows {
        *sums.entry((row.get("measure"), row.get("day"), row.get("service_slug"), row.get("took"))).or_default() += row.get::<i64, _>("n");
    }
    let sums: Vec<_> = sums.into_iter().filter(|(_, n)| *n != 0).collect();
    for chunk in sums.chunks(FOLD_BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${})", i * 5 + 1, i * 5 + 2, i * 5 + 3, i * 5 + 4, i * 5 + 5)).collect();
        let sql = format!(
            "INSERT INTO performance_counts (measure, day, service_slug, took, n) VALUES {} \
             ON CONFLICT (day, measure, service_slug, took) DO UPDATE SET n = performance_counts.n + excluded.n",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for ((measure, day, slug, took), n) in chunk {
            query = query.bind(measure.clone()).bind(*day).bind(slug.clone()).bind(*took).bind(*n);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// Where a window that starts at `since` (a second) splits: the seconds of its first day,
/// `since..end`, counted from the applications, then whole days from `end`'s day on.
fn split(since: i64) -> (i64, i64) {
    let end = since.div_euclid(DAY_SECONDS) * DAY_SECONDS;
    let end = if end == since { since } else { end + DAY_SECONDS };
    (end, end / DAY_SECONDS)
}

/// Every service's counts at `now`, by service slug; services with no applications are absent.
pub async fn counts(db: &Db, catalogue: &Catalogue, now: i64) -> Result<HashMap<String, Counts>, sqlx::Error> {
    fold(db).await?;
    let (since_30, since_90) = (now - 30 * DAY_SECONDS, now - 90 * DAY_SECONDS);
    let ((end_30, day_30), (end_90, day_90)) = (split(since_30), split(since_90));
    let mut tally = Tally::default();

    // The whole days, and the open queue, in one statement: the counts and the changes not
    // yet folded are read at one moment, so a fold committing meanwhile counts nothing twice.
    let rows = sqlx::query(SUMMARY_SQL)
    .bind(day_30)
    .bind(day_90)
    .fetch_all(db.pool())
    .await?;
    for row in rows {
        let (slug, measure): (String, String) = (row.get("service_slug"), row.get("measure"));
        tally.add(slug, &measure, row.get("took"), row.get("last_30"), row.get("last_90"));
    }

    // The first, partial day of each window.
    for (since, end, window) in [(since_30, end_30, Window::Last30), (since_90, end_90, Window::Last90)] {
        if since == end {
            continue;
        }
        let received = sqlx::query(PARTIAL_RECEIVED_SQL)
            .bind(since)
            .bind(end)
            .fetch_all(db.pool())
            .await?;
        for row in received {
            tally.add_window(row.get("service_slug"), "received", 0, row.get("n"), window);
        }
        for row in decisions(db, since, end).await? {
            tally.add_window(row.get("service_slug"), &row.get::<String, _>("status"), row.get("took"), row.get("n"), window);
        }
    }
    Ok(tally.finish(catalogue))
}

#[derive(Clone, Copy)]
enum Window {
    Last30,
    Last90,
}

/// The counts as they are read, and the completed durations (`(rounded seconds, applications)`)
/// per service, from which the timings are computed at the end.
#[derive(Default)]
struct Tally {
    counts: HashMap<String, Counts>,
    histograms: HashMap<String, BTreeMap<i64, i64>>,
}

impl Tally {
    fn add(&mut self, slug: String, measure: &str, took: i64, last_30: i64, last_90: i64) {
        let entry = self.counts.entry(slug.clone()).or_default();
        match measure {
            "received" => (entry.received_30, entry.received_90) = (entry.received_30 + last_30, entry.received_90 + last_90),
            "open" => entry.in_progress += last_90,
            "completed" => {
                (entry.completed_30, entry.completed_90) = (entry.completed_30 + last_30, entry.completed_90 + last_90);
                *self.histograms.entry(slug).or_default().entry(took).or_default() += last_90;
            }
            "rejected" => entry.rejected_90 += last_90,
            _ => {}
        }
    }

    /// Applications of one window only (its partial first day).
    fn add_window(&mut self, slug: String, measure: &str, took: i64, n: i64, window: Window) {
        match window {
            // The 30-day figures only: the durations are the 90 days'.
            Window::Last30 => {
                let entry = self.counts.entry(slug).or_default();
                match measure {
                    "received" => entry.received_30 += n,
                    "completed" => entry.completed_30 += n,
                    _ => {}
                }
            }
            Window::Last90 => match measure {
                "received" => self.counts.entry(slug).or_default().received_90 += n,
                "completed" => {
                    self.counts.entry(slug.clone()).or_default().completed_90 += n;
                    *self.histograms.entry(slug).or_default().entry(took).or_default() += n;
                }
                "rejected" => self.counts.entry(slug).or_default().rejected_90 += n,
                _ => {}
            },
        }
    }

    fn finish(mut self, catalogue: &Catalogue) -> HashMap<String, Counts> {
        for service in &catalogue.services {
            let Some(histogram) = self.histograms.get(&service.slug) else { continue };
            let histogram: Vec<(i64, i64)> = histogram.iter().filter(|(_, n)| **n > 0).map(|(took, n)| (*took, *n)).collect();
            let timings = service::timings(&histogram, i64::from(service.processing_days) * DAY_SECONDS);
            let entry = self.counts.entry(service.slug.clone()).or_default();
            (entry.timed, entry.within_promise, entry.median_seconds, entry.p90_seconds) = (timings.timed, timings.within_promise, timings.median_seconds, timings.p90_seconds);
        }
        self.counts
    }
}

/// The decisions made in `since..end`, counted by service, outcome and duration from
/// submission (rounded up as `service::rounded_up` does: the same arithmetic, in SQL, as the
/// migration's trigger).
async fn decisions(db: &Db, since: i64, end: i64) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    sqlx::query(PARTIAL_DECISIONS_SQL)
    .bind(since)
    .bind(end)
    .fetch_all(db.pool())
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::status::{Status, ALL_STATUSES};

    /// The migration's triggers say which statuses are open; the page says "submitted and not
    /// finished". A new status must be placed in both.
    #[test]
    fn the_summary_counts_as_open_every_status_between_submission_and_the_end() {
        let not_open: Vec<String> = ALL_STATUSES
            .into_iter()
            .filter(|s| matches!(s, Status::Draft | Status::Completed | Status::Rejected | Status::Withdrawn))
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let rule = format!("status NOT IN ({})", not_open.join(", "));
        for migration in [include_str!("../../migrations/postgres/0016_national_scale.sql"), include_str!("../../migrations/sqlite/0016_national_scale.sql")] {
            assert!(migration.contains(&rule), "{rule}");
        }
        assert_eq!(ALL_STATUSES.len(), 12, "a new status: is it open? then update migration 0016's rule in a new migration");
    }

    #[test]
    fn a_window_splits_into_its_first_seconds_and_whole_days() {
        assert_eq!(split(10 * DAY_SECONDS), (10 * DAY_SECONDS, 10), "starting at midnight: whole days only");
        assert_eq!(split(10 * DAY_SECONDS + 1), (11 * DAY_SECONDS, 11));
        assert_eq!(split(11 * DAY_SECONDS - 1), (11 * DAY_SECONDS, 11));
    }
}
