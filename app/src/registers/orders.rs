//! Changes Raia owes a register (a fine paid, an owner changed), written in the transaction
//! that makes them due and delivered by a worker until the register has them. Safe in
//! several processes: an order is taken by moving its `next_at` on, which one process wins.

use super::*;
use sqlx::{Any, Executor, Row, Transaction};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    PayFine,
    ChangeOwner,
}

impl OrderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::PayFine => "pay_fine",
            OrderKind::ChangeOwner => "change_owner",
        }
    }
}

/// A taken order waits this long before another process may try it again.
const LEASE_SECONDS: i64 = 60;
/// Waits between attempts: a minute, doubling, at most an hour.
fn retry_after(attempts: i64) -> i64 {
    (60_i64 << attempts.clamp(0, 6)).min(3600)
}

/// Writes the order, in the caller's transaction. False when the subject already has an
/// order of this kind for another application: a notice is paid through Raia once.
pub async fn place_in<T: Serialize>(tx: &mut Transaction<'static, Any>, kind: OrderKind, subject: &str, application_id: i64, body: &T, now: i64) -> Result<bool, sqlx::Error> {
    let body = serde_json::to_string(body).unwrap_or_default();
    let placed = sqlx::query(
        "INSERT INTO register_orders (kind, subject, application_id, body, status, next_at, created_at) VALUES ($1, $2, $3, $4, 'due', $5, $5) ON CONFLICT (kind, subject) DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(subject)
    .bind(application_id)
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if placed == 1 {
        return Ok(true);
    }
    let holder: Option<i64> = sqlx::query_scalar("SELECT application_id FROM register_orders WHERE kind = $1 AND subject = $2").bind(kind.as_str()).bind(subject).fetch_optional(&mut **tx).await?;
    Ok(holder == Some(application_id))
}

/// Whether the subject has an order of this kind (paid through Raia, maybe not yet delivered).
pub async fn exists<'e, E: Executor<'e, Database = Any>>(executor: E, kind: OrderKind, subject: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM register_orders WHERE kind = $1 AND subject = $2").bind(kind.as_str()).bind(subject).fetch_optional(executor).await?;
    Ok(found.is_some())
}

/// An order staff must look at: refused by the register for good (a notice paid at a
/// station meanwhile, a vehicle sold outside Raia), or still failing after three attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderNeedingAttention {
    pub kind: String,
    pub subject: String,
    pub application_reference: String,
    pub status: String,
    pub attempts: i64,
    pub outcome: Option<String>,
    pub created_at: i64,
}

/// Refused orders, and due ones failing for a while, newest first.
pub async fn needing_attention<'e, E: Executor<'e, Database = Any>>(executor: E, limit: i64) -> Result<Vec<OrderNeedingAttention>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.kind, o.subject, a.reference, o.status, o.attempts, o.outcome, o.created_at FROM register_orders o JOIN applications a ON a.id = o.application_id \
         WHERE o.status = 'refused' OR (o.status = 'due' AND o.attempts >= 3) ORDER BY o.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| OrderNeedingAttention {
            kind: row.get("kind"),
            subject: row.get("subject"),
            application_reference: row.get::<Option<String>, _>("reference").unwrap_or_default(),
            status: row.get("status"),
            attempts: row.get("attempts"),
            outcome: row.get("outcome"),
            created_at: row.get("created_at"),
        })
        .collect())
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub done: u64,
    pub refused: u64,
    pub retrying: u64,
}

/// Delivers the orders that are due. Each is taken first (its `next_at` moved on by a
/// lease), so two processes never send one order at once; the register's own idempotence
/// (Raia's reference) covers a process that dies between sending and recording.
pub async fn deliver_due(db: &crate::db::Db, registers: &dyn Registers, now: i64) -> Result<Delivered, sqlx::Error> {
    let due = sqlx::query("SELECT id, kind, subject, body, attempts, next_at FROM register_orders WHERE status = 'due' AND next_at <= $1 ORDER BY next_at LIMIT 20").bind(now).fetch_all(db.pool()).await?;
    let mut delivered = Delivered::default();
    for row in due {
        let id: i64 = row.get("id");
        let attempts: i64 = row.get("attempts");
        let mut tx = db.begin_write().await?;
        let taken = sqlx::query("UPDATE register_orders SET next_at = $1, attempts = attempts + 1 WHERE id = $2 AND status = 'due' AND next_at = $3")
            .bind(now + LEASE_SECONDS)
            .bind(id)
            .bind(row.get::<i64, _>("next_at"))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        if taken != 1 {
            continue;
        }
        let kind: String = row.get("kind");
        let subject: String = row.get("subject");
        let body: String = row.get("body");
        let asker = Asker::system(format!("{kind} order {id}"));
        // Some(true): done; Some(false): refused for good; None: try again later.
        let (result, outcome) = match kind.as_str() {
            "pay_fine" => match serde_json::from_str::<FinePayment>(&body) {
                Ok(payment) => match registers.pay_fine(&subject, &payment, &asker).await {
                    Ok(FineSettlement::Paid) => (Some(true), "paid".to_string()),
                    Ok(other) => (Some(false), format!("{other:?}")),
                    Err(error) => (None, error.to_string()),
                },
                Err(error) => (Some(false), format!("unreadable order: {error}")),
            },
            "change_owner" => match serde_json::from_str::<OwnerChange>(&body) {
                Ok(change) => match registers.change_owner(&change, &asker).await {
                    Ok(OwnerChangeOutcome::Changed) => (Some(true), "changed".to_string()),
                    Ok(other) => (Some(false), format!("{other:?}")),
                    Err(error) => (None, error.to_string()),
                },
                Err(error) => (Some(false), format!("unreadable order: {error}")),
            },
            other => (Some(false), format!("unknown kind {other}")),
        };
        let mut tx = db.begin_write().await?;
        match result {
            Some(true) => {
                sqlx::query("UPDATE register_orders SET status = 'done', outcome = $1, done_at = $2 WHERE id = $3").bind(&outcome).bind(now).bind(id).execute(&mut *tx).await?;
                delivered.done += 1;
            }
            Some(false) => {
                // Paid at a station meanwhile, or the vehicle changed hands outside Raia: an
                // admin must refund or undo, so it is said loudly.
                tracing::error!(order = id, kind = kind.as_str(), outcome = outcome.as_str(), "a register refused an order Raia owed it");
                sqlx::query("UPDATE register_orders SET status = 'refused', outcome = $1, done_at = $2 WHERE id = $3").bind(&outcome).bind(now).bind(id).execute(&mut *tx).await?;
                delivered.refused += 1;
            }
            None => {
                tracing::warn!(order = id, kind = kind.as_str(), outcome = outcome.as_str(), "a register order will be tried again");
                sqlx::query("UPDATE register_orders SET next_at = $1, outcome = $2 WHERE id = $3").bind(now + retry_after(attempts)).bind(&outcome).bind(id).execute(&mut *tx).await?;
                delivered.retrying += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(delivered)
}
