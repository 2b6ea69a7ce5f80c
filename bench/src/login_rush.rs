//! The login rush: many citizens typing their password at once, through the real login
//! endpoint (the `log_in` server function at `/api/login/password`), over HTTP, as a form
//! post from a Raia page would arrive.
//!
//! Two things would otherwise measure the rate limits instead of the server: all requests
//! come from 127.0.0.1 (60 a minute per address), and each identifier may try 20 times in
//! 15 minutes. So the server is started with `TRUSTED_PROXIES=127.0.0.1/32` and every
//! attempt carries its own `X-Forwarded-For` address (as if each came through our proxy
//! from a different phone), and the attempts go round many accounts. Anything but the
//! move to the one-time-code step is counted as a failure, by its status.
//!
//! With `--probe-url`, a citizen keeps browsing meanwhile: that page is fetched at a steady
//! `--probe-rate` a second for the rush's whole length (see `probe`), and its latencies come
//! out with the logins, from the same run.

use crate::args::Args;
use crate::probe;
use crate::stats::{per_second, Tally};
use crate::BenchResult;
use reqwest::redirect::Policy;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where a right password leads: the step that sends the one-time code.
const NEXT_STEP: &str = "/login/method";

/// One attempt's result.
enum Attempt {
    LoggedIn(Duration),
    Failed(String),
}

/// `10.a.b.c` for the n-th attempt: a different client address each time.
fn forwarded_for(n: usize) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// Form encoding for the few characters our identifiers and password can hold.
fn form_value(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' => "+".to_string(),
            c if c.is_ascii_alphanumeric() || "-_.*".contains(c) => c.to_string(),
            c => c.to_string().bytes().map(|b| format!("%{b:02X}")).collect(),
        })
        .collect()
}

/// `identifier<TAB>password` lines, as `seed-logins` prints them.
fn read_accounts(path: &str) -> BenchResult<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let accounts: Vec<(String, String)> =
        text.lines().filter_map(|line| line.split_once('\t')).map(|(id, password)| (id.to_string(), password.to_string())).collect();
    if accounts.is_empty() {
        return Err(format!("{path}: no `identifier<TAB>password` lines"));
    }
    Ok(accounts)
}

async fn attempt(client: &reqwest::Client, base: &str, n: usize, identifier: &str, password: &str) -> Attempt {
    let body = format!("identifier={}&password={}&next=%2Fdashboard", form_value(identifier), form_value(password));
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/login/password"))
        .header("content-type", "application/x-www-form-urlencoded")
        // The CSRF guard wants the request to come from a Raia page.
        .header("origin", base)
        .header("x-forwarded-for", forwarded_for(n))
        .body(body)
        .send()
        .await;
    let response = match response {
        Ok(response) => response,
        Err(error) => return Attempt::Failed(if error.is_timeout() { "timeout".into() } else { "connection error".into() }),
    };
    let status = response.status();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // Read the body so the connection can be used again.
    let _ = response.bytes().await;
    if (status.is_success() || status.is_redirection()) && location.ends_with(NEXT_STEP) {
        Attempt::LoggedIn(started.elapsed())
    } else {
        Attempt::Failed(format!("HTTP {}", status.as_u16()))
    }
}

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["base-url", "accounts", "clients", "seconds", "probe-url", "probe-rate"])?;
    let base = args.required("base-url")?.trim_end_matches('/').to_string();
    let accounts = Arc::new(read_accounts(&args.required("accounts")?)?);
    let clients = args.number("clients", 64usize)?.max(1);
    let seconds = args.number("seconds", 20u64)?;
    let probe_url = args.optional("probe-url");
    let probe_rate = args.number("probe-rate", 20f64)?;

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let probe = probe_url.map(|url| tokio::spawn(probe::run(url, probe_rate, deadline.into())));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (base, accounts, next) = (base.clone(), accounts.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            // One keep-alive connection per simulated client, as a browser would hold.
            let client = reqwest::Client::builder()
                .redirect(Policy::none())
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client");
            let mut results = Vec::new();
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let (identifier, password) = &accounts[n % accounts.len()];
                results.push(attempt(&client, &base, n, identifier, password).await);
            }
            results
        }));
    }
    let mut tally = Tally::default();
    for task in tasks {
        for result in task.await.map_err(|e| e.to_string())? {
            match result {
                Attempt::LoggedIn(took) => tally.answered(took),
                Attempt::Failed(why) => tally.failed(why),
            }
        }
    }
    let elapsed = started.elapsed();
    let probe = match probe {
        Some(probe) => probe.await.map_err(|e| e.to_string())?,
        None => serde_json::Value::Null,
    };
    let logins = tally.latencies.len();
    let failed = tally.failed_count();
    let result = json!({
        "clients": clients,
        "accounts": accounts.len(),
        "seconds": (elapsed.as_secs_f64() * 10.0).round() / 10.0,
        "attempts": logins + failed,
        "logins": logins,
        "per_second": per_second(logins, elapsed),
        "failed": failed,
        "latency_ms": { "p50": tally.percentile_ms(50.0), "p99": tally.percentile_ms(99.0) },
        "failures": tally.failures,
        "probe": probe,
    });
    println!("{result}");
    Ok(())
}
