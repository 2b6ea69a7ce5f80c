//! A Raia server for tests: a fresh database, the whole app on a free port, and the
//! steps every HTTP test needs (posting a form, logging in).
#![allow(dead_code)]

pub mod payment_world;
pub mod process;
pub mod smtp_sink;
pub mod snapshot;

use leptos::config::LeptosOptions;
use raia_app::request::SessionCookie;
use raia_app::test_db::TestDb;
use raia_server::assets::BuildAssets;
use raia_server::{router, startup, AppState, Config};
use reqwest::redirect::Policy;
use std::sync::Arc;

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub test_db: TestDb,
    pub state: AppState,
}

impl TestServer {
    pub async fn start_with(test_db: TestDb) -> TestServer {
        Self::start_in(test_db, &[]).await
    }

    pub async fn start_in(test_db: TestDb, extra: &[(&'static str, &'static str)]) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = Config::from_lookup(|name| match name {
            "BIND_ADDR" => Some(addr.to_string()),
            "DATABASE_URL" => Some(test_db.url.clone()),
            other => extra.iter().find(|(k, _)| *k == other).map(|(_, v)| v.to_string()),
        })
        .expect("test config");
        let leptos_options = LeptosOptions::builder().output_name("raia").site_root("target/site-test-none").site_addr(addr).build();
        let assets = Arc::new(BuildAssets::from_hashes(&leptos_options, Some("js: j1\nwasm: w1\ncss: c1")));
        let identity = startup::identity(&config, &test_db.db);
        let catalogue = startup::catalogue(&config).expect("the shipped catalogue is valid");
        startup::seed(&config, &identity, &catalogue).await.expect("seed");
        let applications = startup::applications(&config, &test_db.db, &identity, catalogue);
        let payments = startup::payments(&config, &test_db.db, &identity, &applications);
        let session_cookie = SessionCookie::new(config.cookie_secure);
        let state = AppState { leptos_options, config: Arc::new(config), db: test_db.db.clone(), assets, identity, applications, payments, session_cookie, performance_figures: Default::default() };
        let app = router(state.clone());
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
        });
        // A stalled answer fails its test within a minute instead of holding CI until its limit.
        let client = reqwest::Client::builder().redirect(Policy::none()).timeout(std::time::Duration::from_secs(60)).build().unwrap();
        TestServer { base: format!("http://{addr}"), client, test_db, state }
    }

    pub async fn start() -> TestServer {
        Self::start_with(TestDb::sqlite().await).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("request sent")
    }

    pub async fn get_with(&self, path: &str, header: &str, value: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).header(header, value).send().await.expect("request sent")
    }
}

pub async fn post_form(server: &TestServer, path: &str, body: &str, cookie: Option<&str>) -> reqwest::Response {
    post_form_at(&server.client, &server.base, path, body, cookie).await
}

/// A form post as the browser sends it from one of Raia's own pages, to the Raia answering at
/// `base` (in-process or a process of its own).
pub async fn post_form_at(client: &reqwest::Client, base: &str, path: &str, body: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = client
        .post(format!("{base}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body.to_string());
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("request sent")
}

/// The Africa's Talking fake on a port of its own, outside any Raia server, as the real API is.
pub async fn africas_talking() -> (raia_server::africas_talking_simulator::AfricasTalkingSimulator, String) {
    let sim = raia_server::africas_talking_simulator::AfricasTalkingSimulator::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes = sim.routes();
    tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });
    (sim, base)
}

pub fn session_cookie(response: &reqwest::Response) -> String {
    let header = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|v| v.contains("raia_session=")).expect("session cookie set");
    header.split(';').next().unwrap().to_string()
}

/// Logs in over HTTP (password, SMS code from the dev outbox); the logged-in cookie.
pub async fn log_in(server: &TestServer, identifier: &str, password: &str, phone: &str) -> String {
    log_in_at(&server.client, &server.base, identifier, password, phone).await
}

/// Logs in at the Raia answering at `base`, in-process or a process of its own.
pub async fn log_in_at(client: &reqwest::Client, base: &str, identifier: &str, password: &str, phone: &str) -> String {
    let body = format!("identifier={identifier}&password={}", password.replace(' ', "+"));
    let pending = session_cookie(&post_form_at(client, base, "/api/login/password", &body, None).await);
    post_form_at(client, base, "/api/code/send", "purpose=login&channel=sms", Some(&pending)).await;
    let outbox = client.get(format!("{base}/dev/outbox.json?to={}", phone.replace('+', "%2B"))).send().await.expect("request sent").text().await.unwrap();
    let messages: Vec<serde_json::Value> = serde_json::from_str(&outbox).unwrap();
    let text = messages[0]["body"].as_str().unwrap();
    let code: String = text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).unwrap().to_string();
    session_cookie(&post_form_at(client, base, "/api/code/verify", &format!("purpose=login&code={code}"), Some(&pending)).await)
}
