//! `/performance`'s counts on SQLite and PostgreSQL: what is counted in which window, the
//! durations rounded in SQL against the same rule in Rust, nearest-rank percentiles, the
//! promise, and a decision timed by the status move itself.
#![cfg(feature = "ssr")]

use raia_app::performance::demo::{self, PastApplication};
use raia_app::performance::service::{self, Counts, DAY_SECONDS};
use raia_app::performance::store;
use raia_app::performance::views::Figure;
use raia_app::services::catalogue::Catalogue;
use raia_app::services::catalogue_file;
use raia_app::services::status::Status;
use raia_app::services::store as applications;
use raia_app::test_db::TestDb;

const NOW: i64 = 1_780_000_000;
const HOUR: i64 = 3600;

fn catalogue() -> Catalogue {
    catalogue_file::parse(catalogue_file::BUILT_IN).unwrap()
}

fn past<'a>(service: &'a str, agency: &'a str, status: &'a str, submitted_at: i64, decided_at: Option<i64>) -> PastApplication<'a> {
    PastApplication { reference: None, service_slug: service, agency, status, submitted_at, decided_at }
}

fn completed(service: &'static str, agency: &'static str, days_ago: i64, took: i64) -> PastApplication<'static> {
    let decided = NOW - days_ago * DAY_SECONDS;
    past(service, agency, "completed", decided - took, Some(decided))
}

async fn write(test_db: &TestDb, rows: &[PastApplication<'_>]) -> i64 {
    let mut tx = test_db.db.begin_write().await.unwrap();
    let account = demo::history_account(&mut tx, NOW).await.unwrap();
    demo::insert(&mut tx, account, rows).await.unwrap();
    tx.commit().await.unwrap();
    account
}

#[tokio::test]
async fn counts_follow_the_windows_and_percentiles_are_nearest_rank() {
    // Passport (promise 14 days): seven completed in the last 30 days, one 40 days ago, one
    // 100 days ago (outside every window).
    let durations_30 = [2, 3, 5, 8, 13, 15, 21].map(|days| days * DAY_SECONDS);
    let mut rows: Vec<PastApplication> = durations_30.iter().enumerate().map(|(i, took)| completed("passport", "immigration", i as i64 + 1, *took)).collect();
    rows.push(completed("passport", "immigration", 40, 14 * DAY_SECONDS));
    rows.push(completed("passport", "immigration", 100, DAY_SECONDS));
    rows.extend([
        past("passport", "immigration", "rejected", NOW - 20 * DAY_SECONDS, Some(NOW - 10 * DAY_SECONDS)),
        past("passport", "immigration", "rejected", NOW - 80 * DAY_SECONDS, Some(NOW - 60 * DAY_SECONDS)),
        past("passport", "immigration", "withdrawn", NOW - 5 * DAY_SECONDS, None),
        // In progress: each kind of wait; one submitted long ago still counts.
        past("passport", "immigration", "submitted", NOW - HOUR, None),
        past("passport", "immigration", "action_required", NOW - 200 * DAY_SECONDS, None),
        past("passport", "immigration", "ready_for_collection", NOW - 3 * DAY_SECONDS, None),
    ]);
    // Vehicle search (promise 1 day): four, all within it.
    for hours in [1, 2, 3, 30] {
        rows.push(completed("vehicle-search", "ntsa", 2, hours * HOUR));
    }
    let catalogue = catalogue();
    for test_db in TestDb::all().await {
        let account = write(&test_db, &rows).await;
        // A draft is nobody's application yet.
        sqlx::query("INSERT INTO applications (account_id, service_slug, agency, status, created_at, updated_at) VALUES ($1, 'passport', 'immigration', 'draft', $2, $2)")
            .bind(account)
            .bind(NOW)
            .execute(test_db.db.pool())
            .await
            .unwrap();
        let counts = store::counts(&test_db.db, &catalogue, NOW).await.unwrap();

        let mut sorted_90: Vec<i64> = durations_30.to_vec();
        sorted_90.push(14 * DAY_SECONDS);
        sorted_90.sort();
        let passport = counts["passport"];
        assert_eq!(
            passport,
            Counts {
                // Submitted in the window: by submission time, whatever became of them.
                received_30: rows.iter().filter(|r| r.service_slug == "passport" && r.submitted_at >= NOW - 30 * DAY_SECONDS).count() as i64,
                received_90: rows.iter().filter(|r| r.service_slug == "passport" && r.submitted_at >= NOW - 90 * DAY_SECONDS).count() as i64,
                completed_30: 7,
                completed_90: 8,
                rejected_90: 2,
                in_progress: 3,
                timed: 8,
                // 2, 3, 5, 8, 13 and the 14 days of the older one are within 14 days; 15 and 21 are not.
                within_promise: 6,
                median_seconds: service::percentile(&sorted_90, 50).unwrap(),
                p90_seconds: service::percentile(&sorted_90, 90).unwrap(),
            },
            "{}",
            test_db.url
        );
        // Eight durations: the median is the 4th (8 days), the 90th percentile the 8th (21 days).
        assert_eq!((passport.median_seconds, passport.p90_seconds), (8 * DAY_SECONDS, 21 * DAY_SECONDS));

        let search = counts["vehicle-search"];
        assert_eq!((search.completed_30, search.timed, search.within_promise, search.median_seconds, search.p90_seconds), (4, 4, 3, 2 * HOUR, service::rounded_up(30 * HOUR)));
        assert!(!counts.contains_key("good-conduct"), "nobody applied");

        // Published: four vehicle searches are "fewer than 5", and so is everything about them.
        let page = service::page(&catalogue, &counts, NOW);
        let ntsa = page.agencies.iter().find(|a| a.slug == "ntsa").unwrap();
        let figures = ntsa.services.iter().find(|s| s.slug == "vehicle-search").unwrap();
        assert_eq!((figures.volumes.completed_30, figures.median_seconds, figures.within_promise_percent), (Figure::FewerThanFive, Figure::FewerThanFive, Figure::FewerThanFive));
        let passport = &page.agencies[0].services[0];
        assert_eq!((passport.volumes.completed_90, passport.within_promise_percent), (Figure::Value(8), Figure::Value(75)));
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_decision_is_timed_by_the_move_that_makes_it() {
    use applications::Move;
    for test_db in TestDb::all().await {
        let account = write(&test_db, &[past("passport", "immigration", "under_review", NOW - 10 * DAY_SECONDS, None), past("passport", "immigration", "approved", NOW - 9 * DAY_SECONDS, None)]).await;
        let rows = applications::list_for_account(test_db.db.pool(), account).await.unwrap();
        let moves = [(Status::UnderReview, Status::Rejected), (Status::Approved, Status::Completed)];
        for (from, to) in moves {
            let row = rows.iter().find(|r| r.status == from).unwrap();
            let mut tx = test_db.db.begin_write().await.unwrap();
            let change = Move { to, reference: None, claimed_by: None, officer_note: None, collection_centre: None, submitted: false, release_claim: false };
            assert!(applications::move_status(&mut tx, row, &change, NOW - DAY_SECONDS).await.unwrap());
            tx.commit().await.unwrap();
        }
        let decided: Vec<(String, Option<i64>)> = sqlx::query_as("SELECT status, decided_at FROM applications ORDER BY status").fetch_all(test_db.db.pool()).await.unwrap();
        assert_eq!(decided, vec![("completed".to_string(), Some(NOW - DAY_SECONDS)), ("rejected".to_string(), Some(NOW - DAY_SECONDS))]);

        let counts = store::counts(&test_db.db, &catalogue(), NOW).await.unwrap();
        let passport = counts["passport"];
        assert_eq!((passport.completed_30, passport.rejected_90, passport.in_progress, passport.median_seconds), (1, 1, 0, 8 * DAY_SECONDS));
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn the_demo_history_is_added_once_and_shows_figures() {
    let catalogue = catalogue();
    for test_db in TestDb::all().await {
        let added = demo::seed(&test_db.db, &catalogue, NOW).await.unwrap();
        assert!(added > 100, "{added}");
        assert_eq!(demo::seed(&test_db.db, &catalogue, NOW).await.unwrap(), 0, "a second start adds nothing");
        let page = service::page(&catalogue, &store::counts(&test_db.db, &catalogue, NOW).await.unwrap(), NOW);
        let all: Vec<_> = page.agencies.iter().flat_map(|a| a.services.iter()).collect();
        let passport = all.iter().find(|s| s.slug == "passport").unwrap();
        assert!(matches!(passport.median_seconds, Figure::Value(_)) && matches!(passport.within_promise_percent, Figure::Value(_)));
        let licence = all.iter().find(|s| s.slug == "driving-licence-renewal").unwrap();
        assert_eq!(licence.median_seconds, Figure::FewerThanFive);
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn percentiles_in_sql_equal_nearest_rank_in_rust_rounded_up() {
    // Durations to the second, from under an hour to six days, in four sizes of sample:
    // counted rounded up, they tie often.
    let mut dice = demo::Dice::new(7);
    let samples: [(&str, &str, usize); 4] = [("passport", "immigration", 37), ("good-conduct", "dci", 10), ("vehicle-search", "ntsa", 1), ("business-name", "brs", 2)];
    let mut rows = Vec::new();
    let mut durations: Vec<(&str, Vec<i64>)> = Vec::new();
    for (service, agency, n) in samples {
        let took: Vec<i64> = (0..n).map(|_| dice.between(60, 6 * DAY_SECONDS)).collect();
        rows.extend(took.iter().map(|t| completed(service, agency, 1, *t)));
        durations.push((service, took));
    }
    let catalogue = catalogue();
    for test_db in TestDb::all().await {
        write(&test_db, &rows).await;
        let counts = store::counts(&test_db.db, &catalogue, NOW).await.unwrap();
        for (service, took) in &durations {
            let mut sorted = took.clone();
            sorted.sort();
            let found = counts[*service];
            assert_eq!(found.timed, sorted.len() as i64);
            assert_eq!(Some(found.median_seconds), service::percentile(&sorted, 50).map(service::rounded_up), "{service} median of {sorted:?} on {}", test_db.url);
            assert_eq!(Some(found.p90_seconds), service::percentile(&sorted, 90).map(service::rounded_up), "{service} 90th of {sorted:?} on {}", test_db.url);
            let promise = i64::from(catalogue.service(service).unwrap().processing_days) * DAY_SECONDS;
            assert_eq!(found.within_promise, sorted.iter().filter(|t| **t <= promise).count() as i64);
        }
        test_db.drop_database().await;
    }
}
