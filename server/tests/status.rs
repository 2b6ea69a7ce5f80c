//! Service status: an admin's notice shows on every page until a browser hides it, and on
//! `/status`; with the database gone, pages that still render say some services are down.

mod support;

use raia_app::status::notices::{self, NewNotice};
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use support::{post_form, TestServer};

fn outage<'a>(title_en: &'a str, starts: &'a str, ends: &'a str) -> NewNotice<'a> {
    NewNotice { kind: "outage", title_en, title_sw: "Malipo ya M-Pesa hayafanyi kazi", body_en: "Pay by card, or try again later.", body_sw: "Lipa kwa kadi, au jaribu tena baadaye.", starts, ends }
}

#[tokio::test]
async fn a_notice_shows_on_every_page_until_hidden_and_on_the_status_page() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let db = &server.state.db;
        let admin = support::payment_world::account(&server, "30000000").await;
        let current = notices::insert(db, &outage("M-Pesa payments are down", "2020-01-01T08:00", ""), admin.id, 0).await.unwrap();
        notices::insert(db, &outage("The January outage", "2020-01-02T08:00", "2020-01-02T10:00"), admin.id, 0).await.unwrap();

        for path in ["/", "/services", "/login"] {
            let html = server.get(path).await.text().await.unwrap();
            assert!(html.contains("M-Pesa payments are down"), "{path} shows the current notice");
            assert!(!html.contains("The January outage"), "{path}: an ended notice is not a banner");
        }
        let status = server.get("/status").await.text().await.unwrap();
        let (now_part, earlier) = status.split_once("Earlier and planned").unwrap();
        assert!(now_part.contains("M-Pesa payments are down") && earlier.contains("The January outage"));

        let hidden = post_form(&server, "/api/status/hide", &format!("id={current}&next=%2Fservices"), None).await;
        assert_eq!(hidden.headers()["location"], "/services");
        let cookie = hidden.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        assert_eq!(cookie, format!("raia_hidden_notices={current}"));
        let html = server.get_with("/services", "cookie", &cookie).await.text().await.unwrap();
        assert!(!html.contains("M-Pesa payments are down"), "hidden in this browser");
        let html = server.get_with("/status", "cookie", &cookie).await.text().await.unwrap();
        assert!(html.contains("M-Pesa payments are down"), "still listed on the status page");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn without_the_database_pages_say_some_services_are_unavailable() {
    let server = TestServer::start().await;
    server.state.db.close().await;
    for path in ["/", "/status"] {
        let response = server.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path} still renders");
        let html = response.text().await.unwrap();
        assert!(html.contains("Some services are unavailable at the moment."), "{path}");
    }
}
