//! Transfer of vehicle ownership, over the real services, NTSA's embedded register and HTTP,
//! on SQLite and PostgreSQL: the owner starts it, the buyer accepts from their own account
//! with a code sent to their phone, the owner pays, an NTSA officer approves, the register
//! changes owner and both are told, and the old owner loses the vehicle's record. Either
//! party may cancel before approval (a paid fee is kept to be refunded); nobody else can see
//! or touch a transfer; and no step transfers a vehicle the seller does not own.

mod support;

use raia_app::errors::{AppError, Problem};
use raia_app::identity::accounts::{self, Account, NewAccount};
use raia_app::services::service::FormTarget;
use raia_app::services::status::Status;
use raia_app::test_db::TestDb;
use std::collections::HashMap;
use support::payment_world::{account, count, post_json, server, status_of};
use support::{log_in, TestServer};

const SECRET: &str = "dev-callback-secret-not-for-production";
const BARAKA_PHONE: &str = "+254722000333";

fn problem<T: std::fmt::Debug>(result: Result<T, AppError>) -> Problem {
    match result {
        Err(AppError::Invalid(problems)) => problems[0].problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

/// A citizen's account for someone in the population registry (the buyer, a stranger).
async fn citizen(server: &TestServer, id_number: &str, first_name: &str, surname: &str, phone: &str) -> Account {
    let identity = &server.state.identity;
    let hash = identity.hasher.hash("sunrise over the rift valley").await.unwrap();
    let mut tx = identity.db.begin_write().await.unwrap();
    let email = format!("{}@example.com", first_name.to_lowercase());
    let new = NewAccount {
        id_number,
        account_type: "citizen",
        first_name,
        surname,
        email: &email,
        phone,
        password_hash: &hash,
        role: "citizen",
        language: raia_app::i18n::Locale::en,
    };
    accounts::insert(&mut tx, &new, server.state.identity.clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    account(server, id_number).await
}

/// The owner fills in and submits a transfer.
async fn start(server: &TestServer, owner: &Account, vehicle: &str, buyer_id: &str) -> Result<String, AppError> {
    let apps = &server.state.applications;
    let draft = FormTarget::Draft { service: "vehicle-transfer".into() };
    let answers: HashMap<String, String> = [("registration_number", vehicle), ("buyer_id_number", buyer_id)].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    apps.save_step(owner, &draft, 0, &answers).await?;
    apps.accept_declaration(owner, &draft, true).await?;
    apps.submit(owner, &draft).await
}

/// The newest SMS to `phone`, from the development outbox.
async fn last_sms(server: &TestServer, phone: &str) -> String {
    let outbox: Vec<serde_json::Value> = server.get(&format!("/dev/outbox.json?to={}", phone.replace('+', "%2B"))).await.json().await.unwrap();
    outbox[0]["body"].as_str().unwrap().to_string()
}

fn six_digits(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).expect("a code in the message").to_string()
}

async fn version(server: &TestServer, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT version FROM applications WHERE reference = $1").bind(reference).fetch_one(server.state.db.pool()).await.unwrap()
}

/// The buyer asks for a code and accepts with it.
async fn accept(server: &TestServer, buyer: &Account, reference: &str) {
    let apps = &server.state.applications;
    apps.send_transfer_code(buyer, reference).await.unwrap();
    let code = six_digits(&last_sms(server, &buyer.phone).await);
    apps.accept_transfer(buyer, reference, version(server, reference).await, &code).await.unwrap();
}

async fn pay(server: &TestServer, owner: &Account, reference: &str, trans_id: &str) {
    let page = server.state.payments.pay_page(owner, reference, None).await.unwrap();
    let cents = page.invoice.total_cents;
    let body = format!(
        r#"{{"TransactionType":"Pay Bill","TransID":"{trans_id}","TransTime":"20261207140500","TransAmount":"{}.{:02}","BusinessShortCode":"222111","BillRefNumber":"{}","MSISDN":"254712345678","FirstName":"Wanjiku"}}"#,
        cents / 100,
        cents % 100,
        page.invoice.number
    );
    assert!(post_json(server, &format!("/callbacks/mpesa/{SECRET}/c2b"), &body).await.status().is_success());
    assert_eq!(status_of(server, owner, reference).await, Status::Paid);
}

async fn ntsa_officer(server: &TestServer) -> Account {
    account(server, "30000003").await
}

async fn officer_moves(server: &TestServer, reference: &str, actions: &[&str]) -> Result<(), AppError> {
    let ntsa = ntsa_officer(server).await;
    for action in actions {
        server.state.applications.officer_move(&ntsa, reference, version(server, reference).await, action, "", "").await?;
    }
    Ok(())
}

async fn worker_round(server: &TestServer) {
    raia_server::register_worker::round(&server.state.applications, &server.state.db, server.state.identity.clock.now()).await;
}

async fn owner_of(server: &TestServer, registration: &str) -> String {
    sqlx::query_scalar("SELECT owner_id_number FROM register_vehicles WHERE registration_number = $1").bind(registration).fetch_one(server.state.db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_vehicle_changes_hands_when_the_buyer_accepts_the_fee_is_paid_and_ntsa_approves() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let apps = &server.state.applications;
        let wanjiku = account(&server, "12345678").await;
        let baraka = citizen(&server, "67890123", "Baraka", "Mutua", BARAKA_PHONE).await;
        let otieno = citizen(&server, "23456789", "Otieno", "Odhiambo", "+254722000444").await;

        // The owner can only transfer her own vehicle, free of caveats, to another Raia citizen.
        assert_eq!(problem(start(&server, &wanjiku, "KDB 789C", "67890123").await), Problem::VehicleNotYours);
        sqlx::query("INSERT INTO register_vehicles (registration_number, make, model, year, colour, chassis_number, logbook_number, owner_id_number, owner_name, insurance_status, caveats) VALUES ('KDG 222G', 'Toyota', 'Fielder', 2016, 'Silver', 'NZE161-0011111', 'LB2016000001', '12345678', 'Wanjiku Kamau', 'valid', 'Equity Bank Kenya Ltd: financed')")
            .execute(server.state.db.pool())
            .await
            .unwrap();
        assert_eq!(problem(start(&server, &wanjiku, "KDG 222G", "67890123").await), Problem::VehicleHasCaveat);
        assert_eq!(problem(start(&server, &wanjiku, "KCB 456K", "45678901").await), Problem::CounterpartyUnknown, "Kiprono has no Raia account");
        assert_eq!(problem(start(&server, &wanjiku, "KCB 456K", "12345678").await), Problem::CounterpartyIsYou);

        let reference = start(&server, &wanjiku, "kcb456k", "67890123").await.unwrap();
        assert!(reference.starts_with("VTR-"));
        assert_eq!(status_of(&server, &wanjiku, &reference).await, Status::AwaitingConfirmation);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM invoices").await, 0, "no fee before the buyer accepts");
        let told = last_sms(&server, BARAKA_PHONE).await;
        assert!(told.contains("Wanjiku Kamau") && told.contains("KCB 456K") && told.contains(&format!("/transfers/{reference}")), "{told}");
        let view = apps.transfer_for_buyer(&baraka, &reference).await.unwrap();
        assert_eq!((view.vehicle.as_str(), view.seller_name.as_str(), view.accepted), ("Nissan Note (2012), Silver", "Wanjiku Kamau", false));

        // Nobody else sees or touches it; the owner cannot accept for the buyer.
        assert_eq!(apps.transfer_for_buyer(&otieno, &reference).await.unwrap_err(), AppError::NotFound);
        assert_eq!(apps.send_transfer_code(&otieno, &reference).await.unwrap_err(), AppError::NotFound);
        assert_eq!(apps.accept_transfer(&otieno, &reference, version(&server, &reference).await, "123456").await.unwrap_err(), AppError::NotFound);
        assert_eq!(apps.cancel_transfer(&otieno, &reference, version(&server, &reference).await).await.unwrap_err(), AppError::NotFound);
        assert_eq!(apps.accept_transfer(&wanjiku, &reference, version(&server, &reference).await, "123456").await.unwrap_err(), AppError::NotFound);
        assert_eq!(apps.transfer_for_buyer(&wanjiku, &reference).await.unwrap_err(), AppError::NotFound);

        // A wrong code is counted; the code sent to the buyer's phone accepts, once.
        apps.send_transfer_code(&baraka, &reference).await.unwrap();
        let code = six_digits(&last_sms(&server, BARAKA_PHONE).await);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(problem(apps.accept_transfer(&baraka, &reference, version(&server, &reference).await, wrong).await), Problem::CodeWrong { attempts_left: 4 });
        apps.accept_transfer(&baraka, &reference, version(&server, &reference).await, &code).await.unwrap();
        assert_eq!(status_of(&server, &wanjiku, &reference).await, Status::AwaitingPayment);
        assert_eq!(problem(apps.accept_transfer(&baraka, &reference, version(&server, &reference).await, &code).await), Problem::NotAllowedNow);
        assert!(last_sms(&server, "+254712345678").await.contains("the buyer accepted"));

        pay(&server, &wanjiku, &reference, "RKT0000001").await;
        officer_moves(&server, &reference, &["claim", "approve"]).await.unwrap();
        assert_eq!(status_of(&server, &wanjiku, &reference).await, Status::Approved);
        // Approved: too late to cancel.
        assert_eq!(problem(apps.cancel_transfer(&baraka, &reference, version(&server, &reference).await).await), Problem::NotAllowedNow);

        worker_round(&server).await;
        assert_eq!(owner_of(&server, "KCB 456K").await, "67890123");
        assert_eq!(status_of(&server, &wanjiku, &reference).await, Status::Completed);
        assert!(last_sms(&server, "+254712345678").await.contains("now records Baraka Mutua as the owner of KCB 456K"));
        assert!(last_sms(&server, BARAKA_PHONE).await.contains("KCB 456K is now registered in your name"));
        // Asked again, the register and the application stay as they are.
        worker_round(&server).await;
        assert_eq!(count(&server, "SELECT COUNT(*) FROM register_orders WHERE kind = 'change_owner' AND status = 'done'").await, 1);

        // The old owner has lost the vehicle's record; the new one has it.
        assert_eq!(apps.my_vehicle(&wanjiku, "KCB456K").await.unwrap_err(), AppError::NotFound);
        assert!(!apps.my_vehicles(&wanjiku).await.unwrap().vehicles.iter().any(|v| v.registration_number == "KCB 456K"));
        assert_eq!(apps.my_vehicle(&baraka, "KCB456K").await.unwrap().owner_name, "Baraka Mutua");
        let seller_cookie = log_in(&server, "12345678", "Harambee demo 2026", "+254712345678").await;
        let page = server.client.get(format!("{}/my-vehicles/KCB456K", server.base)).header("cookie", &seller_cookie).send().await.unwrap();
        assert_eq!(page.status(), 404);
        let buyer_cookie = log_in(&server, "67890123", "sunrise over the rift valley", BARAKA_PHONE).await;
        let page = server.client.get(format!("{}/my-vehicles/KCB456K", server.base)).header("cookie", &buyer_cookie).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("E12-0198762"), "the owner sees the whole chassis number");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn either_party_cancels_before_approval_and_a_paid_fee_is_kept_for_refund() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let apps = &server.state.applications;
        let wanjiku = account(&server, "12345678").await;
        let baraka = citizen(&server, "67890123", "Baraka", "Mutua", BARAKA_PHONE).await;

        // The buyer declines before accepting: the owner is told.
        let first = start(&server, &wanjiku, "KDA 123A", "67890123").await.unwrap();
        apps.cancel_transfer(&baraka, &first, version(&server, &first).await).await.unwrap();
        assert_eq!(status_of(&server, &wanjiku, &first).await, Status::Withdrawn);
        assert!(last_sms(&server, "+254712345678").await.contains(&format!("KDA 123A ({first}) was cancelled")));
        assert_eq!(apps.send_transfer_code(&baraka, &first).await.map_err(problem_of), Err(Problem::NotAllowedNow));

        // Accepted and paid, then the owner calls it off: the fee is kept to be refunded.
        let second = start(&server, &wanjiku, "KDA 123A", "67890123").await.unwrap();
        accept(&server, &baraka, &second).await;
        pay(&server, &wanjiku, &second, "RKT0000002").await;
        assert!(apps.my_application(&wanjiku, &second).await.unwrap().actions.contains(&raia_app::services::status::Action::Cancel));
        apps.cancel_transfer(&wanjiku, &second, version(&server, &second).await).await.unwrap();
        assert_eq!(status_of(&server, &wanjiku, &second).await, Status::Withdrawn);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM payments_needing_attention WHERE kind = 'refund_due' AND reason = 'withdrawn_after_payment' AND amount_cents = 155000").await, 1);
        assert!(last_sms(&server, BARAKA_PHONE).await.contains("was cancelled"));
        assert_eq!(count(&server, "SELECT COUNT(*) FROM notifications WHERE kind = 'transfer_cancelled'").await, 1);
        // The vehicle never moved.
        assert_eq!(owner_of(&server, "KDA 123A").await, "12345678");
        server.test_db.drop_database().await;
    }
}

fn problem_of(error: AppError) -> Problem {
    problem::<()>(Err(error))
}

#[tokio::test]
async fn no_step_transfers_a_vehicle_the_seller_no_longer_owns() {
    for test_db in TestDb::all().await {
        let server = server(test_db).await;
        let apps = &server.state.applications;
        let wanjiku = account(&server, "12345678").await;
        let baraka = citizen(&server, "67890123", "Baraka", "Mutua", BARAKA_PHONE).await;
        let sold_elsewhere = |registration: &'static str| {
            let pool = server.state.db.pool().clone();
            async move {
                sqlx::query("UPDATE register_vehicles SET owner_id_number = '45678901', owner_name = 'Kiprono Rotich' WHERE registration_number = $1").bind(registration).execute(&pool).await.unwrap();
            }
        };

        // Sold at an NTSA office before the buyer accepted: accepting is refused.
        let first = start(&server, &wanjiku, "KDA 123A", "67890123").await.unwrap();
        sold_elsewhere("KDA 123A").await;
        apps.send_transfer_code(&baraka, &first).await.unwrap();
        let code = six_digits(&last_sms(&server, BARAKA_PHONE).await);
        assert_eq!(problem(apps.accept_transfer(&baraka, &first, version(&server, &first).await, &code).await), Problem::VehicleOwnerChanged);
        assert_eq!(status_of(&server, &wanjiku, &first).await, Status::AwaitingConfirmation);

        // Sold elsewhere after payment: the officer cannot approve.
        let second = start(&server, &wanjiku, "KCB 456K", "67890123").await.unwrap();
        accept(&server, &baraka, &second).await;
        pay(&server, &wanjiku, &second, "RKT0000003").await;
        officer_moves(&server, &second, &["claim"]).await.unwrap();
        sold_elsewhere("KCB 456K").await;
        assert_eq!(problem(officer_moves(&server, &second, &["approve"]).await), Problem::VehicleOwnerChanged);

        // Sold elsewhere between approval and the register's change: the register refuses the
        // order (it changes owner only from the seller), and the buyer is not made owner.
        sqlx::query("UPDATE register_vehicles SET owner_id_number = '12345678', owner_name = 'Wanjiku Kamau' WHERE registration_number = 'KCB 456K'").execute(server.state.db.pool()).await.unwrap();
        officer_moves(&server, &second, &["approve"]).await.unwrap();
        sold_elsewhere("KCB 456K").await;
        worker_round(&server).await;
        assert_eq!(owner_of(&server, "KCB 456K").await, "45678901");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM register_orders WHERE kind = 'change_owner' AND status = 'refused'").await, 1);
        assert_eq!(status_of(&server, &wanjiku, &second).await, Status::Approved, "not completed: an admin must look at it");
        let admin = log_in(&server, "30000000", "Raia staff demo 2026", "+254700000100").await;
        let page = server.client.get(format!("{}/admin/registers", server.base)).header("cookie", &admin).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&second) && page.contains("Owner change") && page.contains("NotTheOwner"), "the admin sees the refused owner change");
        server.test_db.drop_database().await;
    }
}
