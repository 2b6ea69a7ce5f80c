//! Every page works before and without JavaScript: for every route, fetched in the state a
//! citizen reaches it in, the first HTML the server sends already holds the page's heading
//! (and its form, where it has one) inside `<main>`, never only in a streamed `<template>`
//! that a script would have to move into place.

mod support;

use reqwest::StatusCode;
use support::{log_in, post_form, session_cookie, TestServer};

/// The part of the page inside `<main>`.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("a closed </main>");
    &html[start..end]
}

async fn page(server: &TestServer, path: &str, cookie: Option<&str>) -> String {
    let mut request = server.client.get(format!("{}{path}", server.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("request sent");
    assert!(response.status() == StatusCode::OK || response.status() == StatusCode::TOO_MANY_REQUESTS, "{path}: {}", response.status());
    response.text().await.unwrap()
}

/// Checks one page; `form` says whether it must hold a form.
async fn check(server: &TestServer, path: &str, cookie: Option<&str>, heading: &str, form: bool) {
    // Several fetches: streaming order depends on timing, and one lucky answer proves nothing.
    for _ in 0..5 {
        let html = page(server, path, cookie).await;
        let main = main_of(&html);
        assert!(main.contains("<h1") && main.contains(heading), "{path}: the heading {heading:?} is not in the first HTML's <main>:\n{main}");
        assert!(!form || main.contains("<form"), "{path}: no form in the first HTML's <main>");
        assert!(!html.contains("<template"), "{path}: part of the page arrives in a streamed <template>");
    }
}

fn code_in(outbox: &str) -> String {
    let messages: Vec<serde_json::Value> = serde_json::from_str(outbox).unwrap();
    let text = messages[0]["body"].as_str().unwrap();
    text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).unwrap().to_string()
}

#[tokio::test]
async fn every_page_is_whole_in_the_first_html() {
    let server = TestServer::start().await;

    // Anyone.
    check(&server, "/", None, "Government services in one place", false).await;
    check(&server, "/offline", None, "You are offline", false).await;
    check(&server, "/register", None, "Create an account", true).await;
    check(&server, "/login", None, "Log in", true).await;
    check(&server, "/forgot-password", None, "Reset your password", true).await;
    check(&server, "/too-many-attempts?seconds=5", None, "Too many attempts", false).await;
    check(&server, "/services", None, "Government services", true).await;
    check(&server, "/services/passport", None, "Ordinary passport", false).await;
    check(&server, "/performance", None, "Service performance", false).await;

    // Part-way through registration.
    let registering = session_cookie(&post_form(&server, "/api/register/start", "account_type=citizen&id_number=67890123&first_name=Baraka&year_of_birth=1995", None).await);
    check(&server, "/register/details", Some(&registering), "Baraka Mutua", true).await;

    // Part-way through a login.
    let pending = session_cookie(&post_form(&server, "/api/login/password", "identifier=12345678&password=Harambee+demo+2026", None).await);
    check(&server, "/login/method", Some(&pending), "Confirm it is you", true).await;
    post_form(&server, "/api/code/send", "purpose=login&channel=sms", Some(&pending)).await;
    check(&server, "/login/code?via=sms", Some(&pending), "Enter your code", true).await;

    // Part-way through a password reset.
    let resetting = session_cookie(&post_form(&server, "/api/reset/start", "identifier=30000005", None).await);
    check(&server, "/forgot-password/method", Some(&resetting), "Get a reset code", true).await;
    post_form(&server, "/api/code/send", "purpose=reset&channel=sms", Some(&resetting)).await;
    check(&server, "/forgot-password/code?via=sms", Some(&resetting), "Enter your code", true).await;
    let code = code_in(&server.get("/dev/outbox.json?to=%2B254700000105").await.text().await.unwrap());
    post_form(&server, "/api/code/verify", &format!("purpose=reset&code={code}"), Some(&resetting)).await;
    check(&server, "/forgot-password/new-password", Some(&resetting), "Choose a new password", true).await;

    // Logged in.
    let citizen = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
    check(&server, "/dashboard", Some(&citizen), "Wanjiku Kamau", false).await;
    check(&server, "/applications", Some(&citizen), "My applications", false).await;
    check(&server, "/services/passport/apply", Some(&citizen), "Step 1 of 4", true).await;
    check(&server, "/payments", Some(&citizen), "Your payments", false).await;
    check(&server, "/my-vehicles", Some(&citizen), "My vehicles", false).await;
    check(&server, "/my-vehicles/KDA123A", Some(&citizen), "KDA 123A", false).await;
    let officer = log_in(&server, "30000001", "Raia staff demo 2026", "+254700000101").await;
    check(&server, "/officer", Some(&officer), "Applications queue", true).await;
    let admin = log_in(&server, "30000000", "Raia staff demo 2026", "+254700000100").await;
    check(&server, "/admin", Some(&admin), "Staff accounts", true).await;
    server.test_db.drop_database().await;
}
