//! The access-control sweep: every server function Leptos has registered, and every page
//! or download that takes an id, is tried with a citizen's ids by three intruders: an
//! anonymous client, a second citizen and an officer of another agency. Each gets "log in",
//! "not found" or "forbidden", never a word of the citizen's data, and no row of any table
//! changes. The functions come from Leptos's own registry, so a new server function that
//! nobody has classified here fails the sweep until somebody decides who may call it.
//! SQLite and PostgreSQL.

mod support;

use raia_app::identity::accounts::{self, NewAccount};
use raia_app::services::service::FormTarget;
use raia_app::support::service::{Screenshot, Support, TicketForm};
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use std::collections::{BTreeSet, HashMap};
use support::payment_world::{account, awaiting_payment};
use support::snapshot::Snapshot;
use support::{log_in, TestServer};

/// Who may call a server function, and so what an intruder must get from it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Class {
    /// Anyone: the catalogue, the status page, checking a receipt's public code. Nothing
    /// personal, so there is nothing to sweep.
    Public,
    /// A step of registering, logging in or resetting a password: it acts on the caller's own
    /// session only, before anyone is logged in.
    SignInFlow,
    /// Who is calling: nothing for an anonymous client, the caller's own name for anyone else.
    WhoAmI,
    /// Reads the caller's own account, and takes no id: anonymous clients are asked to log in;
    /// anyone else sees their own things, never the citizen's.
    CallersOwn,
    /// Changes the caller's own account, and takes no id: anonymous clients are asked to log
    /// in (logged-in intruders would only change their own account).
    CallersOwnChange,
    /// Takes the id of a citizen's application, payment, receipt, request or session: every
    /// intruder gets "log in", "not found" or "forbidden".
    CitizensById,
    /// Takes the id of a citizen's notification and marks it read only if it is the caller's:
    /// anyone else's id is accepted and changes nothing (no answer says whether it exists).
    CitizensByIdIgnored,
    /// A staff list (an officer's queue, the support desk): a citizen is refused; an officer of
    /// another agency sees that agency's list, without the citizen's things.
    StaffList,
    /// Staff acting on one application or request: the agency's officers and admins only.
    StaffById,
    /// Admins only.
    Admin,
}

use Class::*;

/// Every server function, its class, and the form an intruder posts to it, where `{ref}`,
/// `{version}`, `{unpaid}`, `{payment}`, `{receipt}`, `{ticket}`, `{notification}`,
/// `{session}` and `{account}` are the citizen's own.
const SERVER_FUNCTIONS: &[(&str, Class, &str)] = &[
    ("/api/services/search", Public, ""),
    ("/api/services/details", Public, ""),
    ("/api/status/banner", Public, ""),
    ("/api/status/all", Public, ""),
    ("/api/status/hide", Public, ""),
    ("/api/performance", Public, ""),
    ("/api/verify", Public, ""),
    ("/api/documents/verify", Public, ""),
    ("/api/session", WhoAmI, ""),
    ("/api/me", WhoAmI, "return_to=%2F"),
    ("/api/register/start", SignInFlow, ""),
    ("/api/register/person", SignInFlow, ""),
    ("/api/register/complete", SignInFlow, ""),
    ("/api/login/password", SignInFlow, ""),
    ("/api/login/destinations", SignInFlow, ""),
    ("/api/code/send", SignInFlow, ""),
    ("/api/code/verify", SignInFlow, ""),
    ("/api/reset/start", SignInFlow, ""),
    ("/api/reset/ready", SignInFlow, ""),
    ("/api/reset/password", SignInFlow, ""),
    ("/api/logout", SignInFlow, ""),
    ("/api/account", CallersOwn, ""),
    ("/api/account/security", CallersOwn, ""),
    ("/api/account/authenticator/setup", CallersOwn, ""),
    ("/api/account/contact/pending", CallersOwn, ""),
    ("/api/account/activity", CallersOwn, ""),
    ("/api/account/data", CallersOwn, ""),
    ("/api/account/sessions", CallersOwn, ""),
    ("/api/applications/mine", CallersOwn, "return_to=%2Fapplications"),
    ("/api/notifications", CallersOwn, ""),
    ("/api/notifications/all", CallersOwn, ""),
    ("/api/payments", CallersOwn, ""),
    ("/api/documents/mine", CallersOwn, ""),
    ("/api/support/mine", CallersOwn, ""),
    ("/api/vehicles/mine", CallersOwn, ""),
    ("/api/account/security/codes", CallersOwnChange, "channel=sms&allow_messages=on"),
    ("/api/account/authenticator/begin", CallersOwnChange, "current_password=Harambee+demo+2026"),
    ("/api/account/authenticator/confirm", CallersOwnChange, "code=123456"),
    ("/api/account/authenticator/off", CallersOwnChange, "current_password=Harambee+demo+2026&code=123456"),
    ("/api/account/contact/start", CallersOwnChange, "kind=email&email=intruder%40example.com&current_password=Harambee+demo+2026"),
    ("/api/account/contact/confirm", CallersOwnChange, "code=123456"),
    ("/api/account/contact/resend", CallersOwnChange, ""),
    ("/api/account/language", CallersOwnChange, "language=sw"),
    ("/api/account/close", CallersOwnChange, "current_password=Harambee+demo+2026&understood=yes"),
    ("/api/account/sessions/end-others", CallersOwnChange, ""),
    ("/api/account/password", CallersOwnChange, "current_password=Harambee+demo+2026&password=a+whole+new+phrase+2026&password_confirm=a+whole+new+phrase+2026"),
    ("/api/applications/form", CitizensById, "service=good-conduct&reference={ref}&return_to=%2F"),
    ("/api/applications/save-step", CitizensById, "service=good-conduct&reference={unpaid}&step=0&answers[purpose]=travel"),
    ("/api/applications/declaration", CitizensById, "service=good-conduct&reference={unpaid}&declaration=yes"),
    ("/api/applications/submit", CitizensById, "service=good-conduct&reference={unpaid}"),
    ("/api/applications/withdraw", CitizensById, "reference={unpaid}&version={unpaid_version}"),
    ("/api/applications/one", CitizensById, "reference={ref}"),
    ("/api/notifications/read", CitizensByIdIgnored, "id={notification}"),
    ("/api/pay/page", CitizensById, "reference={unpaid}&payment={payment}"),
    ("/api/pay/mpesa", CitizensById, "reference={unpaid}&phone=0712345678&attempt_key=intruder-1"),
    ("/api/pay/card", CitizensById, "reference={unpaid}&card_number=4242+4242+4242+4242&expiry=12%2F30&cvc=123&attempt_key=intruder-2"),
    ("/api/pay/status", CitizensById, "reference={unpaid}&payment={payment}"),
    ("/api/pay/check", CitizensById, "reference={unpaid}&payment={payment}"),
    ("/api/receipt", CitizensById, "number={receipt}"),
    ("/api/support/ticket", CitizensById, "reference={ticket}"),
    ("/api/support/reply", CitizensById, "reference={ticket}&message=Let+me+in"),
    ("/api/account/sessions/end", CitizensById, "session={session}"),
    ("/api/vehicles/one", CitizensById, "registration=KDA123A"),
    ("/api/transfers/one", CitizensById, "reference={ref}"),
    ("/api/transfers/send-code", CitizensById, "reference={ref}"),
    ("/api/transfers/accept", CitizensById, "reference={ref}&version={version}&code=123456"),
    ("/api/transfers/cancel", CitizensById, "reference={ref}&version={version}"),
    ("/api/officer/queue", StaffList, "service=&status=&after=&return_to=%2Fofficer"),
    ("/api/support/desk", StaffList, "return_to=%2Fofficer%2Fsupport"),
    ("/api/officer/application", StaffById, "reference={ref}&reason=Intruder+looking"),
    ("/api/documents/status", StaffById, "reference={ref}&number=DOC-2026-000001&status=revoked&reason=Intruder"),
    ("/api/officer/move", StaffById, "reference={ref}&version={version}&action=start_review&note=&centre="),
    ("/api/support/desk/ticket", StaffById, "reference={ticket}&return_to=%2Fofficer%2Fsupport"),
    ("/api/support/desk/reply", StaffById, "reference={ticket}&message=Closed+by+me&return_to=%2Fofficer%2Fsupport"),
    ("/api/support/desk/resolve", StaffById, "reference={ticket}&return_to=%2Fofficer%2Fsupport"),
    ("/api/admin/staff", Admin, ""),
    ("/api/admin/staff/create", Admin, "id_number=40000000&first_name=Eve&surname=Intruder&email=eve%40example.com&phone=0722999888&role=admin&agency="),
    ("/api/admin/staff/disable", Admin, "account_id={account}&disabled=true"),
    ("/api/admin/claims", Admin, ""),
    ("/api/admin/claims/release", Admin, "reference={ref}&version={version}"),
    ("/api/admin/messages", Admin, ""),
    ("/api/admin/status", Admin, "kind=outage&title_en=Down&title_sw=Down&body_en=Down&body_sw=Down&starts=2026-01-01T00%3A00&ends=2030-01-01T00%3A00"),
    ("/api/admin/payments", Admin, ""),
    ("/api/admin/registers", Admin, ""),
];

/// What a page or download shows, and so what an intruder must get from it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Page {
    /// A citizen's own thing, or staff's: the login page for an anonymous client (a download:
    /// "not found"), "not found" or "forbidden" for anyone else.
    Private,
    /// A staff list (`/admin/support` is the same desk as `/officer/support`): an officer of
    /// any agency opens it and sees only that agency's things.
    OfficersList,
    /// A form and nothing else (posting a service notice): it reads nothing, so anyone may see
    /// the empty form; posting it is for admins only, which the server function sweep checks.
    EmptyForm,
}

/// Pages and downloads that take an id, or are for staff only.
const PAGES: &[(&str, Page)] = &[
    ("/applications/{ref}", Page::Private),
    ("/applications/{ref}/edit", Page::Private),
    ("/applications/{unpaid}/pay", Page::Private),
    ("/receipts/{receipt}", Page::Private),
    ("/support/{ticket}", Page::Private),
    ("/documents/{document}", Page::Private),
    ("/documents/support/{attachment}", Page::Private),
    ("/officer/applications/{ref}", Page::Private),
    ("/my-vehicles/KDA123A", Page::Private),
    ("/transfers/{ref}", Page::Private),
    ("/officer/support/{ticket}", Page::Private),
    ("/admin/support/{ticket}", Page::Private),
    ("/officer", Page::OfficersList),
    ("/officer/support", Page::OfficersList),
    ("/admin", Page::Private),
    ("/admin/claims", Page::Private),
    ("/admin/messages", Page::Private),
    ("/admin/payments", Page::Private),
    ("/admin/registers", Page::Private),
    ("/admin/status", Page::EmptyForm),
    ("/admin/support", Page::OfficersList),
];

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
/// Words that appear only in the citizen's own request for help.
const PRIVATE_NOTE: &str = "Owner only note 7Q4X";

/// The citizen's things, by the ids an intruder would guess or be sent.
struct Owned {
    ids: HashMap<&'static str, String>,
    /// What must never reach an intruder: the citizen's name, contacts and words, and (where
    /// the intruder did not send it) each id.
    private: Vec<String>,
}

impl Owned {
    fn fill(&self, template: &str) -> String {
        // Longest names first: `{unpaid_version}` before `{unpaid}`.
        let mut names: Vec<_> = self.ids.keys().collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.len()));
        names.iter().fold(template.to_string(), |text, name| text.replace(&format!("{{{name}}}"), &self.ids[*name]))
    }

    /// The private things found in an answer, leaving out what the request itself carried.
    fn leaked_in(&self, answer: &str, request: &str) -> Vec<String> {
        self.private.iter().filter(|secret| !request.contains(secret.as_str()) && answer.contains(secret.as_str())).cloned().collect()
    }
}

async fn query_text(server: &TestServer, sql: &str, bind: i64) -> String {
    sqlx::query_scalar::<_, String>(sql).bind(bind).fetch_one(server.state.db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn query_number(server: &TestServer, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).bind(bind).fetch_one(server.state.db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Wanjiku's portal: a paid application with its receipt, an unpaid one with a declined card
/// payment, a draft passport with a photo, a request for help with a screenshot, her
/// notifications and her logged-in session.
async fn citizens_things(server: &TestServer) -> Owned {
    let wanjiku = account(server, "12345678").await;
    let apps = &server.state.applications;
    let paid = awaiting_payment(server, &wanjiku).await;
    server.state.payments.pay_card(&wanjiku, &paid, "4242 4242 4242 4242", "12/30", "123", "owner-paid").await.expect("paid by card");
    let unpaid = awaiting_payment(server, &wanjiku).await;
    let declined = server.state.payments.pay_card(&wanjiku, &unpaid, "4000 0000 0000 0002", "12/30", "123", "owner-declined").await.expect("a declined attempt");

    let draft = FormTarget::Draft { service: "passport".into() };
    let answers: HashMap<String, String> = [("date_of_birth", "1990-05-17"), ("place_of_birth", "Nyeri"), ("marital_status", "single"), ("occupation", "Teacher")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    apps.save_step(&wanjiku, &draft, 0, &answers).await.unwrap();
    apps.attach_document(&wanjiku, &draft, "photo", "me.png", PNG).await.unwrap();

    let ticket = Support::from(apps)
        .open(&wanjiku, &TicketForm { topic: "application", application: &paid, message: PRIVATE_NOTE, screenshot: Screenshot::File { name: "screen.png", bytes: PNG } })
        .await
        .expect("a request for help");

    let receipt_number = sqlx::query_scalar::<_, String>("SELECT r.number FROM receipts r JOIN invoices i ON i.id = r.invoice_id JOIN applications a ON a.id = i.application_id WHERE a.reference = $1")
        .bind(&paid)
        .fetch_one(server.state.db.pool())
        .await
        .expect("the paid application has a receipt");
    let verify_code = sqlx::query_scalar::<_, String>("SELECT verify_code FROM receipts WHERE number = $1").bind(&receipt_number).fetch_one(server.state.db.pool()).await.unwrap();
    let session_hash = query_text(server, "SELECT token_hash FROM sessions WHERE account_id = $1 AND stage = 'authenticated' ORDER BY created_at DESC LIMIT 1", wanjiku.id).await;
    let ids: HashMap<&'static str, String> = [
        ("ref", paid.clone()),
        ("version", query_number(server, "SELECT version FROM applications WHERE reference = $1", &paid).await.to_string()),
        ("unpaid", unpaid.clone()),
        ("unpaid_version", query_number(server, "SELECT version FROM applications WHERE reference = $1", &unpaid).await.to_string()),
        ("payment", declined.to_string()),
        ("receipt", receipt_number.clone()),
        ("ticket", ticket.clone()),
        ("notification", query_number(server, "SELECT MIN(id) FROM notifications WHERE account_id = (SELECT id FROM accounts WHERE id_number = $1)", "12345678").await.to_string()),
        ("session", raia_app::identity::sessions::public_id(&session_hash)),
        ("account", wanjiku.id.to_string()),
        ("document", query_number(server, "SELECT MIN(id) FROM application_documents WHERE field = $1", "photo").await.to_string()),
        ("attachment", query_number(server, "SELECT MIN(id) FROM support_attachments WHERE content_type = $1", "image/png").await.to_string()),
    ]
    .into_iter()
    .collect();
    let private = vec![
        "Kamau".to_string(),
        "wanjiku@example.com".to_string(),
        "712345678".to_string(),
        "712 345 678".to_string(),
        PRIVATE_NOTE.to_string(),
        "IHDR".to_string(),
        paid,
        unpaid,
        receipt_number,
        verify_code,
        ticket,
    ];
    Owned { ids, private }
}

/// A second citizen, with an account of her own and no application.
async fn second_citizen(server: &TestServer) -> String {
    let identity = &server.state.identity;
    let hash = identity.hasher.hash("sunrise over the rift valley").await.unwrap();
    let mut tx = identity.db.begin_write().await.unwrap();
    let new = NewAccount {
        id_number: "67890123",
        account_type: "citizen",
        first_name: "Baraka",
        surname: "Mutua",
        email: "baraka@example.com",
        phone: "+254722000333",
        password_hash: &hash,
        role: "citizen",
        language: raia_app::i18n::Locale::en,
    };
    accounts::insert(&mut tx, &new, chrono_now()).await.unwrap();
    tx.commit().await.unwrap();
    log_in(server, "67890123", "sunrise over the rift valley", "+254722000333").await
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn registered_server_functions() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect()
}

#[test]
fn every_registered_server_function_is_classified() {
    let registered = registered_server_functions();
    assert!(registered.len() > 50, "Leptos's registry lists the server functions: {registered:?}");
    let classified: BTreeSet<String> = SERVER_FUNCTIONS.iter().map(|(path, _, _)| path.to_string()).collect();
    let unclassified: Vec<_> = registered.difference(&classified).collect();
    assert!(
        unclassified.is_empty(),
        "server functions nobody has classified: {unclassified:?}. Add each to SERVER_FUNCTIONS in server/tests/access_sweep.rs with who may call it, \
         and the form an intruder would post with a citizen's ids; the sweep then checks that nobody else gets in."
    );
    let gone: Vec<_> = classified.difference(&registered).collect();
    assert!(gone.is_empty(), "classified but no longer registered (remove them): {gone:?}");
}

/// One intruder's attempt, and what was wrong with its answer.
async fn attempt(server: &TestServer, owned: &Owned, intruder: &str, cookie: Option<&str>, path: &str, body: &str, page: bool) -> (StatusCode, Vec<String>) {
    let mut request = if page {
        server.client.get(format!("{}{path}", server.base)).header("accept", "text/html")
    } else {
        server.client.post(format!("{}{path}", server.base)).header("content-type", "application/x-www-form-urlencoded").header("sec-fetch-site", "same-origin").body(body.to_string())
    };
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let answer = response.text().await.unwrap_or_default();
    let mut problems = Vec::new();
    let leaked = owned.leaked_in(&format!("{location}\n{answer}"), &format!("{path}?{body}"));
    if !leaked.is_empty() {
        problems.push(format!("{intruder} {path}: {status} shows the citizen's {leaked:?}"));
    }
    if status.is_server_error() {
        problems.push(format!("{intruder} {path}: {status}"));
    }
    (status, problems)
}

fn refused(status: StatusCode) -> bool {
    matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
}

fn to_login(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED || status.is_redirection()
}

#[tokio::test]
async fn intruders_get_nothing_of_a_citizens_and_change_nothing() {
    for test_db in TestDb::all().await {
        let server = support::payment_world::server(test_db).await;
        let owner = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let owned = citizens_things(&server).await;
        let intruders = [
            ("anonymous", None),
            ("second citizen", Some(second_citizen(&server).await)),
            ("NTSA officer", Some(log_in(&server, "30000003", "Raia staff demo 2026", "+254700000103").await)),
        ];
        let before = Snapshot::take(&server).await;
        let mut problems = Vec::new();

        for (path, class, template) in SERVER_FUNCTIONS {
            if matches!(class, Public | SignInFlow) {
                continue;
            }
            let body = owned.fill(template);
            for (intruder, cookie) in &intruders {
                if cookie.is_some() && *class == CallersOwnChange {
                    continue;
                }
                let (status, mut found) = attempt(&server, &owned, intruder, cookie.as_deref(), path, &body, false).await;
                let expected = match (cookie, class) {
                    (_, WhoAmI) => status.is_success(),
                    (None, _) => status == StatusCode::UNAUTHORIZED,
                    (Some(_), CallersOwn) => status.is_success(),
                    (Some(_), CitizensByIdIgnored) => status.is_success() || refused(status),
                    (Some(_), StaffList) => refused(status) || (status.is_success() && *intruder == "NTSA officer"),
                    (Some(_), _) => refused(status),
                };
                if !expected {
                    found.push(format!("{intruder} {path}: answered {status} ({class:?})"));
                }
                problems.extend(found);
            }
        }

        for (template, kind) in PAGES {
            let path = owned.fill(template);
            let download = path.starts_with("/documents/");
            for (intruder, cookie) in &intruders {
                let (status, mut found) = attempt(&server, &owned, intruder, cookie.as_deref(), &path, "", true).await;
                let expected = match (cookie, kind) {
                    (_, Page::EmptyForm) => status.is_success(),
                    (None, _) if download => status == StatusCode::NOT_FOUND,
                    (None, _) => to_login(status),
                    (Some(_), Page::OfficersList) if *intruder == "NTSA officer" => status.is_success(),
                    (Some(_), _) => refused(status),
                };
                if !expected {
                    found.push(format!("{intruder} GET {path}: answered {status}"));
                }
                problems.extend(found);
            }
        }

        // Every intruder's own session is touched as it is used, and every look at a register
        // is written in its log of who asked (an intruder's too); nothing else may move.
        let changed = Snapshot::take(&server).await.changed_since(&before, &["sessions", "register_calls"]);
        assert!(problems.is_empty(), "{} on {}:\n{}", problems.len(), server.test_db.url, problems.join("\n"));
        assert!(changed.is_empty(), "intruders changed rows on {}:\n{}", server.test_db.url, changed.join("\n"));
        assert_eq!(server.get_with(&format!("/applications/{}", owned.ids["ref"]), "cookie", &owner).await.status(), StatusCode::OK, "the citizen is still logged in");
        server.test_db.drop_database().await;
    }
}
