//! Support requests over HTTP, as a browser without JavaScript sends them: the multipart
//! form opens a request (a problem comes back beside its field), the pages are whole in
//! the first HTML, anyone but the citizen and the staff who may answer gets "not found",
//! and an admin's answer reaches the citizen's page and email. SQLite and PostgreSQL.

mod support;

use raia_app::test_db::TestDb;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use support::{log_in, post_form, TestServer};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

async fn open(server: &TestServer, cookie: Option<&str>, form: Form) -> reqwest::Response {
    let mut request = server.client.post(format!("{}/support/open", server.base)).header("sec-fetch-site", "same-origin").multipart(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("request sent")
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn html(server: &TestServer, path: &str, cookie: &str) -> (StatusCode, String) {
    let response = server.client.get(format!("{}{path}", server.base)).header("cookie", cookie).header("accept", "text/html").send().await.unwrap();
    let (status, page) = (response.status(), response.text().await.unwrap());
    // Whole in the first HTML: nothing arrives later in a streamed `<template>`.
    assert!(!page.contains("<template"), "{path}: part of the page is streamed");
    (status, page)
}

/// The part of the page inside `<main>`, as the first HTML has it.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    &html[start..html.rfind("</main>").expect("a closed </main>")]
}

#[tokio::test]
async fn a_citizen_opens_a_request_without_javascript_and_an_admin_answers_it() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;

        // Anonymous: to the login page, which comes back here; nothing is read or stored.
        let anonymous = server.client.get(format!("{}/support", server.base)).header("accept", "text/html").send().await.unwrap();
        assert_eq!((anonymous.status(), location(&anonymous)), (StatusCode::FOUND, "/login?next=/support".to_string()));
        let anonymous = open(&server, None, Form::new().text("topic", "login").text("message", "hello")).await;
        assert!(location(&anonymous).starts_with("/login?next="), "{}", location(&anonymous));

        let citizen = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let (status, page) = html(&server, "/help", &citizen).await;
        assert_eq!(status, StatusCode::OK);
        assert!(main_of(&page).contains("I forgot my password") && main_of(&page).contains("href=\"/support\""));
        let (_, page) = html(&server, "/support", &citizen).await;
        assert!(main_of(&page).contains("<h1>Contact support</h1>") && main_of(&page).contains("enctype=\"multipart/form-data\""), "{page}");

        // Someone else's application (or a made-up one) is refused beside its field.
        let refused = open(&server, Some(&citizen), Form::new().text("topic", "application").text("application", "PSP-2026-123456").text("message", "Where is it?")).await;
        let back = location(&refused);
        assert!(back.starts_with("/support?__path=%2Fsupport%2Fopen&__err="), "{back}");
        let (_, page) = html(&server, &back, &citizen).await;
        assert!(main_of(&page).contains("Enter the reference of one of your applications"), "the problem is shown");
        assert!(main_of(&page).contains("id=\"application-error\""), "beside its field");

        let screenshot = Part::bytes(PNG.to_vec()).file_name("screen.png").mime_str("image/png").unwrap();
        let opened = open(&server, Some(&citizen), Form::new().text("topic", "login").text("application", "").text("message", "My code never came.").part("screenshot", screenshot)).await;
        let page_of_ticket = location(&opened);
        assert!(page_of_ticket.starts_with("/support/TKT-") && page_of_ticket.ends_with("?opened=1"), "{page_of_ticket}");
        let reference = page_of_ticket.trim_start_matches("/support/").trim_end_matches("?opened=1").to_string();
        let (status, page) = html(&server, &page_of_ticket, &citizen).await;
        assert_eq!(status, StatusCode::OK);
        assert!(main_of(&page).contains(&reference) && main_of(&page).contains("My code never came.") && main_of(&page).contains("/documents/support/"), "{page}");
        let file = server.client.get(format!("{}/documents/support/1", server.base)).header("cookie", &citizen).send().await.unwrap();
        assert_eq!((file.status(), file.headers()["content-type"].to_str().unwrap().to_string()), (StatusCode::OK, "image/png".to_string()));

        // An officer of an agency the request is not about: "not found" everywhere.
        let ntsa = log_in(&server, "30000003", "Raia staff demo 2026", "+254700000103").await;
        assert_eq!(html(&server, &format!("/support/{reference}"), &ntsa).await.0, StatusCode::NOT_FOUND);
        assert_eq!(html(&server, &format!("/officer/support/{reference}"), &ntsa).await.0, StatusCode::NOT_FOUND);
        assert_eq!(server.client.get(format!("{}/documents/support/1", server.base)).header("cookie", &ntsa).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        let (_, desk) = html(&server, "/officer/support", &ntsa).await;
        assert!(main_of(&desk).contains("<h1>Support requests</h1>") && !desk.contains(&reference));
        let sneaky = post_form(&server, "/api/support/desk/reply", &format!("reference={reference}&message=hi&return_to=%2Fofficer%2Fsupport"), Some(&ntsa)).await;
        assert_eq!(sneaky.status(), StatusCode::NOT_FOUND);

        // The admin sees it waiting, answers, and the citizen reads the answer.
        let admin = log_in(&server, "30000000", "Raia staff demo 2026", "+254700000100").await;
        let (_, desk) = html(&server, "/admin/support", &admin).await;
        assert!(main_of(&desk).contains("Waiting for an answer: 1") && desk.contains(&reference), "{desk}");
        let (_, page) = html(&server, &format!("/admin/support/{reference}"), &admin).await;
        assert!(main_of(&page).contains("Wanjiku Kamau") && main_of(&page).contains("<form"));
        let answered = post_form(&server, "/api/support/desk/reply", &format!("reference={reference}&message=Use+the+newest+code.&return_to=%2Fadmin%2Fsupport%2F{reference}"), Some(&admin)).await;
        assert!(answered.status().is_success() || answered.status().is_redirection(), "{}", answered.status());
        let (_, page) = html(&server, &format!("/support/{reference}"), &citizen).await;
        assert!(main_of(&page).contains("Use the newest code.") && main_of(&page).contains("Raia support"), "{page}");
        let outbox: Vec<serde_json::Value> = server.get("/dev/outbox.json?to=wanjiku%40example.com").await.json().await.unwrap();
        assert!(outbox[0]["body"].as_str().unwrap().contains("Use the newest code."), "{outbox:?}");
        let (_, desk) = html(&server, "/admin/support", &admin).await;
        assert!(main_of(&desk).contains("Waiting for an answer: 0"));
        server.test_db.drop_database().await;
    }
}
