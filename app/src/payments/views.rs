//! What the payment pages receive: plain data, the same on server and browser.

use crate::services::catalogue::Text;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub number: String,
    pub service_fee_cents: i64,
    pub convenience_fee_cents: i64,
    pub total_cents: i64,
    /// `unpaid`, `pending`, `paid`, `expired` or `cancelled`.
    pub status: String,
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    /// `mpesa`, `card` or `paybill`.
    pub method: String,
    /// `pending`, `succeeded`, `failed` or `expired`.
    pub status: String,
    pub amount_cents: i64,
    pub paid_with: String,
    pub result_code: Option<i64>,
    pub reference: String,
    pub service_name: Text,
    pub receipt_number: Option<String>,
    pub created_at: i64,
}

/// `/applications/<reference>/pay`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayPage {
    pub reference: String,
    pub service_name: Text,
    pub invoice: InvoiceView,
    /// The attempt being followed (`?payment=`), or the one still waiting for an answer.
    pub payment: Option<PaymentView>,
    pub phone: String,
    pub paybill_number: String,
    /// A fresh key for the next "Pay" press: pressing twice sends one request.
    pub attempt_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub number: String,
    pub reference: String,
    pub service_name: Text,
    pub payer_name: String,
    pub service_fee_cents: i64,
    pub convenience_fee_cents: i64,
    pub total_cents: i64,
    pub paid_with: String,
    pub paid_at: i64,
    pub verify_url: String,
    /// The QR code of `verify_url`, as an SVG document.
    pub qr_svg: String,
}

/// What `/verify/<code>` shows anyone: nothing a stranger should learn about the citizen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedReceipt {
    pub number: String,
    pub service_name: Text,
    pub total_cents: i64,
    pub paid_at: i64,
    pub masked_name: String,
}

/// One row of the admins' "Payments needing attention": money that reached us and could not
/// settle an invoice (`unmatched` or `refund_due`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyNeedingAttention {
    pub id: i64,
    pub kind: String,
    pub method: String,
    pub mpesa_receipt: Option<String>,
    pub amount_cents: i64,
    pub phone: Option<String>,
    pub payer_name: Option<String>,
    /// The account number as the payer typed it (paybill), or the invoice's number.
    pub account_number: Option<String>,
    /// `no_such_invoice`, `amount_differs`, `invoice_already_paid`, `invoice_closed` or `unknown_push`.
    pub reason: String,
    pub created_at: i64,
}

/// The result code of an M-Pesa push that M-Pesa never confirmed: whether money moved is not known.
pub const UNCONFIRMED_CODE: i64 = -2;
/// The result code of an attempt whose money arrived but not the invoice's amount: kept to be refunded.
pub const AMOUNT_DIFFERS_CODE: i64 = -3;

/// What a citizen may be told of an attempt that did not pay the invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyTaken {
    /// The provider said no: nothing was taken ("No money was taken", `pay.nothing_taken`).
    No,
    /// We do not know (`pay.fate_unknown`): never say nothing was taken.
    NotKnown,
    /// It was taken and is kept to be refunded (`pay.money_kept`).
    KeptForRefund,
}

impl PaymentView {
    /// For a failed or expired attempt, whether money left the citizen; `None` for any other.
    pub fn money_taken(&self) -> Option<MoneyTaken> {
        if !matches!(self.status.as_str(), "failed" | "expired") {
            return None;
        }
        Some(match self.result_code {
            Some(UNCONFIRMED_CODE) => MoneyTaken::NotKnown,
            Some(AMOUNT_DIFFERS_CODE) => MoneyTaken::KeptForRefund,
            _ => MoneyTaken::No,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(status: &str, result_code: Option<i64>) -> PaymentView {
        PaymentView {
            id: 1,
            method: "mpesa".into(),
            status: status.into(),
            amount_cents: 105_000,
            paid_with: "M-Pesa".into(),
            result_code,
            reference: "RA-2026-000001".into(),
            service_name: Text::default(),
            receipt_number: None,
            created_at: 0,
        }
    }

    #[test]
    fn nothing_was_taken_only_when_the_provider_said_so() {
        assert_eq!(attempt("failed", Some(1032)).money_taken(), Some(MoneyTaken::No));
        assert_eq!(attempt("expired", Some(1037)).money_taken(), Some(MoneyTaken::No));
        assert_eq!(attempt("expired", Some(UNCONFIRMED_CODE)).money_taken(), Some(MoneyTaken::NotKnown));
        assert_eq!(attempt("failed", Some(AMOUNT_DIFFERS_CODE)).money_taken(), Some(MoneyTaken::KeptForRefund));
        assert_eq!(attempt("pending", None).money_taken(), None);
        assert_eq!(attempt("succeeded", Some(0)).money_taken(), None);
    }
}
