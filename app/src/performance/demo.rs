//! Made-up history for development (`DEMO_HISTORY=true`) and for `raia-bench`: finished and
//! open applications written straight into the table, as if years of them had gone through
//! the portal, so `/performance` has something to show. Never in production (the server's
//! configuration refuses it there).

use crate::db::Db;
use crate::identity::accounts::{self, NewAccount};
use crate::performance::service::DAY_SECONDS;
use crate::services::catalogue::{Catalogue, PaymentDue};
use sqlx::{Any, Transaction};

/// The account that owns the made-up applications: disabled, with no password that any
/// login could match, so nobody can sign in as it.
pub const HISTORY_ID_NUMBER: &str = "30000099";

/// One application as the history writes it.
pub struct PastApplication<'a> {
    pub reference: Option<String>,
    pub service_slug: &'a str,
    pub agency: &'a str,
    pub status: &'a str,
    pub submitted_at: i64,
    /// When it was completed or rejected.
    pub decided_at: Option<i64>,
}

/// Rows per INSERT: 9 values each, well under SQLite's and PostgreSQL's limits on parameters.
pub const BATCH: usize = 500;

/// Writes applications of `account_id`, up to `BATCH` per statement.
pub async fn insert(tx: &mut Transaction<'static, Any>, account_id: i64, rows: &[PastApplication<'_>]) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 9;
                format!("(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8, p + 9)
            })
            .collect();
        let sql = format!(
            "INSERT INTO applications (reference, account_id, service_slug, agency, status, created_at, updated_at, submitted_at, decided_at) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            let last_move = row.decided_at.unwrap_or(row.submitted_at);
            query = query
                .bind(row.reference.clone())
                .bind(account_id)
                .bind(row.service_slug)
                .bind(row.agency)
                .bind(row.status)
                .bind(row.submitted_at)
                .bind(last_move)
                .bind(row.submitted_at)
                .bind(row.decided_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The history's owner, created disabled; its id.
pub async fn history_account(tx: &mut Transaction<'static, Any>, now: i64) -> Result<i64, sqlx::Error> {
    let account = NewAccount {
        id_number: HISTORY_ID_NUMBER,
        account_type: "citizen",
        first_name: "Demo",
        surname: "History",
        email: "history@raia.example",
        phone: "+254700000199",
        // Not a password hash: no password verifies against it.
        password_hash: "!",
        role: "citizen",
        language: crate::i18n::Locale::en,
    };
    let id = accounts::insert(tx, &account, now).await?;
    sqlx::query("UPDATE accounts SET disabled = 1 WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(id)
}

/// A small deterministic generator (SplitMix64): the same history every time.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number from `low` to `high`, both included.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1).max(1) as u64) as i64
    }
}

/// What the demo shows per service: completed, rejected and open applications, and how long
/// completion takes (hours, from..to). Enough for real figures on a few services, "fewer than
/// 5" on others, and zeros on the rest.
const PLAN: [(&str, i64, i64, i64, (i64, i64)); 5] = [
    ("passport", 60, 3, 8, (5 * 24, 20 * 24)),
    ("good-conduct", 24, 6, 4, (7 * 24, 24 * 24)),
    ("vehicle-search", 45, 0, 0, (1, 30)),
    ("business-name", 12, 0, 6, (2 * 24, 9 * 24)),
    ("driving-licence-renewal", 4, 0, 0, (24, 3 * 24)),
];

/// Adds the demo history unless it is there; how many applications were added.
pub async fn seed(db: &Db, catalogue: &Catalogue, now: i64) -> Result<usize, sqlx::Error> {
    if accounts::id_number_taken(db.pool(), HISTORY_ID_NUMBER).await? {
        return Ok(0);
    }
    let year = 1970 + now / 31_556_952;
    let mut dice = Dice::new(2026);
    let mut rows = Vec::new();
    for (slug, completed, rejected, open, (fastest, slowest)) in PLAN {
        let Some(service) = catalogue.service(slug) else { continue };
        let reference = |rows: &Vec<PastApplication>| Some(format!("{}-{year}-9{:05}", service.reference_prefix, rows.len()));
        for index in 0..completed + rejected {
            let decided_at = now - dice.between(3600, 85 * DAY_SECONDS);
            let took = dice.between(fastest, slowest) * 3600 - dice.between(0, 3599);
            let status = if index < completed { "completed" } else { "rejected" };
            let reference = reference(&rows);
            rows.push(PastApplication { reference, service_slug: slug, agency: &service.agency, status, submitted_at: decided_at - took, decided_at: Some(decided_at) });
        }
        // Open ones wait for their applicant (a correction asked for, or a payment), so a
        // demo officer who opens one meets no half-made invoice.
        let waiting = if service.payment == PaymentDue::OnSubmission { "awaiting_payment" } else { "action_required" };
        for _ in 0..open {
            let reference = reference(&rows);
            rows.push(PastApplication { reference, service_slug: slug, agency: &service.agency, status: waiting, submitted_at: now - dice.between(3600, 10 * DAY_SECONDS), decided_at: None });
        }
    }
    let mut tx = db.begin_write().await?;
    let account_id = history_account(&mut tx, now).await?;
    insert(&mut tx, account_id, &rows).await?;
    tx.commit().await?;
    Ok(rows.len())
}
