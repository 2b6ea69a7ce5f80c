//! `raia-bench scale`: the pages at national size (issue 25), against a release server on a
//! PostgreSQL database that `raia-server seed-scale` filled. For each page, `--requests`
//! requests from `--concurrency` clients at once, each answered 200 (no redirect to the
//! login): p50, p99 and requests/s. The pages: a citizen's dashboard (the one with about 200
//! applications, and a typical one), one application's page, the officer queue of the
//! busiest agency (first page, and page 1,000 from its link's cursor), a catalogue search,
//! `/performance`, and paybill confirmations settling open invoices of the data set.
//!
//! Then PostgreSQL explains the queries behind those pages (`explain`): a sequential scan of
//! a big table is written down as a failed budget, whatever the timings.

use crate::args::Args;
use crate::callbacks;
use crate::explain;
use crate::invoices::OpenInvoice;
use crate::stats::{per_second, round_ms, Tally};
use crate::world::{self, World};
use crate::BenchResult;
use raia_app::identity::sessions::{self, Flow, Stage};
use raia_app::request::SessionCookie;
use raia_server::seed_scale::DOMAIN;
use serde_json::{json, Value};
use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The people and rows the pages are measured with.
pub struct Subjects {
    pub heavy: (i64, String),
    pub typical: (i64, String),
    pub officer: i64,
    pub agency: String,
    pub reference: String,
    /// Where page 1,000 of the busiest agency's queue starts (`after=` of its link).
    pub page_1000: String,
}

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["base-url", "database-url", "requests", "concurrency", "callbacks"])?;
    let base = args.required("base-url")?.trim_end_matches('/').to_string();
    let database_url = args.required("database-url")?;
    let requests = args.number("requests", 500usize)?.max(10);
    let concurrency = args.number("concurrency", 4usize)?.max(1);
    let world = world::open(&database_url).await?;
    let subjects = subjects(&world).await?;
    let cookie_name = SessionCookie::new(world.config.cookie_secure).name;
    let login = |account: i64| {
        let world = &world;
        let cookie_name = cookie_name.clone();
        async move {
            let now = world.identity.clock.now();
            let mut tx = world.db.begin_write().await.map_err(|e| e.to_string())?;
            let (token, _) = sessions::create(&mut tx, now, Some(account), Stage::Authenticated, &Flow::default(), None).await.map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
            BenchResult::Ok(format!("{cookie_name}={token}"))
        }
    };
    let (heavy, typical, officer) = (login(subjects.heavy.0).await?, login(subjects.typical.0).await?, login(subjects.officer).await?);

    let pages: Vec<(&str, String, Option<String>)> = vec![
        ("dashboard (citizen with about 200 applications)", format!("{base}/dashboard"), Some(heavy.clone())),
        ("dashboard (typical citizen)", format!("{base}/dashboard"), Some(typical.clone())),
        ("application page", format!("{base}/applications/{}", subjects.reference), Some(typical)),
        ("officer queue, first page", format!("{base}/officer"), Some(officer.clone())),
        ("officer queue, page 1,000", format!("{base}/officer?after={}", subjects.page_1000), Some(officer)),
        ("catalogue search", format!("{base}/services?q=licence"), None),
        ("performance page", format!("{base}/performance"), None),
    ];
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).redirect(reqwest::redirect::Policy::none()).build().map_err(|e| e.to_string())?;
    let mut measured = Vec::new();
    for (name, url, cookie) in pages {
        eprintln!("scale: {name}");
        // A few requests first, so the first ones do not measure a cold cache.
        run(&client, &url, cookie.clone(), 20.min(requests), 1).await;
        let mut result = run(&client, &url, cookie, requests, concurrency).await;
        result["page"] = json!(name);
        measured.push(result);
    }

    eprintln!("scale: payment callbacks");
    let callbacks = pay(&world, &base, args.number("callbacks", 500usize)?, concurrency).await?;
    eprintln!("scale: explaining the queries");
    let plans = explain::all(&world, &subjects).await?;
    let sizes = sizes(&world).await?;
    let result = json!({
        "requests_per_page": requests,
        "concurrency": concurrency,
        "busiest_agency": subjects.agency,
        "heavy_citizen_applications": count(&world, "SELECT COUNT(*) FROM applications WHERE account_id = $1", subjects.heavy.0).await?,
        "typical_citizen_applications": count(&world, "SELECT COUNT(*) FROM applications WHERE account_id = $1", subjects.typical.0).await?,
        "pages": measured,
        "callbacks": callbacks,
        "plans": plans,
        "tables": sizes,
    });
    println!("{result}");
    world.db.close().await;
    Ok(())
}

async fn count(world: &World, sql: &str, id: i64) -> BenchResult<i64> {
    sqlx::query_scalar(sql).bind(id).fetch_one(world.db.pool()).await.map_err(|e| e.to_string())
}

/// The citizens, officer and application of the data set the pages are measured with.
async fn subjects(world: &World) -> BenchResult<Subjects> {
    let pool = world.db.pool();
    let e = |error: sqlx::Error| error.to_string();
    let account = |email: String| async move {
        let row = sqlx::query("SELECT id, id_number FROM accounts WHERE email = $1").bind(&email).fetch_optional(pool).await.map_err(|e| e.to_string())?;
        let row = row.ok_or_else(|| format!("no {email}: run `raia-server seed-scale` on this database first"))?;
        BenchResult::Ok((row.get::<i64, _>("id"), row.get::<String, _>("id_number")))
    };
    let heavy = account(format!("citizen1@{DOMAIN}")).await?;
    let typical = account(format!("citizen2@{DOMAIN}")).await?;
    // The planner's statistics say which agency is busiest without counting ten million rows.
    let agency: String = sqlx::query_scalar(
        "SELECT v FROM (SELECT unnest(most_common_vals::TEXT::TEXT[]) AS v, unnest(most_common_freqs) AS f FROM pg_stats \
         WHERE tablename = 'applications' AND attname = 'agency') s ORDER BY f DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await
    .map_err(e)?
    .unwrap_or_else(|| "ntsa".into());
    let officer = account(format!("officer-{agency}@{DOMAIN}")).await?.0;
    let reference: String = sqlx::query_scalar("SELECT reference FROM applications WHERE account_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 1")
        .bind(typical.0)
        .fetch_one(pool)
        .await
        .map_err(e)?;
    // Page 1,000 starts after the 49,950th application; a small data set has fewer, and then
    // the page measured is the last full one (the JSON says which).
    let mut cursor = None;
    for (order, offset) in [("submitted_at, id", 999 * raia_app::services::store::QUEUE_PAGE - 1), ("submitted_at DESC, id DESC", raia_app::services::store::QUEUE_PAGE)] {
        cursor = sqlx::query(&format!(
            "SELECT submitted_at, id FROM applications WHERE agency = $1 AND status <> 'draft' AND account_id <> $2 ORDER BY {order} OFFSET $3 LIMIT 1"
        ))
        .bind(&agency)
        .bind(officer)
        .bind(offset)
        .fetch_optional(pool)
        .await
        .map_err(e)?;
        if cursor.is_some() {
            break;
        }
    }
    let cursor = cursor.ok_or("the busiest agency's queue is empty")?;
    let page_1000 = raia_app::services::store::QueueCursor { submitted_at: cursor.get("submitted_at"), id: cursor.get("id") }.as_text();
    Ok(Subjects { heavy, typical, officer, agency, reference, page_1000 })
}

/// `requests` GETs of `url` from `concurrency` clients at once; each must answer 200.
async fn run(client: &reqwest::Client, url: &str, cookie: Option<String>, requests: usize, concurrency: usize) -> Value {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, url, cookie, next) = (client.clone(), url.to_string(), cookie.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                let sent = Instant::now();
                let mut request = client.get(&url).header("accept-encoding", "br, gzip");
                if let Some(cookie) = &cookie {
                    request = request.header("cookie", cookie);
                }
                match request.send().await {
                    Ok(response) if response.status().is_success() => match response.bytes().await {
                        Ok(_) => tally.answered(sent.elapsed()),
                        Err(_) => tally.failed("body cut".into()),
                    },
                    Ok(response) => tally.failed(format!("HTTP {}", response.status().as_u16())),
                    Err(_) => tally.failed("connection error".into()),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        if let Ok(done) = worker.await {
            tally.latencies.extend(done.latencies);
            for (why, n) in done.failures {
                *tally.failures.entry(why).or_default() += n;
            }
        }
    }
    let elapsed = started.elapsed();
    json!({
        "url": url,
        "requests": tally.count(),
        "errors": tally.failed_count(),
        "failures": tally.failures,
        "requests_per_second": per_second(tally.count(), elapsed),
        "latency_ms": { "p50": tally.percentile_ms(50.0), "p99": tally.percentile_ms(99.0), "max": tally.percentile_ms(100.0) },
    })
}

/// Paybill confirmations for `count` open invoices of the data set, each once, from
/// `concurrency` clients: the callback's latency with millions of invoices and payments, and
/// then how many of them the database says are paid.
async fn pay(world: &World, base: &str, count: usize, concurrency: usize) -> BenchResult<Value> {
    let rows = sqlx::query(
        "SELECT i.number, i.total_cents, a.reference FROM invoices i JOIN applications a ON a.id = i.application_id \
         WHERE i.status = 'unpaid' AND i.expires_at > $1 ORDER BY i.expires_at, i.id LIMIT $2",
    )
    .bind(world.identity.clock.now())
    .bind(count as i64)
    .fetch_all(world.db.pool())
    .await
    .map_err(|e| e.to_string())?;
    let invoices: Vec<OpenInvoice> = rows.iter().map(|r| OpenInvoice { number: r.get("number"), total_cents: r.get("total_cents"), reference: r.get("reference") }).collect();
    if invoices.is_empty() {
        return Err("no open invoices left in the data set to pay (seed a fresh one)".into());
    }
    let config = world::config(None)?;
    let url = format!("{base}/callbacks/mpesa/{}/c2b", config.payments.callback_secret);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().map_err(|e| e.to_string())?;
    let run = callbacks::run_tag(callbacks::unix_now());
    let (invoices, next) = (Arc::new(invoices), Arc::new(AtomicUsize::new(0)));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, url, invoices, next, run, shortcode) = (client.clone(), url.clone(), invoices.clone(), next.clone(), run.clone(), config.payments.paybill_number.clone());
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(invoice) = invoices.get(index) else { break };
                let body = callbacks::confirmation(invoice, &callbacks::receipt_number(&run, index), &shortcode, callbacks::unix_now());
                match callbacks::post(&client, &url, body).await {
                    Ok(took) => tally.answered(took),
                    Err(why) => tally.failed(why),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        let done = worker.await.map_err(|e| e.to_string())?;
        tally.latencies.extend(done.latencies);
        for (why, n) in done.failures {
            *tally.failures.entry(why).or_default() += n;
        }
    }
    let elapsed = started.elapsed();
    let numbers: Vec<String> = invoices.iter().map(|i| i.number.clone()).collect();
    let paid: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE status = 'paid' AND number = ANY(string_to_array($1, ','))")
        .bind(numbers.join(","))
        .fetch_one(world.db.pool())
        .await
        .map_err(|e| e.to_string())?;
    Ok(json!({
        "invoices": invoices.len(),
        "paid_after": paid,
        "errors": tally.failed_count(),
        "failures": tally.failures,
        "requests_per_second": per_second(tally.count(), elapsed),
        "latency_ms": { "p50": tally.percentile_ms(50.0), "p99": tally.percentile_ms(99.0), "max": round_ms(tally.percentile_ms(100.0)) },
    }))
}

/// Rows and size on disk (with indexes) of the big tables, and of the whole database.
async fn sizes(world: &World) -> BenchResult<Value> {
    let rows = sqlx::query(
        "SELECT c.relname::TEXT AS name, c.reltuples::BIGINT AS rows, pg_total_relation_size(c.oid) AS bytes FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 1000 ORDER BY bytes DESC",
    )
    .fetch_all(world.db.pool())
    .await
    .map_err(|e| e.to_string())?;
    let database: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(world.db.pool()).await.map_err(|e| e.to_string())?;
    let tables: Vec<Value> = rows.iter().map(|r| json!({ "table": r.get::<String, _>("name"), "rows": r.get::<i64, _>("rows"), "bytes": r.get::<i64, _>("bytes") })).collect();
    Ok(json!({ "database_bytes": database, "tables": tables }))
}
