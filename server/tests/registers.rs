//! Agencies' registers and the documents Raia issues, over the real services and HTTP, on
//! SQLite and PostgreSQL: a fine's amount comes from its notice and the notice is paid
//! once, however many payments race for it; a vehicle search is answered by the register
//! and issues a result whose QR code verifies offline with the published keys alone; a
//! certificate of good conduct is issued on approval, verified, revoked.

mod support;

use raia_app::errors::{AppError, Problem};
use raia_app::identity::accounts::Account;
use raia_app::issued::signing::{keys_from_jwks, verify_with};
use raia_app::issued::views::{DocumentStatus, Verification};
use raia_app::services::service::FormTarget;
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use std::collections::HashMap;
use support::payment_world::{account, count, post_json, server, status_of};
use support::{log_in, TestServer};

const SECRET: &str = "dev-callback-secret-not-for-production";

fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn problem<T: std::fmt::Debug>(result: Result<T, AppError>) -> Problem {
    match result {
        Err(AppError::Invalid(problems)) => problems[0].problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

async fn apply(server: &TestServer, citizen: &Account, service: &str, pairs: &[(&str, &str)]) -> Result<String, AppError> {
    let apps = &server.state.applications;
    let draft = FormTarget::Draft { service: service.into() };
    apps.save_step(citizen, &draft, 0, &answers(pairs)).await?;
    apps.accept_declaration(citizen, &draft, true).await?;
    apps.submit(citizen, &draft).await
}

async fn invoice_of(server: &TestServer, citizen: &Account, reference: &str) -> (String, i64) {
    let page = server.state.payments.pay_page(citizen, reference, None).await.unwrap();
    (page.invoice.number, page.invoice.total_cents)
}

async fn paybill(server: &TestServer, trans_id: &str, invoice: &str, cents: i64) {
    let body = format!(
        r#"{{"TransactionType":"Pay Bill","TransID":"{trans_id}","TransTime":"20261204140500","TransAmount":"{}.{:02}","BusinessShortCode":"222111","BillRefNumber":"{invoice}","MSISDN":"254712345678","FirstName":"Wanjiku"}}"#,
        cents / 100,
        cents % 100
    );
    assert!(post_json(server, &format!("/callbacks/mpesa/{SECRET}/c2b"), &body).await.status().is_success());
}

async fn officer(server: &TestServer, agency: &str) -> Account {
    let id_number: String = sqlx::query_scalar("SELECT id_number FROM accounts WHERE email = $1").bind(format!("{agency}.officer@raia.example")).fetch_one(server.state.db.pool()).await.unwrap();
    account(server, &id_number).await
}

#[tokio::test]
async fn a_fine_is_looked_up_by_notice_number_and_its_amount_comes_from_the_notice() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = account(&server, "12345678").await;
        let service = server.state.applications.catalogue.service("ntsa-fines").unwrap();
        assert!(service.fees.is_empty() && service.fee_from_notice(), "no offence or amount to choose from");

        let draft = FormTarget::Draft { service: "ntsa-fines".into() };
        let apps = &server.state.applications;
        assert_eq!(problem(apps.save_step(&citizen, &draft, 0, &answers(&[("notice_number", "NTSA9999999")])).await), Problem::NoticeUnknown);
        // Paid at a police station: nothing more to pay.
        assert_eq!(problem(apps.save_step(&citizen, &draft, 0, &answers(&[("notice_number", "NTSA0010005")])).await), Problem::NoticePaid);
        // Typed loosely; the amount is the notice's KES 3,000 plus the KES 50 fee, whatever else is sent.
        let typed = answers(&[("notice_number", " ntsa 0010002 "), ("offence", "seatbelt"), ("notice.amount_cents", "100")]);
        apps.save_step(&citizen, &draft, 0, &typed).await.unwrap();
        assert_eq!(apps.form(&citizen, &draft).await.unwrap().amount_due_cents, 3_050_00);
        apps.accept_declaration(&citizen, &draft, true).await.unwrap();
        let reference = apps.submit(&citizen, &draft).await.unwrap();
        assert_eq!(invoice_of(&server, &citizen, &reference).await.1, 3_050_00);
        let details = apps.my_application(&citizen, &reference).await.unwrap();
        assert_eq!(details.answers.get("notice_number").map(String::as_str), Some("NTSA0010002"));
        assert_eq!(details.answers.get("notice.vehicle").map(String::as_str), Some("KCB 456K"));
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_driving_licence_renewal_reads_the_licence_from_the_register() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = account(&server, "12345678").await;
        let apps = &server.state.applications;
        let draft = FormTarget::Draft { service: "driving-licence-renewal".into() };
        assert_eq!(problem(apps.save_step(&citizen, &draft, 0, &answers(&[("licence_number", "DL0000000"), ("period", "1-year")])).await), Problem::LicenceUnknown);
        // Otieno's licence.
        assert_eq!(problem(apps.save_step(&citizen, &draft, 0, &answers(&[("licence_number", "DL2345678"), ("period", "1-year")])).await), Problem::LicenceNotYours);
        // Her own; an expiry date or classes posted with it are not taken.
        let typed = answers(&[("licence_number", "dl 1234567"), ("period", "3-years"), ("register.licence_expiry", "2099-12-31"), ("expiry_date", "2099-12-31")]);
        apps.save_step(&citizen, &draft, 0, &typed).await.unwrap();
        apps.accept_declaration(&citizen, &draft, true).await.unwrap();
        let reference = apps.submit(&citizen, &draft).await.unwrap();
        let details = apps.my_application(&citizen, &reference).await.unwrap();
        assert_eq!(details.answers.get("licence_number").map(String::as_str), Some("DL1234567"));
        assert_eq!(details.answers.get("register.licence_expiry").map(String::as_str), Some("2027-04-30"));
        assert_eq!(details.answers.get("register.licence_classes").map(String::as_str), Some("B"));
        assert!(!details.answers.contains_key("expiry_date"));
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_notice_is_paid_once_however_many_payments_race_for_it() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = account(&server, "12345678").await;
        // Fifty applications for one notice (a citizen who applied again and again, or
        // several people paying one driver's fine), each with its own invoice.
        let mut invoices = Vec::new();
        for _ in 0..50 {
            let reference = apply(&server, &citizen, "ntsa-fines", &[("notice_number", "NTSA0010001")]).await.unwrap();
            invoices.push((reference.clone(), invoice_of(&server, &citizen, &reference).await));
        }
        let payments = invoices.iter().enumerate().map(|(i, (_, (invoice, cents)))| {
            let server = &server;
            async move { paybill(server, &format!("RKF{i:07}"), invoice, *cents).await }
        });
        futures::future::join_all(payments).await;

        let mut paid = Vec::new();
        for (reference, (invoice, _)) in &invoices {
            if status_of(&server, &citizen, reference).await == Status::Paid {
                paid.push(invoice.clone());
            }
        }
        assert_eq!(paid.len(), 1, "exactly one application paid the notice");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention WHERE kind = 'refund_due'").await, 49, "every other payment kept, to be refunded");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM register_orders WHERE kind = 'pay_fine'").await, 1);

        // The worker tells the register; asked again, nothing changes.
        raia_server::register_worker::round(&server.state.applications, &server.state.db, server.state.identity.clock.now()).await;
        raia_server::register_worker::round(&server.state.applications, &server.state.db, server.state.identity.clock.now()).await;
        let paid_reference: Option<String> = sqlx::query_scalar("SELECT paid_reference FROM register_fines WHERE notice_number = 'NTSA0010001'").fetch_one(server.state.db.pool()).await.unwrap();
        assert_eq!(paid_reference.as_deref(), Some(paid[0].as_str()));
        assert_eq!(count(&server, "SELECT COUNT(*) FROM register_orders WHERE status = 'done'").await, 1);
        // And the notice cannot be paid again.
        assert_eq!(problem(apply(&server, &citizen, "ntsa-fines", &[("notice_number", "NTSA0010001")]).await), Problem::NoticePaid);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_vehicle_search_is_answered_by_the_register_and_its_result_verifies_offline() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = account(&server, "12345678").await;
        assert_eq!(problem(apply(&server, &citizen, "vehicle-search", &[("registration_number", "KZZ 999Z"), ("purpose", "buying")]).await), Problem::VehicleUnknown);
        let reference = apply(&server, &citizen, "vehicle-search", &[("registration_number", "kdb789c"), ("purpose", "buying")]).await.unwrap();
        let (invoice, cents) = invoice_of(&server, &citizen, &reference).await;
        paybill(&server, "RKV0000001", &invoice, cents).await;
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::Paid);

        raia_server::register_worker::round(&server.state.applications, &server.state.db, server.state.identity.clock.now()).await;
        let details = server.state.applications.my_application(&citizen, &reference).await.unwrap();
        assert_eq!(details.status, Status::Completed, "answered with no officer");
        let document = details.issued.expect("a search result was issued");
        assert_eq!(document.status, DocumentStatus::Valid);

        // The PDF, as the holder downloads it over HTTP; a stranger gets 404.
        let cookie = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let response = server.client.get(format!("{}/issued/{}.pdf", server.base, document.number)).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let pdf = response.bytes().await.unwrap().to_vec();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("Isuzu D-Max") && text.contains("Equity Bank Kenya Ltd"), "the register's record is on it");
        assert!(!text.contains("MPATFS86JKT001122") && text.contains("*************1122"), "the chassis number is masked");
        assert_eq!(server.get(&format!("/issued/{}.pdf", document.number)).await.status(), 404);

        // Offline: decode the QR code from the PDF's drawing, verify with the published keys only.
        let jwks: serde_json::Value = server.get("/.well-known/raia-document-keys.json").await.json().await.unwrap();
        let keys = keys_from_jwks(&jwks);
        let code = decode_qr(&pdf);
        let signed = code.split("code=").nth(1).expect("the QR code carries the signed payload");
        let claims = verify_with(&keys, signed).expect("genuine");
        assert_eq!((claims.no.as_str(), claims.typ.as_str(), claims.hn.as_str(), claims.ag.as_str()), (document.number.as_str(), "vehicle_search", "WAN**** KAM**", "ntsa"));
        // One changed character of the payload, and it is refused.
        let mut forged = signed.to_string();
        let middle = forged.len() / 2;
        let swapped = if &forged[middle..middle + 1] == "A" { "B" } else { "A" };
        forged.replace_range(middle..middle + 1, swapped);
        assert!(verify_with(&keys, &forged).is_err());
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_certificate_is_issued_on_approval_verified_and_revoked() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let apps = &server.state.applications;
        let citizen = account(&server, "12345678").await;
        let reference = apply(&server, &citizen, "good-conduct", &[("purpose", "employment"), ("county_of_residence", "Nairobi"), ("fingerprint_centre", "huduma-gpo")]).await.unwrap();
        let (invoice, cents) = invoice_of(&server, &citizen, &reference).await;
        paybill(&server, "RKG0000001", &invoice, cents).await;
        let dci = officer(&server, "dci").await;
        for action in ["claim", "approve"] {
            let version = apps.my_application(&citizen, &reference).await.unwrap().version;
            apps.officer_move(&dci, &reference, version, action, "", "").await.unwrap();
        }
        let document = apps.my_application(&citizen, &reference).await.unwrap().issued.expect("issued on approval");
        assert_eq!(document.expires_on.is_some(), true, "a clearance is valid for six months");
        let sms: String = sqlx::query_scalar("SELECT body FROM outbox_messages WHERE recipient = '+254712345678' AND body LIKE '%/my-documents%' ORDER BY id DESC LIMIT 1").fetch_one(server.state.db.pool()).await.unwrap();
        assert!(sms.contains(&document.number) && sms.contains("/my-documents"), "{sms}");

        let issuer = &apps.issuer;
        let signed: String = sqlx::query_scalar("SELECT signed FROM issued_documents WHERE number = $1").bind(&document.number).fetch_one(server.state.db.pool()).await.unwrap();
        assert!(matches!(issuer.verify_code(&signed).await.unwrap(), Verification::Genuine { status: Some(DocumentStatus::Valid), expired: false, .. }));
        // A stranger verifies online, logged out: the page says genuine and valid.
        let page = server.get(&format!("/verify/document?code={signed}")).await.text().await.unwrap();
        assert!(page.contains("Genuine and valid") && page.contains("WAN**** KAM**"), "the first HTML says so");

        // Another agency's officer cannot touch it; DCI's can, with a reason.
        let ntsa = officer(&server, "ntsa").await;
        assert_eq!(issuer.set_status(ntsa.id, "ntsa", &document.number, DocumentStatus::Revoked, "no").await.unwrap_err(), AppError::NotFound);
        assert_eq!(problem(issuer.set_status(dci.id, "dci", &document.number, DocumentStatus::Revoked, "  ").await), Problem::ReasonRequired);
        issuer.set_status(dci.id, "dci", &document.number, DocumentStatus::Revoked, "Issued on a false declaration").await.unwrap();
        let page = server.get(&format!("/verify/document?number={}", document.number)).await.text().await.unwrap();
        assert!(page.contains("revoked by the agency") && page.contains("Issued on a false declaration"));
        // Revoked online, still genuinely signed offline: the signature proves origin, the register standing.
        assert!(matches!(issuer.verify_code(&signed).await.unwrap(), Verification::Genuine { status: Some(DocumentStatus::Revoked), .. }));
        let forged = server.get("/verify/document?code=eyJhbGciOiJFZERTQSIsImtpZCI6InJhaWEtZGV2LTEifQ.e30.AAAA").await;
        assert_eq!(forged.status(), 404);
        assert!(forged.text().await.unwrap().contains("Not a genuine document"));
        server.test_db.drop_database().await;
    }
}

/// Reads the QR code out of a PDF that `issued::pdf` drew: its squares, painted onto a
/// bitmap, decoded as a phone's camera would.
fn decode_qr(pdf: &[u8]) -> String {
    let squares = raia_app::issued::pdf::qr_squares(pdf);
    assert!(!squares.is_empty(), "the PDF has a QR code");
    let module = squares[0].2;
    let (min_x, min_y) = squares.iter().fold((f32::MAX, f32::MAX), |(x, y), s| (x.min(s.0), y.min(s.1)));
    let (max_x, max_y) = squares.iter().fold((f32::MIN, f32::MIN), |(x, y), s| (x.max(s.0), y.max(s.1)));
    let modules = ((max_x - min_x) / module).round() as usize + 1;
    assert_eq!(modules, ((max_y - min_y) / module).round() as usize + 1);
    let scale = 4;
    let quiet = 4;
    let size = (modules + 2 * quiet) * scale;
    let mut dark = vec![false; size * size];
    for (x, y, _) in &squares {
        let col = ((x - min_x) / module).round() as usize + quiet;
        // PDF's y grows upwards; the bitmap's rows downwards.
        let row = modules - 1 - ((y - min_y) / module).round() as usize + quiet;
        for dy in 0..scale {
            for dx in 0..scale {
                dark[(row * scale + dy) * size + col * scale + dx] = true;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| if dark[y * size + x] { 0 } else { 255 });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code found");
    grids[0].decode().expect("the QR code decodes").1
}
