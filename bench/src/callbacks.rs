//! Payment callbacks under load: for every invoice, the paybill confirmation Daraja would post
//! to `/callbacks/mpesa/<secret>/c2b`, sent TWICE at the same moment, the way Daraja retries
//! a confirmation whose answer it did not see. Exactly once means the pair settles the
//! invoice once; `check-payments` then looks in the database.

use crate::args::Args;
use crate::invoices::OpenInvoice;
use crate::stats::{per_second, Tally};
use crate::world;
use crate::BenchResult;
use raia_app::payments::daraja;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The payer's phone on every confirmation (it only matters for money that is kept).
const PAYER_MSISDN: &str = "254782000000";

pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// A receipt number shaped like M-Pesa's (10 capitals and digits), unique to this run and
/// invoice: `B`, three characters of the run, six of the invoice's position.
pub(crate) fn receipt_number(run: &str, index: usize) -> String {
    format!("B{run}{index:06}")
}

pub(crate) fn run_tag(now: i64) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut n = now.rem_euclid(36 * 36 * 36) as usize;
    let mut tag = String::new();
    for _ in 0..3 {
        tag.insert(0, DIGITS[n % 36] as char);
        n /= 36;
    }
    tag
}

/// Daraja's C2B confirmation body for one invoice (see `daraja::C2bConfirmation`).
pub(crate) fn confirmation(invoice: &OpenInvoice, receipt: &str, shortcode: &str, now: i64) -> String {
    json!({
        "TransactionType": "Pay Bill",
        "TransID": receipt,
        "TransTime": daraja::timestamp(now),
        "TransAmount": format!("{}.{:02}", invoice.total_cents / 100, invoice.total_cents % 100),
        "BusinessShortCode": shortcode,
        "BillRefNumber": invoice.number,
        "MSISDN": PAYER_MSISDN,
        "FirstName": "Bench",
    })
    .to_string()
}

pub(crate) async fn post(client: &reqwest::Client, url: &str, body: String) -> Result<Duration, String> {
    let started = Instant::now();
    let response = client.post(url).header("content-type", "application/json").body(body).send().await.map_err(|_| "connection error".to_string())?;
    let status = response.status();
    let _ = response.bytes().await;
    if status.is_success() {
        Ok(started.elapsed())
    } else {
        Err(format!("HTTP {}", status.as_u16()))
    }
}

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["base-url", "invoices", "concurrency"])?;
    let base = args.required("base-url")?.trim_end_matches('/').to_string();
    let invoices = Arc::new(OpenInvoice::read_file(&args.required("invoices")?)?);
    // Requests in flight; each invoice's two copies go together, so half as many invoices.
    let concurrency = args.number("concurrency", 64usize)?.max(2);
    // The secret and the paybill number as the server reads them (same environment).
    let config = world::config(None)?;
    let url = Arc::new(format!("{base}/callbacks/mpesa/{}/c2b", config.payments.callback_secret));
    let shortcode = Arc::new(config.payments.paybill_number.clone());
    let run = Arc::new(run_tag(unix_now()));

    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency / 2 {
        let (client, invoices, next, url, shortcode, run) =
            (client.clone(), invoices.clone(), next.clone(), url.clone(), shortcode.clone(), run.clone());
        workers.push(tokio::spawn(async move {
            let mut results = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(invoice) = invoices.get(index) else { break };
                let body = confirmation(invoice, &receipt_number(&run, index), &shortcode, unix_now());
                let (first, second) = tokio::join!(post(&client, &url, body.clone()), post(&client, &url, body));
                results.extend([first, second]);
            }
            results
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        for result in worker.await.map_err(|e| e.to_string())? {
            match result {
                Ok(took) => tally.answered(took),
                Err(why) => tally.failed(why),
            }
        }
    }
    let elapsed = started.elapsed();
    let sent = tally.count();
    let result = json!({
        "invoices": invoices.len(),
        "sent": sent,
        "answered_ok": tally.latencies.len(),
        "concurrency": concurrency,
        "seconds": (elapsed.as_secs_f64() * 100.0).round() / 100.0,
        "callbacks_per_second": per_second(sent, elapsed),
        "latency_ms": { "p50": tally.percentile_ms(50.0), "p99": tally.percentile_ms(99.0) },
        "failures": tally.failures,
    });
    println!("{result}");
    Ok(())
}
