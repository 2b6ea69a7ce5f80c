//! Money that reached us but could not settle an invoice. Nothing a citizen paid is dropped:
//! every such payment is kept here with what we know (receipt, amount, phone, the account
//! number typed) as `unmatched` (no invoice to put it to) or `refund_due` (the invoice was
//! paid, cancelled or expired, or the amount was wrong), for admins to refund or apply.

use crate::payments::views::MoneyNeedingAttention;
use sqlx::{Any, Executor, Row, Transaction};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing to put it to: the account number matches no invoice.
    Unmatched,
    /// It belongs to an invoice that cannot take it: to be refunded.
    RefundDue,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unmatched => "unmatched",
            Kind::RefundDue => "refund_due",
        }
    }
}

/// Why the money could not be used, in words for the admin and the citizen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NoSuchInvoice,
    AmountDiffers,
    InvoiceAlreadyPaid,
    InvoiceClosed,
    UnknownPush,
}

impl Reason {
    pub fn kind(self) -> Kind {
        match self {
            Reason::NoSuchInvoice | Reason::UnknownPush => Kind::Unmatched,
            _ => Kind::RefundDue,
        }
    }

    /// As stored, and as the admins' page translates it.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoSuchInvoice => "no_such_invoice",
            Reason::AmountDiffers => "amount_differs",
            Reason::InvoiceAlreadyPaid => "invoice_already_paid",
            Reason::InvoiceClosed => "invoice_closed",
            Reason::UnknownPush => "unknown_push",
        }
    }

    /// Completes "we could not use it: …" (SMS are in English until accounts have a language).
    pub fn words(self) -> &'static str {
        match self {
            Reason::NoSuchInvoice => "no invoice has this account number",
            Reason::AmountDiffers => "the amount differs from the invoice",
            Reason::InvoiceAlreadyPaid => "the invoice was already paid",
            Reason::InvoiceClosed => "the invoice was cancelled or had expired",
            Reason::UnknownPush => "we have no payment request that matches it",
        }
    }
}

/// Money to keep.
pub struct Received<'a> {
    pub reason: Reason,
    pub method: &'a str,
    pub mpesa_receipt: Option<&'a str>,
    pub amount_cents: i64,
    pub phone: Option<&'a str>,
    pub payer_name: Option<&'a str>,
    pub account_number: Option<&'a str>,
    pub invoice_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub account_id: Option<i64>,
}

/// Keeps it; false when this M-Pesa receipt is kept already or has paid an invoice (the
/// same confirmation twice, perhaps at the same moment).
pub async fn keep(tx: &mut Transaction<'static, Any>, money: &Received<'_>, now: i64) -> Result<bool, sqlx::Error> {
    if let Some(invoice_id) = money.invoice_id {
        // Another copy of this confirmation may be settling this invoice right now, in a
        // transaction not yet committed. Writing the invoice's row waits for it to finish
        // (a row lock on PostgreSQL; SQLite runs one write transaction at a time anyway),
        // so the check below sees the receipt it issued.
        sqlx::query("UPDATE invoices SET id = id WHERE id = $1").bind(invoice_id).execute(&mut **tx).await?;
    }
    if let Some(receipt) = money.mpesa_receipt {
        // Money that paid an invoice has a Raia receipt. (An attempt that succeeded too late
        // carries the M-Pesa receipt as well, with no Raia receipt: that money is kept.)
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM receipts JOIN payments ON payments.id = receipts.payment_id WHERE payments.mpesa_receipt = $1")
            .bind(receipt)
            .fetch_one(&mut **tx)
            .await?;
        if applied > 0 {
            return Ok(false);
        }
    }
    let inserted = sqlx::query(
        "INSERT INTO payments_needing_attention (kind, method, mpesa_receipt, amount_cents, phone, payer_name, account_number, invoice_id, payment_id, account_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (mpesa_receipt) DO NOTHING",
    )
    .bind(money.reason.kind().as_str())
    .bind(money.method)
    .bind(money.mpesa_receipt)
    .bind(money.amount_cents)
    .bind(money.phone)
    .bind(money.payer_name)
    .bind(money.account_number)
    .bind(money.invoice_id)
    .bind(money.payment_id)
    .bind(money.account_id)
    .bind(money.reason.code())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    // `ON CONFLICT`, not a caught error: on PostgreSQL a failed insert would abort the
    // payment's whole transaction.
    Ok(inserted.rows_affected() == 1)
}

/// The fee paid for an application called off before it was decided (a transfer cancelled by
/// either party): kept to be refunded, in the cancellation's transaction. Nothing when no fee
/// was paid. The M-Pesa receipt stays with the payment that carried it, not repeated here.
pub async fn keep_fee_of_withdrawn(tx: &mut Transaction<'static, Any>, application_id: i64, account_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let kept = sqlx::query(
        "INSERT INTO payments_needing_attention (kind, method, amount_cents, phone, account_number, invoice_id, payment_id, account_id, reason, created_at) \
         SELECT 'refund_due', p.method, p.amount_cents, p.phone, i.number, i.id, p.id, $1, 'withdrawn_after_payment', $2 \
         FROM invoices i JOIN receipts r ON r.invoice_id = i.id JOIN payments p ON p.id = r.payment_id \
         WHERE i.application_id = $3 AND i.status = 'paid'",
    )
    .bind(account_id)
    .bind(now)
    .bind(application_id)
    .execute(&mut **tx)
    .await?;
    Ok(kept.rows_affected() > 0)
}

/// Whether an M-Pesa receipt number is recorded anywhere (settled or kept here).
pub async fn receipt_known<'e, E: Executor<'e, Database = Any>>(executor: E, receipt: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM payments WHERE mpesa_receipt = $1) + (SELECT COUNT(*) FROM payments_needing_attention WHERE mpesa_receipt = $1)",
    )
    .bind(receipt)
    .fetch_one(executor)
    .await?;
    Ok(count > 0)
}

/// Everything not yet resolved, newest first.
pub async fn open<'e, E: Executor<'e, Database = Any>>(executor: E) -> Result<Vec<MoneyNeedingAttention>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, method, mpesa_receipt, amount_cents, phone, payer_name, account_number, reason, created_at \
         FROM payments_needing_attention WHERE resolved_at IS NULL ORDER BY id DESC LIMIT 500",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| MoneyNeedingAttention {
            id: row.get("id"),
            kind: row.get("kind"),
            method: row.get("method"),
            mpesa_receipt: row.get("mpesa_receipt"),
            amount_cents: row.get("amount_cents"),
            phone: row.get("phone"),
            payer_name: row.get("payer_name"),
            account_number: row.get("account_number"),
            reason: row.get("reason"),
            created_at: row.get("created_at"),
        })
        .collect())
}
