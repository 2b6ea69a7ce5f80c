//! The identity rules, end to end through the service, on SQLite and (when configured)
//! PostgreSQL, with a clock the tests move by hand.
#![cfg(feature = "ssr")]

use raia_app::clock::ManualClock;
use raia_app::i18n::Locale;
use raia_app::errors::{AppError, Problem};
use raia_app::messages::outbox::{self, Stored as Message};
use raia_app::identity::password::PasswordHasher;
use raia_app::identity::registry::{self, TableRegistry};
use raia_app::identity::service::Identity;
use raia_app::test_db::TestDb;
use std::sync::Arc;

const IP: &str = "198.51.100.7";
const PASSWORD: &str = "sunrise over the rift valley";

struct World {
    identity: Identity,
    outbox: raia_app::db::Db,
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
        registry: Arc::new(TableRegistry::new(db.clone())),
        hasher: PasswordHasher::new(2),
        secrets: raia_app::identity::sealing::SecretsKey::dev(),
    };
    World { identity, outbox: db, clock, test_db }
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
        self.identity.complete_registration(Some(&token), IP, Locale::en, "baraka@example.com", "0722000333", PASSWORD, PASSWORD).await.unwrap();
    }

    async fn last_message_to(&self, to: &str) -> Message {
        outbox::list(&self.outbox, Some(to), None, 1).await.unwrap().into_iter().next().expect("a message was sent")
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
        let (token, next) = self.identity.verify_login_code(Some(&pending), &code, IP).await.unwrap();
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
        let token = id.start_registration(None, "citizen", " 67890123 ", "  bArAkA ", "1995").await.unwrap();
        let person = id.registration_person(Some(&token)).await.unwrap().expect("matched person");
        assert_eq!((person.first_name.as_str(), person.surname.as_str()), ("Baraka", "Mutua"));

        id.start_registration(None, "foreign_resident", "fr900100", "Grace", "1988").await.expect("a foreign resident matches");
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn registration_details_are_validated_and_an_id_registers_once() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        let id = &w.identity;
        let token = id.start_registration(None, "citizen", "67890123", "Baraka", "1995").await.unwrap();
        let token = Some(token.as_str());
        match id.complete_registration(token, IP, Locale::en, "not-an-email", "12345", "short", "short").await {
            Err(AppError::Invalid(problems)) => {
                let fields: Vec<_> = problems.iter().map(|p| (p.field.as_str(), p.problem.clone())).collect();
                assert!(fields.contains(&("email", Problem::InvalidEmail)), "{fields:?}");
                assert!(fields.contains(&("phone", Problem::InvalidPhone)), "{fields:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(problem(id.complete_registration(token, IP, Locale::en, "b@example.com", "0722000333", "baraka mutua rocks", "baraka mutua rocks").await), Problem::PasswordContainsName);
        assert_eq!(problem(id.complete_registration(token, IP, Locale::en, "b@example.com", "0722000333", "leavemealone", "leavemealone").await), Problem::PasswordCommon);
        assert_eq!(problem(id.complete_registration(token, IP, Locale::en, "b@example.com", "0722000333", PASSWORD, "something else entirely").await), Problem::PasswordsDiffer);
        id.complete_registration(token, IP, Locale::en, "Baraka@Example.com", "+254 722 000 333", PASSWORD, PASSWORD).await.unwrap();

        // Registering the same ID again is refused, with the way to log in.
        assert_eq!(problem(id.start_registration(None, "citizen", "67890123", "Baraka", "1995").await), Problem::AlreadyRegistered);
        // Someone else cannot reuse the email or phone.
        let other = id.start_registration(None, "citizen", "34567890", "Amina", "2001").await.unwrap();
        match id.complete_registration(Some(&other), IP, Locale::en, "baraka@example.com", "0722000333", PASSWORD, PASSWORD).await {
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
            let anonymous = id.start_reset(None, "nobody").await.unwrap();
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
            let (token, next) = id.verify_login_code(Some(&pending), &code, IP).await.unwrap();
            assert_eq!(next, "/applications");
            assert_ne!(token, pending, "a new session id after the code step");
            assert!(id.session(Some(&pending)).await.unwrap().is_none());
            let account = id.current_account(Some(&token)).await.unwrap().unwrap();
            assert!(!account.phone_verified, "an email code does not prove the phone");
            let summary = id.account_summary(Some(&token)).await.unwrap().unwrap();
            assert_eq!(summary.full_name, "Baraka Mutua");
            assert_eq!(summary.masked_id_number, "67****23");
            // Single use.
            assert_eq!(problem(id.verify_login_code(Some(&pending), &code, IP).await), Problem::FlowExpired);
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
        let reset = id.start_reset(None, "baraka@example.com").await.unwrap();
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
        assert_eq!(problem(id.verify_login_code(Some(&pending), &code, IP).await), Problem::CodeExpired);

        // Five wrong entries void the code, even the right one afterwards.
        let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
        id.send_login_code(Some(&pending), "sms").await.unwrap();
        let code = w.last_code_to("+254722000333").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for left in (1..5).rev() {
            assert_eq!(problem(id.verify_login_code(Some(&pending), wrong, IP).await), Problem::CodeWrong { attempts_left: left });
        }
        assert_eq!(problem(id.verify_login_code(Some(&pending), wrong, IP).await), Problem::CodeVoided);
        assert_eq!(problem(id.verify_login_code(Some(&pending), &code, IP).await), Problem::CodeVoided);
        assert_eq!(problem(id.verify_login_code(Some(&pending), "12a456", IP).await), Problem::CodeFormat);

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
            assert!(matches!(problem(id.verify_login_code(Some(&pending), &first, IP).await), Problem::CodeWrong { .. }));
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
async fn sixty_login_attempts_a_minute_per_address_and_twenty_per_identifier() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        let id = &w.identity;
        // Start at the turn of a quarter hour, so every attempt falls in one window of each limit.
        use raia_app::clock::Clock;
        w.clock.advance(900 - w.clock.now().rem_euclid(900));
        for n in 0..60 {
            let identifier = format!("1111{n:04}");
            assert!(matches!(id.log_in(None, IP, &identifier, PASSWORD, None).await, Err(AppError::Invalid(_))));
        }
        match id.log_in(None, IP, "22223333", PASSWORD, None).await {
            Err(AppError::TooManyRequests { retry_after_seconds }) => assert!((1..=60).contains(&retry_after_seconds)),
            other => panic!("expected 429, got {other:?}"),
        }
        // Another address is not affected; the next minute starts afresh.
        assert!(matches!(id.log_in(None, "203.0.113.9", "22223333", PASSWORD, None).await, Err(AppError::Invalid(_))));
        w.clock.advance(60);
        assert!(matches!(id.log_in(None, IP, "22223333", PASSWORD, None).await, Err(AppError::Invalid(_))));

        // One identifier from many addresses: 20 attempts, then a wait, whoever asks.
        for n in 0..18 {
            let address = format!("198.51.100.{}", 100 + n);
            let answer = id.log_in(None, &address, "22223333", PASSWORD, None).await;
            assert!(matches!(answer, Err(AppError::Invalid(_))), "attempt {n}: {answer:?}");
        }
        assert!(matches!(id.log_in(None, "203.0.113.50", "22223333", PASSWORD, None).await, Err(AppError::TooManyRequests { .. })));
        assert!(matches!(id.log_in(None, "203.0.113.50", "33334444", PASSWORD, None).await, Err(AppError::Invalid(_))), "another identifier is not affected");
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn two_hundred_concurrent_wrong_passwords_are_judged_at_most_five_times_and_lock_no_one_else() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let amina = w.identity.start_registration(None, "citizen", "34567890", "Amina", "2001").await.unwrap();
        w.identity.complete_registration(Some(&amina), IP, Locale::en, "amina@example.com", "0722000444", PASSWORD, PASSWORD).await.unwrap();
        let guesses = (0..200).map(|n| {
            let identity = w.identity.clone();
            // Each from its own address, so only the account's own limits stand in the way.
            tokio::spawn(async move { identity.log_in(None, &format!("10.0.{}.{}", n / 250, n % 250), "67890123", &format!("wrong guess number {n}"), None).await })
        });
        let mut judged = 0;
        for guess in guesses.collect::<Vec<_>>() {
            match guess.await.unwrap() {
                Err(AppError::Invalid(problems)) if problems[0].problem == Problem::WrongCredentials => judged += 1,
                Err(AppError::Invalid(problems)) if matches!(problems[0].problem, Problem::Locked { .. }) => {}
                Err(AppError::TooManyRequests { .. }) => {}
                other => panic!("unexpected answer {other:?}"),
            }
        }
        // Four wrong answers, then the fifth guess locks: never more than five judged.
        assert!(judged <= 4, "{judged} guesses were judged on the password before the lock");
        use raia_app::clock::Clock;
        let locked_until: Option<i64> = sqlx::query_scalar("SELECT locked_until FROM accounts WHERE id_number = '67890123'").fetch_one(w.test_db.db.pool()).await.unwrap();
        assert!(locked_until.is_some_and(|until| until > w.clock.now()), "the account is locked");
        // Another citizen, even from an address that guessed, logs in as ever.
        w.identity.log_in(None, "10.0.0.7", "34567890", PASSWORD, None).await.expect("Amina is not locked out by Baraka's attacker");
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_reset_code_works_only_for_the_account_and_flow_it_was_sent_for() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;
        // The victim: Amina.
        let token = id.start_registration(None, "citizen", "34567890", "Amina", "2001").await.unwrap();
        id.complete_registration(Some(&token), IP, Locale::en, "amina@example.com", "0733000444", PASSWORD, PASSWORD).await.unwrap();

        // The attacker (Baraka) starts a reset for himself and gets his own code ...
        let mine = id.start_reset(None, "67890123").await.unwrap();
        id.send_reset_code(Some(&mine), "sms").await.unwrap();
        let my_code = w.last_code_to("+254722000333").await;
        // ... then, in the same browser, starts a reset for the victim and types his code.
        let theirs = id.start_reset(Some(&mine), "34567890").await.unwrap();
        assert_ne!(theirs, mine, "a new flow gets a new session");
        assert!(id.session(Some(&mine)).await.unwrap().is_none(), "the old flow's session ended");
        assert_eq!(problem(id.verify_reset_code(Some(&theirs), &my_code).await), Problem::CodeWrong { attempts_left: 4 });
        assert!(!id.reset_code_verified(Some(&theirs)).await.unwrap());
        assert_eq!(problem(id.set_new_password(Some(&theirs), "the attacker's choice", "the attacker's choice").await), Problem::FlowExpired);
        // The victim's password still works; and the attacker's code died with its flow.
        id.log_in(None, "203.0.113.1", "34567890", PASSWORD, None).await.expect("victim's password unchanged");
        let again = id.start_reset(None, "67890123").await.unwrap();
        assert_eq!(problem(id.verify_reset_code(Some(&again), &my_code).await), Problem::CodeWrong { attempts_left: 4 });

        // The same for login: a code sent in one login flow does not carry into the next.
        let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
        w.clock.advance(31);
        id.send_login_code(Some(&pending), "sms").await.unwrap();
        let login_code = w.last_code_to("+254722000333").await;
        let next_login = id.log_in(Some(&pending), IP, "34567890", PASSWORD, None).await.unwrap();
        assert_eq!(problem(id.verify_login_code(Some(&next_login), &login_code, IP).await), Problem::FlowExpired);
        assert!(id.current_account(Some(&next_login)).await.unwrap().is_none());
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn the_reset_code_step_says_nothing_about_whether_an_account_exists() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;
        // No code sent yet: a real account and an unknown one answer alike.
        let real = id.start_reset(None, "67890123").await.unwrap();
        let ghost = id.start_reset(None, "99990000").await.unwrap();
        for attempts_left in (1..5).rev() {
            let real_answer = problem(id.verify_reset_code(Some(&real), "123456").await);
            let ghost_answer = problem(id.verify_reset_code(Some(&ghost), "123456").await);
            assert_eq!(real_answer, Problem::CodeWrong { attempts_left });
            assert_eq!(ghost_answer, real_answer);
        }
        assert_eq!(problem(id.verify_reset_code(Some(&real), "123456").await), Problem::CodeVoided);
        assert_eq!(problem(id.verify_reset_code(Some(&ghost), "123456").await), Problem::CodeVoided);

        // "Sent", then 10 minutes later: expired for both.
        let real = id.start_reset(None, "67890123").await.unwrap();
        let ghost = id.start_reset(None, "99990000").await.unwrap();
        id.send_reset_code(Some(&real), "sms").await.unwrap();
        id.send_reset_code(Some(&ghost), "sms").await.unwrap();
        w.clock.advance(10 * 60 + 1);
        assert_eq!(problem(id.verify_reset_code(Some(&real), "123456").await), Problem::CodeExpired);
        assert_eq!(problem(id.verify_reset_code(Some(&ghost), "123456").await), Problem::CodeExpired);
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn registration_contact_checks_are_limited_per_address() {
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let id = &w.identity;
        use raia_app::clock::Clock;
        w.clock.advance(3600 - w.clock.now().rem_euclid(3600));
        let token = id.start_registration(None, "citizen", "34567890", "Amina", "2001").await.unwrap();
        // Each try could learn whether an email or phone has an account.
        for _ in 0..20 {
            assert!(matches!(id.complete_registration(Some(&token), IP, Locale::en, "baraka@example.com", "0722000333", PASSWORD, PASSWORD).await, Err(AppError::Invalid(_))));
        }
        assert!(matches!(
            id.complete_registration(Some(&token), IP, Locale::en, "baraka@example.com", "0722000333", PASSWORD, PASSWORD).await,
            Err(AppError::TooManyRequests { .. })
        ));
        // Someone else is not held up.
        id.complete_registration(Some(&token), "203.0.113.5", Locale::en, "amina@example.com", "0733000444", PASSWORD, PASSWORD).await.expect("another address registers");
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
        let before = outbox::list(&w.outbox, None, None, 1000).await.unwrap().len();
        let ghost = id.start_reset(None, "ghost@example.com").await.unwrap();
        id.send_reset_code(Some(&ghost), "sms").await.unwrap();
        assert_eq!(problem(id.send_reset_code(Some(&ghost), "sms").await), Problem::ResendTooSoon { seconds: 30 });
        assert_eq!(problem(id.verify_reset_code(Some(&ghost), "123456").await), Problem::CodeWrong { attempts_left: 4 });
        assert_eq!(outbox::list(&w.outbox, None, None, 1000).await.unwrap().len(), before);
        assert!(!id.reset_code_verified(Some(&ghost)).await.unwrap());

        // Real account.
        w.clock.advance(31);
        let reset = id.start_reset(None, "0722000333").await.unwrap();
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

#[tokio::test]
async fn codes_in_the_outbox_are_redacted_once_expired_and_old_rows_purged() {
    use raia_app::clock::Clock;
    use raia_app::identity::retention;
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        w.register_baraka().await;
        let pending = w.identity.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
        w.identity.send_login_code(Some(&pending), "sms").await.unwrap();
        let code = w.last_code_to("+254722000333").await;
        let db = &w.test_db.db;

        // While the code can still be used, nothing is touched.
        retention::sweep(db, w.clock.now(), false).await.unwrap();
        assert!(w.last_message_to("+254722000333").await.body.contains(&code));

        // Expired: the production sweep redacts it; the development one keeps it for /dev/outbox.
        w.clock.advance(11 * 60);
        let kept = retention::sweep(db, w.clock.now(), true).await.unwrap();
        assert_eq!(kept.secrets_redacted, 0);
        assert!(w.last_message_to("+254722000333").await.body.contains(&code));
        let swept = retention::sweep(db, w.clock.now(), false).await.unwrap();
        assert_eq!(swept.secrets_redacted, 1);
        let stored: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox_messages").fetch_all(db.pool()).await.unwrap();
        assert!(stored.iter().all(|body| !body.contains(&code)), "no code left in clear: {stored:?}");
        assert_eq!(w.last_message_to("+254722000333").await.body, retention::REDACTED_BODY);

        // A month on, messages, codes, sessions and counters are gone.
        w.clock.advance(retention::MESSAGES_KEPT_SECONDS + 1);
        let swept = retention::sweep(db, w.clock.now(), false).await.unwrap();
        assert!(swept.messages_deleted >= 1 && swept.codes_deleted >= 1 && swept.sessions_deleted >= 1 && swept.counters_deleted >= 1, "{swept:?}");
        for table in ["outbox_messages", "one_time_codes", "sessions", "rate_limit_hits"] {
            let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap();
            assert_eq!(left, 0, "{table}");
        }
        w.test_db.drop_database().await;
    }
}

#[tokio::test]
async fn a_staff_password_given_from_the_shell_follows_the_citizens_rules() {
    use raia_app::identity::staff::{self, NewStaff};
    for test_db in TestDb::all().await {
        let w = world(test_db).await;
        let new = NewStaff {
            id_number: "30000099".into(),
            first_name: "Halima".into(),
            surname: "Noor".into(),
            email: "halima.noor@example.go.ke".into(),
            phone: "0700000199".into(),
            role: "admin".into(),
            agency: String::new(),
        };
        match staff::create_from_shell(&w.identity, &[], &new, Some("password1234")).await {
            Err(AppError::Invalid(problems)) => assert!(
                problems.iter().any(|p| p.field == "password" && matches!(p.problem, Problem::PasswordGuessable { .. })),
                "{problems:?}"
            ),
            other => panic!("a guessable staff password was accepted: {other:?}"),
        }
        staff::create_from_shell(&w.identity, &[], &new, Some("granite ferry under moonlight")).await.expect("a strong password is taken");
        w.test_db.drop_database().await;
    }
}

// ---------------------------------------------------------------- account security

mod account_security {
    use super::*;
    use raia_app::identity::accounts::{self, Account};
    use raia_app::identity::activity::{self, SecurityEvent};
    use raia_app::identity::authenticator;
    use raia_app::identity::contact::Identifier;
    use raia_app::messages::texts::ContactKind;

    impl World {
        async fn baraka(&self) -> Account {
            let id = raia_app::identity::contact::IdNumber::parse("67890123").unwrap();
            accounts::find_by_identifier(self.identity.db.pool(), &Identifier::IdNumber(id)).await.unwrap().unwrap()
        }

        fn now(&self) -> i64 {
            use raia_app::clock::Clock;
            self.clock.now()
        }

        /// Switches Baraka's app on; returns its secret and backup codes.
        async fn switch_on_app(&self) -> (Vec<u8>, Vec<String>) {
            let baraka = self.baraka().await;
            self.identity.begin_authenticator(&baraka, PASSWORD, IP).await.unwrap();
            let setup = self.identity.authenticator_setup(&baraka).await.unwrap().expect("an app being set up");
            let secret = authenticator::find(self.identity.db.pool(), &self.identity.secrets, baraka.id).await.unwrap().unwrap().secret;
            self.identity.confirm_authenticator(&baraka, &authenticator::code_at(&secret, self.now()), IP).await.unwrap();
            (secret, setup.backup_codes)
        }

        /// The password step and "use my app": the pending login's token.
        async fn start_app_login(&self) -> String {
            let pending = self.identity.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
            self.identity.choose_authenticator(Some(&pending)).await.unwrap();
            pending
        }
    }

    #[tokio::test]
    async fn an_app_is_switched_on_by_its_first_code_then_asked_for_at_login_with_one_step_of_drift_and_no_replay() {
        for test_db in TestDb::all().await {
            let w = world(test_db).await;
            w.register_baraka().await;
            let id = &w.identity;
            let baraka = w.baraka().await;
            assert_eq!(problem(id.begin_authenticator(&baraka, "not my password", IP).await), Problem::WrongPassword);
            id.begin_authenticator(&baraka, PASSWORD, IP).await.unwrap();
            let setup = id.authenticator_setup(&baraka).await.unwrap().unwrap();
            assert!(setup.qr_svg.contains("<svg"), "the QR code is drawn on the server");
            assert_eq!(setup.backup_codes.len(), 10);
            let secret = authenticator::find(id.db.pool(), &id.secrets, baraka.id).await.unwrap().unwrap().secret;
            // The secret is sealed in the database, never stored as the app shows it.
            let stored: String = sqlx::query_scalar("SELECT sealed_secret FROM authenticators").fetch_one(id.db.pool()).await.unwrap();
            assert!(!stored.contains(&setup.secret_text.replace(' ', "")));
            assert!(!id.security_settings(&baraka).await.unwrap().authenticator_on, "not on before a first code");
            assert_eq!(problem(id.confirm_authenticator(&baraka, "000000", IP).await), Problem::AuthenticatorCodeWrong);

            let confirmed_at = w.now();
            let first = authenticator::code_at(&secret, confirmed_at);
            id.confirm_authenticator(&baraka, &first, IP).await.unwrap();
            assert!(id.security_settings(&baraka).await.unwrap().authenticator_on);
            assert!(w.last_message_to("baraka@example.com").await.body.contains("authenticator app was switched on"));
            // Backup codes are shown during setup only.
            assert!(id.authenticator_setup(&baraka).await.unwrap().is_none());

            // Login offers the app; the code that switched it on cannot be used again.
            let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
            assert!(id.login_destinations(Some(&pending)).await.unwrap().unwrap().authenticator);
            id.choose_authenticator(Some(&pending)).await.unwrap();
            assert!(matches!(problem(id.verify_login_code(Some(&pending), &first, IP).await), Problem::CodeWrong { .. }), "a used step is refused");

            // A minute later: the code of one step ago is still accepted, once.
            w.clock.advance(60);
            let step = w.now() / authenticator::STEP_SECONDS;
            let late = authenticator::code_at(&secret, (step - 1) * authenticator::STEP_SECONDS);
            id.verify_login_code(Some(&pending), &late, IP).await.expect("one step of drift is accepted");
            let pending = w.start_app_login().await;
            assert!(matches!(problem(id.verify_login_code(Some(&pending), &late, IP).await), Problem::CodeWrong { .. }), "replay refused");
            let two_steps_ahead = authenticator::code_at(&secret, (step + 2) * authenticator::STEP_SECONDS);
            assert!(matches!(problem(id.verify_login_code(Some(&pending), &two_steps_ahead, IP).await), Problem::CodeWrong { .. }), "two steps of drift are too many");
            let ahead = authenticator::code_at(&secret, (step + 1) * authenticator::STEP_SECONDS);
            id.verify_login_code(Some(&pending), &ahead, IP).await.expect("a phone one step ahead is fine");
            w.test_db.drop_database().await;
        }
    }

    #[tokio::test]
    async fn backup_codes_work_once_each_and_five_wrong_codes_end_the_login() {
        for test_db in TestDb::all().await {
            let w = world(test_db).await;
            w.register_baraka().await;
            let id = &w.identity;
            let (_, backup) = w.switch_on_app().await;
            let pending = w.start_app_login().await;
            id.verify_login_code(Some(&pending), &backup[3].to_uppercase(), IP).await.expect("a backup code, however typed");
            let pending = w.start_app_login().await;
            assert!(matches!(problem(id.verify_login_code(Some(&pending), &backup[3], IP).await), Problem::CodeWrong { .. }), "used once only");
            for _ in 0..3 {
                assert!(matches!(problem(id.verify_login_code(Some(&pending), "aaaa-aaaa-aaaa", IP).await), Problem::CodeWrong { .. }));
            }
            assert_eq!(problem(id.verify_login_code(Some(&pending), "aaaa-aaaa-aaaa", IP).await), Problem::FlowExpired);
            assert_eq!(problem(id.verify_login_code(Some(&pending), &backup[4], IP).await), Problem::FlowExpired, "the password must be given again");
            let baraka = w.baraka().await;
            assert_eq!(id.security_settings(&baraka).await.unwrap().backup_codes_left, 9);
            let events: Vec<SecurityEvent> = activity::latest(id.db.pool(), baraka.id).await.unwrap().into_iter().map(|e| e.event).collect();
            assert!(events.contains(&SecurityEvent::BackupCodeUsed) && events.contains(&SecurityEvent::WrongCode));
            w.test_db.drop_database().await;
        }
    }

    #[tokio::test]
    async fn codes_by_message_can_be_turned_off_only_with_an_app_and_the_app_only_with_password_and_code() {
        for test_db in TestDb::all().await {
            let w = world(test_db).await;
            w.register_baraka().await;
            let id = &w.identity;
            let baraka = w.baraka().await;
            assert_eq!(problem(id.set_code_settings(&baraka, "email", false, IP).await), Problem::NeedsAuthenticator);
            id.set_code_settings(&baraka, "email", true, IP).await.unwrap();
            assert_eq!(w.baraka().await.code_channel.as_str(), "email");

            let (secret, _) = w.switch_on_app().await;
            id.set_code_settings(&baraka, "sms", false, IP).await.unwrap();
            let pending = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
            let offered = id.login_destinations(Some(&pending)).await.unwrap().unwrap();
            assert!(offered.authenticator && !offered.message_codes);
            assert_eq!(problem(id.send_login_code(Some(&pending), "sms").await), Problem::MessageCodesOff);

            let baraka = w.baraka().await;
            w.clock.advance(30);
            let code = authenticator::code_at(&secret, w.now());
            assert_eq!(problem(id.turn_off_authenticator(&baraka, "not my password", &code, IP).await), Problem::WrongPassword);
            assert_eq!(problem(id.turn_off_authenticator(&baraka, PASSWORD, "123", IP).await), Problem::AuthenticatorCodeWrong);
            id.turn_off_authenticator(&baraka, PASSWORD, &code, IP).await.unwrap();
            let baraka = w.baraka().await;
            assert!(baraka.message_codes_allowed, "codes by message come back, or nobody could log in");
            assert!(!id.security_settings(&baraka).await.unwrap().authenticator_on);
            assert_eq!(id.security_settings(&baraka).await.unwrap().backup_codes_left, 0);
            w.test_db.drop_database().await;
        }
    }

    #[tokio::test]
    async fn a_contact_changes_only_with_the_code_sent_to_the_new_one_and_the_old_one_is_told() {
        for test_db in TestDb::all().await {
            let w = world(test_db).await;
            w.register_baraka().await;
            let id = &w.identity;
            let token = w.log_in("67890123").await;
            let baraka = w.baraka().await;
            assert_eq!(problem(id.start_contact_change(&baraka, Some(&token), ContactKind::Email, "new@example.com", "wrong password", IP).await), Problem::WrongPassword);
            assert_eq!(problem(id.start_contact_change(&baraka, Some(&token), ContactKind::Email, "not an email", PASSWORD, IP).await), Problem::InvalidEmail);
            assert_eq!(problem(id.start_contact_change(&baraka, Some(&token), ContactKind::Email, "Baraka@example.com", PASSWORD, IP).await), Problem::SameContact);

            let changing = id.start_contact_change(&baraka, Some(&token), ContactKind::Email, "baraka.mutua@example.com", PASSWORD, IP).await.unwrap();
            assert_ne!(changing, token, "a new flow rotates the session");
            assert!(id.session(Some(&token)).await.unwrap().is_none());
            let code = w.last_code_to("baraka.mutua@example.com").await;
            // A code for this account from another flow proves nothing here.
            let other_login = id.log_in(None, IP, "67890123", PASSWORD, None).await.unwrap();
            id.send_login_code(Some(&other_login), "sms").await.unwrap();
            let login_code = w.last_code_to("+254722000333").await;
            if login_code != code {
                assert!(matches!(problem(id.confirm_contact_change(&baraka, Some(&changing), &login_code, IP).await), Problem::CodeWrong { .. }));
            }
            assert_eq!(w.baraka().await.email, "baraka@example.com", "nothing switches before the code");
            id.confirm_contact_change(&baraka, Some(&changing), &code, IP).await.unwrap();
            assert_eq!(w.baraka().await.email, "baraka.mutua@example.com");
            let notice = w.last_message_to("baraka@example.com").await;
            assert!(notice.body.contains("was changed to b*****@example.com"), "{}", notice.body);
            assert!(id.session(Some(&changing)).await.unwrap().is_some(), "the citizen stays logged in");

            // The phone: the code goes by SMS to the new number, the notice to the old one.
            let baraka = w.baraka().await;
            let changing = id.start_contact_change(&baraka, Some(&changing), ContactKind::Phone, "0733 000 444", PASSWORD, IP).await.unwrap();
            let code = w.last_code_to("+254733000444").await;
            id.confirm_contact_change(&baraka, Some(&changing), &code, IP).await.unwrap();
            assert_eq!(w.baraka().await.phone, "+254733000444");
            assert!(w.last_message_to("+254722000333").await.body.contains("phone number on your account was changed"));
            let events: Vec<SecurityEvent> = activity::latest(id.db.pool(), baraka.id).await.unwrap().into_iter().map(|e| e.event).collect();
            assert_eq!(&events[..2], &[SecurityEvent::PhoneChanged, SecurityEvent::CodeSent]);
            assert!(events.contains(&SecurityEvent::EmailChanged) && events.contains(&SecurityEvent::WrongPassword) && events.contains(&SecurityEvent::LoggedIn));
            w.test_db.drop_database().await;
        }
    }
}
