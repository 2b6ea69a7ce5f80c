//! `performance-query`: how long `/performance`'s counts take over a million applications.
//! Generates the applications into a fresh SQLite database (and a fresh PostgreSQL one when
//! `--postgres-url` or `TEST_DATABASE_URL` names a server), spread as a real portal's would
//! be over two years, services, agencies and statuses; then runs the page's queries
//! (`raia_app::performance::store::counts`) a few times and prints the median.
//!
//! The rows go straight into the table (`performance::demo::insert`), not through the
//! application form: a million submissions through the app would take hours, and the page
//! reads only the columns written here.

use crate::args::Args;
use crate::stats::round_ms;
use crate::BenchResult;
use raia_app::db::{Backend, Db};
use raia_app::performance::demo::{self, Dice, PastApplication};
use raia_app::performance::service::DAY_SECONDS;
use raia_app::performance::store;
use raia_app::services::catalogue::Catalogue;
use std::time::Instant;

/// How often each service is applied for, relative to the others (unlisted: 1).
const DEMAND: [(&str, u64); 9] = [
    ("passport", 20),
    ("id-replacement", 15),
    ("driving-licence-renewal", 15),
    ("good-conduct", 14),
    ("vehicle-search", 12),
    ("ntsa-fines", 10),
    ("business-name", 6),
    ("kra-pin-link", 6),
    ("kmlttb-licence-renewal", 2),
];
const HISTORY_DAYS: i64 = 730;
/// Rows per transaction while generating.
const PER_TRANSACTION: usize = 20_000;

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["applications", "runs", "postgres-url"])?;
    let applications = args.number("applications", 1_000_000usize)?;
    let runs = args.number("runs", 5usize)?.max(1);
    let catalogue = crate::world::config(None).and_then(|config| raia_server::startup::catalogue(&config))?;
    let postgres = args.optional("postgres-url").or_else(|| std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()));

    let folder = std::env::temp_dir().join(format!("raia-bench-performance-{}", std::process::id()));
    let sqlite_url = format!("sqlite://{}/raia.db", folder.display());
    let sqlite = measure(&sqlite_url, &catalogue, applications, runs).await;
    let _ = std::fs::remove_dir_all(&folder);

    let postgres = match postgres {
        None => serde_json::json!({ "not_measured": "no PostgreSQL server named (--postgres-url or TEST_DATABASE_URL)" }),
        Some(server_url) => {
            let (server, _) = server_url.rsplit_once('/').ok_or("the PostgreSQL URL names no database")?;
            let url = format!("{server}/raia_bench_performance");
            let result = match crate::world::recreate_postgres(&url).await {
                Ok(()) => measure(&url, &catalogue, applications, runs).await,
                Err(problem) => Err(problem),
            };
            let _ = crate::world::drop_postgres(&url).await;
            result.unwrap_or_else(|problem| serde_json::json!({ "not_measured": problem }))
        }
    };
    let sqlite = sqlite?;
    println!("{}", serde_json::json!({ "applications": applications, "runs": runs, "sqlite": sqlite, "postgres": postgres }));
    Ok(())
}

/// Generates the applications into the database at `url`, then times the page's counts.
async fn measure(url: &str, catalogue: &Catalogue, applications: usize, runs: usize) -> BenchResult<serde_json::Value> {
    let backend = Backend::of_url(url).map_err(|e| e.to_string())?;
    let db = Db::connect(url, 2).await.map_err(|e| format!("{}: {e}", backend.name()))?;
    db.migrate().await.map_err(|e| format!("migrations: {e}"))?;
    let now = raia_app::clock::Clock::now(&raia_app::clock::SystemClock);

    let started = Instant::now();
    generate(&db, catalogue, applications, now).await.map_err(|e| format!("generating on {}: {e}", backend.name()))?;
    if backend == Backend::Postgres {
        // What autovacuum does soon after a load: statistics and the visibility map, so the
        // planner can answer from the indexes alone.
        sqlx::query("VACUUM ANALYZE applications").execute(db.pool()).await.map_err(|e| e.to_string())?;
    }
    let generated_seconds = started.elapsed().as_secs_f64();
    eprintln!("{}: {applications} applications in {generated_seconds:.1} s", backend.name());

    // One run to warm the caches, as a server that has answered before would be.
    store::counts(&db, catalogue, now).await.map_err(|e| e.to_string())?;
    let mut timings = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let counts = store::counts(&db, catalogue, now).await.map_err(|e| e.to_string())?;
        let page = raia_app::performance::service::page(catalogue, &counts, now);
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(page);
    }
    db.close().await;
    let mut sorted = timings.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(serde_json::json!({
        "generate_seconds": (generated_seconds * 10.0).round() / 10.0,
        "median_ms": round_ms(sorted[sorted.len() / 2]),
        "runs_ms": timings.into_iter().map(round_ms).collect::<Vec<_>>(),
    }))
}

/// A portal's two years: submissions spread evenly over them, services by `DEMAND`, each
/// taking from a fifth to 1.6 times its promised time; finished ones mostly completed, some
/// rejected or withdrawn, a few stuck; the recent ones still open at various steps.
async fn generate(db: &Db, catalogue: &Catalogue, applications: usize, now: i64) -> Result<(), sqlx::Error> {
    let services: Vec<(&raia_app::services::catalogue::Service, u64)> =
        catalogue.services.iter().map(|s| (s, DEMAND.iter().find(|(slug, _)| *slug == s.slug).map_or(1, |(_, weight)| *weight))).collect();
    let total_weight: u64 = services.iter().map(|(_, weight)| weight).sum();
    let open = ["submitted", "under_review", "action_required", "awaiting_payment", "paid", "approved", "ready_for_collection"];
    let mut dice = Dice::new(13);

    let mut tx = db.begin_write().await?;
    let account_id = demo::history_account(&mut tx, now).await?;
    tx.commit().await?;
    let mut made = 0;
    while made < applications {
        let mut rows = Vec::with_capacity(PER_TRANSACTION);
        for _ in 0..PER_TRANSACTION.min(applications - made) {
            let mut pick = dice.next() % total_weight;
            let (service, _) = services.iter().find(|(_, weight)| if pick < *weight { true } else { pick -= weight; false }).unwrap_or(&services[0]);
            let submitted_at = now - dice.between(60, HISTORY_DAYS * DAY_SECONDS);
            let promise = i64::from(service.processing_days) * DAY_SECONDS;
            let took = promise * dice.between(20, 160) / 100 + dice.between(0, 3 * 3600);
            let roll = dice.between(1, 100);
            let (status, decided_at) = if submitted_at + took > now {
                (open[dice.between(0, open.len() as i64 - 1) as usize], None)
            } else if roll <= 85 {
                ("completed", Some(submitted_at + took))
            } else if roll <= 93 {
                ("rejected", Some(submitted_at + took / 2))
            } else if roll <= 97 {
                ("withdrawn", None)
            } else {
                ("action_required", None)
            };
            rows.push(PastApplication { reference: None, service_slug: &service.slug, agency: &service.agency, status, submitted_at, decided_at });
        }
        let mut tx = db.begin_write().await?;
        demo::insert(&mut tx, account_id, &rows).await?;
        tx.commit().await?;
        made += rows.len();
        if made % 100_000 == 0 {
            eprintln!("  {made} applications");
        }
    }
    Ok(())
}
