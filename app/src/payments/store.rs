//! The payments and receipts tables. Every change of a payment is conditional on its status
//! (`... WHERE status = 'pending'`), so a duplicate or late answer changes nothing.

use crate::payments::states::{next_attempt_status, AttemptEvent, AttemptStatus, ALL_ATTEMPT_STATUSES};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row, Transaction};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub invoice_id: i64,
    pub method: String,
    pub status: String,
    pub checkout_request_id: Option<String>,
    pub mpesa_receipt: Option<String>,
    pub phone: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub amount_cents: i64,
    pub result_code: Option<i64>,
    pub result_desc: Option<String>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, invoice_id, method, status, checkout_request_id, mpesa_receipt, phone, card_brand, card_last4, amount_cents, result_code, result_desc, created_at";

fn from_row(row: &AnyRow) -> Payment {
    Payment {
        id: row.get("id"),
        invoice_id: row.get("invoice_id"),
        method: row.get("method"),
        status: row.get("status"),
        checkout_request_id: row.get("checkout_request_id"),
        mpesa_receipt: row.get("mpesa_receipt"),
        phone: row.get("phone"),
        card_brand: row.get("card_brand"),
        card_last4: row.get("card_last4"),
        amount_cents: row.get("amount_cents"),
        result_code: row.get("result_code"),
        result_desc: row.get("result_desc"),
        created_at: row.get("created_at"),
    }
}

pub struct NewPayment<'a> {
    pub invoice_id: i64,
    pub method: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub card_brand: Option<&'a str>,
    pub card_last4: Option<&'a str>,
    pub mpesa_receipt: Option<&'a str>,
    pub amount_cents: i64,
}

pub async fn insert(tx: &mut Transaction<'static, Any>, payment: &NewPayment<'_>, now: i64, next_check_at: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO payments (invoice_id, method, status, idempotency_key, phone, card_brand, card_last4, mpesa_receipt, amount_cents, created_at, updated_at, next_check_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
    )
    .bind(payment.invoice_id)
    .bind(payment.method)
    .bind(payment.idempotency_key)
    .bind(payment.phone)
    .bind(payment.card_brand)
    .bind(payment.card_last4)
    .bind(payment.mpesa_receipt)
    .bind(payment.amount_cents)
    .bind(now)
    .bind(next_check_at)
    .fetch_one(&mut **tx)
    .await
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<Payment>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM payments WHERE id = $1")).bind(id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find_by_idempotency_key<'e, E: Executor<'e, Database = Any>>(executor: E, key: &str) -> Result<Option<Payment>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM payments WHERE idempotency_key = $1")).bind(key).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find_by_checkout_id<'e, E: Executor<'e, Database = Any>>(executor: E, checkout_request_id: &str) -> Result<Option<Payment>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM payments WHERE checkout_request_id = $1")).bind(checkout_request_id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

/// The invoice's attempt still waiting for an answer, if any.
pub async fn pending_for_invoice<'e, E: Executor<'e, Database = Any>>(executor: E, invoice_id: i64) -> Result<Option<Payment>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM payments WHERE invoice_id = $1 AND status = 'pending' ORDER BY id DESC LIMIT 1"))
        .bind(invoice_id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn for_account<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<Vec<(Payment, String, String, Option<String>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.invoice_id, p.method, p.status, p.checkout_request_id, p.mpesa_receipt, p.phone, p.card_brand, p.card_last4, p.amount_cents, \
         p.result_code, p.result_desc, p.created_at, a.reference AS app_reference, a.service_slug, r.number AS receipt_number \
         FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN applications a ON a.id = i.application_id \
         LEFT JOIN receipts r ON r.payment_id = p.id WHERE a.account_id = $1 ORDER BY p.id DESC",
    )
    .bind(account_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| (from_row(row), row.get::<Option<String>, _>("app_reference").unwrap_or_default(), row.get("service_slug"), row.get("receipt_number")))
        .collect())
}

/// Records the gateway's id for the attempt (after the STK push was accepted).
pub async fn set_checkout_id(tx: &mut Transaction<'static, Any>, id: i64, checkout_request_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET checkout_request_id = $1, updated_at = $2 WHERE id = $3").bind(checkout_request_id).bind(now).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The status an event leads to, and the statuses it may come from, as SQL.
fn attempt_move(event: AttemptEvent) -> (&'static str, String) {
    let from: Vec<AttemptStatus> = ALL_ATTEMPT_STATUSES.into_iter().filter(|s| next_attempt_status(*s, event).is_some()).collect();
    let to = from.first().and_then(|s| next_attempt_status(*s, event)).map(AttemptStatus::as_str).unwrap_or("pending");
    (to, from.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", "))
}

/// failed or expired → succeeded: the money came after we had given up. False when it was
/// not failed or expired any more (a duplicate callback).
pub async fn mark_paid_late(tx: &mut Transaction<'static, Any>, id: i64, receipt: Option<&str>, now: i64) -> Result<bool, sqlx::Error> {
    move_to_succeeded(tx, AttemptEvent::PaidLate, id, receipt, now).await
}

/// Applies `event` (one that ends in succeeded) to attempt `id`, if its status allows.
async fn move_to_succeeded(tx: &mut Transaction<'static, Any>, event: AttemptEvent, id: i64, receipt: Option<&str>, now: i64) -> Result<bool, sqlx::Error> {
    let (to, from) = attempt_move(event);
    let sql = format!("UPDATE payments SET status = '{to}', mpesa_receipt = COALESCE($1, mpesa_receipt), result_code = 0, updated_at = $2 WHERE id = $3 AND status IN ({from})");
    Ok(sqlx::query(&sql).bind(receipt).bind(now).bind(id).execute(&mut **tx).await?.rows_affected() == 1)
}

/// The provider's id for a card charge, once it is known.
pub async fn set_charge_id(tx: &mut Transaction<'static, Any>, id: i64, charge_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET gateway_charge_id = $1 WHERE id = $2").bind(charge_id).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The idempotency key of an attempt: for a card, also the reference the gateway files the charge under.
pub async fn idempotency_key<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT idempotency_key FROM payments WHERE id = $1").bind(id).fetch_one(executor).await
}

/// A push whose call failed without an answer (`checkout_request_id` unknown) for this phone
/// and amount: what an unrecognised success callback may belong to. One still pending comes
/// first; else one given up in the last day as unconfirmed (`given_up_code`), since the money
/// may arrive after our timeout.
pub async fn unconfirmed_push<'e, E: Executor<'e, Database = Any>>(executor: E, phone: &str, amount_cents: i64, given_up_code: i64, since: i64) -> Result<Option<Payment>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payments WHERE method = 'mpesa' AND checkout_request_id IS NULL AND phone = $1 AND amount_cents = $2 \
         AND (status = 'pending' OR (status = 'expired' AND result_code = $3 AND created_at >= $4)) \
         ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, id LIMIT 1"
    ))
    .bind(phone)
    .bind(amount_cents)
    .bind(given_up_code)
    .bind(since)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// Gives an unconfirmed push the id its callback brought; false when another callback
/// claimed it first (each push has one id).
pub async fn claim_unconfirmed(tx: &mut Transaction<'static, Any>, id: i64, checkout_request_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE payments SET checkout_request_id = $1, updated_at = $2 WHERE id = $3 AND checkout_request_id IS NULL")
        .bind(checkout_request_id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed == 1)
}

/// Whether an insert failed only because the row is there already (a unique key).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(database) => {
            database.is_unique_violation() || database.code().is_some_and(|code| code == "23505" || code == "2067" || code == "1555")
        }
        _ => false,
    }
}

/// pending → succeeded. False when the payment was no longer pending (a duplicate answer).
/// `receipt` is the provider's receipt, when known (an STK query does not say it).
pub async fn mark_succeeded(tx: &mut Transaction<'static, Any>, id: i64, receipt: Option<&str>, now: i64) -> Result<bool, sqlx::Error> {
    move_to_succeeded(tx, AttemptEvent::Paid, id, receipt, now).await
}

/// A late callback may bring the M-Pesa receipt number a query-settled payment lacks; that is all it may change.
pub async fn fill_missing_receipt(db: &crate::db::Db, checkout_request_id: &str, receipt: &str) -> Result<(), sqlx::Error> {
    let _ = sqlx::query("UPDATE payments SET mpesa_receipt = $1 WHERE checkout_request_id = $2 AND status = 'succeeded' AND mpesa_receipt IS NULL")
        .bind(receipt)
        .bind(checkout_request_id)
        .execute(db.pool())
        .await;
    Ok(())
}

/// pending → failed (declined) or expired (no answer). False when it was no longer pending.
pub async fn mark_failed(tx: &mut Transaction<'static, Any>, id: i64, event: AttemptEvent, code: i64, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    let (to, from) = attempt_move(event);
    let sql = format!("UPDATE payments SET status = '{to}', result_code = $1, result_desc = $2, updated_at = $3 WHERE id = $4 AND status IN ({from})");
    let changed = sqlx::query(&sql)
        .bind(code)
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed == 1)
}

/// Pending M-Pesa and card payments due a check, oldest first.
pub async fn due_for_check<'e, E: Executor<'e, Database = Any>>(executor: E, now: i64, limit: i64) -> Result<Vec<Payment>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM payments WHERE status = 'pending' AND method IN ('mpesa', 'card') AND next_check_at <= $1 ORDER BY id LIMIT $2"))
        .bind(now)
        .bind(limit)
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Takes the lease on a payment's next check; false when another process took it first.
pub async fn lease_check(db: &crate::db::Db, id: i64, now: i64, until: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE payments SET next_check_at = $1 WHERE id = $2 AND status = 'pending' AND next_check_at <= $3")
        .bind(until)
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok(changed == 1)
}

#[derive(Clone, Debug)]
pub struct Receipt {
    pub number: String,
    pub payment_id: i64,
    pub invoice_id: i64,
    pub verify_code: String,
    pub created_at: i64,
}

fn receipt_from_row(row: &AnyRow) -> Receipt {
    Receipt {
        number: row.get("number"),
        payment_id: row.get("payment_id"),
        invoice_id: row.get("invoice_id"),
        verify_code: row.get("verify_code"),
        created_at: row.get("created_at"),
    }
}

pub async fn insert_receipt(tx: &mut Transaction<'static, Any>, number: &str, payment_id: i64, invoice_id: i64, verify_code: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO receipts (number, payment_id, invoice_id, verify_code, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(number)
        .bind(payment_id)
        .bind(invoice_id)
        .bind(verify_code)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const RECEIPT_COLUMNS: &str = "number, payment_id, invoice_id, verify_code, created_at";

/// A receipt by its number (the citizen's copy) or by its verification code (anyone).
pub async fn receipt_by_text<'e, E: Executor<'e, Database = Any>>(executor: E, key: ReceiptKey, value: &str) -> Result<Option<Receipt>, sqlx::Error> {
    let column = match key {
        ReceiptKey::Number => "number",
        ReceiptKey::VerifyCode => "verify_code",
    };
    let row = sqlx::query(&format!("SELECT {RECEIPT_COLUMNS} FROM receipts WHERE {column} = $1")).bind(value).fetch_optional(executor).await?;
    Ok(row.as_ref().map(receipt_from_row))
}

pub async fn receipt_for_payment<'e, E: Executor<'e, Database = Any>>(executor: E, payment_id: i64) -> Result<Option<Receipt>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {RECEIPT_COLUMNS} FROM receipts WHERE payment_id = $1")).bind(payment_id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(receipt_from_row))
}

#[derive(Clone, Copy)]
pub enum ReceiptKey {
    Number,
    VerifyCode,
}
