//! Messages that really arrive: written with the change they report, delivered by a
//! worker through Africa's Talking (SMS) and SMTP (email) over real HTTP and SMTP to local
//! fakes, retried after a provider's failure, never sent twice by two workers, resumed
//! after a worker dies, and in the citizen's language. SQLite and PostgreSQL.

mod support;

use raia_app::clock::{Clock, ManualClock};
use raia_app::db::{Backend, Db};
use raia_app::i18n::Locale;
use raia_app::identity::accounts;
use raia_app::messages::africas_talking::{AfricasTalking, AfricasTalkingSettings};
use raia_app::messages::delivery::{Delivery, OutboxOnly, LEASE_SECONDS};
use raia_app::messages::email::SmtpEmail;
use raia_app::messages::outbox::{self, Message};
use raia_app::services::service::FormTarget;
use raia_app::test_db::TestDb;
use std::collections::HashMap;
use std::sync::Arc;
use support::payment_world::{account, count};
use support::smtp_sink::SmtpSink;
use support::{africas_talking, post_form, session_cookie, TestServer};

const DEMO_CITIZEN: &str = "12345678";

fn sms_through(db: &Db, clock: &ManualClock, base_url: &str) -> Delivery {
    let settings = AfricasTalkingSettings { base_url: base_url.into(), username: "raia".into(), api_key: "atsk_test".into(), sender_id: Some("RAIA".into()) };
    Delivery { db: db.clone(), clock: Arc::new(clock.clone()), sms: Arc::new(AfricasTalking::new(settings)), email: Arc::new(OutboxOnly) }
}

async fn queue_sms(db: &Db, to: &str, body: &str, now: i64) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let id = outbox::queue(&mut tx, &Message::sms(to, Locale::en, body.into()), now).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn delivery_state(db: &Db, id: i64) -> (String, i64, Option<String>) {
    let row: (String, i64, Option<String>) =
        sqlx::query_as("SELECT status, attempts, last_error FROM outbox_messages WHERE id = $1").bind(id).fetch_one(db.pool()).await.unwrap();
    row
}

/// Makes every write to the outbox fail, as a full disk or a broken table would.
async fn break_the_outbox(db: &Db) {
    match db.backend() {
        Backend::Sqlite => {
            sqlx::query("CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox_messages BEGIN SELECT RAISE(ABORT, 'outbox broken'); END").execute(db.pool()).await.unwrap();
        }
        Backend::Postgres => {
            sqlx::query("CREATE FUNCTION outbox_broken() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox broken'; END $$ LANGUAGE plpgsql").execute(db.pool()).await.unwrap();
            sqlx::query("CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION outbox_broken()").execute(db.pool()).await.unwrap();
        }
    }
}

#[tokio::test]
async fn a_move_whose_message_cannot_be_written_does_not_happen() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let citizen = account(&server, DEMO_CITIZEN).await;
        let apps = &server.state.applications;
        let draft = FormTarget::Draft { service: "good-conduct".into() };
        let answers: HashMap<String, String> =
            [("purpose", "employment"), ("county_of_residence", "Nairobi"), ("fingerprint_centre", "huduma-gpo")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        apps.save_step(&citizen, &draft, 0, &answers).await.unwrap();
        apps.accept_declaration(&citizen, &draft, true).await.unwrap();

        break_the_outbox(&server.state.db).await;
        assert!(apps.submit(&citizen, &draft).await.is_err(), "the submission fails with its message");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM applications WHERE status <> 'draft'").await, 0, "no application moved without its SMS");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM invoices").await, 0);

        sqlx::query("DROP TRIGGER outbox_broken ON outbox_messages").execute(server.state.db.pool()).await.ok();
        sqlx::query("DROP TRIGGER outbox_broken").execute(server.state.db.pool()).await.ok();
        let reference = apps.submit(&citizen, &draft).await.unwrap();
        let messages = outbox::list(&server.state.db, Some("+254712345678"), None, 10).await.unwrap();
        assert!(messages[0].body.contains(&reference) && messages[0].status == "queued", "{messages:?}");
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn the_worker_tries_again_after_a_provider_500_and_sends_once() {
    for test_db in TestDb::all().await {
        let (sim, base) = africas_talking().await;
        let clock = ManualClock::starting_now();
        let delivery = sms_through(&test_db.db, &clock, &base);
        let id = queue_sms(&test_db.db, "+254712345678", "Your Raia login code is 123456.", clock.now()).await;

        sim.fail_next(1);
        assert_eq!(delivery.deliver_due().await.unwrap(), 1);
        let (status, attempts, error) = delivery_state(&test_db.db, id).await;
        assert_eq!((status.as_str(), attempts), ("queued", 1));
        assert!(error.unwrap().contains("HTTP 500"));
        assert_eq!(delivery.deliver_due().await.unwrap(), 0, "not again before its backoff");

        clock.advance(30);
        assert_eq!(delivery.deliver_due().await.unwrap(), 1);
        assert_eq!(delivery_state(&test_db.db, id).await.0, "sent");
        assert_eq!(delivery.deliver_due().await.unwrap(), 0, "a sent message is never sent again");
        let received = sim.received();
        assert_eq!(received.len(), 1);
        assert_eq!((received[0].to.as_str(), received[0].message.as_str()), ("+254712345678", "Your Raia login code is 123456."));
        assert_eq!((received[0].username.as_str(), received[0].api_key.as_str(), received[0].from.as_deref()), ("raia", "atsk_test", Some("RAIA")));
        assert_eq!(sim.requests(), 2);
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_number_the_provider_refuses_fails_with_its_reason_and_is_not_retried() {
    for test_db in TestDb::all().await {
        let (sim, base) = africas_talking().await;
        let clock = ManualClock::starting_now();
        let delivery = sms_through(&test_db.db, &clock, &base);
        let id = queue_sms(&test_db.db, "+254700000403", "Raia: hello", clock.now()).await;
        delivery.deliver_due().await.unwrap();
        let (status, attempts, error) = delivery_state(&test_db.db, id).await;
        assert_eq!((status.as_str(), attempts, error.as_deref()), ("failed", 1, Some("InvalidPhoneNumber (403)")));
        clock.advance(86_400);
        assert_eq!(delivery.deliver_due().await.unwrap(), 0);
        assert_eq!(sim.requests(), 1);
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn two_workers_never_send_the_same_message() {
    for test_db in TestDb::all().await {
        let (sim, base) = africas_talking().await;
        let clock = ManualClock::starting_now();
        // Two workers as two processes would run them: each with its own connections.
        let other_pool = Db::connect(&test_db.url, 5).await.unwrap();
        let (first, second) = (sms_through(&test_db.db, &clock, &base), sms_through(&other_pool, &clock, &base));
        for n in 0..45 {
            queue_sms(&test_db.db, &format!("+2547120000{n:02}"), &format!("message {n}"), clock.now()).await;
        }
        loop {
            let (a, b) = tokio::join!(first.deliver_due(), second.deliver_due());
            if a.unwrap() + b.unwrap() == 0 {
                break;
            }
        }
        let mut bodies: Vec<String> = sim.received().into_iter().map(|sms| sms.message).collect();
        bodies.sort();
        bodies.dedup();
        assert_eq!(bodies.len(), 45, "every message sent");
        assert_eq!(sim.requests(), 45, "and none twice");
        assert_eq!(count_where(&test_db.db, "status = 'sent'").await, 45);
        other_pool.close().await;
        test_db.drop_database().await;
    }
}

async fn count_where(db: &Db, condition: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM outbox_messages WHERE {condition}")).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_message_held_by_a_worker_that_died_is_sent_once_its_lease_ends() {
    for test_db in TestDb::all().await {
        let (sim, base) = africas_talking().await;
        let clock = ManualClock::starting_now();
        let id = queue_sms(&test_db.db, "+254712345678", "Raia: your application moved", clock.now()).await;
        // A worker took it and its process died before it could say what happened.
        sqlx::query("UPDATE outbox_messages SET status = 'sending', attempts = 1, lease_until = $1 WHERE id = $2")
            .bind(clock.now() + LEASE_SECONDS)
            .bind(id)
            .execute(test_db.db.pool())
            .await
            .unwrap();
        // After a restart: a new worker, new connections.
        let restarted = Db::connect(&test_db.url, 5).await.unwrap();
        let delivery = sms_through(&restarted, &clock, &base);
        assert_eq!(delivery.deliver_due().await.unwrap(), 0, "not while the lease may still be held");
        clock.advance(LEASE_SECONDS + 1);
        assert_eq!(delivery.deliver_due().await.unwrap(), 1);
        assert_eq!(delivery_state(&test_db.db, id).await, ("sent".to_string(), 2, None));
        assert_eq!(sim.received().len(), 1);
        restarted.close().await;
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn email_goes_through_smtp_with_a_text_and_an_html_part() {
    for test_db in TestDb::all().await {
        let sink = SmtpSink::start().await;
        let clock = ManualClock::starting_now();
        let email = SmtpEmail::new(&sink.url, "Raia <no-reply@raia.test>").unwrap();
        let delivery = Delivery { db: test_db.db.clone(), clock: Arc::new(clock.clone()), sms: Arc::new(OutboxOnly), email: Arc::new(email) };
        let mut tx = test_db.db.begin_write().await.unwrap();
        let message = Message::email("wanjiku@example.com", Locale::sw, "Msimbo wako wa Raia".into(), "Msimbo wako ni 123456 & <siri>.".into());
        let id = outbox::queue(&mut tx, &message, clock.now()).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(delivery.deliver_due().await.unwrap(), 1);
        assert_eq!(delivery_state(&test_db.db, id).await.0, "sent");
        let received = sink.received();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].to, vec!["<wanjiku@example.com>".to_string()]);
        assert_eq!(received[0].from, "<no-reply@raia.test>");
        let data = &received[0].data;
        assert!(data.contains("multipart/alternative") && data.contains("text/plain") && data.contains("text/html"), "{data}");
        assert!(data.contains("&lt;siri&gt;"), "the HTML part is escaped: {data}");
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_kiswahili_account_gets_its_codes_and_status_messages_in_kiswahili() {
    for test_db in TestDb::all().await {
        let server = TestServer::start_with(test_db).await;
        let citizen = account(&server, DEMO_CITIZEN).await;
        let mut tx = server.state.db.begin_write().await.unwrap();
        accounts::set_language(&mut tx, citizen.id, Locale::sw).await.unwrap();
        tx.commit().await.unwrap();

        // The page is in English (no cookie); the message follows the account's choice.
        let pending = session_cookie(&post_form(&server, "/api/login/password", "identifier=12345678&password=Harambee+demo+2026", None).await);
        post_form(&server, "/api/code/send", "purpose=login&channel=sms", Some(&pending)).await;
        let messages = outbox::list(&server.state.db, Some("+254712345678"), None, 1).await.unwrap();
        assert!(messages[0].body.starts_with("Msimbo wako wa kuingia Raia ni "), "{}", messages[0].body);
        assert_eq!(messages[0].language, "sw");

        let citizen = account(&server, DEMO_CITIZEN).await;
        let reference = support::payment_world::awaiting_payment(&server, &citizen).await;
        let messages = outbox::list(&server.state.db, Some("+254712345678"), None, 1).await.unwrap();
        assert!(messages[0].body.starts_with(&format!("Raia: tumepokea ombi lako la Cheti cha tabia njema (kibali cha polisi) {reference}. Lipa KES 1,050")), "{}", messages[0].body);
        server.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_citizen_who_registers_in_kiswahili_is_written_to_in_kiswahili() {
    let server = TestServer::start().await;
    let sw = "i18n_pref_locale=sw";
    let response = server
        .client
        .post(format!("{}/api/register/start", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", sw)
        .body("account_type=citizen&id_number=67890123&first_name=baraka&year_of_birth=1995")
        .send()
        .await
        .unwrap();
    let flow = session_cookie(&response);
    let response = server
        .client
        .post(format!("{}/api/register/complete", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", format!("{flow}; {sw}"))
        .body("email=baraka%40example.com&phone=0722000333&password=sunrise+over+the+rift+valley&password_confirm=sunrise+over+the+rift+valley")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success() || response.status().is_redirection(), "{:?}", response.status());
    let baraka = account(&server, "67890123").await;
    assert_eq!(baraka.language, Locale::sw);
    server.test_db.drop_database().await;
}
