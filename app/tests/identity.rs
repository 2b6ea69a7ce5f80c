//! The identity rules, end to end through the service, on SQLite and (when configured)
//! PostgreSQL, with a clock the tests move by hand.
#![cfg(feature = "ssr")]

use raia_app::clock::ManualClock;
use raia_app::errors::{AppError, Problem};
use raia_app::identity::notifier::{Message, Outbox};
use raia_app::identity::password::PasswordHasher;
use raia_app::identity::registry::{self, TableRegistry};
use raia_app::identity::service::Identity;
use raia_app::test_db::TestDb;
use std::sync::Arc;

const IP: &str = "198.51.100.7";
const PASSWORD: &str = "sunrise over the rift valley";

struct World {
    identity: Identity,
    outbox: Outbox,
    clock: ManualClock,
    test_db: TestDb,
}

async fn world(test_db: TestDb) -> World {
    let db = test_db.db.clone();
    registry::import(&db, &registry::parse_csv(registry::SEED_CSV).unwrap()).await.unwrap();
    let clock = ManualClock::starting_now();
    let identity = Identity {
        db: db.clone(),
        clock: Arc::new(clock.clone()),
        notifier: Arc::new(Outbox::new(db.clone())),
        registry: Arc::new(TableRegistry::new(db.clone())),
        hasher: PasswordHasher::new(2),
    };
    World { identity, outbox: Outbox::new(db), clock, test_db }
}

fn problem(result: Result<impl std::fmt::Debug, AppError>) -> Problem {
    match result {
        Err(AppError::Invalid(problems)) => problems[0].problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

impl World {
    async fn register_baraka(&self) {
        let token = self.identity.start_registration(None, "citizen", "67890123", "baraka", "1995").await.unwrap();
        self.identity.complete_registration(token.as_deref(), "baraka@example.com", "0722000333", PASSWORD, PASSWORD).await.unwrap();
    }

    async fn last_message_to(&self, to: &str) -> Message {
        self.outbox.list(Some(to), 1).await.unwrap().into_iter().next().expect("a message was sent")
    }

    async fn last_code_to(&self, to: &str) -> String {
        let body = self.last_message_to(to).await.body;
        let digits: Vec<char> = body.chars().collect();
        digits
            .windows(6)
            .find(|w| w.iter().all(char::is_ascii_digit))
            .map(|w| w.iter().collect())
            .expect("six digits in the message")
    }

    /// Password step then SMS code step; returns the logged-in token.
    async fn log_in(&self, identifier: &str) -> String {
        let pending = self.identity.log_in(None, IP, identifier, PASSWORD, None).await.unwrap();
        self.identity.send_login_code(Some(&pending), "sms").await.unwrap();
        let code = self.last_code_to("+254722000333").await;
        let (token, next) = self.identity.verify_login_code(Some(&pending), &code).await.unwrap();
        assert_eq!(next, "/dashboard");
        token
    }
}

#[tokio::test]
async fn registration_checks_the_registry_without_saying_which_detail_is_wrong() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        let id = &w.identity;
        assert_eq!(problem(id.start_registration(None, "citizen", "67890123", "Juma", "1995").await), Problem::RegistryMismatch);
        assert_eq!(problem(id.start_registration(None, "citizen", "67890123", "Baraka", "1996").await), Problem::RegistryMismatch);
        assert_eq!(problem(id.start_registration(None, "citizen", "99999999", "Baraka", "1995").await), Problem::RegistryMismatch);
        assert_eq!(problem(id.start_registration(None, "foreign_resident", "67890123", "Baraka", "1995").await), Problem::RegistryMismatch);
        assert_eq!(problem(id.start_registration(None, "citizen", "56789012", "Njeri", "2012").await), Problem::Minor);
        assert_eq!(problem(id.start_registration(None, "citizen", "", "Baraka", "1995").await), Problem::Required);
        assert_eq!(problem(id.start_registration(None, "citizen", "67890123", "Baraka", "19x5").await), Problem::InvalidYearOfBirth);

        // Case and surrounding spaces do not matter.
        let token = id.start_registration(None, "citizen", " 67890123 ", "  bArAkA ", "1995").await.unwrap().expect("new session");
        let person = id.registration_person(Some(&token)).await.unwrap().expect("matched person");
        assert_eq!((person.first_name.as_str(), person.surname.as_str()), ("Baraka", "Mutua"));

        let foreign = id.start_registration(None, "foreign_resident", "fr900100", "Grace", "1988").await.unwrap();
        assert!(foreign.is_some());
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn registration_details_are_validated_and_an_id_registers_once() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        let id = &w.identity;
        let token = id.start_registration(None, "citizen", "67890123", "Baraka", "1995").await.unwrap();
        let token = token.as_deref();
        match id.complete_registration(token, "not-an-email", "12345", "short", "short").await {
            Err(AppError::Invalid(problems)) => {
                let fields: Vec<_> = problems.iter().map(|p| (p.field.as_str(), p.problem.clone())).collect();
                assert!(fields.contains(&("email", Problem::InvalidEmail)), "{fields:?}");
                assert!(fields.contains(&("phone", Problem::InvalidPhone)), "{fields:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(problem(id.complete_registration(token, "b@example.com", "0722000333", "baraka mutua rocks", "baraka mutua rocks").await), Problem::PasswordContainsName);
        assert_eq!(problem(id.complete_registration(token, "b@example.com", "0722000333", "leavemealone", "leavemealone").await), Problem::PasswordCommon);
        assert_eq!(problem(id.complete_registration(token, "b@example.com", "0722000333", PASSWORD, "something else entirely").await), Problem::PasswordsDiffer);
        id.complete_registration(token, "Baraka@Example.com", "+254 722 000 333", PASSWORD, PASSWORD).await.unwrap();

        // Registering the same ID again is refused, with the way to log in.
        assert_eq!(problem(id.start_registration(None, "citizen", "67890123", "Baraka", "1995").await), Problem::AlreadyRegistered);
        // Someone else cannot reuse the email or phone.
        let other = id.start_registration(None, "citizen", "34567890", "Amina", "2001").await.unwrap();
        match id.complete_registration(other.as_deref(), "baraka@example.com", "0722000333", PASSWORD, PASSWORD).await {
            Err(AppError::Invalid(problems)) => {
                assert!(problems.iter().any(|p| p.problem == Problem::EmailTaken));
                assert!(problems.iter().any(|p| p.problem == Problem::PhoneTaken));
            }
            other => panic!("{other:?}"),
        }
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn login_takes_password_then_code_and_rotates_the_session_each_step() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;
        for identifier in ["67890123", "baraka@example.com", "0722000333", "+254722000333", "254722000333"] {
            let anonymous = id.start_reset(None, "nobody").await.unwrap().unwrap();
            // An anonymous session a while old (so loading it touches it) must not stall the login.
            w.clock.advance(61);
            let pending = id.log_in(Some(&anonymous), IP, identifier, PASSWORD, Some("/applications")).await.unwrap();
            assert_ne!(pending, anonymous, "a new session id after the password step");
            assert!(id.session(Some(&anonymous)).await.unwrap().is_none(), "the old id no longer works");
            let destinations = id.login_destinations(Some(&pending)).await.unwrap().unwrap();
            assert_eq!(destinations.phone, "+2547*****333");
            assert_eq!(destinations.email, "b*****@example.com");
            assert!(id.current_account(Some(&pending)).await.unwrap().is_none(), "not logged in before the code");

            id.send_login_code(Some(&pending), "email").await.unwrap();
            let message = w.last_message_to("baraka@example.com").await;
            assert_eq!(message.subject.as_deref(), Some("Your Raia code"));
            let code = w.last_code_to("baraka@example.com").await;
            let (token, next) = id.verify_login_code(Some(&pending), &code).await.unwrap();
            assert_eq!(next, "/applications");
            assert_ne!(token, pending, "a new session id after the code step");
            assert!(id.session(Some(&pending)).await.unwrap().is_none());
            let account = id.current_account(Some(&token)).await.unwrap().unwrap();
            assert!(!account.phone_verified, "an email code does not prove the phone");
            let summary = id.account_summary(Some(&token)).await.unwrap().unwrap();
            assert_eq!(summary.full_name, "Baraka Mutua");
            assert_eq!(summary.masked_id_number, "67****23");
            // Single use.
            assert_eq!(problem(id.verify_login_code(Some(&pending), &code).await), Problem::FlowExpired);
            w.clock.advance(31);
        }
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn unknown_accounts_and_wrong_passwords_get_the_same_answer() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let wrong_password = problem(w.identity.log_in(None, IP, "67890123", "not the password at all", None).await);
        let unknown = problem(w.identity.log_in(None, IP, "11112222", PASSWORD, None).await);
        let nonsense = problem(w.identity.log_in(None, IP, "!!!", PASSWORD, None).await);
        assert_eq!(wrong_password, Problem::WrongCredentials);
        assert_eq!(unknown, Problem::WrongCredentials);
        assert_eq!(nonsense, Problem::WrongCredentials);
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_for_fifteen_minutes_and_a_reset_unlocks() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;
        for _ in 0..4 {
            assert_eq!(problem(id.log_in(None, IP, "67890123", "wrong wrong wrong", None).await), Problem::WrongCredentials);
        }
        assert_eq!(problem(id.log_in(None, IP, "67890123", "wrong wrong wrong", None).await), Problem::Locked { minutes: 15 });
        // Even the right password is refused while locked.
        assert_eq!(problem(id.log_in(None, IP, "67890123", PASSWORD, None).await), Problem::Locked { minutes: 15 });
        w.clock.advance(14 * 60);
        assert_eq!(problem(id.log_in(None, IP, "67890123", PASSWORD, None).await), Problem::Locked { minutes: 1 });
        w.clock.advance(61);
        id.log_in(None, IP, "67890123", PASSWORD, None).await.expect("unlocked after 15 minutes");

        // Lock again, then unlock through a password reset.
        for _ in 0..5 {
            let _ = id.log_in(None, IP, "67890123", "wrong wrong wrong", None).await;
        }
        assert!(matches!(problem(id.log_in(None, IP, "67890123", PASSWORD, None).await), Problem::Locked { .. }));
        let reset = id.start_reset(None, "baraka@example.com").await.unwrap().unwrap();
        id.send_reset_code(Some(&reset), "sms").await.unwrap();
        let code = w.last_code_to("+254722000333").await;
        id.verify_reset_code(Some(&reset), &code).await.unwrap();
        let new_password = "a brand new password here";
        id.set_new_password(Some(&reset), new_password, new_password).await.unwrap();
        id.log_in(None, IP, "67890123", new_password, None).await.expect("reset unlocks");
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn codes_expire_void_after_five_wrong_entries_and_resend_is_limited() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;

        // Expiry after 10 minutes.
        let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
        id.send_login_code(Some(&pending), "sms").await.unwrap();
        let code = w.last_code_to("+254722000333").await;
        w.clock.advance(10 * 60 + 1);
        assert_eq!(problem(id.verify_login_code(Some(&pending), &code).await), Problem::CodeExpired);

        // Five wrong entries void the code, even the right one afterwards.
        let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
        id.send_login_code(Some(&pending), "sms").await.unwrap();
        let code = w.last_code_to("+254722000333").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for left in (1..5).rev() {
            assert_eq!(problem(id.verify_login_code(Some(&pending), wrong).await), Problem::CodeWrong { attempts_left: left });
        }
        assert_eq!(problem(id.verify_login_code(Some(&pending), wrong).await), Problem::CodeVoided);
        assert_eq!(problem(id.verify_login_code(Some(&pending), &code).await), Problem::CodeVoided);
        assert_eq!(problem(id.verify_login_code(Some(&pending), "12a456").await), Problem::CodeFormat);

        // Resend after 30 seconds; the new code replaces the old.
        w.clock.advance(60);
        let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
        id.send_login_code(Some(&pending), "sms").await.unwrap();
        let first = w.last_code_to("+254722000333").await;
        w.clock.advance(10);
        assert_eq!(problem(id.send_login_code(Some(&pending), "sms").await), Problem::ResendTooSoon { seconds: 20 });
        w.clock.advance(20);
        id.send_login_code(Some(&pending), "sms").await.unwrap();
        let second = w.last_code_to("+254722000333").await;
        if first != second {
            // The first code was replaced: it is now just a wrong code.
            assert!(matches!(problem(id.verify_login_code(Some(&pending), &first).await), Problem::CodeWrong { .. }));
        }

        // At most five codes an hour per account (four were sent above within the hour... count them).
        let mut sent = 0;
        let result = loop {
            w.clock.advance(31);
            match id.send_login_code(Some(&pending), "sms").await {
                Ok(()) => sent += 1,
                Err(error) => break error,
            }
            assert!(sent < 10, "the hourly limit never came");
        };
        assert!(matches!(problem(Err::<(), _>(result)), Problem::TooManyCodes { minutes } if (1..=60).contains(&minutes)));
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn twenty_login_attempts_a_minute_per_address() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        let id = &w.identity;
        // Start at the turn of a minute, so all 21 attempts fall in one window.
        use raia_app::clock::Clock;
        w.clock.advance(60 - w.clock.now().rem_euclid(60));
        for _ in 0..20 {
            assert!(matches!(id.log_in(None, IP, "11112222", PASSWORD, None).await, Err(AppError::Invalid(_))));
        }
        match id.log_in(None, IP, "11112222", PASSWORD, None).await {
            Err(AppError::TooManyRequests { retry_after_seconds }) => assert!((1..=60).contains(&retry_after_seconds)),
            other => panic!("expected 429, got {other:?}"),
        }
        // Another address is not affected; the next minute starts afresh.
        assert!(matches!(id.log_in(None, "203.0.113.9", "11112222", PASSWORD, None).await, Err(AppError::Invalid(_))));
        w.clock.advance(60);
        assert!(matches!(id.log_in(None, IP, "11112222", PASSWORD, None).await, Err(AppError::Invalid(_))));
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_or_12_hours_and_on_logout() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;

        let token = w.log_in("67890123").await;
        assert!(id.current_account(Some(&token)).await.unwrap().unwrap().phone_verified, "an SMS code marks the phone verified");
        w.clock.advance(29 * 60);
        assert!(id.current_account(Some(&token)).await.unwrap().is_some(), "29 idle minutes is fine");
        w.clock.advance(31 * 60);
        assert!(id.current_account(Some(&token)).await.unwrap().is_none(), "31 idle minutes ends it");

        w.clock.advance(31);
        let token = w.log_in("67890123").await;
        for _ in 0..(12 * 60 / 20 - 1) {
            w.clock.advance(20 * 60);
            assert!(id.current_account(Some(&token)).await.unwrap().is_some());
        }
        w.clock.advance(20 * 60 + 1);
        assert!(id.current_account(Some(&token)).await.unwrap().is_none(), "12 hours is the most, however active");

        w.clock.advance(31);
        let token = w.log_in("67890123").await;
        id.log_out(Some(&token)).await.unwrap();
        assert!(id.current_account(Some(&token)).await.unwrap().is_none(), "logout ends the session on the server");
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn password_reset_looks_the_same_for_unknown_accounts_and_ends_every_session() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;
        let logged_in = w.log_in("67890123").await;

        // Unknown identifier: every step answers as for a real one, and nothing is sent.
        let before = w.outbox.list(None, 1000).await.unwrap().len();
        let ghost = id.start_reset(None, "ghost@example.com").await.unwrap().unwrap();
        id.send_reset_code(Some(&ghost), "sms").await.unwrap();
        assert_eq!(problem(id.send_reset_code(Some(&ghost), "sms").await), Problem::ResendTooSoon { seconds: 30 });
        assert_eq!(problem(id.verify_reset_code(Some(&ghost), "123456").await), Problem::CodeWrong { attempts_left: 4 });
        assert_eq!(w.outbox.list(None, 1000).await.unwrap().len(), before);
        assert!(!id.reset_code_verified(Some(&ghost)).await.unwrap());

        // Real account.
        w.clock.advance(31);
        let reset = id.start_reset(None, "0722000333").await.unwrap().unwrap();
        assert_eq!(problem(id.set_new_password(Some(&reset), "another fine password", "another fine password").await), Problem::FlowExpired);
        id.send_reset_code(Some(&reset), "email").await.unwrap();
        let code = w.last_code_to("baraka@example.com").await;
        id.verify_reset_code(Some(&reset), &code).await.unwrap();
        assert!(id.reset_code_verified(Some(&reset)).await.unwrap());
        assert_eq!(problem(id.set_new_password(Some(&reset), "password", "password").await), Problem::PasswordTooShort);
        id.set_new_password(Some(&reset), "another fine password", "another fine password").await.unwrap();

        assert!(id.current_account(Some(&logged_in)).await.unwrap().is_none(), "every session of the account ended");
        let notice = w.last_message_to("+254722000333").await;
        assert!(notice.body.contains("password was changed"), "{}", notice.body);
        assert_eq!(problem(id.log_in(None, IP, "67890123", PASSWORD, None).await), Problem::WrongCredentials, "old password no longer works");
        id.log_in(None, IP, "67890123", "another fine password", None).await.expect("new password works");
        w.test_db.drop_database().await;
    }
}
