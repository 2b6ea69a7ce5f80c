//! The USSD menu over HTTP, posted as Africa's Talking posts it (a urlencoded form with every
//! answer so far in `text`), on SQLite and PostgreSQL: a feature phone follows its
//! applications, pays a fee with one STK push however often a step is posted, and chooses
//! its language; strangers, wrong secrets and garbage learn nothing.

mod support;

use raia_app::identity::accounts;
use raia_app::i18n::Locale;
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use support::payment_world::{account, awaiting_payment, count, server, status_once_paid};
use support::TestServer;

const SECRET: &str = "dev-ussd-secret-not-for-production";
const WANJIKU_PHONE: &str = "+254712345678";

async fn step_at(server: &TestServer, secret: &str, session: &str, phone: &str, text: &str) -> (StatusCode, String) {
    let form = [("sessionId", session), ("serviceCode", "*384*1234#"), ("phoneNumber", phone), ("networkCode", "63902"), ("text", text)];
    let response = server.client.post(format!("{}/callbacks/ussd/{secret}", server.base)).form(&form).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn step(server: &TestServer, session: &str, text: &str) -> String {
    let (status, body) = step_at(server, SECRET, session, WANJIKU_PHONE, text).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.chars().count() <= 182, "{} characters: {body}", body.chars().count());
    body
}

#[tokio::test]
async fn a_feature_phone_follows_its_applications_and_pays_a_fee_with_one_push() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = account(&server, "12345678").await;
        let reference = awaiting_payment(&server, &citizen).await;

        let menu = step(&server, "ATUid_one", "").await;
        assert!(menu.starts_with("CON Raia\n1 My applications"), "{menu}");
        let applications = step(&server, "ATUid_one", "1").await;
        assert!(applications.contains(&format!("{reference} Awaiting payment")), "{applications}");
        assert!(!applications.contains("12345678"), "no ID number on a phone's screen");
        let fees = step(&server, "ATUid_one", "2").await;
        assert!(fees.contains(&format!("1 {reference} KES 1,050")), "{fees}");
        let confirm = step(&server, "ATUid_one", "2*1").await;
        assert!(confirm.starts_with("CON Pay KES 1,050 for ") && confirm.contains("1 Pay"), "{confirm}");

        // Africa's Talking may post the last step again; still one push, one attempt.
        let paying = step(&server, "ATUid_one", "2*1*1").await;
        assert!(paying.starts_with("END M-Pesa will ask for your PIN on this phone to pay KES 1,050"), "{paying}");
        assert_eq!(step(&server, "ATUid_one", "2*1*1").await, paying);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments").await, 1);

        // The simulator answers the push and calls back: the fee is paid once.
        assert_eq!(status_once_paid(&server, &citizen, &reference).await, Status::Paid);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM receipts").await, 1);
        assert!(step(&server, "ATUid_two", "1").await.contains(&format!("{reference} Paid")));
        assert_eq!(step(&server, "ATUid_two", "2").await, "CON You have no fees to pay.\n0 Back");
        // A replayed path from an old session pays nothing more.
        let replay = step(&server, "ATUid_three", "2*1*1").await;
        assert!(replay.starts_with("CON Choose a number from the list."), "{replay}");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments").await, 1);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn the_language_chosen_by_phone_is_the_accounts_language_everywhere() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        assert_eq!(step(&server, "ATUid_lang", "3").await, "CON Choose your language:\n1 English\n2 Kiswahili\n0 Back");
        assert_eq!(step(&server, "ATUid_lang", "3*2").await, "END Sasa Raia itakuandikia kwa Kiswahili.");
        assert_eq!(account(&server, "12345678").await.language, Locale::sw);
        assert!(step(&server, "ATUid_next", "").await.contains("1 Maombi yangu"));
        assert_eq!(step(&server, "ATUid_next", "3*1").await, "END Raia will now write to you in English.");
        assert_eq!(account(&server, "12345678").await.language, Locale::en);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn strangers_wrong_secrets_and_garbage_learn_nothing() {
    let server = server(TestDb::sqlite().await).await;
    // A phone with no account: where to find Raia, nothing else, whatever it typed.
    for text in ["", "1", "2*1*1"] {
        let (status, body) = step_at(&server, SECRET, "ATUid_x", "+254799999999", text).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with("END Raia: apply for government services at 127.0.0.1:"), "{body}");
        assert!(!body.contains("1 "), "no menu for a stranger: {body}");
    }
    // A disabled account is a stranger too, and so is a number typed at registration that no
    // code ever proved (it may be someone else's phone).
    let citizen = account(&server, "12345678").await;
    for (break_it, mend_it) in [("UPDATE accounts SET disabled = 1 WHERE id = $1", "UPDATE accounts SET disabled = 0 WHERE id = $1"), ("UPDATE accounts SET phone_verified = 0 WHERE id = $1", "UPDATE accounts SET phone_verified = 1 WHERE id = $1")] {
        sqlx::query(break_it).bind(citizen.id).execute(server.state.db.pool()).await.unwrap();
        assert!(step(&server, "ATUid_x", "").await.starts_with("END Raia: apply"), "{break_it}");
        sqlx::query(mend_it).bind(citizen.id).execute(server.state.db.pool()).await.unwrap();
    }

    // A wrong secret is nothing there.
    let (status, _) = step_at(&server, "dev-ussd-secret-not-for-productioN", "s", WANJIKU_PHONE, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = step_at(&server, "dev-callback-secret-not-for-production", "s", WANJIKU_PHONE, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "M-Pesa's secret does not open USSD");

    // Trailing `*` and garbage: the same screen again, saying so.
    for text in ["1*", "2*7", "x", "1*9*9*", "3*%"] {
        let body = step(&server, "ATUid_g", text).await;
        assert!(body.starts_with("CON "), "{text:?}: {body}");
    }
    assert!(step(&server, "ATUid_g", "9").await.starts_with("CON Choose a number from the list."));
    assert!(step(&server, "ATUid_g", "0*1").await.starts_with("END Please dial again"));

    // Not Africa's Talking's form at all: 400, never a 500.
    for body in ["", "sessionId=&phoneNumber=%2B254712345678", "sessionId=s&phoneNumber=%2B254712345678&text=1%002", "{\"sessionId\":\"s\"}"] {
        let response = server.client.post(format!("{}/callbacks/ussd/{SECRET}", server.base)).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body:?}");
    }
    assert_eq!(accounts::find_by_id(server.state.db.pool(), citizen.id).await.unwrap().unwrap().language, Locale::en);
}
