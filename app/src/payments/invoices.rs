//! Invoices: what an application owes. One unpaid (or pending) invoice per application at a
//! time, enforced by a unique index; its number is what a citizen types as the paybill account.

use crate::payments::states::{invoice_states_from, InvoiceEvent};
use crate::services::store::next_reference_number;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row, Transaction};

pub use crate::money::CONVENIENCE_FEE_CENTS;
/// An invoice can be paid for this long; a new one is opened after.
pub const INVOICE_LIFETIME_SECONDS: i64 = 7 * 24 * 3600;

/// An invoice's status, as the state table in `states` names it.
pub use crate::payments::states::InvoiceState as InvoiceStatus;

#[derive(Clone, Debug)]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub application_id: i64,
    pub service_fee_cents: i64,
    pub convenience_fee_cents: i64,
    pub total_cents: i64,
    pub status: InvoiceStatus,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
}

const COLUMNS: &str = "id, number, application_id, service_fee_cents, convenience_fee_cents, total_cents, status, expires_at, paid_at";

fn from_row(row: &AnyRow) -> Invoice {
    Invoice {
        id: row.get("id"),
        number: row.get("number"),
        application_id: row.get("application_id"),
        service_fee_cents: row.get("service_fee_cents"),
        convenience_fee_cents: row.get("convenience_fee_cents"),
        total_cents: row.get("total_cents"),
        status: InvoiceStatus::parse(&row.get::<String, _>("status")),
        expires_at: row.get("expires_at"),
        paid_at: row.get("paid_at"),
    }
}

/// `RA` + two digits of the year + eight of a counter: 12 characters, Daraja's limit for `AccountReference`.
pub fn invoice_number(year: i64, number: i64) -> String {
    format!("RA{:02}{number:08}", year % 100)
}

/// Opens the invoice for an application that now owes `total_cents`.
pub async fn open(tx: &mut Transaction<'static, Any>, application_id: i64, total_cents: i64, now: i64) -> Result<i64, sqlx::Error> {
    let year = crate::calendar::year_of(now);
    let number = invoice_number(year, next_reference_number(tx, "INV", year).await?);
    let convenience = CONVENIENCE_FEE_CENTS.min(total_cents);
    sqlx::query_scalar(
        "INSERT INTO invoices (number, application_id, service_fee_cents, convenience_fee_cents, total_cents, status, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'unpaid', $6, $7) RETURNING id",
    )
    .bind(number)
    .bind(application_id)
    .bind(total_cents - convenience)
    .bind(convenience)
    .bind(total_cents)
    .bind(now + INVOICE_LIFETIME_SECONDS)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn cancel_open(tx: &mut Transaction<'static, Any>, application_id: i64) -> Result<(), sqlx::Error> {
    let sql = format!("UPDATE invoices SET status = 'cancelled' WHERE application_id = $1 AND status IN ({})", invoice_states_from(InvoiceEvent::Cancelled));
    sqlx::query(&sql).bind(application_id).execute(&mut **tx).await?;
    Ok(())
}

/// The application's latest invoice (open, or the paid one).
pub async fn latest_for_application<'e, E: Executor<'e, Database = Any>>(executor: E, application_id: i64) -> Result<Option<Invoice>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM invoices WHERE application_id = $1 ORDER BY id DESC LIMIT 1")).bind(application_id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<Invoice>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM invoices WHERE id = $1")).bind(id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find_by_number<'e, E: Executor<'e, Database = Any>>(executor: E, number: &str) -> Result<Option<Invoice>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM invoices WHERE number = $1")).bind(number.trim().to_ascii_uppercase()).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

/// unpaid → pending, for the one attempt that wins. False when another attempt got there first.
pub async fn mark_pending(tx: &mut Transaction<'static, Any>, invoice_id: i64) -> Result<bool, sqlx::Error> {
    let sql = format!("UPDATE invoices SET status = 'pending' WHERE id = $1 AND status IN ({})", invoice_states_from(InvoiceEvent::AttemptStarted));
    let changed = sqlx::query(&sql).bind(invoice_id).execute(&mut **tx).await?.rows_affected();
    Ok(changed == 1)
}

/// pending → unpaid after a failed attempt, so the citizen can try again.
pub async fn reopen(tx: &mut Transaction<'static, Any>, invoice_id: i64) -> Result<(), sqlx::Error> {
    let sql = format!("UPDATE invoices SET status = 'unpaid' WHERE id = $1 AND status IN ({})", invoice_states_from(InvoiceEvent::AttemptEnded));
    sqlx::query(&sql).bind(invoice_id).execute(&mut **tx).await?;
    Ok(())
}

/// unpaid → expired for every invoice past its time. Returns how many.
pub async fn expire_due(tx: &mut Transaction<'static, Any>, now: i64) -> Result<u64, sqlx::Error> {
    let sql = format!("UPDATE invoices SET status = 'expired' WHERE expires_at <= $1 AND status IN ({})", invoice_states_from(InvoiceEvent::TimedOut));
    Ok(sqlx::query(&sql).bind(now).execute(&mut **tx).await?.rows_affected())
}

/// unpaid or pending → paid. False when it was paid (or closed) already: nothing is paid twice.
pub async fn mark_paid(tx: &mut Transaction<'static, Any>, invoice_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let sql = format!("UPDATE invoices SET status = 'paid', paid_at = $1 WHERE id = $2 AND status IN ({})", invoice_states_from(InvoiceEvent::Paid));
    let changed = sqlx::query(&sql)
        .bind(now)
        .bind(invoice_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn invoice_numbers_fit_the_paybill_account_field() {
        let number = super::invoice_number(2026, 123);
        assert_eq!(number, "RA2600000123");
        assert_eq!(number.len(), 12);
    }
}
