//! Applying and reviewing, end to end through the services, on SQLite and (when
//! configured) PostgreSQL: what a citizen, another citizen and officers of two agencies see.
#![cfg(feature = "ssr")]

use raia_app::clock::ManualClock;
use raia_app::errors::{AppError, Problem};
use raia_app::identity::accounts::{self, Account, NewAccount};
use raia_app::messages::outbox;
use raia_app::identity::password::PasswordHasher;
use raia_app::identity::registry::TableRegistry;
use raia_app::identity::service::Identity;
use raia_app::identity::staff::{self, NewStaff};
use raia_app::services::catalogue_file;
use raia_app::services::service::{Applications, FormTarget};
use raia_app::services::status::{Action, Actor, Status};
use raia_app::test_db::TestDb;
use std::collections::HashMap;
use std::sync::Arc;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF";

struct World {
    apps: Applications,
    identity: Identity,
    outbox: raia_app::db::Db,
    _test_db: TestDb,
}

async fn world(test_db: TestDb) -> World {
    let db = test_db.db.clone();
    let clock = ManualClock::starting_now();
    let identity = Identity {
        db: db.clone(),
        clock: Arc::new(clock.clone()),
        registry: Arc::new(TableRegistry::new(db.clone())),
        hasher: PasswordHasher::new(2),
        secrets: raia_app::identity::sealing::SecretsKey::dev(),
    };
    let clock: Arc<dyn raia_app::clock::Clock> = Arc::new(clock);
    let apps = Applications {
        db: db.clone(),
        clock: clock.clone(),
        catalogue: Arc::new(catalogue_file::parse(catalogue_file::BUILT_IN).unwrap()),
        registers: Arc::new(raia_app::registers::embedded::EmbeddedRegisters::new(db.clone())),
        issuer: raia_app::issued::service::Issuer { db: db.clone(), clock, keys: Arc::new(raia_app::issued::signing::DocumentKeys::development()), public_base_url: "https://raia.example".into() },
        public_base_url: "https://raia.example".into(),
    };
    World { apps, identity, outbox: db, _test_db: test_db }
}


fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn problem<T: std::fmt::Debug>(result: Result<T, AppError>) -> Problem {
    match result {
        Err(AppError::Invalid(problems)) => problems[0].problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

impl World {
    async fn citizen(&self, id_number: &str, phone: &str) -> Account {
        let mut tx = self.identity.db.begin_write().await.unwrap();
        let id = accounts::insert(
            &mut tx,
            &NewAccount {
                id_number,
                account_type: "citizen",
                first_name: "Test",
                surname: id_number,
                email: &format!("{id_number}@example.com"),
                phone,
                password_hash: "!",
                role: "citizen",
                language: raia_app::i18n::Locale::en,
            },
            0,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        accounts::find_by_id(self.identity.db.pool(), id).await.unwrap().unwrap()
    }

    async fn officer(&self, id_number: &str, phone: &str, agency: &str) -> Account {
        let agencies: Vec<String> = self.apps.catalogue.agencies.iter().map(|a| a.slug.clone()).collect();
        let new = NewStaff {
            id_number: id_number.into(),
            first_name: "Officer".into(),
            surname: agency.into(),
            email: format!("{id_number}@agency.example"),
            phone: phone.into(),
            role: "officer".into(),
            agency: agency.into(),
        };
        let id = staff::create_from_shell(&self.identity, &agencies, &new, None).await.unwrap();
        accounts::find_by_id(self.identity.db.pool(), id).await.unwrap().unwrap()
    }

    /// Fills in and submits a whole passport application; returns its reference.
    async fn submit_passport(&self, citizen: &Account) -> String {
        let draft = FormTarget::Draft { service: "passport".into() };
        self.fill_passport(citizen, &draft).await;
        self.apps.accept_declaration(citizen, &draft, true).await.unwrap();
        self.apps.submit(citizen, &draft).await.unwrap()
    }

    async fn fill_passport(&self, citizen: &Account, target: &FormTarget) {
        let apps = &self.apps;
        apps.save_step(citizen, target, 0, &answers(&[("date_of_birth", "1990-05-17"), ("place_of_birth", "Nyeri"), ("marital_status", "single"), ("occupation", "Teacher")])).await.unwrap();
        apps.save_step(citizen, target, 1, &answers(&[("booklet", "34-pages"), ("previous_passport", "no")])).await.unwrap();
        apps.save_step(citizen, target, 2, &answers(&[("emergency_contact_name", "Achieng Otieno"), ("emergency_contact_phone", "0722 111 222"), ("collection_centre", "nyayo-house")])).await.unwrap();
        apps.attach_document(citizen, target, "photo", "me.png", PNG).await.unwrap();
        apps.attach_document(citizen, target, "id_copy", "id.pdf", PDF).await.unwrap();
        apps.save_step(citizen, target, 3, &HashMap::new()).await.unwrap();
    }

    async fn admin(&self) -> Account {
        let agencies: Vec<String> = self.apps.catalogue.agencies.iter().map(|a| a.slug.clone()).collect();
        let new = NewStaff { id_number: "30000000".into(), first_name: "Rehema".into(), surname: "Achieng".into(), email: "admin@raia.example".into(), phone: "0700000100".into(), role: "admin".into(), agency: String::new() };
        let id = staff::create_from_shell(&self.identity, &agencies, &new, None).await.unwrap();
        accounts::find_by_id(self.identity.db.pool(), id).await.unwrap().unwrap()
    }

    /// Submits a passport application and has `officer` claim it; returns its reference.
    async fn claimed_passport(&self, citizen: &Account, officer: &Account) -> String {
        let reference = self.submit_passport(citizen).await;
        let version = self.apps.officer_view(officer, &reference, "").await.unwrap().version;
        self.apps.officer_move(officer, &reference, version, "claim", "", "").await.unwrap();
        reference
    }

    async fn last_sms_to(&self, phone: &str) -> String {
        outbox::list(&self.outbox, Some(phone), None, 1).await.unwrap().into_iter().next().expect("an SMS was sent").body
    }
}

async fn each_database<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_db in TestDb::all().await {
        test(world(test_db).await).await;
    }
}

#[tokio::test]
async fn a_citizen_applies_and_the_officer_takes_it_to_awaiting_payment() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let officer = w.officer("30000001", "+254700000101", "immigration").await;
        let reference = w.submit_passport(&wanjiku).await;
        assert!(reference.starts_with("PSP-") && reference.ends_with("-000001"), "{reference}");
        let mine = w.apps.my_application(&wanjiku, &reference).await.unwrap();
        assert_eq!(mine.status, Status::Submitted);
        assert_eq!(mine.amount_due_cents, 455_000);
        assert!(w.last_sms_to("+254712345678").await.contains(&reference));

        // The queue shows it; the officer claims, asks for a correction.
        let queue = w.apps.queue(&officer, "", "", "").await.unwrap();
        assert_eq!(queue.items.iter().map(|i| i.reference.as_str()).collect::<Vec<_>>(), vec![reference.as_str()]);
        let seen = w.apps.officer_view(&officer, &reference, "").await.unwrap();
        assert_eq!(seen.documents.len(), 2);
        w.apps.officer_move(&officer, &reference, seen.version, "claim", "", "").await.unwrap();
        let seen = w.apps.officer_view(&officer, &reference, "").await.unwrap();
        assert_eq!(problem(w.apps.officer_move(&officer, &reference, seen.version, "request_action", "  ", "").await), Problem::ReasonRequired);
        w.apps.officer_move(&officer, &reference, seen.version, "request_action", "The photo background must be white", "").await.unwrap();
        assert!(w.last_sms_to("+254712345678").await.contains("The photo background must be white"));

        // The citizen corrects and resubmits (the declaration is asked again).
        let correction = FormTarget::Correction { reference: reference.clone() };
        let form = w.apps.form(&wanjiku, &correction).await.unwrap();
        assert_eq!(form.officer_note.as_deref(), Some("The photo background must be white"));
        w.apps.attach_document(&wanjiku, &correction, "photo", "white.png", PNG).await.unwrap();
        assert_eq!(problem(w.apps.submit(&wanjiku, &correction).await), Problem::MustAccept);
        w.apps.accept_declaration(&wanjiku, &correction, true).await.unwrap();
        assert_eq!(w.apps.submit(&wanjiku, &correction).await.unwrap(), reference);

        // Back with the same officer, who claims again and approves: the fee is due now.
        let seen = w.apps.officer_view(&officer, &reference, "").await.unwrap();
        assert_eq!(seen.status, Status::Submitted);
        w.apps.officer_move(&officer, &reference, seen.version, "claim", "", "").await.unwrap();
        let seen = w.apps.officer_view(&officer, &reference, "").await.unwrap();
        w.apps.officer_move(&officer, &reference, seen.version, "approve", "", "").await.unwrap();
        let mine = w.apps.my_application(&wanjiku, &reference).await.unwrap();
        assert_eq!(mine.status, Status::AwaitingPayment);
        let moves: Vec<Status> = mine.timeline.iter().map(|e| e.to_status).collect();
        assert_eq!(moves, vec![Status::Submitted, Status::UnderReview, Status::ActionRequired, Status::Submitted, Status::UnderReview, Status::AwaitingPayment]);
        assert!(w.last_sms_to("+254712345678").await.contains("Pay KES 4,550"));
        assert_eq!(w.apps.notifications(&wanjiku, 10).await.unwrap().len(), 6);
    })
    .await;
}

#[tokio::test]
async fn other_citizens_and_other_agencies_get_not_found() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let baraka = w.citizen("67890123", "+254722000333").await;
        let ntsa = w.officer("30000003", "+254700000103", "ntsa").await;
        let reference = w.submit_passport(&wanjiku).await;
        let document = w.apps.my_application(&wanjiku, &reference).await.unwrap().documents[0].id;

        assert_eq!(w.apps.my_application(&baraka, &reference).await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.apps.withdraw(&baraka, &reference, 1).await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.apps.form(&baraka, &FormTarget::Correction { reference: reference.clone() }).await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.apps.document(&baraka, document).await.err().map(|e| e), Some(AppError::NotFound));
        assert_eq!(w.apps.officer_view(&ntsa, &reference, "").await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.apps.officer_move(&ntsa, &reference, 1, "claim", "", "").await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.apps.document(&ntsa, document).await.err(), Some(AppError::NotFound));
        assert!(w.apps.queue(&ntsa, "", "", "").await.unwrap().items.is_empty());
        // A citizen is not an officer anywhere.
        assert_eq!(w.apps.queue(&wanjiku, "", "", "").await.unwrap_err(), AppError::Forbidden);
        assert_eq!(w.apps.officer_view(&wanjiku, &reference, "").await.unwrap_err(), AppError::Forbidden);
        // The owner and the right agency can read the document.
        assert_eq!(w.apps.document(&wanjiku, document).await.unwrap().content_type, "image/png");
        let immigration = w.officer("30000001", "+254700000101", "immigration").await;
        assert_eq!(w.apps.document(&immigration, document).await.unwrap().bytes, PNG);
    })
    .await;
}

#[tokio::test]
async fn two_officers_claiming_at_once_leave_one_winner() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let first = w.officer("30000001", "+254700000101", "immigration").await;
        let second = w.officer("30000011", "+254700000111", "immigration").await;
        let reference = w.submit_passport(&wanjiku).await;
        let version = w.apps.officer_view(&first, &reference, "").await.unwrap().version;
        let (a, b) = tokio::join!(
            w.apps.officer_move(&first, &reference, version, "claim", "", ""),
            w.apps.officer_move(&second, &reference, version, "claim", "", ""),
        );
        let outcomes = [a, b];
        assert_eq!(outcomes.iter().filter(|r| r.is_ok()).count(), 1, "{outcomes:?}");
        let loser = outcomes.iter().find(|r| r.is_err()).unwrap().clone();
        assert_eq!(problem(loser), Problem::AlreadyMoved);
        let after = w.apps.my_application(&wanjiku, &reference).await.unwrap();
        assert_eq!(after.timeline.iter().filter(|e| e.to_status == Status::UnderReview).count(), 1);
        // The officer without the claim cannot decide, and the citizen can no longer withdraw.
        let seen = w.apps.officer_view(&first, &reference, "").await.unwrap();
        let not_holder = if seen.claimed_by_viewer { &second } else { &first };
        assert_eq!(problem(w.apps.officer_move(not_holder, &reference, seen.version, "approve", "", "").await), Problem::AlreadyMoved);
        assert_eq!(problem(w.apps.withdraw(&wanjiku, &reference, seen.version).await), Problem::NotAllowedNow);
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_named_and_leaves_nothing_half_written() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let draft = FormTarget::Draft { service: "passport".into() };
        let bad = w.apps.save_step(&wanjiku, &draft, 0, &answers(&[("date_of_birth", "2026-02-30"), ("place_of_birth", "Nyeri")])).await;
        assert_eq!(problem(bad), Problem::InvalidDate);
        assert!(w.apps.my_applications(&wanjiku).await.unwrap().is_empty(), "no draft from a refused step");
        assert_eq!(w.apps.save_step(&wanjiku, &FormTarget::Draft { service: "moon-visa".into() }, 0, &HashMap::new()).await.unwrap_err(), AppError::NotFound);
        let exe = w.apps.attach_document(&wanjiku, &draft, "photo", "photo.jpg", b"MZ\x90\0 not a photo").await;
        assert_eq!(problem(exe), Problem::FileWrongType);
        assert!(w.apps.my_applications(&wanjiku).await.unwrap().is_empty(), "no draft from a refused file");
        // Submitting before every step passes names the first problem; the draft stays a draft.
        w.apps.save_step(&wanjiku, &draft, 0, &answers(&[("date_of_birth", "1990-05-17"), ("place_of_birth", "Nyeri"), ("marital_status", "single"), ("occupation", "Teacher")])).await.unwrap();
        w.apps.accept_declaration(&wanjiku, &draft, true).await.unwrap();
        assert_eq!(problem(w.apps.submit(&wanjiku, &draft).await), Problem::Required);
        let mine = w.apps.my_applications(&wanjiku).await.unwrap();
        assert_eq!((mine.len(), mine[0].status, mine[0].reference.clone()), (1, Status::Draft, None));
    })
    .await;
}

#[tokio::test]
async fn services_paid_on_submission_wait_for_payment_before_review() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let dci = w.officer("30000004", "+254700000104", "dci").await;
        let draft = FormTarget::Draft { service: "good-conduct".into() };
        w.apps.save_step(&wanjiku, &draft, 0, &answers(&[("purpose", "employment"), ("county_of_residence", "Nairobi"), ("fingerprint_centre", "huduma-gpo")])).await.unwrap();
        w.apps.accept_declaration(&wanjiku, &draft, true).await.unwrap();
        let reference = w.apps.submit(&wanjiku, &draft).await.unwrap();
        assert!(reference.starts_with("GCC-"));
        let mine = w.apps.my_application(&wanjiku, &reference).await.unwrap();
        assert_eq!((mine.status, mine.amount_due_cents), (Status::AwaitingPayment, 105_000));
        assert!(w.last_sms_to("+254712345678").await.contains("Pay KES 1,050"));
        // Nothing for DCI to do before payment: opening it is outside the officer's work and takes a reason.
        assert_eq!(problem(w.apps.officer_view(&dci, &reference, "").await), Problem::ReasonRequired);
        let seen = w.apps.officer_view(&dci, &reference, "The applicant called about the fee").await.unwrap();
        assert!(seen.actions.is_empty(), "nothing to review before payment");
        assert_eq!(problem(w.apps.officer_move(&dci, &reference, seen.version, "claim", "", "").await), Problem::NotAllowedNow);
        // The citizen may still withdraw.
        w.apps.withdraw(&wanjiku, &reference, mine.version).await.unwrap();
        assert_eq!(w.apps.my_application(&wanjiku, &reference).await.unwrap().status, Status::Withdrawn);
    })
    .await;
}

#[tokio::test]
async fn admins_manage_staff_and_disabled_staff_lose_their_sessions() {
    each_database(|w| async move {
        let agencies: Vec<String> = w.apps.catalogue.agencies.iter().map(|a| a.slug.clone()).collect();
        let admin_id = staff::create_from_shell(
            &w.identity,
            &agencies,
            &NewStaff { id_number: "30000000".into(), first_name: "Rehema".into(), surname: "Achieng".into(), email: "admin@raia.example".into(), phone: "0700000100".into(), role: "admin".into(), agency: String::new() },
            None,
        )
        .await
        .unwrap();
        let admin = accounts::find_by_id(w.identity.db.pool(), admin_id).await.unwrap().unwrap();
        let citizen = w.citizen("12345678", "+254712345678").await;
        let new = NewStaff { id_number: "30000009".into(), first_name: "Amina".into(), surname: "Hassan".into(), email: "amina@raia.example".into(), phone: "0700000109".into(), role: "officer".into(), agency: "nowhere".into() };
        assert_eq!(staff::create(&w.identity, &citizen, &agencies, &new, None).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(problem(staff::create(&w.identity, &admin, &agencies, &new, None).await), Problem::InvalidChoice);
        let officer_id = staff::create(&w.identity, &admin, &agencies, &NewStaff { agency: "kra".into(), ..new }, None).await.unwrap();
        assert!(w.last_sms_to("+254700000109").await.contains("Forgot your password"));
        assert_eq!(staff::list(&w.identity, &admin).await.unwrap().len(), 2);
        assert_eq!(raia_app::backoffice::staff_access::set_disabled(&w.identity, &w.apps, &citizen, officer_id, true).await.unwrap_err(), AppError::Forbidden);
        raia_app::backoffice::staff_access::set_disabled(&w.identity, &w.apps, &admin, officer_id, true).await.unwrap();
        assert!(staff::list(&w.identity, &admin).await.unwrap().iter().any(|s| s.id == officer_id && s.disabled));
        // Citizens' accounts cannot be disabled from the staff page.
        assert_eq!(raia_app::backoffice::staff_access::set_disabled(&w.identity, &w.apps, &admin, citizen.id, true).await.unwrap_err(), AppError::NotFound);
    })
    .await;
}

#[tokio::test]
async fn an_officer_cannot_see_claim_or_decide_their_own_application() {
    each_database(|w| async move {
        // Amina is an Immigration officer, and a citizen who applies for her own passport.
        let amina = w.officer("30000001", "+254700000101", "immigration").await;
        let colleague = w.officer("30000011", "+254700000111", "immigration").await;
        let reference = w.submit_passport(&amina).await;
        assert_eq!(w.apps.my_application(&amina, &reference).await.unwrap().status, Status::Submitted);

        // To her as an officer it is "not found": not in her queue, not to open, not to claim.
        assert!(w.apps.queue(&amina, "", "", "").await.unwrap().items.is_empty(), "her own application is hidden from her queue");
        assert_eq!(w.apps.officer_view(&amina, &reference, "").await.unwrap_err(), AppError::NotFound);
        assert_eq!(w.apps.officer_move(&amina, &reference, 1, "claim", "", "").await.unwrap_err(), AppError::NotFound);

        // Even holding the claim (made before this rule, say), she cannot decide it.
        sqlx::query("UPDATE applications SET status = 'under_review', claimed_by = $1 WHERE reference = $2").bind(amina.id).bind(&reference).execute(w.apps.db.pool()).await.unwrap();
        let version = w.apps.my_application(&amina, &reference).await.unwrap().version;
        for (action, note) in [("approve", ""), ("reject", "Not eligible"), ("request_action", "A new photo"), ("release_claim", "")] {
            assert_eq!(w.apps.officer_move(&amina, &reference, version, action, note, "").await.unwrap_err(), AppError::NotFound, "{action}");
        }
        assert_eq!(w.apps.my_application(&amina, &reference).await.unwrap().status, Status::UnderReview);

        // A colleague sees it in the queue as any other application.
        let queue = w.apps.queue(&colleague, "", "", "").await.unwrap();
        assert_eq!(queue.items.iter().map(|i| i.reference.as_str()).collect::<Vec<_>>(), vec![reference.as_str()]);
        // Held by another officer, it is not the colleague's work: opening it takes a reason.
        assert_eq!(problem(w.apps.officer_view(&colleague, &reference, "").await), Problem::ReasonRequired);
        assert!(w.apps.officer_view(&colleague, &reference, "Covering for Amina this week").await.is_ok());
    })
    .await;
}

#[tokio::test]
async fn an_admin_or_the_holder_releases_a_claim_back_to_the_queue() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let holder = w.officer("30000001", "+254700000101", "immigration").await;
        let colleague = w.officer("30000011", "+254700000111", "immigration").await;
        let admin = w.admin().await;
        let reference = w.claimed_passport(&wanjiku, &holder).await;
        let sms_before = w.last_sms_to("+254712345678").await;
        let notifications_before = w.apps.notifications(&wanjiku, 10).await.unwrap().len();

        // The admin's list shows who holds it; only admins see the list.
        let claims = w.apps.claims(&admin).await.unwrap();
        assert_eq!(claims.iter().map(|c| (c.reference.as_str(), c.claimed_by_name.as_str())).collect::<Vec<_>>(), vec![(reference.as_str(), "Officer immigration")]);
        assert_eq!(w.apps.claims(&holder).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(w.apps.claims(&wanjiku).await.unwrap_err(), AppError::Forbidden);

        // Nobody else may release it: not a colleague, not the citizen; nor from a stale page.
        let version = claims[0].version;
        assert_eq!(problem(w.apps.release_claim(&colleague, &reference, version).await), Problem::AlreadyMoved);
        assert_eq!(w.apps.release_claim(&wanjiku, &reference, version).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(problem(w.apps.release_claim(&admin, &reference, version - 1).await), Problem::AlreadyMoved);

        // The admin releases it: back in the queue, held by nobody, in the timeline, no message.
        w.apps.release_claim(&admin, &reference, version).await.unwrap();
        let mine = w.apps.my_application(&wanjiku, &reference).await.unwrap();
        assert_eq!(mine.status, Status::Submitted);
        assert_eq!(mine.claimed_by_name, None);
        let last = mine.timeline.last().unwrap();
        assert_eq!((last.action, last.to_status, last.actor_name.as_deref()), (Action::ReleaseClaim, Status::Submitted, Some("Rehema Achieng")));
        assert!(w.apps.claims(&admin).await.unwrap().is_empty());
        assert_eq!(w.last_sms_to("+254712345678").await, sms_before);
        assert_eq!(w.apps.notifications(&wanjiku, 10).await.unwrap().len(), notifications_before);
        assert_eq!(problem(w.apps.release_claim(&admin, &reference, mine.version).await), Problem::NotAllowedNow, "nothing to release now");

        // A colleague takes it; the holder may release their own claim too.
        w.apps.officer_move(&colleague, &reference, mine.version, "claim", "", "").await.unwrap();
        let seen = w.apps.officer_view(&colleague, &reference, "").await.unwrap();
        assert!(seen.actions.contains(&Action::ReleaseClaim));
        assert!(!w.apps.officer_view(&holder, &reference, "").await.unwrap().actions.contains(&Action::ReleaseClaim), "only for the holder");
        w.apps.officer_move(&colleague, &reference, seen.version, "release_claim", "", "").await.unwrap();
        assert_eq!(w.apps.my_application(&wanjiku, &reference).await.unwrap().status, Status::Submitted);
    })
    .await;
}

#[tokio::test]
async fn disabling_an_officer_releases_every_claim_they_hold() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let baraka = w.citizen("67890123", "+254722000333").await;
        let leaving = w.officer("30000001", "+254700000101", "immigration").await;
        let staying = w.officer("30000011", "+254700000111", "immigration").await;
        let admin = w.admin().await;
        let first = w.claimed_passport(&wanjiku, &leaving).await;
        let second = w.claimed_passport(&baraka, &leaving).await;

        // From /admin.
        raia_app::backoffice::staff_access::set_disabled(&w.identity, &w.apps, &admin, leaving.id, true).await.unwrap();
        for (citizen, reference) in [(&wanjiku, &first), (&baraka, &second)] {
            let mine = w.apps.my_application(citizen, reference).await.unwrap();
            assert_eq!((mine.status, mine.claimed_by_name.clone()), (Status::Submitted, None), "{reference}");
            let last = mine.timeline.last().unwrap();
            assert_eq!((last.action, last.actor), (Action::ReleaseClaim, Actor::System));
        }
        assert!(w.apps.claims(&admin).await.unwrap().is_empty());
        let version = w.apps.officer_view(&staying, &first, "").await.unwrap().version;
        w.apps.officer_move(&staying, &first, version, "claim", "", "").await.unwrap();

        // From the shell (`raia-server disable-staff`), the same.
        raia_app::backoffice::staff_access::set_disabled_unchecked(&w.identity, &w.apps, leaving.id, false).await.unwrap();
        let third = w.claimed_passport(&w.citizen("23456789", "+254733000444").await, &leaving).await;
        raia_app::backoffice::staff_access::set_disabled_unchecked(&w.identity, &w.apps, leaving.id, true).await.unwrap();
        let claims = w.apps.claims(&admin).await.unwrap();
        assert_eq!(claims.iter().map(|c| c.reference.as_str()).collect::<Vec<_>>(), vec![first.as_str()], "{third} released, the other officer's claim kept");
    })
    .await;
}

fn sha256_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

#[tokio::test]
async fn a_replaced_documents_file_is_deleted_unless_another_document_uses_it() {
    each_database(|w| async move {
        let wanjiku = w.citizen("12345678", "+254712345678").await;
        let baraka = w.citizen("67890123", "+254722000333").await;
        let draft = FormTarget::Draft { service: "passport".into() };
        let (first, second) = ([PNG, b"first"].concat(), [PNG, b"second"].concat());
        let stored = |bytes: &[u8]| {
            let sha = sha256_of(bytes);
            let db = w.apps.db.clone();
            async move { raia_app::services::stored_files::read(db.pool(), &sha).await.unwrap().is_some() }
        };

        w.apps.attach_document(&wanjiku, &draft, "photo", "first.png", &first).await.unwrap();
        assert!(stored(&first).await);
        w.apps.attach_document(&wanjiku, &draft, "photo", "second.png", &second).await.unwrap();
        assert!(!stored(&first).await, "the replaced photo's file is gone");
        assert!(stored(&second).await);

        // Baraka uploads the same bytes: one file, two documents. Wanjiku replaces hers; his stays.
        w.apps.attach_document(&baraka, &draft, "photo", "mine.png", &second).await.unwrap();
        w.apps.attach_document(&wanjiku, &draft, "photo", "first-again.png", &first).await.unwrap();
        assert!(stored(&second).await, "still Baraka's photo");
        assert!(stored(&first).await);
        // The same file on two fields of one application, replaced on one: kept for the other.
        w.apps.attach_document(&baraka, &draft, "id_copy", "id.png", &second).await.unwrap();
        w.apps.attach_document(&baraka, &draft, "photo", "other.png", &first).await.unwrap();
        assert!(stored(&second).await, "still Baraka's ID copy");
        w.apps.attach_document(&baraka, &draft, "id_copy", "id.pdf", PDF).await.unwrap();
        assert!(!stored(&second).await, "no document points at it any more");
        assert!(stored(&first).await && stored(PDF).await);
    })
    .await;
}
