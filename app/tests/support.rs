//! Support requests through the service, on SQLite and (when configured) PostgreSQL: a
//! citizen opens one and gets a `TKT-` reference; nobody else reads or answers it but
//! admins and officers of the linked application's agency; a staff answer reaches the
//! citizen by email and in their notifications in the answer's own transaction.
#![cfg(feature = "ssr")]

use raia_app::clock::ManualClock;
use raia_app::db::{Backend, Db};
use raia_app::errors::{AppError, FieldProblem, Problem};
use raia_app::i18n::Locale;
use raia_app::identity::accounts::{self, Account, NewAccount};
use raia_app::messages::outbox;
use raia_app::support::service::{Screenshot, Support, TicketForm};
use raia_app::support::views::{TicketStatus, Topic};
use raia_app::test_db::TestDb;
use std::sync::Arc;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

struct World {
    support: Support,
    db: Db,
    test_db: Option<TestDb>,
}

impl World {
    async fn new(test_db: TestDb) -> World {
        let db = test_db.db.clone();
        let support = Support { db: db.clone(), clock: Arc::new(ManualClock::starting_now()), public_base_url: "https://raia.example".into() };
        World { support, db, test_db: Some(test_db) }
    }

    async fn finish(mut self) {
        if let Some(test_db) = self.test_db.take() {
            test_db.drop_database().await;
        }
    }

    async fn account(&self, id_number: &str, role: &str, agency: Option<&str>, language: Locale) -> Account {
        let mut tx = self.db.begin_write().await.unwrap();
        let new = NewAccount {
            id_number,
            account_type: "citizen",
            first_name: "Test",
            surname: id_number,
            email: &format!("{id_number}@example.com"),
            phone: &format!("+2547{id_number}"),
            password_hash: "!",
            role,
            language,
        };
        let id = accounts::insert(&mut tx, &new, 0).await.unwrap();
        sqlx::query("UPDATE accounts SET agency = $1 WHERE id = $2").bind(agency).bind(id).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        accounts::find_by_id(self.db.pool(), id).await.unwrap().unwrap()
    }

    async fn citizen(&self, id_number: &str) -> Account {
        self.account(id_number, "citizen", None, Locale::en).await
    }

    /// A submitted application of `citizen` at `agency`.
    async fn application(&self, citizen: &Account, reference: &str, agency: &str) {
        sqlx::query("INSERT INTO applications (reference, account_id, service_slug, agency, status, created_at, updated_at, submitted_at) VALUES ($1, $2, 'passport', $3, 'submitted', 0, 0, 0)")
            .bind(reference)
            .bind(citizen.id)
            .bind(agency)
            .execute(self.db.pool())
            .await
            .unwrap();
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(self.db.pool()).await.unwrap()
    }
}

fn form<'a>(topic: &'a str, application: &'a str, message: &'a str) -> TicketForm<'a> {
    TicketForm { topic, application, message, screenshot: Screenshot::None }
}

fn problems(result: Result<impl std::fmt::Debug, AppError>) -> Vec<FieldProblem> {
    match result {
        Err(AppError::Invalid(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

async fn each_database<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = World>,
{
    for test_db in TestDb::all().await {
        test(World::new(test_db).await).await.finish().await;
    }
}

#[tokio::test]
async fn a_citizen_opens_a_request_and_gets_a_tkt_reference() {
    each_database(|w| async move {
        let citizen = w.citizen("11110001").await;
        let year = raia_app::calendar::year_of(w.support.clock.now());
        let with_screenshot = TicketForm { screenshot: Screenshot::File { name: "C:\\phone\\screen.png", bytes: PNG }, ..form("login", "", "  My code never arrived.  ") };
        let first = w.support.open(&citizen, &with_screenshot).await.unwrap();
        assert_eq!(first, format!("TKT-{year}-000001"));
        let second = w.support.open(&citizen, &form("payments", "", "Paid twice?")).await.unwrap();
        assert_eq!(second, format!("TKT-{year}-000002"), "one counter per year, like applications'");

        let mine = w.support.my_tickets(&citizen).await.unwrap();
        assert_eq!(mine.len(), 2);
        let ticket = w.support.my_ticket(&citizen, &first).await.unwrap();
        assert_eq!((ticket.summary.topic, ticket.summary.status), (Topic::Login, TicketStatus::AwaitingStaff));
        assert_eq!(ticket.messages.len(), 1);
        assert_eq!(ticket.messages[0].body, "My code never arrived.");
        let file = ticket.messages[0].attachment.clone().expect("the screenshot is kept");
        assert_eq!(file.file_name, "screen.png");
        let download = w.support.attachment(&citizen, file.id).await.unwrap();
        assert_eq!((download.content_type.as_str(), download.bytes.as_slice()), ("image/png", PNG));
        w
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_named_beside_its_field_and_nothing_is_stored() {
    each_database(|w| async move {
        let citizen = w.citizen("11110002").await;
        let named = problems(w.support.open(&citizen, &TicketForm { screenshot: Screenshot::File { name: "virus.exe", bytes: b"MZ\x90\0" }, ..form("refund", "", " ") }).await);
        let fields: Vec<(&str, &Problem)> = named.iter().map(|p| (p.field.as_str(), &p.problem)).collect();
        assert_eq!(fields, vec![("topic", &Problem::InvalidChoice), ("message", &Problem::Required), ("screenshot", &Problem::FileWrongType)]);
        let long = "a".repeat(2_001);
        let named = problems(w.support.open(&citizen, &TicketForm { screenshot: Screenshot::TooLarge, ..form("", "", &long) }).await);
        let fields: Vec<(&str, &Problem)> = named.iter().map(|p| (p.field.as_str(), &p.problem)).collect();
        assert_eq!(fields, vec![("topic", &Problem::Required), ("message", &Problem::TextTooLong { max: 2_000 }), ("screenshot", &Problem::FileTooLarge)]);
        assert_eq!(w.count("SELECT COUNT(*) FROM support_tickets").await, 0);
        assert_eq!(w.count("SELECT COUNT(*) FROM reference_counters").await, 0, "no reference is drawn for a refused form");
        w
    })
    .await;
}

#[tokio::test]
async fn only_the_citizens_own_application_can_be_named() {
    each_database(|w| async move {
        let citizen = w.citizen("11110003").await;
        let other = w.citizen("11110004").await;
        w.application(&other, "PSP-2026-000009", "immigration").await;
        w.application(&citizen, "PSP-2026-000010", "immigration").await;

        for reference in ["PSP-2026-000009", "PSP-2026-999999"] {
            let named = problems(w.support.open(&citizen, &form("application", reference, "Where is it?")).await);
            assert_eq!(named, vec![FieldProblem::new("application", Problem::NotYourApplication)], "another's and a missing one answer alike");
        }
        assert_eq!(w.count("SELECT COUNT(*) FROM support_tickets").await, 0);

        let reference = w.support.open(&citizen, &form("application", " psp-2026-000010 ", "Where is it?")).await.unwrap();
        let ticket = w.support.my_ticket(&citizen, &reference).await.unwrap();
        assert_eq!(ticket.summary.application_reference.as_deref(), Some("PSP-2026-000010"));
        w
    })
    .await;
}

#[tokio::test]
async fn nobody_else_reads_or_answers_a_request() {
    each_database(|w| async move {
        let citizen = w.citizen("11110005").await;
        let stranger = w.citizen("11110006").await;
        let immigration = w.account("11110007", "officer", Some("immigration"), Locale::en).await;
        let ntsa = w.account("11110008", "officer", Some("ntsa"), Locale::en).await;
        w.application(&citizen, "PSP-2026-000011", "immigration").await;
        let linked = w.support.open(&citizen, &TicketForm { screenshot: Screenshot::File { name: "s.png", bytes: PNG }, ..form("application", "PSP-2026-000011", "Is my passport ready?") }).await.unwrap();
        let general = w.support.open(&citizen, &form("account", "", "Change my name")).await.unwrap();
        let file_id = w.support.my_ticket(&citizen, &linked).await.unwrap().messages[0].attachment.clone().unwrap().id;

        // Another citizen: "not found", whatever they try.
        assert_eq!(w.support.my_ticket(&stranger, &linked).await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.support.citizen_reply(&stranger, &linked, "let me in").await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.support.attachment(&stranger, file_id).await.err(), Some(AppError::NotFound));
        assert!(w.support.my_tickets(&stranger).await.unwrap().is_empty());
        assert_eq!(w.support.desk(&stranger).await.unwrap_err(), AppError::Forbidden, "citizens have no desk");

        // An officer of another agency: neither the linked request nor a general one.
        assert!(w.support.desk(&ntsa).await.unwrap().tickets.is_empty());
        for reference in [&linked, &general] {
            assert_eq!(w.support.desk_ticket(&ntsa, reference).await.unwrap_err(), AppError::NotFound);
            assert_eq!(w.support.staff_reply(&ntsa, reference, "Hello").await.unwrap_err(), AppError::NotFound);
            assert_eq!(w.support.resolve(&ntsa, reference).await.unwrap_err(), AppError::NotFound);
        }
        assert_eq!(w.support.attachment(&ntsa, file_id).await.err(), Some(AppError::NotFound));

        // The application's agency sees the linked request only.
        let desk = w.support.desk(&immigration).await.unwrap();
        assert_eq!(desk.tickets.iter().map(|t| t.reference.as_str()).collect::<Vec<_>>(), vec![linked.as_str()]);
        assert_eq!(desk.awaiting_staff, 1);
        assert_eq!(w.support.desk_ticket(&immigration, &general).await.unwrap_err(), AppError::NotFound);
        assert!(w.support.attachment(&immigration, file_id).await.is_ok());
        assert_eq!(w.count("SELECT COUNT(*) FROM support_messages").await, 2, "no refused reply was written");
        w
    })
    .await;
}

/// Makes every write to `table` fail, as a full disk or a broken table would.
async fn break_table(db: &Db, table: &str) {
    match db.backend() {
        Backend::Sqlite => {
            sqlx::query(&format!("CREATE TRIGGER {table}_broken BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'broken'); END")).execute(db.pool()).await.unwrap();
        }
        Backend::Postgres => {
            sqlx::query(&format!("CREATE FUNCTION {table}_broken() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'broken'; END $$ LANGUAGE plpgsql")).execute(db.pool()).await.unwrap();
            sqlx::query(&format!("CREATE TRIGGER {table}_broken BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_broken()")).execute(db.pool()).await.unwrap();
        }
    }
}

async fn mend_table(db: &Db, table: &str) {
    let drop = match db.backend() {
        Backend::Sqlite => format!("DROP TRIGGER {table}_broken"),
        Backend::Postgres => format!("DROP TRIGGER {table}_broken ON {table}"),
    };
    sqlx::query(&drop).execute(db.pool()).await.unwrap();
}

#[tokio::test]
async fn an_admins_answer_reaches_the_citizen_by_email_and_notification_in_one_transaction() {
    each_database(|w| async move {
        let citizen = w.account("11110009", "citizen", None, Locale::sw).await;
        let admin = w.account("11110010", "admin", None, Locale::en).await;
        let reference = w.support.open(&citizen, &form("payments", "", "Nimelipa lakini haionekani.")).await.unwrap();

        // Without its notification, or without its email, the answer does not happen.
        for table in ["notifications", "outbox_messages"] {
            break_table(&w.db, table).await;
            assert_eq!(w.support.staff_reply(&admin, &reference, "Tumeona malipo yako.").await.unwrap_err(), AppError::Internal);
            mend_table(&w.db, table).await;
            assert_eq!(w.count("SELECT COUNT(*) FROM support_messages").await, 1, "{table} broken: no answer stored");
            assert_eq!(w.count("SELECT COUNT(*) FROM outbox_messages").await + w.count("SELECT COUNT(*) FROM notifications").await, 0);
            assert_eq!(w.support.my_ticket(&citizen, &reference).await.unwrap().summary.status, TicketStatus::AwaitingStaff);
        }

        w.support.staff_reply(&admin, &reference, "Tumeona malipo yako.").await.unwrap();
        let emails = outbox::list(&w.db, Some("11110009@example.com"), None, 10).await.unwrap();
        assert_eq!(emails.len(), 1);
        assert_eq!(emails[0].language, "sw", "in the citizen's own language");
        assert!(emails[0].subject.as_deref().unwrap_or("").contains(&reference));
        assert!(emails[0].body.contains("Tumeona malipo yako.") && emails[0].body.contains(&format!("https://raia.example/support/{reference}")), "{}", emails[0].body);
        let notified: (String, String, String) = sqlx::query_as("SELECT kind, detail, link FROM notifications WHERE account_id = $1").bind(citizen.id).fetch_one(w.db.pool()).await.unwrap();
        assert_eq!(notified, ("support_reply".to_string(), reference.clone(), format!("/support/{reference}")));

        // The citizen sees the answer; their reply puts it back at the top of the desk.
        let ticket = w.support.my_ticket(&citizen, &reference).await.unwrap();
        assert_eq!(ticket.summary.status, TicketStatus::AwaitingCitizen);
        assert!(ticket.messages[1].from_staff && ticket.messages[1].body == "Tumeona malipo yako." && ticket.messages[1].author_name == "Test");
        assert_eq!(w.support.desk(&admin).await.unwrap().awaiting_staff, 0);
        w.support.citizen_reply(&citizen, &reference, "Asante!").await.unwrap();
        assert_eq!(w.support.desk(&admin).await.unwrap().awaiting_staff, 1);
        w
    })
    .await;
}

#[tokio::test]
async fn requests_awaiting_staff_come_first_and_resolved_ones_open_again_when_the_citizen_writes() {
    each_database(|w| async move {
        let citizen = w.citizen("11110011").await;
        let admin = w.account("11110012", "admin", None, Locale::en).await;
        let answered = w.support.open(&citizen, &form("other", "", "First")).await.unwrap();
        let waiting = w.support.open(&citizen, &form("other", "", "Second")).await.unwrap();
        w.support.staff_reply(&admin, &answered, "Done.").await.unwrap();
        let order: Vec<String> = w.support.desk(&admin).await.unwrap().tickets.into_iter().map(|t| t.reference).collect();
        assert_eq!(order, vec![waiting.clone(), answered.clone()]);

        w.support.resolve(&admin, &answered).await.unwrap();
        assert_eq!(w.support.resolve(&admin, &answered).await.unwrap_err(), AppError::field("", Problem::NotAllowedNow));
        assert_eq!(w.support.staff_reply(&admin, &answered, "More").await.unwrap_err(), AppError::field("", Problem::NotAllowedNow));
        w.support.citizen_reply(&citizen, &answered, "It happened again").await.unwrap();
        assert_eq!(w.support.my_ticket(&citizen, &answered).await.unwrap().summary.status, TicketStatus::AwaitingStaff);
        assert_eq!(w.support.citizen_reply(&citizen, &answered, " ").await.unwrap_err(), AppError::field("message", Problem::Required));
        // Staff never answer their own request.
        let own = w.support.open(&admin, &form("other", "", "Mine")).await.unwrap();
        assert_eq!(w.support.desk_ticket(&admin, &own).await.unwrap_err(), AppError::NotFound);
        w
    })
    .await;
}
