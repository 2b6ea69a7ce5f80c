//! `raia-server seed-scale --citizens 1000000 --applications 10000000 [--now UNIX_SECONDS]`:
//! a national-size data set on PostgreSQL, for `raia-bench scale` (issue 25).
//!
//! Citizens (registry people and their accounts), one officer per agency, and applications
//! over the catalogue's services, submitted over the two years before `--now` (default: the
//! start of today, UTC; printed, so a run can be repeated), each with the rows the pages
//! read: its history (submission, decision), its invoice, payment and receipt when paid, and
//! the citizen's notification of the decision. The busiest agency (`--busiest`, default
//! `ntsa`) weighs twice as much per service; one citizen (the first) applies about 200 times,
//! the others about `applications / citizens` times each.
//!
//! Deterministic: every value is arithmetic on the row's number and PostgreSQL's
//! `hashint8extended` (stable: hash partitioning depends on it), ids are counted from where
//! the tables' ids end, so the same arguments on the same database give the same rows; the
//! checksum printed at the end says so. Fast: each batch is a few set-based
//! `INSERT ... SELECT FROM generate_series` in one transaction, with triggers and foreign-key
//! checks off for that transaction only (`session_replication_role`, which needs a superuser);
//! `/performance`'s summary is then counted once from the new rows. Refuses to run twice on
//! one database and on SQLite.

use crate::config::Config;
use crate::startup;
use raia_app::db::{Backend, Db};
use raia_app::services::catalogue::{Catalogue, PaymentDue};
use sqlx::Row;
use std::time::Instant;

type CommandResult = Result<(), Box<dyn std::error::Error>>;

const DAY: i64 = 86_400;
/// The email domain of everything this command makes: how a second run knows the first.
pub const DOMAIN: &str = "scale.raia.example";
const CITIZEN_BATCH: i64 = 250_000;

/// What to make.
#[derive(Clone, Debug)]
pub struct Plan {
    pub citizens: i64,
    pub applications: i64,
    /// The end of the two years the applications were submitted in.
    pub now: i64,
    pub busiest: String,
    pub batch: i64,
}

impl Plan {
    pub fn parse(args: &[String], now: i64) -> Result<Plan, String> {
        let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
        let number = |name: &str, default: i64| -> Result<i64, String> {
            value(name).map_or(Ok(default), |text| text.replace('_', "").parse().map_err(|_| format!("{name} `{text}` is not a number")))
        };
        let plan = Plan {
            citizens: number("--citizens", 0)?,
            applications: number("--applications", 0)?,
            now: number("--now", now.div_euclid(DAY) * DAY)?,
            busiest: value("--busiest").unwrap_or_else(|| "ntsa".into()),
            batch: number("--batch", 1_000_000)?.max(1),
        };
        if plan.citizens < 2 || plan.applications < 1 {
            return Err("usage: raia-server seed-scale --citizens N --applications M [--now UNIX_SECONDS] [--busiest AGENCY] [--batch 1000000] (N at least 2)".into());
        }
        Ok(plan)
    }

    /// Every how many applications one is the first citizen's: about 200 in all.
    fn heavy_every(&self) -> i64 {
        (self.applications / 200).max(2)
    }
}

/// Where the new rows' ids start in each table (they follow whatever is there).
struct Bases {
    account: i64,
    application: i64,
    invoice: i64,
    payment: i64,
    receipt: i64,
    event: i64,
    notification: i64,
}

/// The counts and checksum of what a run made, for a second run (or a test) to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seeded {
    pub citizens: i64,
    pub applications: i64,
    pub invoices: i64,
    pub payments: i64,
    pub checksum: i64,
}

pub async fn command(config: &Config, args: &[String]) -> CommandResult {
    let plan = Plan::parse(args, raia_app::clock::Clock::now(&raia_app::clock::SystemClock))?;
    if Backend::of_url(&config.database_url)? != Backend::Postgres {
        return Err("seed-scale is for PostgreSQL (DATABASE_URL=postgres://...), not SQLite: a national-size data set is what PostgreSQL is for".into());
    }
    let catalogue = startup::catalogue(config)?;
    let db = Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    let seeded = seed(&db, &catalogue, &plan).await?;
    println!("{seeded:?}");
    db.close().await;
    Ok(())
}

/// Makes the data set; refuses when this database has one.
pub async fn seed(db: &Db, catalogue: &Catalogue, plan: &Plan) -> Result<Seeded, String> {
    if db.backend() != Backend::Postgres {
        return Err("seed-scale is for PostgreSQL (DATABASE_URL=postgres://...): a national-size data set is what PostgreSQL is for".into());
    }
    let started = Instant::now();
    let e = |error: sqlx::Error| error.to_string();
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE email = $1").bind(format!("citizen1@{DOMAIN}")).fetch_one(db.pool()).await.map_err(e)?;
    if taken > 0 {
        return Err(format!("this database already holds a scale data set (citizen1@{DOMAIN}): seed a fresh one"));
    }
    let services = services_table(catalogue, &plan.busiest)?;
    let bases = bases(db).await.map_err(e)?;
    eprintln!("seed-scale: {} citizens, {} applications, submitted over the two years to {} (--now {})", plan.citizens, plan.applications, raia_app::calendar::iso_date(plan.now / DAY), plan.now);

    let mut from = 1;
    while from <= plan.citizens {
        let to = (from + CITIZEN_BATCH - 1).min(plan.citizens);
        let mut tx = db.pool().begin().await.map_err(e)?;
        sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await.map_err(e)?;
        for sql in citizen_statements() {
            sqlx::query(&sql).bind(from).bind(to).bind(bases.account).bind(plan.now).execute(&mut *tx).await.map_err(|error| format!("{error}\n{sql}"))?;
        }
        tx.commit().await.map_err(e)?;
        eprintln!("  citizens {from}..{to} ({:.0} s)", started.elapsed().as_secs_f64());
        from = to + 1;
    }
    officers(db, catalogue, &bases, plan).await.map_err(e)?;

    let statements = application_statements(&services);
    let mut from = 1;
    while from <= plan.applications {
        let to = (from + plan.batch - 1).min(plan.applications);
        let batch_started = Instant::now();
        let mut tx = db.pool().begin().await.map_err(e)?;
        sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await.map_err(e)?;
        for sql in &statements {
            sqlx::query(sql)
                .bind(from)
                .bind(to)
                .bind(plan.now)
                .bind(plan.citizens)
                .bind(plan.heavy_every())
                .bind(bases.account)
                .bind(bases.application)
                .bind(bases.invoice)
                .bind(bases.payment)
                .bind(bases.receipt)
                .bind(bases.event)
                .bind(bases.notification)
                .execute(&mut *tx)
                .await
                .map_err(|error| format!("{error}\n{sql}"))?;
        }
        tx.commit().await.map_err(e)?;
        let rate = (to - from + 1) as f64 / batch_started.elapsed().as_secs_f64();
        eprintln!("  applications {from}..{to} ({rate:.0}/s, {:.0} s in all)", started.elapsed().as_secs_f64());
        from = to + 1;
    }
    finish(db, catalogue, plan, &bases).await.map_err(e)?;
    eprintln!("  /performance's summary counted, counters and sequences moved on ({:.0} s in all)", started.elapsed().as_secs_f64());
    let seeded = seeded(db, bases.account, bases.application).await.map_err(e)?;
    eprintln!("seed-scale: done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(seeded)
}

/// Each table's next id, rounded up to a thousand: the same on every fresh database.
async fn bases(db: &Db) -> Result<Bases, sqlx::Error> {
    let mut next = Vec::new();
    for table in ["accounts", "applications", "invoices", "payments", "receipts", "application_events", "notifications"] {
        let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}")).fetch_one(db.pool()).await?;
        next.push((max / 1000 + 1) * 1000);
    }
    Ok(Bases { account: next[0], application: next[1], invoice: next[2], payment: next[3], receipt: next[4], event: next[5], notification: next[6] })
}

/// The catalogue as a VALUES list: slug, agency, reference prefix, fee (the first option),
/// promised days, when paid, and the slice `[lo, hi)` of the weights the service is drawn from.
fn services_table(catalogue: &Catalogue, busiest: &str) -> Result<(String, i64), String> {
    if !catalogue.agencies.iter().any(|a| a.slug == busiest) {
        return Err(format!("--busiest {busiest}: no such agency in the catalogue"));
    }
    let mut rows = Vec::new();
    let mut total = 0;
    for service in &catalogue.services {
        let weight = if service.agency == busiest { 2 } else { 1 };
        let fee = match service.payment {
            PaymentDue::Never => 0,
            _ => service.fees.first().map_or(0, |f| f.amount_cents),
        };
        let payment = match service.payment {
            PaymentDue::Never => "never",
            PaymentDue::OnSubmission => "on_submission",
            PaymentDue::AfterApproval => "after_approval",
        };
        rows.push(format!(
            "('{}', '{}', '{}', {fee}::BIGINT, {}::BIGINT, '{payment}', {total}::BIGINT, {}::BIGINT)",
            service.slug,
            service.agency,
            service.reference_prefix,
            service.processing_days.max(1),
            total + weight
        ));
        total += weight;
    }
    Ok((format!("services (slug, agency, prefix, fee, days, payment, lo, hi) AS (VALUES {})", rows.join(", ")), total))
}

/// `n` as text, zero-padded to `width` (never cut: `lpad` would cut a longer number).
fn padded(n: &str, width: usize) -> String {
    format!("CASE WHEN length(({n})::TEXT) >= {width} THEN ({n})::TEXT ELSE lpad(({n})::TEXT, {width}, '0') END")
}

/// A draw from 0 to `range - 1` for row `i`, one `salt` per thing drawn.
fn draw(i: &str, salt: i64, range: &str) -> String {
    format!("(abs(hashint8extended({i}, {salt})) % ({range}))")
}

/// Binds: $1 first citizen, $2 last, $3 account id base, $4 now.
fn citizen_statements() -> Vec<String> {
    let first = "(ARRAY['Amina','Juma','Wanjiku','Otieno','Akinyi','Kiprop','Njeri','Mwangi','Achieng','Kamau','Fatuma','Baraka','Chebet','Omondi','Nyambura','Hassan','Wambui','Kibet','Auma','Mutua'])";
    let last = "(ARRAY['Hassan','Simiyu','Kamau','Odhiambo','Wanjala','Mohamed','Kariuki','Ochieng','Kiplagat','Mutiso','Njoroge','Were','Korir','Onyango','Macharia','Ali','Nduta','Rotich','Owino','Kilonzo'])";
    let first_name = format!("{first}[1 + {}]", draw("c", 11, "20"));
    let surname = format!("{last}[1 + {}]", draw("c", 12, "20"));
    vec![
        format!(
            "INSERT INTO registry_people (id_number, first_name, surname, year_of_birth, citizenship) \
             SELECT (40000000 + c)::TEXT, {first_name}, {surname}, 1950 + {}, 'citizen' FROM generate_series($1::BIGINT, $2::BIGINT) c \
             ON CONFLICT (id_number) DO NOTHING",
            draw("c", 13, "56")
        ),
        format!(
            "INSERT INTO accounts (id, id_number, account_type, first_name, surname, email, phone, phone_verified, password_hash, role, created_at, preferred_language) \
             SELECT $3::BIGINT + c, (40000000 + c)::TEXT, 'citizen', {first_name}, {surname}, 'citizen' || c || '@{DOMAIN}', '+25411' || {}, 1, '!', 'citizen', \
                    $4::BIGINT - 800 * 86400 + {}, CASE WHEN c % 4 = 0 THEN 'sw' ELSE 'en' END \
             FROM generate_series($1::BIGINT, $2::BIGINT) c",
            padded("c", 7),
            draw("c", 14, "60 * 86400")
        ),
    ]
}

/// Binds: $1 first application, $2 last, $3 now, $4 citizens, $5 every how many the first
/// citizen's, $6..$12 the id bases (account, application, invoice, payment, receipt, event,
/// notification). Every statement after the first reads the batch's applications by id.
fn application_statements((services, weights): &(String, i64)) -> Vec<String> {
    let year = |t: &str| format!("extract(year FROM to_timestamp({t}) AT TIME ZONE 'UTC')::INT");
    // Older than 30 days: mostly decided; recent: spread over the whole journey.
    let status = "CASE WHEN $3::BIGINT - submitted_at > 30 * 86400 THEN \
            CASE WHEN r < 84 THEN 'completed' WHEN r < 92 THEN 'rejected' WHEN r < 96 THEN 'withdrawn' \
                 WHEN r < 98 THEN 'action_required' WHEN r < 99 THEN 'awaiting_payment' ELSE 'under_review' END \
        ELSE CASE WHEN r < 20 THEN 'submitted' WHEN r < 35 THEN 'under_review' WHEN r < 40 THEN 'action_required' \
                 WHEN r < 43 THEN 'approved' WHEN r < 53 THEN 'awaiting_payment' WHEN r < 58 THEN 'paid' \
                 WHEN r < 63 THEN 'ready_for_collection' WHEN r < 88 THEN 'completed' WHEN r < 95 THEN 'rejected' ELSE 'withdrawn' END END";
    let batch = "a.id BETWEEN $7::BIGINT + $1::BIGINT AND $7::BIGINT + $2::BIGINT";
    let paid = "(a.status IN ('paid', 'ready_for_collection', 'completed') OR (s.payment = 'on_submission' AND a.status IN ('submitted', 'under_review', 'action_required', 'approved', 'rejected')))";
    vec![
        format!(
            "WITH {services}, \
             drawn AS (SELECT i, {pick} AS pick, $3::BIGINT - {age} AS submitted_at, {r} AS r, {t} AS t, \
                              CASE WHEN i % $5::BIGINT = 0 THEN 1 ELSE 1 + {citizen} END AS citizen \
                       FROM generate_series($1::BIGINT, $2::BIGINT) i), \
             shaped AS (SELECT d.*, s.*, CASE WHEN s.payment = 'never' AND d.drawn_status IN ('awaiting_payment', 'paid') THEN 'under_review' ELSE d.drawn_status END AS status \
                        FROM (SELECT drawn.*, {status} AS drawn_status FROM drawn) d JOIN services s ON d.pick >= s.lo AND d.pick < s.hi), \
             decided AS (SELECT shaped.*, CASE WHEN status IN ('completed', 'rejected') \
                            THEN GREATEST(submitted_at, LEAST(submitted_at + 3600 + t % (days * 2 * 86400), $3::BIGINT - 60)) END AS decided_at FROM shaped) \
             INSERT INTO applications (id, reference, account_id, service_slug, agency, status, version, answers, amount_due_cents, declaration_accepted_at, \
                                       created_at, updated_at, submitted_at, decided_at) \
             SELECT $7::BIGINT + i, prefix || '-' || {year_submitted} || '-' || {reference_number}, $6::BIGINT + citizen, slug, agency, status, 3, '{{}}', fee, \
                    submitted_at, submitted_at - 900, COALESCE(decided_at, LEAST(submitted_at + 3600, $3::BIGINT)), submitted_at, decided_at FROM decided",
            pick = draw("i", 1, &weights.to_string()),
            age = draw("i", 2, "730 * 86400"),
            r = draw("i", 4, "100"),
            t = "abs(hashint8extended(i, 5))",
            citizen = draw("i", 3, "$4::BIGINT"),
            year_submitted = year("submitted_at"),
            reference_number = padded("i", 6),
        ),
        format!(
            "WITH {services} \
             INSERT INTO invoices (id, number, application_id, service_fee_cents, convenience_fee_cents, total_cents, status, expires_at, created_at, paid_at) \
             SELECT $8::BIGINT + k, 'RA' || lpad(({year} % 100)::TEXT, 2, '0') || {number}, a.id, a.amount_due_cents - 5000, 5000, a.amount_due_cents, \
                    CASE WHEN a.status = 'awaiting_payment' THEN 'unpaid' ELSE 'paid' END, \
                    CASE WHEN a.status = 'awaiting_payment' THEN $3::BIGINT + 30 * 86400 ELSE a.submitted_at + 7 * 86400 END, a.submitted_at, \
                    CASE WHEN a.status = 'awaiting_payment' THEN NULL ELSE LEAST(a.submitted_at + 1800, $3::BIGINT) END \
             FROM (SELECT applications.*, id - $7::BIGINT AS k FROM applications) a JOIN services s ON s.slug = a.service_slug \
             WHERE {batch} AND a.amount_due_cents > 5000 AND (a.status = 'awaiting_payment' OR {paid})",
            year = year("a.submitted_at"),
            number = padded("k", 8),
        ),
        format!(
            "INSERT INTO payments (id, invoice_id, method, status, mpesa_receipt, phone, card_brand, card_last4, amount_cents, result_code, created_at, updated_at, next_check_at) \
             SELECT $9::BIGINT + k, v.id, m.method, 'succeeded', CASE WHEN m.method = 'card' THEN NULL ELSE 'S' || {receipt} END, \
                    CASE WHEN m.method = 'card' THEN NULL ELSE '2547' || {phone} END, CASE WHEN m.method = 'card' THEN 'visa' END, CASE WHEN m.method = 'card' THEN '4242' END, \
                    v.total_cents, 0, v.paid_at - 60, v.paid_at, v.paid_at \
             FROM (SELECT invoices.*, id - $8::BIGINT AS k FROM invoices WHERE id BETWEEN $8::BIGINT + $1::BIGINT AND $8::BIGINT + $2::BIGINT AND status = 'paid') v \
             CROSS JOIN LATERAL (SELECT (ARRAY['mpesa', 'mpesa', 'paybill', 'card'])[1 + v.k % 4] AS method) m",
            receipt = padded("k", 9),
            phone = padded(&draw("k", 21, "100000000"), 8),
        ),
        format!(
            "INSERT INTO receipts (id, number, payment_id, invoice_id, verify_code, created_at) \
             SELECT $10::BIGINT + k, 'RCT-' || {year} || '-' || {number}, $9::BIGINT + k, v.id, substr(md5('raia-scale-' || k), 1, 20), v.paid_at \
             FROM (SELECT invoices.*, id - $8::BIGINT AS k FROM invoices WHERE id BETWEEN $8::BIGINT + $1::BIGINT AND $8::BIGINT + $2::BIGINT AND status = 'paid') v",
            year = year("v.paid_at"),
            number = padded("k", 6),
        ),
        format!(
            "INSERT INTO application_events (id, application_id, at, actor, actor_name, action, from_status, to_status, note) \
             SELECT $11::BIGINT + 2 * (a.id - $7::BIGINT), a.id, a.submitted_at, 'citizen', NULL, 'submit', 'draft', 'submitted', NULL FROM applications a WHERE {batch} \
             UNION ALL \
             SELECT $11::BIGINT + 2 * (a.id - $7::BIGINT) + 1, a.id, a.decided_at, 'officer', 'Scale Officer', CASE a.status WHEN 'completed' THEN 'complete' ELSE 'reject' END, \
                    'under_review', a.status, CASE WHEN a.status = 'rejected' THEN 'The documents do not match the registry.' END \
             FROM applications a WHERE {batch} AND a.status IN ('completed', 'rejected')"
        ),
        format!(
            "INSERT INTO notifications (id, account_id, event_id, created_at, read_at) \
             SELECT $12::BIGINT + (a.id - $7::BIGINT), a.account_id, $11::BIGINT + 2 * (a.id - $7::BIGINT) + 1, a.decided_at, \
                    CASE WHEN a.decided_at < $3::BIGINT - 7 * 86400 THEN a.decided_at + 3600 END \
             FROM applications a WHERE {batch} AND a.status IN ('completed', 'rejected')"
        ),
    ]
}

/// One officer per agency (`officer-<agency>@scale.raia.example`), after the citizens.
async fn officers(db: &Db, catalogue: &Catalogue, bases: &Bases, plan: &Plan) -> Result<(), sqlx::Error> {
    for (index, agency) in catalogue.agencies.iter().enumerate() {
        let id = bases.account + plan.citizens + 1 + index as i64;
        sqlx::query(
            "INSERT INTO accounts (id, id_number, account_type, first_name, surname, email, phone, phone_verified, password_hash, role, agency, created_at) \
             VALUES ($1, $2, 'citizen', 'Scale', 'Officer', $3, $4, 1, '!', 'officer', $5, $6)",
        )
        .bind(id)
        .bind(format!("{}", 39_000_000 + index))
        .bind(format!("officer-{}@{DOMAIN}", agency.slug))
        .bind(format!("+25410{:07}", index))
        .bind(agency.slug.clone())
        .bind(plan.now - 800 * DAY)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// After the rows: `/performance`'s summary of the new applications (the triggers were off),
/// reference and invoice counters past the new numbers, sequences past the new ids, and
/// fresh planner statistics.
async fn finish(db: &Db, catalogue: &Catalogue, plan: &Plan, bases: &Bases) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO performance_changes (service_slug, measure, day, took, n) \
         SELECT r.service_slug, r.measure, r.day, r.took, COUNT(*) FROM applications a, performance_rows(a) r WHERE a.id > $1 \
         GROUP BY r.service_slug, r.measure, r.day, r.took",
    )
    .bind(bases.application)
    .execute(db.pool())
    .await?;
    raia_app::performance::store::fold(db).await?;
    let mut prefixes: Vec<String> = catalogue.services.iter().map(|s| s.reference_prefix.clone()).collect();
    prefixes.extend(["INV".to_string(), "RCT".to_string()]);
    let first_year = raia_app::calendar::year_of(plan.now - 731 * DAY);
    for prefix in prefixes {
        for year in first_year..=raia_app::calendar::year_of(plan.now) {
            sqlx::query(
                "INSERT INTO reference_counters (prefix, year, last_value) VALUES ($1, $2, $3) \
                 ON CONFLICT (prefix, year) DO UPDATE SET last_value = GREATEST(reference_counters.last_value, excluded.last_value)",
            )
            .bind(prefix.clone())
            .bind(year)
            .bind(plan.applications)
            .execute(db.pool())
            .await?;
        }
    }
    for (table, sequence) in [
        ("accounts", "accounts_id_seq"),
        ("applications", "applications_id_seq"),
        ("invoices", "invoices_id_seq"),
        ("payments", "payments_id_seq"),
        ("receipts", "receipts_id_seq"),
        ("application_events", "application_events_id_seq"),
        ("notifications", "notifications_id_seq"),
    ] {
        sqlx::query(&format!("SELECT setval('{sequence}', (SELECT MAX(id) FROM {table}))")).execute(db.pool()).await?;
    }
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok(())
}

/// Counts and a checksum of the rows made: the same arguments on a fresh database give the
/// same figures (ids aside, which follow the database's own).
pub async fn seeded(db: &Db, account_base: i64, application_base: i64) -> Result<Seeded, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS applications, \
                COALESCE(MOD(SUM(hashtext(a.reference || a.status || a.service_slug || a.submitted_at || COALESCE(a.decided_at, 0) || p.id_number)::BIGINT), 4294967296), 0)::BIGINT AS checksum \
         FROM applications a JOIN accounts p ON p.id = a.account_id WHERE a.id > $1",
    )
    .bind(application_base)
    .fetch_one(db.pool())
    .await?;
    let citizens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id > $1 AND role = 'citizen'").bind(account_base).fetch_one(db.pool()).await?;
    let invoices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invoices i JOIN applications a ON a.id = i.application_id WHERE a.id > $1").bind(application_base).fetch_one(db.pool()).await?;
    let payments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN applications a ON a.id = i.application_id WHERE a.id > $1")
        .bind(application_base)
        .fetch_one(db.pool())
        .await?;
    Ok(Seeded { citizens, applications: row.get("applications"), invoices, payments, checksum: row.get("checksum") })
}
