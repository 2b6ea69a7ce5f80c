//! A citizen's data rights (issue 26), on SQLite and PostgreSQL: every time an officer opens
//! their application it is logged, with the officer's reason when the application was not
//! in the officer's own work; the citizen reads it at `/account/data` and downloads
//! everything Raia holds about them as JSON (no secret in it, nobody else's data in it).

mod support;

use raia_app::errors::{AppError, Problem};
use raia_app::privacy::export::{SECTIONS, WITHHELD};
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
        assert_eq!(status_once_paid(&server, &wanjiku, &reference).await, raia_app::services::status::Status::Paid);

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
        let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let response = anonymous.get(format!("{}/account/data/download", server.base)).send().await.unwrap();
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
