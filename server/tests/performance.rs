//! `/performance` over HTTP: anyone, without logging in, gets the figures in the first HTML,
//! in English and in Kiswahili; a service with 4 applications shows "fewer than 5", never
//! the number; and with the database gone the page still answers and says why it is empty.
//! SQLite and PostgreSQL.

mod support;

use raia_app::clock::{Clock, SystemClock};
use raia_app::performance::demo::{self, PastApplication};
use raia_app::performance::service::DAY_SECONDS;
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use support::TestServer;

/// The table row of a service, from its `<tr id="service-...">` to its end.
fn row<'a>(html: &'a str, slug: &str) -> &'a str {
    let start = html.find(&format!(r#"<tr id="service-{slug}""#)).unwrap_or_else(|| panic!("a row for {slug}"));
    let end = start + html[start..].find("</tr>").unwrap();
    &html[start..end]
}

async fn page(server: &TestServer, language: &str) -> String {
    let response = server.get_with("/performance", "cookie", &format!("i18n_pref_locale={language}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn anyone_sees_the_figures_in_both_languages_with_small_ones_hidden() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let now = SystemClock.now();
        // Six passports completed in 3 to 8 days (promise 14), and four driving licences.
        let mut rows: Vec<PastApplication> = (3..9).map(|days| PastApplication {
            reference: None,
            service_slug: "passport",
            agency: "immigration",
            status: "completed",
            submitted_at: now - (days + 1) * DAY_SECONDS,
            decided_at: Some(now - DAY_SECONDS),
        }).collect();
        rows.extend((0..4).map(|_| PastApplication {
            reference: None,
            service_slug: "driving-licence-renewal",
            agency: "ntsa",
            status: "completed",
            submitted_at: now - 2 * DAY_SECONDS,
            decided_at: Some(now - DAY_SECONDS),
        }));
        let mut tx = server.state.db.begin_write().await.unwrap();
        let account = demo::history_account(&mut tx, now).await.unwrap();
        demo::insert(&mut tx, account, &rows).await.unwrap();
        tx.commit().await.unwrap();

        // No login, no cookie but the language: the whole page is in the first HTML.
        let html = server.get("/performance").await.text().await.unwrap();
        assert!(html.contains("<h1>Service performance</h1>"));
        assert!(!html.contains("<template"), "nothing streamed for a script to place");
        let passport = row(&html, "passport");
        assert!(passport.contains(r#"<td class="numeric">6</td>"#), "six received and completed: {passport}");
        let licence = row(&html, "driving-licence-renewal");
        assert!(licence.contains("Fewer than 5") && !licence.contains(r#"<td class="numeric">4</td>"#), "four are hidden: {licence}");
        // The charts: an image named by its title, its figures written on it.
        assert!(html.contains(r#"<svg class="chart" role="img" aria-labelledby="time-immigration-title""#));
        assert!(html.contains("Median: 5 days") && html.contains("90th percentile: 8 days") && html.contains("Promised (dashed line): 14 days"), "durations of 3 to 8 days: the 3rd and the 6th by nearest rank");
        assert!(html.contains(">100% within the promised time</text>"));
        assert!(html.contains("Fewer than 5 completed: not shown"));
        // Linked from every page's footer.
        assert!(server.get("/").await.text().await.unwrap().contains(r#"<a href="/performance">Service performance</a>"#));

        let kiswahili = page(&server, "sw").await;
        assert!(kiswahili.contains("<h1>Utendaji wa huduma</h1>"));
        assert!(row(&kiswahili, "driving-licence-renewal").contains("Chini ya 5"));
        assert!(kiswahili.contains("Wastani wa kati: siku 5"));
        assert!(page(&server, "en").await.contains("Within the promised time"));

        // Counted a few minutes at a time: the database gone, the figures just counted remain.
        server.state.db.close().await;
        assert!(row(&page(&server, "en").await, "passport").contains(r#"<td class="numeric">6</td>"#));
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn without_the_database_the_page_answers_and_says_why_it_has_no_figures() {
    let server = TestServer::start().await;
    server.state.db.close().await;
    let response = server.get("/performance").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Service performance</h1>") && html.contains("The figures cannot be counted at the moment."));
}
