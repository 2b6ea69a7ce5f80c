//! A scanner's crawl, as an outside web scanner runs it against a public server: every page
//! with hostile query strings, as an anonymous client, a citizen and an officer, many at
//! once, half of them dropped by the client part way through (a scanner's short timeouts).
//! The real `raia-server` process must log no panic at all: a dropped request used to leave
//! a page's resource running on in a task of its own, which then read the page's signals
//! after they were disposed and panicked (see app/src/components/page_signals.rs).
//! SQLite (the page code is the same on PostgreSQL).

mod support;

use futures::stream::{self, StreamExt};
use raia_app::test_db::TestDb;
use std::time::Duration;
use support::process::{ProcessConfig, ServerProcess};

/// Pages of every kind: public, a citizen's, an officer's, an admin's, with and without ids.
const PAGES: &[&str] = &[
    "/", "/offline", "/register", "/register/details", "/login", "/login/method", "/login/code", "/forgot-password",
    "/forgot-password/method", "/forgot-password/code", "/forgot-password/new-password", "/dashboard", "/too-many-attempts",
    "/services", "/services/passport", "/services/passport/apply", "/services/moon-visa/apply", "/applications",
    "/applications/PP-2026-000001", "/applications/PP-2026-000001/edit", "/applications/PP-2026-000001/pay", "/officer",
    "/officer/applications/PP-2026-000001", "/admin", "/admin/claims", "/admin/messages", "/admin/registers", "/account",
    "/notifications", "/status", "/performance", "/admin/status", "/account/sessions", "/account/security",
    "/account/security/authenticator", "/account/activity", "/account/email", "/account/phone", "/account/contact/confirm",
    "/admin/payments", "/payments", "/receipts/RCT-2026-000001", "/verify/document", "/verify/ABC123", "/my-documents",
    "/my-vehicles", "/my-vehicles/KDA123A", "/transfers/VTR-2026-000001", "/help", "/support", "/support/SUP-2026-000001",
    "/admin/support", "/admin/support/SUP-2026-000001", "/officer/support", "/officer/support/SUP-2026-000001", "/no-such-page",
];

/// What scanners put in query strings.
const QUERIES: &[&str] = &[
    "",
    "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&agency=../../etc/passwd&category=%00",
    "?next=%2F%2Fevil.example&payment=NaN&done=1&sent=1&released=1&show=%27%20OR%201%3D1--",
    "?step=-1&field=%E2%80%AE&upload_error=x&__err=%7B%22x%22%3A1%7D&__path=%2Fapi%2Fx",
    "?code=&number=&status=%F0%9F%92%A9&via=sms&posted=1",
];

#[tokio::test]
async fn a_scanners_crawl_makes_no_panic() {
    let test_db = TestDb::sqlite().await;
    let mut server = ServerProcess::start(&ProcessConfig::new(&test_db.url).with("RUST_BACKTRACE", "1")).await;
    let citizen = server.log_in("12345678", "Harambee demo 2026", "+254712345678").await;
    let officer = server.log_in("30000001", "Raia staff demo 2026", "+254700000101").await;
    let admin = server.log_in("30000000", "Raia staff demo 2026", "+254700000100").await;

    let mut requests = Vec::new();
    for round in 0..3 {
        for page in PAGES {
            for query in QUERIES {
                for cookie in [None, Some(&citizen), Some(&officer), Some(&admin)] {
                    requests.push((format!("{page}{query}"), cookie.cloned(), round));
                }
            }
        }
    }
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let base = server.base.clone();
    let answered = stream::iter(requests.into_iter().enumerate())
        .map(|(n, (path, cookie, round))| {
            let client = client.clone();
            let base = base.clone();
            async move {
                let mut request = client.get(format!("{base}{path}")).header("accept", "text/html");
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                // Every other request is dropped part way, after 1 to 8 ms: the server sees
                // the client go while the page is still rendering.
                if n % 2 == 0 {
                    let _ = tokio::time::timeout(Duration::from_millis(1 + (n as u64 + round) % 8), async { request.send().await?.bytes().await }).await;
                    false
                } else {
                    request.send().await.and_then(|r| if r.status().is_server_error() { Ok(Some(r.status())) } else { Ok(None) }).ok().flatten().is_none()
                }
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<bool>>()
        .await;
    assert!(answered.iter().filter(|ok| **ok).count() > PAGES.len(), "the crawl reached the server");
    // Tasks a dropped request left behind finish within moments; give them time to.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(server.is_running(), "the server is still up");
    let log = server.log();
    assert!(!log.contains("panicked") && !log.contains("\"panic\"") && !log.contains(" panic "), "the crawl made the server panic:\n{}", panics_in(&log));
    drop(server);
    test_db.drop_database().await;
}

fn panics_in(log: &str) -> String {
    // Each panic with the lines after it (its message and, with RUST_BACKTRACE, where).
    let lines: Vec<&str> = log.lines().collect();
    let first = lines.iter().position(|line| line.contains("panic")).unwrap_or(lines.len());
    lines[first..].iter().take(120).copied().collect::<Vec<_>>().join("\n")
}
