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
    pub reason: String,
    pub created_at: i64,
}
