//! A citizen's data rights (issue 26), on SQLite and PostgreSQL: every time an officer opens
//! their application it is logged, with the officer's reason when the application was not
//! in the officer's own work; the citizen reads it at `/account/data` and downloads
//! everything Raia holds about them as JSON (no secret in it, nobody else's data in it); and
//! closing the account keeps what the law needs, verifiable, and erases the rest.

mod support;

use raia_app::errors::{AppError, Problem};
use raia_app::privacy::closing;
use raia_app::privacy::export::{SECTIONS, WITHHELD};
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use support::payment_world::{account, awaiting_payment, count, server, status_once_paid};
use support::log_in;

const OFFICER_PASSWORD: &str = "Raia staff demo 2026";

fn problem<T: std::fmt::Debug>(result: Result<T, AppError>) -> Problem {
    match result {
        Err(AppError::Invalid(problems)) => problems[0].problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

#[tokio::test]
async fn an_officers_look_is_logged_and_outside_their_work_needs_a_reason_the_citizen_reads() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let apps = &server.state.applications;
        let wanjiku = account(&server, "12345678").await;
        let dci = account(&server, "30000004").await;
        let ntsa = account(&server, "30000003").await;
        let reference = awaiting_payment(&server, &wanjiku).await;
        let looks = "SELECT COUNT(*) FROM data_access";

        // Awaiting the citizen's payment, the application is nothing DCI's officer has to do:
        // opening it takes a reason, and a refusal leaves no line.
        assert_eq!(problem(apps.officer_view(&dci, &reference, "").await), Problem::ReasonRequired);
        assert_eq!(problem(apps.officer_view(&dci, &reference, "   ").await), Problem::ReasonRequired);
        assert_eq!(problem(apps.officer_view(&dci, &reference, &"x".repeat(501)).await), Problem::TextTooLong { max: 500 });
        assert_eq!(count(&server, looks).await, 0);
        // Another agency's officer does not see it at all, reason or not.
        assert_eq!(apps.officer_view(&ntsa, &reference, "curious").await.unwrap_err(), AppError::NotFound);

        apps.officer_view(&dci, &reference, "Complaint 4411 about the fee").await.unwrap();
        assert_eq!(count(&server, looks).await, 1);
        // Once opened, it is part of the officer's work: no new reason, and a reload within
        // the visit adds no line.
        apps.officer_view(&dci, &reference, "").await.unwrap();
        assert_eq!(count(&server, looks).await, 1);

        // Paid, it is in DCI's queue: opened with no reason, logged all the same.
        let id = server.state.payments.pay_mpesa(&wanjiku, &reference, "0712 345 678", "data-rights-1").await.unwrap();
        assert!(id > 0);
        assert_eq!(status_once_paid(&server, &wanjiku, &reference).await, Status::Paid);

        // The citizen reads who looked, when and why, in their account; never the officer's name.
        let cookie = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let page = server.get_with("/account/data", "cookie", &cookie).await.text().await.unwrap();
        assert!(page.contains("Who looked at your data"), "{page}");
        assert!(page.contains("Complaint 4411 about the fee"));
        assert!(page.contains(&format!("Application: {reference}")));
        assert!(page.contains("Officer, DCI"));
        assert!(!page.contains(&dci.surname), "the officer's name stays with the audit");

        // The download: everything, as JSON, and recorded in the account's activity.
        let response = server.get_with("/account/data/download", "cookie", &cookie).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let body = response.text().await.unwrap();
        let data: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(data["data"]["account"][0]["id_number"], "12345678");
        assert_eq!(data["data"]["applications"][0]["reference"], reference.as_str());
        assert_eq!(data["data"]["applications"][0]["answers"]["purpose"], "employment", "answers as JSON, not a string of it");
        assert_eq!(data["data"]["receipts"].as_array().unwrap().len(), 1);
        assert_eq!(data["data"]["who_looked_at_my_data"][0]["reason"], "Complaint 4411 about the fee");
        assert!(!body.contains("$argon2"), "no password hash in the download");
        assert!(data["data"]["messages_sent"].as_array().unwrap().iter().all(|m| m["body"].as_str().is_none_or(|b| !b.contains("code is"))), "no login code in the download");
        let activity = server.get_with("/account/activity", "cookie", &cookie).await.text().await.unwrap();
        assert!(activity.contains("Your data was downloaded"));

        // Somebody else's download holds none of it; nobody's without logging in.
        let admin = log_in(&server, "30000000", OFFICER_PASSWORD, "+254700000100").await;
        let theirs = server.get_with("/account/data/download", "cookie", &admin).await.text().await.unwrap();
        assert!(!theirs.contains(&reference) && !theirs.contains("12345678"));
        let response = server.get("/account/data/download").await;
        assert!(response.status().is_redirection());
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/login"));
    }
}

#[tokio::test]
async fn the_download_covers_every_table_that_names_an_account() {
    for test_db in TestDb::all().await {
        let pool = test_db.db.pool().clone();
        let sql = match test_db.db.backend() {
            raia_app::db::Backend::Sqlite => "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'account_id' ORDER BY m.name",
            _ => "SELECT table_name::TEXT FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'account_id' ORDER BY table_name",
        };
        let tables: Vec<String> = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        assert!(tables.len() > 10, "{tables:?}");
        // Tables that name an account only to count or to pace it, holding nothing of the person.
        let not_personal = ["rate_limit_hits"];
        for table in tables {
            let exported = SECTIONS.iter().any(|s| s.table == table);
            let withheld = WITHHELD.iter().any(|(what, _)| what.starts_with(&format!("{table}.")));
            assert!(exported || withheld || not_personal.contains(&table.as_str()), "{table} names an account but the download neither includes nor explains it");
        }
    }
}

#[tokio::test]
async fn closing_an_account_keeps_what_the_law_needs_erases_the_rest_and_registering_again_reopens_it() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let apps = &server.state.applications;
        let identity = &server.state.identity;
        let wanjiku = account(&server, "12345678").await;
        let dci = account(&server, "30000004").await;
        let reference = awaiting_payment(&server, &wanjiku).await;
        let cookie = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;

        // A wrong password, or an application still in progress, closes nothing.
        assert_eq!(problem(closing::close(identity, &wanjiku, "not my password at all", "127.0.0.1").await), Problem::WrongPassword);
        assert_eq!(problem(closing::close(identity, &wanjiku, "Harambee demo 2026", "127.0.0.1").await), Problem::ApplicationsInProgress);
        // Staff are turned off by an admin, never closed here.
        assert_eq!(closing::close(identity, &dci, "Raia staff demo 2026", "127.0.0.1").await.unwrap_err(), AppError::Forbidden);

        // Paid, approved and issued: finished, with a receipt and a certificate to keep.
        server.state.payments.pay_mpesa(&wanjiku, &reference, "0712 345 678", "closing-1").await.unwrap();
        assert_eq!(status_once_paid(&server, &wanjiku, &reference).await, Status::Paid);
        for action in ["claim", "approve", "complete"] {
            let version = apps.officer_view(&dci, &reference, "").await.unwrap().version;
            apps.officer_move(&dci, &reference, version, action, "", "").await.unwrap();
        }
        let finished = apps.my_application(&wanjiku, &reference).await.unwrap();
        assert_eq!(finished.status, Status::Completed);
        let certificate = finished.issued.expect("a certificate").number;
        let receipt_code: String = sqlx::query_scalar("SELECT verify_code FROM receipts r JOIN invoices i ON i.id = r.invoice_id JOIN applications a ON a.id = i.application_id WHERE a.reference = $1")
            .bind(&reference)
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
        let draft = raia_app::services::service::FormTarget::Draft { service: "good-conduct".into() };
        let draft_answers = [("purpose", "travel"), ("county_of_residence", "Nyeri"), ("fingerprint_centre", "huduma-gpo")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        apps.save_step(&wanjiku, &draft, 0, &draft_answers).await.unwrap();

        closing::close(identity, &wanjiku, "Harambee demo 2026", "127.0.0.1").await.unwrap();

        // Logged out everywhere; no way back in with the old password, ID, email or phone.
        let response = server.get_with("/account/data/download", "cookie", &cookie).await;
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/login"), "the old session is over");
        for identifier in ["12345678", "+254712345678", "wanjiku@example.com"] {
            assert_eq!(problem(identity.log_in(None, "127.0.0.2", identifier, "Harambee demo 2026", None).await), Problem::WrongCredentials, "{identifier}");
        }
        // Kept: the submitted application, its payment and receipt, the certificate; each
        // still checks out for anyone holding it.
        assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM applications WHERE reference = '{reference}'")).await, 1);
        assert_eq!(server.get(&format!("/verify/{receipt_code}")).await.status(), 200);
        let page = server.get(&format!("/verify/document?number={certificate}")).await.text().await.unwrap();
        assert!(page.contains("Genuine and valid"), "{page}");
        assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM data_access WHERE account_id = {}", wanjiku.id)).await, 1, "the audit stays");
        // Gone: the draft, sessions, notifications, activity, contacts and password.
        for table in ["sessions", "notifications", "security_events", "one_time_codes"] {
            assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM {table} WHERE account_id = {}", wanjiku.id)).await, 0, "{table}");
        }
        assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM applications WHERE account_id = {} AND status = 'draft'", wanjiku.id)).await, 0);
        let (email, phone, hash): (String, String, String) = sqlx::query_as("SELECT email, phone, password_hash FROM accounts WHERE id = $1")
            .bind(wanjiku.id)
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
        assert!(!email.contains("example") && !phone.starts_with('+') && hash.is_empty(), "{email} {phone}");
        // The notice went to the contacts the account had.
        assert_eq!(count(&server, "SELECT COUNT(*) FROM outbox_messages WHERE recipient = '+254712345678' AND body LIKE '%account was closed%'").await, 1);

        // Registering again with the ID number opens the same account, with what was kept.
        let token = identity.start_registration(None, "citizen", "12345678", "Wanjiku", "1990").await.unwrap();
        identity
            .complete_registration(Some(&token), "127.0.0.1", raia_app::i18n::Locale::en, "wanjiku.new@example.com", "0712 999 888", "a fresh start in Nyeri 2027", "a fresh start in Nyeri 2027")
            .await
            .unwrap();
        let again = account(&server, "12345678").await;
        assert_eq!(again.id, wanjiku.id);
        assert_eq!(apps.my_application(&again, &reference).await.unwrap().status, Status::Completed);
    }
}

