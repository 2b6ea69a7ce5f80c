//! Payments over real HTTP: Raia's Daraja client talks to the simulator the dev server
//! mounts, which calls back; cards go through the card simulator; paybill confirmations
//! arrive as Daraja's C2B posts. On SQLite and PostgreSQL.

mod support;

use raia_app::identity::accounts::{self, Account};
use raia_app::identity::contact::{IdNumber, Identifier};
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use reqwest::StatusCode;
use std::time::Duration;
use support::TestServer;
use support::payment_world::{account, awaiting_payment, count, later, post_json, server, status_of};

const SECRET: &str = "dev-callback-secret-not-for-production";

async fn wanjiku(server: &TestServer) -> Account {
    account(server, "12345678").await
}

async fn payment_status(server: &TestServer, citizen: &Account, reference: &str, id: i64) -> String {
    server.state.payments.pay_page(citizen, reference, Some(id)).await.unwrap().payment.unwrap().status
}

/// Waits (up to 10 s) until the payment is no longer pending.
async fn settled(server: &TestServer, citizen: &Account, reference: &str, id: i64) -> String {
    for _ in 0..50 {
        let status = payment_status(server, citizen, reference, id).await;
        if status != "pending" {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    "pending".into()
}

fn success_callback(checkout: &str, kes: i64, receipt: &str) -> String {
    format!(
        r#"{{"Body":{{"stkCallback":{{"MerchantRequestID":"m-1","CheckoutRequestID":"{checkout}","ResultCode":0,"ResultDesc":"ok","CallbackMetadata":{{"Item":[{{"Name":"Amount","Value":{kes}}},{{"Name":"MpesaReceiptNumber","Value":"{receipt}"}},{{"Name":"PhoneNumber","Value":254712345678}}]}}}}}}}}"#
    )
}

async fn checkout_id(server: &TestServer, payment: i64) -> String {
    sqlx::query_scalar::<_, Option<String>>("SELECT checkout_request_id FROM payments WHERE id = $1").bind(payment).fetch_one(server.state.db.pool()).await.unwrap().expect("the push was accepted")
}

#[tokio::test]
async fn an_stk_push_is_settled_by_the_callback_with_a_receipt_anyone_can_verify() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = wanjiku(&server).await;
        let reference = awaiting_payment(&server, &citizen).await;
        let page = server.state.payments.pay_page(&citizen, &reference, None).await.unwrap();
        assert_eq!((page.invoice.service_fee_cents, page.invoice.convenience_fee_cents, page.invoice.total_cents), (100_000, 5_000, 105_000));
        assert_eq!(page.invoice.number.len(), 12);

        let id = server.state.payments.pay_mpesa(&citizen, &reference, "0712 345 678", "key-one").await.unwrap();
        assert_eq!(settled(&server, &citizen, &reference, id).await, "succeeded");
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::Paid);
        let view = server.state.payments.pay_page(&citizen, &reference, Some(id)).await.unwrap();
        assert_eq!(view.invoice.status, "paid");
        let receipt_number = view.payment.unwrap().receipt_number.expect("a receipt");
        let receipt = server.state.payments.receipt(&citizen, &receipt_number).await.unwrap();
        assert!(receipt.paid_with.starts_with("M-Pesa SIM"), "{}", receipt.paid_with);
        assert!(receipt.qr_svg.contains("<svg"));
        let code = receipt.verify_url.rsplit('/').next().unwrap().to_string();

        // The verification page is public and shows only non-sensitive facts.
        let page = server.get(&format!("/verify/{code}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("This receipt is genuine") && html.contains("KES 1,050") && html.contains("Wanjiku K."));
        assert!(!html.contains("Kamau") && !html.contains("12345678"), "no full name, no ID number");
        assert_eq!(server.get("/verify/ZZZZZZZZZZZZZZZZ").await.status(), StatusCode::NOT_FOUND);
        // Nobody else reads the receipt itself.
        let officer = accounts::find_by_identifier(server.state.db.pool(), &Identifier::IdNumber(IdNumber::parse("30000004").unwrap())).await.unwrap().unwrap();
        assert!(server.state.payments.receipt(&officer, &receipt_number).await.is_err());
        // Paying again is refused.
        assert!(server.state.payments.pay_mpesa(&citizen, &reference, "0712345678", "key-two").await.is_err());
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn every_simulator_outcome_ends_as_the_citizen_would_expect() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = wanjiku(&server).await;
        let reference = awaiting_payment(&server, &citizen).await;
        let payments = &server.state.payments;

        let poor = payments.pay_mpesa(&citizen, &reference, "0700 000 001", "k1").await.unwrap();
        assert_eq!(settled(&server, &citizen, &reference, poor).await, "failed");
        let cancelled = payments.pay_mpesa(&citizen, &reference, "0700 000 002", "k2").await.unwrap();
        assert_eq!(settled(&server, &citizen, &reference, cancelled).await, "failed");
        let page = payments.pay_page(&citizen, &reference, Some(cancelled)).await.unwrap();
        assert_eq!((page.invoice.status.as_str(), page.payment.unwrap().result_code), ("unpaid", Some(1032)));
        let sms: String = sqlx::query_scalar("SELECT body FROM outbox_messages WHERE recipient = '+254712345678' ORDER BY id DESC LIMIT 1").fetch_one(server.state.db.pool()).await.unwrap();
        assert!(sms.contains("cancelled on the phone"), "{sms}");

        // 0003: no callback; after a minute the worker asks, hears 1037, and gives up.
        let silent = payments.pay_mpesa(&citizen, &reference, "0700 000 003", "k3").await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(payment_status(&server, &citizen, &reference, silent).await, "pending");
        assert_eq!(payments.reconcile_once().await.unwrap(), 0, "not checked before a minute has passed");
        assert_eq!(later(&server, 61).reconcile_once().await.unwrap(), 1);
        assert_eq!(payment_status(&server, &citizen, &reference, silent).await, "expired");

        // 0004: the callback is two minutes late; the worker's query already settles it.
        let late = payments.pay_mpesa(&citizen, &reference, "0700 000 004", "k4").await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(later(&server, 61).reconcile_once().await.unwrap(), 1);
        assert_eq!(payment_status(&server, &citizen, &reference, late).await, "succeeded");
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::Paid);
        // When the late callback comes, it only fills in the M-Pesa receipt number.
        let checkout = checkout_id(&server, late).await;
        let response = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), &success_callback(&checkout, 1050, "LATE000001")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM receipts").await, 1);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments WHERE mpesa_receipt = 'LATE000001'").await, 1);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn twenty_pays_and_a_hundred_callbacks_at_once_make_one_payment_and_one_receipt() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = wanjiku(&server).await;
        let reference = awaiting_payment(&server, &citizen).await;
        // A phone that never answers, so that only our callbacks settle it.
        let presses = (0..20).map(|i| {
            let (payments, citizen, reference) = (server.state.payments.clone(), citizen.clone(), reference.clone());
            // Half are double taps of one press, half are other tabs with their own keys.
            let key = if i % 2 == 0 { "same-press".to_string() } else { format!("tab-{i}") };
            tokio::spawn(async move { payments.pay_mpesa(&citizen, &reference, "0700000003", &key).await })
        });
        let ids: Vec<i64> = futures_join(presses).await.into_iter().map(|r| r.expect("each press answers")).collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments").await, 1, "one STK push");

        let checkout = checkout_id(&server, ids[0]).await;
        let body = success_callback(&checkout, 1050, "QWE1234567");
        let callbacks = (0..100).map(|_| {
            let (client, url, body) = (server.client.clone(), format!("{}/callbacks/mpesa/{SECRET}/stk", server.base), body.clone());
            tokio::spawn(async move { client.post(url).header("content-type", "application/json").body(body).send().await.map(|r| r.status()) })
        });
        for status in futures_join(callbacks).await {
            assert_eq!(status.unwrap(), StatusCode::OK);
        }
        assert_eq!(count(&server, "SELECT COUNT(*) FROM receipts").await, 1);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments WHERE status = 'succeeded'").await, 1);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM application_events WHERE action = 'payment_received'").await, 1);
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::Paid);
        server.test_db.drop_database().await;
    }
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn callbacks_with_a_wrong_secret_an_unknown_id_or_a_wrong_amount_settle_nothing_and_keep_the_money() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = wanjiku(&server).await;
        let reference = awaiting_payment(&server, &citizen).await;
        let id = server.state.payments.pay_mpesa(&citizen, &reference, "0700000003", "k").await.unwrap();
        let checkout = checkout_id(&server, id).await;

        let wrong_secret = post_json(&server, "/callbacks/mpesa/not-the-secret-at-all-0123456789ab/stk", &success_callback(&checkout, 1050, "AAA0000001")).await;
        assert_eq!(wrong_secret.status(), StatusCode::NOT_FOUND);
        let unknown = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), &success_callback("ws_CO_NOT_OURS", 1050, "AAA0000002")).await;
        assert_eq!(unknown.status(), StatusCode::OK);
        let short = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), &success_callback(&checkout, 1, "AAA0000003")).await;
        assert_eq!(short.status(), StatusCode::OK);
        let malformed = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), r#"{"Body":{"nothing":true}}"#).await;
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
        // The wrong amount did not pay the invoice: the attempt failed and the money is kept to
        // be refunded; the success for an id we never issued is kept as unmatched.
        assert_eq!(payment_status(&server, &citizen, &reference, id).await, "failed");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM receipts").await, 0);
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::AwaitingPayment);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention WHERE mpesa_receipt = 'AAA0000003' AND kind = 'refund_due'").await, 1);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention WHERE mpesa_receipt = 'AAA0000002' AND kind = 'unmatched'").await, 1);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention WHERE mpesa_receipt = 'AAA0000001'").await, 0, "a wrong secret changes nothing");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn cards_and_paybill_settle_the_invoice_once() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let citizen = wanjiku(&server).await;
        let payments = &server.state.payments;

        // Cards: Luhn first, then the gateway's answer; only brand and last four are kept.
        let reference = awaiting_payment(&server, &citizen).await;
        assert!(payments.pay_card(&citizen, &reference, "4242 4242 4242 4241", "12/30", "123", "c0").await.is_err());
        let declined = payments.pay_card(&citizen, &reference, "4000 0000 0000 0002", "12/30", "123", "c1").await.unwrap();
        assert_eq!(payment_status(&server, &citizen, &reference, declined).await, "failed");
        let poor = payments.pay_card(&citizen, &reference, "4000 0000 0000 9995", "12/30", "123", "c2").await.unwrap();
        assert_eq!(payments.pay_page(&citizen, &reference, Some(poor)).await.unwrap().payment.unwrap().result_code, Some(51));
        let paid = payments.pay_card(&citizen, &reference, "4242 4242 4242 4242", "12/30", "123", "c3").await.unwrap();
        assert_eq!(payment_status(&server, &citizen, &reference, paid).await, "succeeded");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments WHERE card_last4 = '4242' AND card_brand = 'Visa'").await, 1);
        let stored: i64 = count(&server, "SELECT COUNT(*) FROM payments WHERE card_last4 LIKE '%4242424242%' OR phone LIKE '%4242424242%'").await;
        assert_eq!(stored, 0, "the full card number is never stored");

        // Paybill: a C2B confirmation for the invoice number settles it, once.
        let second = {
            // Another application of the same citizen, owing KES 1,050.
            sqlx::query("UPDATE applications SET status = 'withdrawn' WHERE reference = $1").bind(&reference).execute(server.state.db.pool()).await.unwrap();
            awaiting_payment(&server, &citizen).await
        };
        let invoice = payments.pay_page(&citizen, &second, None).await.unwrap().invoice.number;
        let confirmation = |trans_id: &str, amount: &str| {
            format!(r#"{{"TransactionType":"Pay Bill","TransID":"{trans_id}","TransTime":"20261122140500","TransAmount":"{amount}","BusinessShortCode":"222111","BillRefNumber":"{invoice}","MSISDN":"254712345678","FirstName":"Wanjiku"}}"#)
        };
        let wrong = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/c2b"), &confirmation("RKT0000001", "100.00")).await;
        assert_eq!(wrong.status(), StatusCode::OK);
        assert_eq!(status_of(&server, &citizen, &second).await, Status::AwaitingPayment);
        for _ in 0..2 {
            let ok = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/c2b"), &confirmation("RKT0000002", "1050.00")).await;
            assert_eq!(ok.status(), StatusCode::OK);
        }
        assert_eq!(status_of(&server, &citizen, &second).await, Status::Paid);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM receipts").await, 2, "one for the card, one for the paybill");
        let history = payments.history(&citizen).await.unwrap();
        assert_eq!(history.iter().filter(|p| p.status == "succeeded").count(), 2);
        server.test_db.drop_database().await;
    }
}

/// A push whose own answer was lost (0005) and that the worker gave up on after the timeout:
/// when its success finally arrives it is the same money, matched by phone and amount to the
/// given-up attempt. It settles the invoice if still open; paid meanwhile, it is a refund due
/// for that invoice (not "unmatched"), and the citizen is told which.
#[tokio::test]
async fn a_success_for_a_lost_push_given_up_after_the_timeout_still_finds_its_invoice() {
    for test_db in TestDb::all().await {
        // The simulator's own callback comes long after this test: the test posts it itself.
        let server = TestServer::start_in(test_db, &[("MPESA_SIM_DELAY_SECONDS", "600")]).await;
        let citizen = wanjiku(&server).await;
        let payments = &server.state.payments;
        let last_sms = || async { sqlx::query_scalar::<_, String>("SELECT body FROM outbox_messages WHERE recipient = '+254712345678' ORDER BY id DESC LIMIT 1").fetch_one(server.state.db.pool()).await.unwrap() };

        // Given up: the citizen hears we do not know yet, never "nothing was taken".
        let reference = awaiting_payment(&server, &citizen).await;
        let id = payments.pay_mpesa(&citizen, &reference, "0700 000 005", "lost-late-1").await.unwrap();
        later(&server, 10 * 60).reconcile_once().await.unwrap();
        assert_eq!(payment_status(&server, &citizen, &reference, id).await, "expired");
        let sms = last_sms().await;
        assert!(sms.contains("did not confirm") && !sms.contains("Nothing was taken"), "{sms}");
        // Its success arrives: the invoice is still open, so it is paid, with its receipt.
        let response = post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), &success_callback_from("ws_CO_LOST0001", 1050, "RLT0000001", "254700000005")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::Paid);
        assert_eq!(payment_status(&server, &citizen, &reference, id).await, "succeeded");
        assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM payments WHERE id = {id} AND mpesa_receipt = 'RLT0000001' AND checkout_request_id = 'ws_CO_LOST0001'")).await, 1);
        assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM receipts WHERE payment_id = {id}")).await, 1);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention").await, 0, "nothing for an admin to do");

        // Again, but the citizen paid by card after we gave up: the late money is a refund due.
        let reference = awaiting_payment(&server, &citizen).await;
        let invoice = payments.pay_page(&citizen, &reference, None).await.unwrap().invoice.number;
        let id = payments.pay_mpesa(&citizen, &reference, "0700 000 005", "lost-late-2").await.unwrap();
        later(&server, 10 * 60).reconcile_once().await.unwrap();
        payments.pay_card(&citizen, &reference, "4242 4242 4242 4242", "12/30", "123", "lost-late-card").await.unwrap();
        assert_eq!(status_of(&server, &citizen, &reference).await, Status::Paid);
        post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), &success_callback_from("ws_CO_LOST0002", 1050, "RLT0000002", "254700000005")).await;
        let kept: (String, Option<String>, Option<i64>) = sqlx::query_as("SELECT kind, account_number, payment_id FROM payments_needing_attention WHERE mpesa_receipt = 'RLT0000002'")
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
        assert_eq!(kept, ("refund_due".to_string(), Some(invoice.clone()), Some(id)));
        let sms = last_sms().await;
        assert!(sms.contains("RLT0000002") && sms.contains(&invoice) && sms.contains("already paid"), "{sms}");
        // The same callback again changes nothing.
        post_json(&server, &format!("/callbacks/mpesa/{SECRET}/stk"), &success_callback_from("ws_CO_LOST0002", 1050, "RLT0000002", "254700000005")).await;
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention").await, 1);
        assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM receipts WHERE payment_id = {id}")).await, 0, "no second receipt");
        server.test_db.drop_database().await;
    }
}

fn success_callback_from(checkout: &str, kes: i64, receipt: &str, phone: &str) -> String {
    success_callback(checkout, kes, receipt).replace("254712345678", phone)
}
