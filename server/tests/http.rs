//! The server over real HTTP: a fresh database per test, the app on a free port.

mod support;

use raia_app::test_db::TestDb;
use raia_server::{startup, Config};
use reqwest::StatusCode;
use support::{log_in, post_form, session_cookie, TestServer};

fn html_lang(body: &str) -> Option<&str> {
    let start = body.find("<html")?;
    let tag = &body[start..start + body[start..].find('>')?];
    let lang_at = tag.find("lang=\"")? + 6;
    Some(&tag[lang_at..lang_at + tag[lang_at..].find('"')?])
}

#[tokio::test]
async fn health_and_readiness_answer() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let alive = server.get("/healthz").await;
        assert_eq!(alive.status(), StatusCode::OK);
        assert_eq!(alive.text().await.unwrap(), "ok");
        let ready = server.get("/readyz").await;
        assert_eq!(ready.status(), StatusCode::OK, "database reachable");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let server = TestServer::start().await;
    server.test_db.db.close().await;
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn home_page_is_complete_html_in_english_by_default() {
    let server = TestServer::start().await;
    let response = server.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let body = response.text().await.unwrap();
    assert_eq!(html_lang(&body), Some("en"));
    assert!(body.contains("Government services in one place"));
    assert_eq!(body.matches("<h1").count(), 1, "one h1 per page");
    assert!(body.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
    assert!(body.contains("/pkg/raia"), "hydration script is linked");
    server.test_db.drop_database().await;
}

/// Building a router lists the app's routes by rendering it with every resource suppressed
/// process-wide; a page that another server renders meanwhile must still finish.
#[tokio::test]
async fn building_another_router_never_stalls_a_page_being_rendered() {
    let server = TestServer::start().await;
    let state = server.state.clone();
    let building = tokio::task::spawn_blocking(move || {
        for _ in 0..40 {
            drop(raia_server::router(state.clone()));
        }
    });
    for _ in 0..40 {
        let page = async { server.get("/").await.text().await.unwrap() };
        let html = tokio::time::timeout(std::time::Duration::from_secs(20), page).await.expect("the page finished");
        assert!(html.contains("</html>"));
    }
    building.await.unwrap();
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn pages_are_sent_compressed_to_browsers_that_accept_it() {
    let server = TestServer::start().await;
    let plain = server.get("/services").await.bytes().await.unwrap();
    let response = server.get_with("/services", "accept-encoding", "br").await;
    assert_eq!(response.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("br"), "{:?}", response.headers());
    let compressed = response.bytes().await.unwrap();
    assert!(compressed.len() * 2 < plain.len(), "{} bytes compressed, {} plain", compressed.len(), plain.len());
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn language_comes_from_the_cookie_then_accept_language() {
    let server = TestServer::start().await;
    let by_cookie = server.get_with("/", "cookie", "i18n_pref_locale=sw").await.text().await.unwrap();
    assert_eq!(html_lang(&by_cookie), Some("sw"));
    assert!(by_cookie.contains("Huduma za serikali mahali pamoja"));

    let by_header = server.get_with("/", "accept-language", "sw-KE,sw;q=0.9,en;q=0.5").await.text().await.unwrap();
    assert_eq!(html_lang(&by_header), Some("sw"));

    // The cookie, the citizen's own choice, wins over the browser's language.
    let response = server
        .client
        .get(format!("{}/", server.base))
        .header("cookie", "i18n_pref_locale=en")
        .header("accept-language", "sw")
        .send()
        .await
        .unwrap();
    assert_eq!(html_lang(&response.text().await.unwrap()), Some("en"));
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn switching_language_sets_the_cookie_and_returns_to_the_page() {
    let server = TestServer::start().await;
    let response = server.get("/lang/sw?next=/services%3Fq%3Dpassport").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/services?q=passport");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=sw;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));

    let elsewhere = server.get("/lang/en?next=//evil.example/").await;
    assert_eq!(elsewhere.headers()["location"], "/", "never redirects to another site");

    assert_eq!(server.get("/lang/fr?next=/").await.status(), StatusCode::NOT_FOUND);
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn unknown_pages_are_404_with_a_helpful_page() {
    let server = TestServer::start().await;
    let response = server.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains("Page not found"));
    assert!(body.contains("Go to the home page"));

    let in_swahili = server.get_with("/no/such/page", "cookie", "i18n_pref_locale=sw").await;
    assert_eq!(in_swahili.status(), StatusCode::NOT_FOUND);
    assert!(in_swahili.text().await.unwrap().contains("Ukurasa haukupatikana"));
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn the_service_worker_is_versioned_by_build_and_skips_the_api() {
    let server = TestServer::start().await;
    let response = server.get("/sw.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let script = response.text().await.unwrap();
    assert!(script.contains(r#"const VERSION = "j1-w1-c1""#), "{script}");
    assert!(script.contains(r#""/pkg/raia.w1.wasm""#));
    assert!(script.contains(r#""/offline""#));
    assert!(script.contains(r#"url.pathname.startsWith("/api/")"#));
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn the_offline_page_renders_and_offers_to_try_again() {
    let server = TestServer::start().await;
    let response = server.get("/offline?next=/services").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(body.contains("You are offline"));
    assert!(body.contains(r#"href="/services""#), "try again goes back to the page asked for");
    let hostile = server.get("/offline?next=https://evil.example").await.text().await.unwrap();
    assert!(!hostile.contains("href=\"https://evil"), "{hostile}");
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn login_over_http_sets_a_safe_cookie_rotates_it_and_reaches_the_dashboard() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        // Logged out: the dashboard sends you to log in and back.
        let response = server.get_with("/dashboard", "accept", "text/html").await;
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()["location"], "/login?next=/dashboard");

        let response = post_form(&server, "/api/login/password", "identifier=0712345678&password=Harambee+demo+2026&next=%2Fdashboard", None).await;
        assert_eq!(response.status(), StatusCode::OK, "{:?}", response.headers());
        assert_eq!(response.headers()["location"], "/login/method");
        let raw = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|v| v.contains("raia_session=")).unwrap();
        assert!(raw.contains("HttpOnly") && raw.contains("SameSite=Lax") && raw.contains("Path=/"), "{raw}");
        let token = raw.split(';').next().unwrap().split('=').nth(1).unwrap().to_string();
        assert!(token.len() >= 32, "at least 128 random bits");
        let pending = session_cookie(&response);

        let response = post_form(&server, "/api/code/send", "purpose=login&channel=sms", Some(&pending)).await;
        assert_eq!(response.headers()["location"], "/login/code?via=sms");
        let outbox = server.get("/dev/outbox.json?to=%2B254712345678").await;
        assert_eq!(outbox.status(), StatusCode::OK);
        let body = outbox.text().await.unwrap();
        let messages: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
        assert_eq!(messages[0]["channel"], "sms");
        assert_eq!(messages[0]["to"], "+254712345678");
        let text = messages[0]["body"].as_str().unwrap();
        let code: String = text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).unwrap().to_string();

        let response = post_form(&server, "/api/code/verify", &format!("purpose=login&code={code}"), Some(&pending)).await;
        assert_eq!(response.headers()["location"], "/dashboard");
        let logged_in = session_cookie(&response);
        assert_ne!(logged_in, pending, "new session id after the code");

        let page = server.get_with("/dashboard", "cookie", &logged_in).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["cache-control"], "no-store", "personal pages are never cached");
        let html = page.text().await.unwrap();
        assert!(html.contains("Wanjiku Kamau"));
        assert!(html.contains("Your account") && !html.contains(">Register<"), "the header knows who is logged in");
        assert!(html.contains("12****78"));
        assert!(!html.contains("12345678"), "the full ID number is never shown");

        let response = post_form(&server, "/api/logout", "", Some(&logged_in)).await;
        assert_eq!(response.headers()["location"], "/login?logged_out=1");
        let after = server.client.get(format!("{}/dashboard", server.base)).header("cookie", &logged_in).header("accept", "text/html").send().await.unwrap();
        assert_eq!(after.status(), StatusCode::FOUND, "session ended on the server");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let server = TestServer::start().await;
    let response = server
        .client
        .post(format!("{}/api/login/password", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body("identifier=12345678&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = server
        .client
        .post(format!("{}/api/login/password", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .body("identifier=12345678&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn too_many_login_attempts_answer_429_with_retry_after() {
    let server = TestServer::start().await;
    // 60 a minute per address in fixed windows: the 61st is refused, or at most the 121st
    // when the attempts happen to straddle the turn of a minute. Each names another
    // identifier, so the per-identifier limit stays out of the way.
    let mut accepted = 0;
    let response = loop {
        let body = format!("identifier={}&password=whatever+password", 11_110_000 + accepted);
        let response = post_form(&server, "/api/login/password", &body, None).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break response;
        }
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a wrong password is the citizen's mistake, not a 500");
        accepted += 1;
        assert!(accepted <= 120, "no limit after {accepted} attempts");
    };
    assert!(accepted >= 60, "refused too early, after {accepted}");
    let retry: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));

    let page = server.get("/too-many-attempts?seconds=42").await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.headers()["retry-after"], "42");
    assert!(page.text().await.unwrap().contains("Wait 42 seconds"));
    server.test_db.drop_database().await;
}

#[tokio::test]
async fn production_hides_the_outbox_and_uses_a_host_prefixed_secure_cookie() {
    let server = TestServer::start_in(
        TestDb::sqlite().await,
        &[
            ("APP_ENV", "prod"),
            ("PUBLIC_BASE_URL", "https://raia.example"),
            ("MPESA_BASE_URL", "https://daraja.invalid"),
            ("MPESA_CONSUMER_KEY", "key"),
            ("MPESA_CONSUMER_SECRET", "secret"),
            ("MPESA_PASSKEY", "a-real-passkey"),
            ("MPESA_CALLBACK_SECRET", "0123456789abcdef0123456789abcdef"),
            ("CARD_GATEWAY_URL", "https://cards.invalid"),
            ("SMS_PROVIDER", "africastalking"),
            ("AFRICASTALKING_USERNAME", "raia"),
            ("AFRICASTALKING_API_KEY", "atsk_key"),
            ("EMAIL_PROVIDER", "smtp"),
            ("SMTP_URL", "smtps://raia:secret@smtp.invalid:465"),
            ("SECRETS_KEY", "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"),
            ("DOCUMENT_SIGNING_KEY", "raia-test-1:BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU:2026-01-01"),
            ("EMAIL_FROM", "Raia <no-reply@raia.example>"),
        ],
    )
    .await;
    assert_eq!(server.get("/dev/outbox.json").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(server.get("/").await.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains", "HSTS in prod");
    assert_eq!(server.get("/sim/mpesa/oauth/v1/generate").await.status(), StatusCode::NOT_FOUND, "no simulator in prod");
    assert_eq!(server.get("/dev/outbox").await.status(), StatusCode::NOT_FOUND);
    // No demo accounts with published passwords in prod.
    let demo = post_form(&server, "/api/login/password", "identifier=12345678&password=Harambee+demo+2026", None).await;
    assert_eq!(demo.status(), StatusCode::UNPROCESSABLE_ENTITY, "the demo citizen does not exist in prod");
    let staff = post_form(&server, "/api/login/password", "identifier=30000000&password=Raia+staff+demo+2026", None).await;
    assert_eq!(staff.status(), StatusCode::UNPROCESSABLE_ENTITY, "nor the demo admin");
    let response = post_form(&server, "/api/reset/start", "identifier=12345678", None).await;
    let raw = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|v| v.contains("raia_session=")).unwrap();
    assert!(raw.starts_with("__Host-raia_session="), "{raw}");
    assert!(raw.contains("; Secure") && raw.contains("HttpOnly"), "{raw}");
    server.test_db.drop_database().await;
}

async fn upload(server: &TestServer, cookie: &str, file_name: &str, bytes: Vec<u8>, site: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("service", "passport")
        .text("reference", "")
        .text("field", "photo")
        .text("return_to", "/services/passport/apply?step=4")
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
    server
        .client
        .post(format!("{}/documents", server.base))
        .header("cookie", cookie)
        .header("sec-fetch-site", site)
        .multipart(form)
        .send()
        .await
        .expect("request sent")
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

#[tokio::test]
async fn documents_are_checked_on_upload_and_shown_only_to_those_allowed() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let wanjiku = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;

        let response = upload(&server, &wanjiku, "photo.png", PNG.to_vec(), "same-origin").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/services/passport/apply?step=4");
        let response = upload(&server, &wanjiku, "photo.jpg", b"MZ\x90\0 a program".to_vec(), "same-origin").await;
        assert_eq!(response.headers()["location"], "/services/passport/apply?step=4&field=photo&upload_error=wrong_type#photo");
        let response = upload(&server, &wanjiku, "big.png", [PNG, &vec![0u8; 6 * 1024 * 1024]].concat(), "same-origin").await;
        assert!(response.headers()["location"].to_str().unwrap().contains("upload_error=too_large"));
        let response = upload(&server, &wanjiku, "photo.png", PNG.to_vec(), "cross-site").await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "another site cannot upload in the citizen's name");

        let own = server.get_with("/documents/1", "cookie", &wanjiku).await;
        assert_eq!(own.status(), StatusCode::OK);
        assert_eq!(own.headers()["content-type"], "image/png");
        assert!(own.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
        assert_eq!(own.bytes().await.unwrap().as_ref(), PNG);
        assert_eq!(server.get("/documents/1").await.status(), StatusCode::NOT_FOUND, "not without a session");
        let officer = log_in(&server, "30000003", "Raia staff demo 2026", "+254700000103").await;
        assert_eq!(server.get_with("/documents/1", "cookie", &officer).await.status(), StatusCode::NOT_FOUND, "not for another agency");

        // A citizen is refused the back office, page and server function alike.
        let page = server.client.get(format!("{}/officer", server.base)).header("cookie", &wanjiku).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        assert!(page.text().await.unwrap().contains("You do not have access to this page"));
        let api = post_form(&server, "/api/officer/queue", "service=&status=&after=&return_to=%2Fofficer", Some(&wanjiku)).await;
        assert_eq!(api.status(), StatusCode::FORBIDDEN);
        // The officer reaches the queue.
        let queue = server.client.get(format!("{}/officer", server.base)).header("cookie", &officer).send().await.unwrap();
        assert_eq!(queue.status(), StatusCode::OK);
        assert!(queue.text().await.unwrap().contains("National Transport and Safety Authority"));
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn the_catalogue_is_public_and_unknown_services_are_404() {
    let server = TestServer::start().await;
    let page = server.get("/services?q=licence").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Renew a driving licence") && !html.contains("Ordinary passport"), "search filters on the server");
    assert_eq!(server.get("/services/moon-visa").await.status(), StatusCode::NOT_FOUND);
    let apply = server.client.get(format!("{}/services/passport/apply", server.base)).header("accept", "text/html").send().await.unwrap();
    assert_eq!(apply.status(), StatusCode::FOUND);
    assert_eq!(apply.headers()["location"], "/login?next=/services/passport/apply");
}

#[test]
fn a_broken_catalogue_file_stops_the_start_with_its_problems() {
    let path = std::env::temp_dir().join(format!("raia-broken-catalogue-{}.toml", std::process::id()));
    std::fs::write(&path, "[[services]]\nslug = \"x\"\n").unwrap();
    let config = Config::from_lookup(|name| (name == "CATALOGUE_FILE").then(|| path.display().to_string())).unwrap();
    let error = startup::catalogue(&config).unwrap_err();
    assert!(error.contains("reference_prefix"), "{error}");
    let _ = std::fs::remove_file(path);
}


#[tokio::test]
async fn an_anonymous_upload_is_refused_before_its_body_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let host = server.base.trim_start_matches("http://").to_string();

        // A 5 MB upload of which only the start ever arrives: answered at once, without waiting for the rest.
        let mut socket = tokio::net::TcpStream::connect(&host).await.unwrap();
        let head = format!(
            "POST /documents HTTP/1.1\r\nHost: {host}\r\nSec-Fetch-Site: same-origin\r\nReferer: http://{host}/services/passport/apply?step=4\r\n\
             Content-Type: multipart/form-data; boundary=RAIA\r\nContent-Length: {}\r\n\r\n\
             --RAIA\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n",
            raia_app::services::documents::MAX_BYTES
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&[PNG, &vec![0u8; 64 * 1024]].concat()).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            let mut buffer = [0u8; 4096];
            while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => answer.extend_from_slice(&buffer[..n]),
                }
            }
        })
        .await;
        assert!(read.is_ok(), "no answer while the body was still coming: the server waited to read it");
        let answer = String::from_utf8_lossy(&answer).to_lowercase();
        assert!(answer.starts_with("http/1.1 303"), "{answer}");
        assert!(answer.contains("location: /login?next=/services/passport/apply"), "{answer}");

        // A whole small upload without a session: the same answer, and nothing stored.
        let response = upload(&server, "raia_session=not-a-session", "photo.png", PNG.to_vec(), "same-origin").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/login?next="));
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stored_files").fetch_one(server.state.db.pool()).await.unwrap();
        assert_eq!(kept, 0, "no file kept");
        // Cross-site stays refused first, as before.
        assert_eq!(upload(&server, "", "photo.png", PNG.to_vec(), "cross-site").await.status(), StatusCode::FORBIDDEN);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn an_admin_releases_a_claim_with_a_plain_form() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let pool = server.test_db.db.pool();
        let account_id = |id_number: &'static str| async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE id_number = $1").bind(id_number).fetch_one(pool).await.unwrap()
        };
        let (citizen, officer) = (account_id("12345678").await, account_id("30000001").await);
        sqlx::query(
            "INSERT INTO applications (reference, account_id, service_slug, agency, status, version, claimed_by, created_at, updated_at, submitted_at) \
             VALUES ('PSP-2026-000777', $1, 'passport', 'immigration', 'under_review', 3, $2, 1770000000, 1770000000, 1770000000)",
        )
        .bind(citizen)
        .bind(officer)
        .execute(pool)
        .await
        .unwrap();
        let admin = log_in(&server, "30000000", "Raia staff demo 2026", "+254700000100").await;

        // Linked from /admin; the page lists the claim and its holder, rendered on the server.
        assert!(server.get_with("/admin", "cookie", &admin).await.text().await.unwrap().contains(r#"href="/admin/claims""#));
        let page = server.get_with("/admin/claims", "cookie", &admin).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("PSP-2026-000777") && html.contains("Amina Hassan"), "{html}");
        assert!(html.contains(r#"action="/api/admin/claims/release""#) && html.contains(r#"method="post""#), "a form that works without JavaScript");

        // An officer can neither see the page nor release.
        let amina = log_in(&server, "30000001", "Raia staff demo 2026", "+254700000101").await;
        assert_eq!(server.get_with("/admin/claims", "cookie", &amina).await.status(), StatusCode::FORBIDDEN);
        let refused = post_form(&server, "/api/admin/claims/release", "reference=PSP-2026-000777&version=3", Some(&amina)).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);

        // The admin's button, as a browser without JavaScript posts it.
        let response = server
            .client
            .post(format!("{}/api/admin/claims/release", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &admin)
            .body("reference=PSP-2026-000777&version=3")
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{:?}", response.status());
        assert_eq!(response.headers()["location"], "/admin/claims?released=PSP-2026-000777");
        let (status, claimed_by): (String, Option<i64>) =
            sqlx::query_as("SELECT status, claimed_by FROM applications WHERE reference = 'PSP-2026-000777'").fetch_one(pool).await.unwrap();
        assert_eq!((status.as_str(), claimed_by), ("submitted", None));
        let html = server.get_with("/admin/claims?released=PSP-2026-000777", "cookie", &admin).await.text().await.unwrap();
        assert!(html.contains("PSP-2026-000777 is back in its agency") && html.contains("No application is under review."), "{html}");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn every_response_is_hardened_and_server_functions_are_never_cached() {
    let server = TestServer::start().await;
    let page = server.get("/services").await;
    let headers = page.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    let permissions = headers["permissions-policy"].to_str().unwrap();
    for denied in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"] {
        assert!(permissions.contains(denied), "{permissions}");
    }
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS on a developer's plain-HTTP server");

    // The Content-Security-Policy names a nonce of this response only, and every script the
    // page carries has it: an injected script without it would be refused by the browser.
    let policy = headers["content-security-policy"].to_str().unwrap().to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy").to_string();
    assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{policy}");
    let html = page.text().await.unwrap();
    // leptos_i18n leaves an empty `<script></script>` as a placeholder: a browser never runs
    // a script with no source and no text, so the policy has nothing to say about it.
    let scripts: Vec<&str> = html.split("<script").skip(1).filter(|script| !script.starts_with("></script>")).map(|tag| tag.split('>').next().unwrap()).collect();
    assert!(scripts.len() >= 3, "the js class, navigation and the island loader: {scripts:?}");
    for script in &scripts {
        assert!(script.contains(&format!("nonce=\"{nonce}\"")), "a script without this response's nonce: <script{script}>");
    }
    let again = server.get("/services").await;
    assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce), "a nonce is never reused");
    for path in ["/no-such-page", "/healthz", "/manifest.webmanifest"] {
        let policy = server.get(path).await.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(policy.contains("frame-ancestors 'none'"), "{path}: {policy}");
    }

    // A server function's answer, even to someone with no session, is never stored.
    let answer = post_form(&server, "/api/session", "", None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "no-store");

    // Bodies past each route's limit are refused before anything reads them.
    let huge = format!("identifier={}&password=x", "a".repeat(300 * 1024));
    assert_eq!(post_form(&server, "/api/login/password", &huge, None).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let secret = &server.state.config.payments.callback_secret;
    let callback = server.client.post(format!("{}/callbacks/mpesa/{secret}/stk", server.base)).header("content-type", "application/json").body(vec![b' '; 100 * 1024]).send().await.unwrap();
    assert_eq!(callback.status(), StatusCode::PAYLOAD_TOO_LARGE);
    server.test_db.drop_database().await;
}
