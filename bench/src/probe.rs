//! A citizen's view of the server while something else loads it: one page fetched at a fixed
//! rate, each request on its own schedule.
//!
//! A closed-loop load tool (wrk, or a client that sends the next request when the last one
//! answers) hides the very stalls it should report: while an answer is late, the requests
//! that would have been sent meanwhile are never sent, so the slow moment counts once
//! (coordinated omission). Here request `i` is due at `start + i × interval` whatever happened
//! to the others, and its latency runs from that due time to the last byte of the answer, so
//! a stall counts for every request that fell in it. The probe also sends little load of its
//! own, unlike wrk flat out, which took the cores the login rush needs.

use crate::stats::Tally;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::time::Instant;

/// A request that has not answered in this long counts as an error.
const TIMEOUT: Duration = Duration::from_secs(10);

/// One request's result.
enum Outcome {
    Answered(Duration),
    Failed(String),
}

/// Fetches `url` `rate` times a second until `deadline`, then waits for the last answers;
/// returns the summary as JSON (`rate`, `requests`, `answered`, `errors`, `failures`,
/// `latency_ms` p50/p99/max).
pub async fn run(url: String, rate: f64, deadline: Instant) -> Value {
    let interval = Duration::from_secs_f64(1.0 / rate.max(0.1));
    // Shared keep-alive connections; a request finding them all busy opens another, so one
    // slow answer never holds up the next request.
    let client = reqwest::Client::builder().timeout(TIMEOUT).build().expect("HTTP client");
    let start = Instant::now();
    let mut requests = Vec::new();
    for i in 0u32.. {
        let due = start + interval * i;
        if due >= deadline {
            break;
        }
        tokio::time::sleep_until(due).await;
        let (client, url) = (client.clone(), url.clone());
        requests.push(tokio::spawn(async move { fetch(&client, &url, due).await }));
    }
    let mut tally = Tally::default();
    for request in requests {
        match request.await {
            Ok(Outcome::Answered(took)) => tally.answered(took),
            Ok(Outcome::Failed(why)) => tally.failed(why),
            Err(_) => tally.failed("probe task failed".into()),
        }
    }
    let errors = tally.failed_count();
    json!({
        "url": url,
        "rate": rate,
        "requests": tally.count(),
        "answered": tally.latencies.len(),
        "errors": errors,
        "latency_ms": {
            "p50": tally.percentile_ms(50.0),
            "p99": tally.percentile_ms(99.0),
            "max": tally.percentile_ms(100.0),
        },
        "failures": tally.failures,
    })
}

/// One GET as a browser would send it (asking for a compressed page), timed from `due`.
async fn fetch(client: &reqwest::Client, url: &str, due: Instant) -> Outcome {
    let response = match client.get(url).header("accept-encoding", "br, gzip").send().await {
        Ok(response) => response,
        Err(error) => return Outcome::Failed(if error.is_timeout() { "timeout".into() } else { "connection error".into() }),
    };
    let status = response.status();
    // The whole body (left compressed: the server's work is what is timed, not ours).
    if let Err(error) = response.bytes().await {
        return Outcome::Failed(if error.is_timeout() { "timeout".into() } else { "connection error".into() });
    }
    if status.is_success() {
        Outcome::Answered(due.elapsed())
    } else {
        Outcome::Failed(format!("HTTP {}", status.as_u16()))
    }
}
