//! Hostile bodies posted to every registered server function and to the payment callbacks:
//! nothing, wrong types, a megabyte, JSON nested a hundred thousand deep, invalid UTF-8, NUL
//! bytes, random bytes, the wrong content type; as an anonymous client and as a logged-in
//! citizen. Raia never answers 5xx, still answers `/healthz` afterwards, and no row of any
//! table changes. A megabyte is refused with 413 before anything reads it; a callback that is
//! not Daraja's JSON is refused with 400 (Daraja's protocol has no other answer for it).
//! SQLite and PostgreSQL.

mod support;

use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use support::snapshot::Snapshot;
use support::{log_in, TestServer};

const SECRET: &str = "dev-callback-secret-not-for-production";
const CALLBACKS: &[&str] = &["/callbacks/mpesa/{secret}/stk", "/callbacks/mpesa/{secret}/c2b"];

/// Every argument name a server function takes: unknown fields are ignored, so one body
/// carrying all of them reaches every function's own arguments.
const TEXT_FIELDS: &[&str] = &[
    "q", "agency", "category", "slug", "service", "reference", "return_to", "declaration", "status", "action", "note", "centre", "id_number", "first_name", "surname", "email",
    "phone", "role", "identifier", "password", "password_confirm", "current_password", "next", "purpose", "channel", "code", "allow_messages", "kind", "session", "language",
    "attempt_key", "card_number", "expiry", "cvc", "number", "message", "title_en", "title_sw", "body_en", "body_sw", "starts", "ends", "account_type", "year_of_birth", "topic",
    "application",
];
const NUMBER_FIELDS: &[&str] = &["step", "version", "id", "payment", "account_id"];

/// A body with every text field set to `text` and every number to `number`.
fn every_field(text: &str, number: &str) -> Vec<u8> {
    let texts = TEXT_FIELDS.iter().map(|name| format!("{name}={text}"));
    let numbers = NUMBER_FIELDS.iter().map(|name| format!("{name}={number}"));
    let mut body: Vec<String> = texts.chain(numbers).collect();
    body.push(format!("disabled={text}"));
    body.push(format!("answers[{text}]={text}"));
    body.join("&").into_bytes()
}

/// Deterministic noise (xorshift), so a failure can be replayed.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";
const MEGABYTE: usize = 1024 * 1024;

/// Each hostile body: what it is, its content type and its bytes.
fn hostile_bodies() -> Vec<(String, &'static str, Vec<u8>)> {
    let nested_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes();
    let nested_objects = format!("{}1{}", "{\"a\":".repeat(20_000), "}".repeat(20_000)).into_bytes();
    let nested_form = format!("answers{}=1", "[a]".repeat(20_000)).into_bytes();
    let mut bodies: Vec<(String, &'static str, Vec<u8>)> = vec![
        ("empty".into(), FORM, Vec::new()),
        ("wrong types".into(), FORM, every_field("%5B%7B%7D%5D", "not-a-number")),
        ("numbers out of range".into(), FORM, every_field("1", "99999999999999999999999999")),
        ("negative and fractional numbers".into(), FORM, every_field("-1", "-1.5e308")),
        ("percent-encoded NUL bytes".into(), FORM, every_field("a%00b%00", "1")),
        ("raw NUL bytes".into(), FORM, every_field("a\0b\0", "1")),
        ("percent-encoded invalid UTF-8".into(), FORM, every_field("%FF%FE%C3%28%ED%A0%80", "1")),
        ("raw invalid UTF-8".into(), FORM, [b"reference=\xff\xfe&message=\xc3\x28&identifier=\xed\xa0\x80&q=\x80".as_slice(), &every_field("x", "1")].concat()),
        ("control and bidi characters".into(), FORM, every_field("%01%1B%5B31m%E2%80%AE%EF%BF%BF%F4%8F%BF%BF", "0")),
        ("markup and SQL".into(), FORM, every_field("%3Cscript%3Ealert(1)%3C%2Fscript%3E%27%3B+DROP+TABLE+accounts%3B--", "0")),
        ("long values within the limit".into(), FORM, every_field(&"x".repeat(4_000), "1")),
        ("a 1 MB value".into(), FORM, format!("q={}", "a".repeat(MEGABYTE)).into_bytes()),
        ("a 1 MB value of NUL bytes".into(), FORM, every_field(&"%00".repeat(MEGABYTE / 3 / TEXT_FIELDS.len() + 1), "1")),
        ("deeply nested JSON arrays".into(), JSON, nested_json),
        ("deeply nested JSON objects".into(), JSON, nested_objects),
        ("deeply nested form keys".into(), FORM, nested_form),
        ("JSON of the wrong shape".into(), JSON, br#"{"reference":[1,2,{"x":null}],"step":"zero","answers":"none","Body":{"stkCallback":7}}"#.to_vec()),
        ("a form sent as text/plain".into(), "text/plain", every_field("x", "1")),
        ("a form sent as CBOR".into(), "application/cbor", every_field("x", "1")),
        ("a broken multipart form".into(), "multipart/form-data; boundary=zzz", b"--zzz\r\nContent-Disposition: form-data; name=\"reference\"\r\n\r\nGCC\0\r\n--zz".to_vec()),
        ("no content type".into(), "", every_field("x", "1")),
    ];
    for seed in 1..=4u64 {
        bodies.push((format!("random bytes (seed {seed})"), FORM, random_bytes(seed, 64 << seed)));
    }
    bodies
}

/// Daraja's own shapes, with what no real Daraja sends: NUL bytes, huge and negative amounts,
/// a result code past i64. Well-formed JSON: the callback reads it, finds no payment of
/// Raia's, keeps any money it reports for staff to look at, and acknowledges it (200).
fn hostile_callbacks() -> Vec<(String, &'static str, Vec<u8>)> {
    let stk = |id: &str, code: &str, amount: &str| {
        format!(r#"{{"Body":{{"stkCallback":{{"MerchantRequestID":"{id}","CheckoutRequestID":"{id}","ResultCode":{code},"ResultDesc":"{id}","CallbackMetadata":{{"Item":[{{"Name":"Amount","Value":{amount}}},{{"Name":"MpesaReceiptNumber","Value":"{id}"}},{{"Name":"PhoneNumber","Value":"{id}"}}]}}}}}}}}"#)
    };
    let c2b = |id: &str, amount: &str| format!(r#"{{"TransactionType":"Pay Bill","TransID":"{id}","TransTime":"{id}","TransAmount":"{amount}","BusinessShortCode":"{id}","BillRefNumber":"{id}","MSISDN":"{id}","FirstName":"{id}"}}"#);
    vec![
        ("STK result with NUL bytes".into(), JSON, stk("ws_CO_\\u0000x", "0", "1050").into_bytes()),
        ("STK result with huge amount".into(), JSON, stk("ws_CO_none", "0", "1e308").into_bytes()),
        ("STK result with a result code past i64".into(), JSON, stk("ws_CO_none", "99999999999999999999", "1").into_bytes()),
        ("STK result with a string amount".into(), JSON, stk("ws_CO_none", "0", "\"lots\"").into_bytes()),
        ("C2B with NUL bytes".into(), JSON, c2b("QK\\u0000X", "1050.00").into_bytes()),
        ("C2B for no invoice, with NUL".into(), JSON, c2b("\\u0000", "100.00").into_bytes()),
        ("C2B with a negative amount".into(), JSON, c2b("QKNEG1", "-1050.00").into_bytes()),
        ("C2B with an amount past i64".into(), JSON, c2b("QKBIG1", "99999999999999999999999.00").into_bytes()),
        ("C2B with an unpaired surrogate".into(), JSON, c2b("\\ud800", "1.00").into_bytes()),
    ]
}

async fn post(server: &TestServer, path: &str, content_type: &str, body: &[u8], cookie: Option<&str>) -> StatusCode {
    let mut request = server.client.post(format!("{}{path}", server.base)).header("sec-fetch-site", "same-origin").body(body.to_vec());
    if !content_type.is_empty() {
        request = request.header("content-type", content_type);
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    match request.send().await {
        Ok(response) => response.status(),
        // A server may close the connection on a body it refuses part-way: that is no 5xx.
        Err(error) if !error.is_timeout() => StatusCode::PAYLOAD_TOO_LARGE,
        Err(error) => panic!("{path}: {error}"),
    }
}

/// Tables whose rows a refused request changes on purpose: an intruder's own session is
/// touched as it is used, every attempt counts towards the caller's rate limits, a wrong
/// current password is a security event, a well-formed callback reporting money Raia
/// cannot match is kept for staff (money is never lost, even when it cannot be used), and
/// every look at an agency's register is written in its log of who asked.
const CHANGED_ON_PURPOSE: &[&str] = &["sessions", "rate_limit_hits", "login_attempts_by_ip", "security_events", "payments_needing_attention", "register_calls"];

#[tokio::test]
async fn hostile_bodies_never_break_the_server_or_change_a_row() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let citizen = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let functions: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect();
        assert!(functions.len() > 50, "{functions:?}");
        let bodies = hostile_bodies();
        let before = Snapshot::take(&server).await;
        let mut problems = Vec::new();

        for path in &functions {
            // Logging out needs no input: any body ends the session, as it should.
            let callers: &[(&str, Option<&str>)] = if path == "/api/logout" { &[("anonymous", None)] } else { &[("anonymous", None), ("citizen", Some(&citizen))] };
            for (caller, cookie) in callers {
                for (what, content_type, body) in &bodies {
                    let status = post(&server, path, content_type, body, *cookie).await;
                    let too_large = body.len() > raia_server::body_limit::SERVER_FUNCTION_BYTES;
                    if status.is_server_error() || (too_large && status != StatusCode::PAYLOAD_TOO_LARGE) {
                        problems.push(format!("{caller} {path} {what}: {status}"));
                    }
                }
            }
        }
        for template in CALLBACKS {
            let path = template.replace("{secret}", SECRET);
            for (what, content_type, body) in &bodies {
                let status = post(&server, &path, content_type, body, None).await;
                let expected = if body.len() > raia_server::router::CALLBACK_BYTES { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST };
                if status != expected {
                    problems.push(format!("{path} {what}: {status}, expected {expected}"));
                }
            }
            for (what, content_type, body) in hostile_callbacks() {
                let status = post(&server, &path, content_type, &body, None).await;
                if !matches!(status, StatusCode::OK | StatusCode::BAD_REQUEST) {
                    problems.push(format!("{path} {what}: {status}"));
                }
            }
        }

        assert!(problems.is_empty(), "{} on {}:\n{}", problems.len(), server.test_db.url, problems.join("\n"));
        let alive = server.get("/healthz").await;
        assert_eq!(alive.status(), StatusCode::OK);
        // The logged-in citizen's wrong "current password"s lock her account for a while, as
        // they should; the lock is set aside so that every other column is still compared.
        sqlx::query("UPDATE accounts SET locked_until = NULL").execute(server.state.db.pool()).await.unwrap();
        let changed = Snapshot::take(&server).await.changed_since(&before, CHANGED_ON_PURPOSE);
        assert!(changed.is_empty(), "hostile bodies changed rows on {}:\n{}", server.test_db.url, changed.join("\n"));
        server.test_db.drop_database().await;
    }
}
