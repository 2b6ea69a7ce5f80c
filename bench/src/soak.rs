//! The soak: an ordinary day of the portal, compressed, for ten minutes at a steady rate,
//! through the same HTTP requests a phone would send. Four kinds of traffic run side by side,
//! each on its own fixed schedule (open loop, as in `probe`: a slow answer never delays the
//! next visitor, so a stall shows as errors or latency instead of as quietly less load):
//!
//! - **browsing**: public pages (home, catalogue, service start pages, help, status);
//! - **journeys**: a citizen of their own logs in (password, then the SMS code read from
//!   `/dev/outbox.json`), applies for a certificate of good conduct (answers, declaration,
//!   submit), pays (by turns M-Pesa STK push answered by the Daraja simulator's callback,
//!   card, and paybill, whose C2B confirmation this process posts twice at once as Daraja's
//!   retry would), follows the payment to its end, looks at the application and logs out;
//! - **a password guesser**: one address trying wrong passwords faster than the limit of 60 a
//!   minute, so the rate limit answers 429 during the run (the only answer counted as
//!   intended rather than as an error);
//! - **memory**: the server's resident memory, read from `/proc/<pid>/status` every few seconds.
//!
//! At the end the database is counted (applications, payments, receipts, messages of the soak
//! citizens) and compared with what the journeys did: every count must match exactly.

use crate::args::Args;
use crate::people::{self, Group, PASSWORD};
use crate::stats::Tally;
use crate::world;
use crate::BenchResult;
use raia_app::db::Db;
use raia_app::identity::accounts::Account;
use raia_app::request::SessionCookie;
use raia_app::payments::daraja;
use reqwest::redirect::Policy;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// The service every journey applies for: paid on submission, one step of answers.
const SERVICE: &str = "good-conduct";
const ANSWERS: &str = "answers%5Bpurpose%5D=employment&answers%5Bcounty_of_residence%5D=Nairobi&answers%5Bfingerprint_centre%5D=huduma-gpo";
/// Public pages the browsing visitor goes round.
const PUBLIC_PAGES: [&str; 7] = ["/", "/services", "/services/passport", "/services/good-conduct", "/help", "/status", "/login"];
/// The card the card simulator accepts.
const GOOD_CARD: &str = "4242424242424242";
/// The guesser's one address and an identifier nobody has.
const GUESSER_ADDRESS: &str = "192.0.2.77";
const GUESSED_IDENTIFIER: &str = "99000001";
/// A request that has not answered in this long is an error.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long a journey follows its payment before calling it lost.
const PAYMENT_PATIENCE: Duration = Duration::from_secs(90);
/// After the last journey, how long the delivery worker has to send every message.
const DELIVERY_PATIENCE: Duration = Duration::from_secs(60);
/// How often the server's memory is read.
const MEMORY_EVERY: Duration = Duration::from_secs(5);

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// Requests by kind, and why the failed ones failed (`"<step>: HTTP 500"`).
#[derive(Default)]
struct Record {
    requests: BTreeMap<&'static str, usize>,
    errors: BTreeMap<String, usize>,
    intended_429: usize,
    latencies: Tally,
}

type Shared = Arc<Mutex<Record>>;

fn count_request(record: &Shared, kind: &'static str, took: Option<Duration>) {
    let mut record = record.lock().expect("record lock");
    *record.requests.entry(kind).or_default() += 1;
    if let Some(took) = took {
        record.latencies.answered(took);
    }
}

fn count_error(record: &Shared, why: String) {
    *record.lock().expect("record lock").errors.entry(why).or_default() += 1;
}

/// One answer, read whole.
struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Answer {
    fn moved_on(&self) -> bool {
        (200..400).contains(&self.status)
    }
}

/// A phone: its own keep-alive connection, its own address behind the proxy, its session.
struct Visitor {
    client: reqwest::Client,
    base: String,
    address: String,
    cookie_name: String,
    cookie: Option<String>,
    record: Shared,
}

impl Visitor {
    fn new(base: &str, address: String, cookie_name: &str, record: Shared) -> Visitor {
        let client = reqwest::Client::builder().redirect(Policy::none()).timeout(TIMEOUT).pool_max_idle_per_host(1).build().expect("HTTP client");
        Visitor { client, base: base.to_string(), address, cookie_name: cookie_name.to_string(), cookie: None, record }
    }

    /// Sends a request as this phone. Pages are asked for compressed, as a browser asks; the
    /// answers this process reads (JSON) are not, since it has no decompressor.
    async fn send(&mut self, step: &'static str, request: reqwest::RequestBuilder, compressed: bool) -> Result<Answer, String> {
        let mut request = request.header("x-forwarded-for", &self.address);
        if compressed {
            request = request.header("accept-encoding", "br, gzip");
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let started = Instant::now();
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                count_request(&self.record, "journey", None);
                return Err(format!("{step}: {}", if error.is_timeout() { "timeout" } else { "connection error" }));
            }
        };
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        for value in response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()) {
            if let Some(pair) = value.split(';').next().filter(|pair| pair.starts_with(&format!("{}=", self.cookie_name))) {
                self.cookie = Some(pair.to_string());
            }
        }
        let body = response.text().await.map_err(|_| format!("{step}: body cut short"))?;
        count_request(&self.record, "journey", Some(started.elapsed()));
        Ok(Answer { status, location, body })
    }

    /// A page, read as a browser reads it (compressed).
    async fn get(&mut self, step: &'static str, path: &str) -> Result<Answer, String> {
        self.get_as(step, path, true).await
    }

    async fn get_as(&mut self, step: &'static str, path: &str, compressed: bool) -> Result<Answer, String> {
        let request = self.client.get(format!("{}{path}", self.base));
        let answer = self.send(step, request, compressed).await?;
        if answer.status != 200 {
            return Err(format!("{step}: HTTP {}", answer.status));
        }
        Ok(answer)
    }

    /// A form post to a server function, as a Raia page sends it.
    async fn post(&mut self, step: &'static str, path: &str, body: String) -> Result<Answer, String> {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .body(body);
        let answer = self.send(step, request, false).await?;
        if !answer.moved_on() {
            return Err(format!("{step}: HTTP {}", answer.status));
        }
        Ok(answer)
    }
}

/// How a journey pays, by turns.
#[derive(Clone, Copy)]
enum Method {
    Mpesa,
    Card,
    Paybill,
}

impl Method {
    fn of_journey(n: usize) -> Method {
        [Method::Mpesa, Method::Card, Method::Paybill][n % 3]
    }

    fn name(self) -> &'static str {
        match self {
            Method::Mpesa => "mpesa",
            Method::Card => "card",
            Method::Paybill => "paybill",
        }
    }
}

/// What one journey did that the database must show.
#[derive(Default)]
struct Did {
    codes_sent: usize,
    submitted: usize,
    /// Payment rows it caused (an STK push or card charge it started, a paybill confirmation).
    payments: usize,
    paid: usize,
    paid_by: BTreeMap<&'static str, usize>,
    completed: usize,
}

impl Did {
    fn add(&mut self, other: &Did) {
        self.codes_sent += other.codes_sent;
        self.submitted += other.submitted;
        self.payments += other.payments;
        self.paid += other.paid;
        for (method, n) in &other.paid_by {
            *self.paid_by.entry(method).or_default() += n;
        }
        self.completed += other.completed;
    }
}

/// Settings every journey shares.
struct Setting {
    base: String,
    cookie_name: String,
    c2b_url: String,
    paybill_number: String,
    run: String,
}

/// `10.a.b.c`: journey n's own address.
fn address_of(n: usize) -> String {
    format!("10.{}.{}.{}", 200 + ((n >> 16) & 31), (n >> 8) & 255, n & 255)
}

fn form_value(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' => "+".to_string(),
            c if c.is_ascii_alphanumeric() || "-_.*".contains(c) => c.to_string(),
            c => c.to_string().bytes().map(|b| format!("%{b:02X}")).collect(),
        })
        .collect()
}

fn six_digit_code(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).map(str::to_string)
}

/// One citizen's whole visit; what it did is in `did` even when a step failed.
async fn journey(n: usize, citizen: Account, setting: Arc<Setting>, record: Shared, did: &mut Did) -> Result<(), String> {
    let mut phone = Visitor::new(&setting.base, address_of(n), &setting.cookie_name, record);

    // Log in: password, then the code the SMS carried.
    let answer = phone.post("log in: password", "/api/login/password", format!("identifier={}&password={}&next=%2Fdashboard", citizen.id_number, form_value(PASSWORD))).await?;
    if !answer.location.contains("/login/method") {
        return Err(format!("log in: password led to `{}`", answer.location));
    }
    phone.post("log in: send code", "/api/code/send", "purpose=login&channel=sms".into()).await?;
    did.codes_sent += 1;
    let outbox = phone.get_as("log in: read the SMS", &format!("/dev/outbox.json?to={}", form_value(&citizen.phone)), false).await?;
    let messages: Vec<Value> = serde_json::from_str(&outbox.body).map_err(|_| "log in: the outbox is not JSON".to_string())?;
    let code = messages.first().and_then(|m| m["body"].as_str()).and_then(six_digit_code).ok_or("log in: no code in the SMS")?;
    let answer = phone.post("log in: code", "/api/code/verify", format!("purpose=login&code={code}")).await?;
    if !answer.location.contains("/dashboard") {
        return Err(format!("log in: the code led to `{}`", answer.location));
    }
    phone.get("dashboard", "/dashboard").await?;

    // Apply: the start page, the form, the answers, the declaration, submit.
    phone.get("apply: start page", &format!("/services/{SERVICE}")).await?;
    phone.get("apply: form", &format!("/services/{SERVICE}/apply")).await?;
    phone.post("apply: answers", "/api/applications/save-step", format!("service={SERVICE}&reference=&step=0&{ANSWERS}")).await?;
    phone.post("apply: declaration", "/api/applications/declaration", format!("service={SERVICE}&reference=&declaration=yes")).await?;
    let answer = phone.post("apply: submit", "/api/applications/submit", format!("service={SERVICE}&reference=")).await?;
    let reference = answer
        .location
        .strip_prefix("/applications/")
        .and_then(|rest| rest.split('?').next())
        .filter(|r| !r.is_empty())
        .ok_or_else(|| format!("apply: submit led to `{}`", answer.location))?
        .to_string();
    did.submitted += 1;

    // Pay: the pay page (HTML, then its data as the page's code reads it).
    phone.get("pay: page", &format!("/applications/{reference}/pay")).await?;
    let page = phone.post("pay: page data", "/api/pay/page", format!("reference={reference}")).await?;
    let page: Value = serde_json::from_str(&page.body).map_err(|_| "pay: page data is not JSON".to_string())?;
    let (key, invoice, cents) = (page["attempt_key"].as_str().unwrap_or_default(), page["invoice"]["number"].as_str().unwrap_or_default(), page["invoice"]["total_cents"].as_i64().unwrap_or(0));
    if key.is_empty() || invoice.is_empty() || cents <= 0 {
        return Err("pay: page data without an invoice".into());
    }
    let method = Method::of_journey(n);
    let payment_id = match method {
        Method::Mpesa => {
            // A payer's phone ending in 9: the simulator's plain success.
            let payer = format!("07{:07}9", n % 10_000_000);
            let answer = phone.post("pay: M-Pesa", "/api/pay/mpesa", format!("reference={reference}&phone={payer}&attempt_key={key}")).await?;
            did.payments += 1;
            Some(payment_in(&answer.location)?)
        }
        Method::Card => {
            let answer = phone.post("pay: card", "/api/pay/card", format!("reference={reference}&card_number={GOOD_CARD}&expiry=12%2F39&cvc=123&attempt_key={key}-card")).await?;
            did.payments += 1;
            Some(payment_in(&answer.location)?)
        }
        Method::Paybill => {
            // The citizen pays from the M-Pesa menu; Daraja confirms twice at once (a retry).
            let receipt = format!("S{}{:06}", setting.run, n);
            let body = json!({
                "TransactionType": "Pay Bill", "TransID": receipt, "TransTime": daraja::timestamp(unix_now()),
                "TransAmount": format!("{}.{:02}", cents / 100, cents % 100), "BusinessShortCode": setting.paybill_number,
                "BillRefNumber": invoice, "MSISDN": "254700000999", "FirstName": "Soak",
            })
            .to_string();
            let post = |body: String| {
                let request = phone.client.post(&setting.c2b_url).header("content-type", "application/json").body(body);
                async move { request.send().await.map(|r| r.status().as_u16()) }
            };
            let (first, second) = tokio::join!(post(body.clone()), post(body));
            did.payments += 1;
            for outcome in [first, second] {
                count_request(&phone.record, "callback", None);
                match outcome {
                    Ok(200) => {}
                    Ok(status) => return Err(format!("paybill callback: HTTP {status}")),
                    Err(_) => return Err("paybill callback: connection error".into()),
                }
            }
            None
        }
    };

    // Follow the payment as the pay page does, every 2 seconds, to its end.
    let started = Instant::now();
    loop {
        let settled = match payment_id {
            Some(id) => {
                let answer = phone.post("pay: status", "/api/pay/status", format!("reference={reference}&payment={id}")).await?;
                match serde_json::from_str::<String>(&answer.body).unwrap_or_default().as_str() {
                    "succeeded" => true,
                    "pending" => false,
                    other => return Err(format!("pay: {} ended `{other}`", method.name())),
                }
            }
            None => {
                let answer = phone.post("pay: page data", "/api/pay/page", format!("reference={reference}")).await?;
                serde_json::from_str::<Value>(&answer.body).ok().is_some_and(|page| page["invoice"]["status"] == "paid")
            }
        };
        if settled {
            break;
        }
        if started.elapsed() > PAYMENT_PATIENCE {
            return Err(format!("pay: {} still not settled after {} s", method.name(), PAYMENT_PATIENCE.as_secs()));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    did.paid += 1;
    *did.paid_by.entry(method.name()).or_default() += 1;

    // Look at it, then leave.
    phone.get("application page", &format!("/applications/{reference}")).await?;
    phone.get("payments page", "/payments").await?;
    phone.post("log out", "/api/logout", String::new()).await?;
    did.completed += 1;
    Ok(())
}

/// The attempt's id from the pay page's address (`/applications/<ref>/pay?payment=<id>`).
fn payment_in(location: &str) -> Result<i64, String> {
    location.split("payment=").nth(1).and_then(|id| id.split('&').next()).and_then(|id| id.parse().ok()).ok_or_else(|| format!("pay: led to `{location}`"))
}

/// Public pages at `rate` a second until `deadline`, each on its own schedule, timed from
/// when it was due.
async fn browse(base: String, rate: f64, deadline: Instant, record: Shared) -> Tally {
    let interval = Duration::from_secs_f64(1.0 / rate.max(0.1));
    let client = reqwest::Client::builder().timeout(TIMEOUT).build().expect("HTTP client");
    let start = Instant::now();
    let mut requests = Vec::new();
    for i in 0u32.. {
        let due = start + interval * i;
        if due >= deadline {
            break;
        }
        tokio::time::sleep_until(due).await;
        let (client, record) = (client.clone(), record.clone());
        let url = format!("{base}{}", PUBLIC_PAGES[i as usize % PUBLIC_PAGES.len()]);
        requests.push(tokio::spawn(async move {
            let outcome = match client.get(&url).header("accept-encoding", "br, gzip").send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    match response.bytes().await {
                        Ok(_) if status == 200 => Ok(due.elapsed()),
                        Ok(_) => Err(format!("browse: HTTP {status}")),
                        Err(_) => Err("browse: body cut short".to_string()),
                    }
                }
                Err(error) => Err(format!("browse: {}", if error.is_timeout() { "timeout" } else { "connection error" })),
            };
            count_request(&record, "browse", None);
            outcome
        }));
    }
    let mut tally = Tally::default();
    for request in requests {
        match request.await {
            Ok(Ok(took)) => tally.answered(took),
            Ok(Err(why)) => {
                count_error(&record, why.clone());
                tally.failed(why);
            }
            Err(_) => count_error(&record, "browse: task failed".into()),
        }
    }
    tally
}

/// Wrong passwords from one address at `rate` a second: 422 until the limit, then 429.
async fn guess(base: String, rate: f64, deadline: Instant, record: Shared) -> (usize, usize) {
    let interval = Duration::from_secs_f64(1.0 / rate.max(0.1));
    let client = reqwest::Client::builder().redirect(Policy::none()).timeout(TIMEOUT).build().expect("HTTP client");
    let start = Instant::now();
    let mut requests = Vec::new();
    for i in 0u32.. {
        let due = start + interval * i;
        if due >= deadline {
            break;
        }
        tokio::time::sleep_until(due).await;
        let request = client
            .post(format!("{base}/api/login/password"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &base)
            .header("x-forwarded-for", GUESSER_ADDRESS)
            .body(format!("identifier={GUESSED_IDENTIFIER}&password=guess+number+{i}+of+many"));
        requests.push(tokio::spawn(async move {
            match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let _ = response.bytes().await;
                    Ok(status)
                }
                Err(error) => Err(if error.is_timeout() { "timeout" } else { "connection error" }),
            }
        }));
    }
    let (mut refused, mut limited) = (0, 0);
    for request in requests {
        count_request(&record, "guess", None);
        match request.await {
            Ok(Ok(422)) => refused += 1,
            Ok(Ok(429)) => {
                limited += 1;
                record.lock().expect("record lock").intended_429 += 1;
            }
            Ok(Ok(status)) => count_error(&record, format!("guess: HTTP {status} (expected 422 or 429)")),
            Ok(Err(why)) => count_error(&record, format!("guess: {why}")),
            Err(_) => count_error(&record, "guess: task failed".into()),
        }
    }
    (refused, limited)
}

/// The server's resident memory in KiB (Linux), or None when it cannot be read.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("VmRSS:")).and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `(seconds since the start, KiB)` every `MEMORY_EVERY` until told to stop.
async fn sample_memory(pid: u32, stop: tokio::sync::watch::Receiver<bool>) -> Vec<(f64, u64)> {
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut ticker = tokio::time::interval(MEMORY_EVERY);
    loop {
        ticker.tick().await;
        if let Some(kib) = rss_kib(pid) {
            samples.push((start.elapsed().as_secs_f64(), kib));
        }
        if *stop.borrow() {
            return samples;
        }
    }
}

/// Start, peak and end, and the least-squares slope after the warm-up (the first minute, or
/// the first fifth of a shorter run: pools, caches and the allocator's arenas filling up).
fn memory_summary(samples: &[(f64, u64)], run_seconds: f64) -> Value {
    if samples.is_empty() {
        return Value::Null;
    }
    let mib = |kib: u64| (kib as f64 / 1024.0 * 10.0).round() / 10.0;
    let warm_up = 60f64.min(run_seconds / 5.0);
    let settled: Vec<(f64, f64)> = samples.iter().filter(|(t, _)| *t >= warm_up).map(|(t, kib)| (*t, *kib as f64 / 1024.0)).collect();
    let slope_mib_per_second = if settled.len() >= 3 {
        let n = settled.len() as f64;
        let (mean_t, mean_m) = (settled.iter().map(|s| s.0).sum::<f64>() / n, settled.iter().map(|s| s.1).sum::<f64>() / n);
        let numerator: f64 = settled.iter().map(|(t, m)| (t - mean_t) * (m - mean_m)).sum();
        let denominator: f64 = settled.iter().map(|(t, _)| (t - mean_t).powi(2)).sum();
        (denominator > 0.0).then(|| numerator / denominator)
    } else {
        None
    };
    let after_warm_up = settled.first().map(|s| (s.1 * 10.0).round() / 10.0);
    json!({
        "every_seconds": MEMORY_EVERY.as_secs(),
        "samples": samples.len(),
        "warm_up_seconds": warm_up.round(),
        "start_mib": mib(samples[0].1),
        "after_warm_up_mib": after_warm_up,
        "peak_mib": mib(samples.iter().map(|s| s.1).max().unwrap_or(0)),
        "end_mib": mib(samples[samples.len() - 1].1),
        "slope_mib_per_10_minutes": slope_mib_per_second.map(|s| (s * 600.0 * 100.0).round() / 100.0),
        "series_mib": samples.iter().map(|(t, kib)| json!([t.round(), mib(*kib)])).collect::<Vec<_>>(),
    })
}

/// What the database holds for the soak citizens.
async fn counts(db: &Db) -> BenchResult<BTreeMap<&'static str, i64>> {
    const SOAK: &str = "SELECT id FROM accounts WHERE id_number LIKE '84%'";
    let queries: [(&str, String); 8] = [
        ("applications submitted", format!("SELECT COUNT(*) FROM applications WHERE account_id IN ({SOAK}) AND status <> 'draft'")),
        ("invoices paid", format!("SELECT COUNT(*) FROM invoices WHERE status = 'paid' AND application_id IN (SELECT id FROM applications WHERE account_id IN ({SOAK}))")),
        ("payments", format!("SELECT COUNT(*) FROM payments WHERE invoice_id IN (SELECT i.id FROM invoices i JOIN applications a ON a.id = i.application_id WHERE a.account_id IN ({SOAK}))")),
        ("payments succeeded", format!("SELECT COUNT(*) FROM payments WHERE status = 'succeeded' AND invoice_id IN (SELECT i.id FROM invoices i JOIN applications a ON a.id = i.application_id WHERE a.account_id IN ({SOAK}))")),
        ("receipts", format!("SELECT COUNT(*) FROM receipts WHERE invoice_id IN (SELECT i.id FROM invoices i JOIN applications a ON a.id = i.application_id WHERE a.account_id IN ({SOAK}))")),
        ("messages", format!("SELECT COUNT(*) FROM outbox_messages WHERE account_id IN ({SOAK})")),
        ("messages sent", format!("SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent' AND account_id IN ({SOAK})")),
        ("money kept aside", "SELECT COUNT(*) FROM payments_needing_attention".to_string()),
    ];
    let mut found = BTreeMap::new();
    for (name, sql) in queries {
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(db.pool()).await.map_err(|e| format!("{name}: {e}"))?;
        found.insert(name, n);
    }
    Ok(found)
}

/// What the counts must be, from what the journeys did. A journey's messages: its login code,
/// "submitted, please pay", and "payment received".
fn expected(did: &Did) -> BTreeMap<&'static str, i64> {
    let messages = (did.codes_sent + did.submitted + did.paid) as i64;
    BTreeMap::from([
        ("applications submitted", did.submitted as i64),
        ("invoices paid", did.paid as i64),
        ("payments", did.payments as i64),
        ("payments succeeded", did.paid as i64),
        ("receipts", did.paid as i64),
        ("messages", messages),
        ("messages sent", messages),
        ("money kept aside", 0),
    ])
}

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["base-url", "database-url", "seconds", "journey-every", "browse-rate", "guess-rate", "server-pid"])?;
    let base = args.required("base-url")?.trim_end_matches('/').to_string();
    let seconds = args.number("seconds", 600u64)?.max(1);
    let journey_every = args.number("journey-every", 2f64)?.max(0.1);
    let browse_rate = args.number("browse-rate", 5f64)?;
    let guess_rate = args.number("guess-rate", 2f64)?;
    let server_pid: Option<u32> = args.optional("server-pid").map(|pid| pid.parse().map_err(|_| format!("--server-pid `{pid}` is not a process id"))).transpose()?;

    let world = world::open(&args.required("database-url")?).await?;
    let journeys = (seconds as f64 / journey_every).ceil() as usize;
    let citizens = people::ensure(&world, Group::Soak, journeys).await?;
    eprintln!("soak: {seconds} s, a journey every {journey_every} s ({journeys} citizens), browsing {browse_rate}/s, guessing {guess_rate}/s");
    let config = &world.config;
    let setting = Arc::new(Setting {
        base: base.clone(),
        cookie_name: SessionCookie::new(config.cookie_secure).name.to_string(),
        c2b_url: format!("{base}/callbacks/mpesa/{}/c2b", config.payments.callback_secret),
        paybill_number: config.payments.paybill_number.clone(),
        // Paybill receipts of this run: `S`, the run's three characters, the journey's six digits.
        run: format!("{:03}", unix_now() % 1000),
    });

    let record: Shared = Arc::default();
    let (stop_memory, memory_stopped) = tokio::sync::watch::channel(false);
    let memory = server_pid.map(|pid| tokio::spawn(sample_memory(pid, memory_stopped)));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let browsing = tokio::spawn(browse(base.clone(), browse_rate, deadline, record.clone()));
    let guessing = (guess_rate > 0.0).then(|| tokio::spawn(guess(base.clone(), guess_rate, deadline, record.clone())));

    let mut running = Vec::new();
    for (n, citizen) in citizens.into_iter().enumerate() {
        tokio::time::sleep_until(start + Duration::from_secs_f64(journey_every * n as f64)).await;
        let (setting, record) = (setting.clone(), record.clone());
        running.push(tokio::spawn(async move {
            let mut did = Did::default();
            if let Err(why) = journey(n, citizen, setting, record.clone(), &mut did).await {
                count_error(&record, why);
            }
            did
        }));
    }
    let mut did = Did::default();
    for journey in running {
        did.add(&journey.await.map_err(|e| e.to_string())?);
    }
    let browse_tally = browsing.await.map_err(|e| e.to_string())?;
    let (guesses_refused, guesses_limited) = match guessing {
        Some(task) => task.await.map_err(|e| e.to_string())?,
        None => (0, 0),
    };
    let traffic_seconds = start.elapsed().as_secs_f64();

    // The delivery worker sends every second: give it time to finish the last messages.
    let want = expected(&did);
    let waited = Instant::now();
    let mut found = counts(&world.db).await?;
    while found.get("messages sent") != want.get("messages sent") && waited.elapsed() < DELIVERY_PATIENCE {
        tokio::time::sleep(Duration::from_secs(1)).await;
        found = counts(&world.db).await?;
    }
    let _ = stop_memory.send(true);
    let memory = match memory {
        Some(task) => memory_summary(&task.await.map_err(|e| e.to_string())?, seconds as f64),
        None => Value::Null,
    };
    world.db.close().await;

    let mismatches: Vec<String> = want.iter().filter(|(name, n)| found.get(*name) != Some(n)).map(|(name, n)| format!("{name}: {} in the database, {n} expected", found.get(name).copied().unwrap_or(-1))).collect();
    let mut record = Arc::try_unwrap(record).map_err(|_| "a task still holds the record")?.into_inner().map_err(|_| "record lock poisoned")?;
    let mut browse_tally = browse_tally;
    let result = json!({
        "seconds": seconds,
        "traffic_seconds": (traffic_seconds * 10.0).round() / 10.0,
        "journey_every_seconds": journey_every,
        "browse_rate": browse_rate,
        "guess_rate": guess_rate,
        "journeys": journeys,
        "journeys_completed": did.completed,
        "paid_by": did.paid_by,
        "requests": record.requests,
        "requests_total": record.requests.values().sum::<usize>(),
        "errors": record.errors,
        "error_count": record.errors.values().sum::<usize>(),
        "intended_429": record.intended_429,
        "guesses": { "refused": guesses_refused, "rate_limited": guesses_limited },
        "journey_request_ms": { "p50": record.latencies.percentile_ms(50.0), "p99": record.latencies.percentile_ms(99.0) },
        "browse_ms": { "p50": browse_tally.percentile_ms(50.0), "p99": browse_tally.percentile_ms(99.0), "max": browse_tally.percentile_ms(100.0) },
        "database": found,
        "expected": want,
        "mismatches": mismatches,
        "memory": memory,
    });
    println!("{result}");
    Ok(())
}
