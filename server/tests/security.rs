//! Security rules over real HTTP: the client address behind a trusted proxy, the password
//! reset takeover, enumeration at the reset code step.

mod support;

use reqwest::StatusCode;
use raia_app::test_db::TestDb;
use support::{post_form, session_cookie, TestServer};

async fn login_attempt(server: &TestServer, forwarded_for: &str, n: u32) -> StatusCode {
    server
        .client
        .post(format!("{}/api/login/password", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", forwarded_for)
        .body(format!("identifier={}&password=whatever+password", 11_110_000 + n))
        .send()
        .await
        .expect("request sent")
        .status()
}

/// Login attempts until the first 429, each from the address `forwarded_for(n)` claims.
async fn attempts_before_429(server: &TestServer, forwarded_for: impl Fn(u32) -> String) -> u32 {
    for n in 0..200 {
        let status = login_attempt(server, &forwarded_for(n), n).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            return n;
        }
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    200
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
    // Untrusted peer: a client cannot escape the per-address limit by inventing addresses.
    let server = TestServer::start().await;
    let accepted = attempts_before_429(&server, |n| format!("203.0.113.{}", n % 250)).await;
    assert!((60..=120).contains(&accepted), "{accepted} attempts before the limit");
    server.test_db.drop_database().await;

    // Behind a trusted proxy: each client is counted on its own, so one busy address does
    // not lock out everyone else behind the proxy ...
    let server = TestServer::start_in(TestDb::sqlite().await, &[("TRUSTED_PROXIES", "127.0.0.1/32")]).await;
    let accepted = attempts_before_429(&server, |n| format!("6.6.6.6, 203.0.113.{}", n % 250)).await;
    assert_eq!(accepted, 200, "distinct clients behind the proxy share no limit");
    // ... and the right-most untrusted entry counts, not what the client wrote on the left.
    let accepted = attempts_before_429(&server, |n| format!("10.{}.0.1, 198.51.100.77", n % 250)).await;
    assert!((60..=120).contains(&accepted), "{accepted} attempts before the limit");
    // An IPv6 client counts per /64: rotating the low bits does not help.
    let accepted = attempts_before_429(&server, |n| format!("2001:db8:7:7::{:x}", n + 1)).await;
    assert!((60..=120).contains(&accepted), "{accepted} attempts before the limit");
    server.test_db.drop_database().await;
}

fn code_in(outbox: &str) -> String {
    let messages: Vec<serde_json::Value> = serde_json::from_str(outbox).unwrap();
    let text = messages[0]["body"].as_str().unwrap();
    text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).unwrap().to_string()
}

#[tokio::test]
async fn a_reset_code_for_one_account_cannot_reset_another_over_http() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        // The attacker is the demo admin (30000000); the victim the demo citizen (12345678).
        let mine = session_cookie(&post_form(&server, "/api/reset/start", "identifier=30000000", None).await);
        post_form(&server, "/api/code/send", "purpose=reset&channel=sms", Some(&mine)).await;
        let my_code = code_in(&server.get("/dev/outbox.json?to=%2B254700000100").await.text().await.unwrap());

        // Same browser: the reset for the victim replaces the cookie; the old code is void.
        let response = post_form(&server, "/api/reset/start", "identifier=12345678", Some(&mine)).await;
        let theirs = session_cookie(&response);
        assert_ne!(theirs, mine);
        let typed = post_form(&server, "/api/code/verify", &format!("purpose=reset&code={my_code}"), Some(&theirs)).await;
        assert_eq!(typed.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let chosen = post_form(&server, "/api/reset/password", "password=the+attacker+chose+this&password_confirm=the+attacker+chose+this", Some(&theirs)).await;
        assert_eq!(chosen.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // The victim's password still works.
        let login = post_form(&server, "/api/login/password", "identifier=12345678&password=Harambee+demo+2026", None).await;
        assert!(login.status().is_success() || login.status().is_redirection(), "{}", login.status());
        let wrong = post_form(&server, "/api/login/password", "identifier=12345678&password=the+attacker+chose+this", None).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_ends_every_other_session_and_tells_the_citizen() {
    use raia_app::errors::{AppError, Problem};
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let here = support::log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let elsewhere = support::log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let token = here.split_once('=').unwrap().1.to_string();
        let citizen = support::payment_world::account(&server, "12345678").await;
        let identity = &server.state.identity;
        let new = "mvua ya masika inanyesha leo";

        // Someone at an unlocked phone, without the password, cannot change it.
        let wrong = identity.change_password(&citizen, Some(&token), "203.0.113.9", "not my password at all", new, new).await;
        assert!(matches!(&wrong, Err(AppError::Invalid(p)) if p[0].field == "current_password" && p[0].problem == Problem::WrongPassword), "{wrong:?}");
        assert_eq!(support::payment_world::account(&server, "12345678").await.failed_password_attempts, 1, "it counts towards the lockout");
        let weak = identity.change_password(&citizen, Some(&token), "203.0.113.9", "Harambee demo 2026", "password1234", "password1234").await;
        assert!(matches!(&weak, Err(AppError::Invalid(p)) if p[0].field == "password"), "{weak:?}");

        let before = support::payment_world::count(&server, "SELECT COUNT(*) FROM outbox_messages").await;
        identity.change_password(&citizen, Some(&token), "203.0.113.9", "Harambee demo 2026", new, new).await.unwrap();
        assert_eq!(server.get_with("/dashboard", "cookie", &here).await.status(), StatusCode::OK, "this browser stays logged in");
        let other = server.client.get(format!("{}/dashboard", server.base)).header("cookie", &elsewhere).header("accept", "text/html").send().await.unwrap();
        assert_eq!(other.status(), StatusCode::FOUND, "every other browser is logged out");
        let told = support::payment_world::count(&server, "SELECT COUNT(*) FROM outbox_messages WHERE body LIKE 'Your Raia password was changed.%'").await;
        assert_eq!((support::payment_world::count(&server, "SELECT COUNT(*) FROM outbox_messages").await - before, told), (2, 2), "an SMS and an email");
        let pending = session_cookie(&post_form(&server, "/api/login/password", "identifier=12345678&password=mvua+ya+masika+inanyesha+leo", None).await);
        assert!(!pending.is_empty(), "the new password logs in");
        server.test_db.drop_database().await;
    }
}
