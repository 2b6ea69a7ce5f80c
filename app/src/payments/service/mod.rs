//! Paying fees, exactly once: M-Pesa STK push (answered by callback or query), card
//! (answered at once) and paybill (a C2B confirmation). The invoice, the payment, the
//! receipt and the application's move to Paid commit together or not at all.

use crate::clock::Clock;
use crate::db::Db;
use crate::errors::{AppError, Problem};
use crate::identity::accounts::{self, Account};
use crate::identity::contact::PhoneNumber;
use crate::identity::activity::{self, SecurityEvent};
use crate::messages::notifications::{self, AccountNotice};
use crate::messages::outbox::{self, Message};
use crate::payments::texts;
use crate::money::format_kes;
use crate::payments::attention::{self, Reason, Received};
use crate::payments::daraja::{outcome_of, C2bConfirmation, StkCallback};
use crate::payments::gateway::{card_brand, last_four, luhn_valid, GatewayError, GatewayOutcome, PaymentGateway, PaymentRequest};
use crate::payments::invoices::{self, Invoice, InvoiceStatus};
use crate::payments::states::AttemptEvent;
use crate::payments::store::{self, NewPayment, Payment, ReceiptKey};
use crate::payments::views::{InvoiceView, PayPage, PaymentView, ReceiptView, VerifiedReceipt, AMOUNT_DIFFERS_CODE};
use crate::services::service::{format_reference, Applications};
use crate::services::store as applications_store;
use rand::Rng;
use sqlx::{Any, Transaction};
use std::sync::Arc;

mod paying;
mod settling;
mod callbacks;
mod reconciling;
mod receipts;

/// A pending M-Pesa payment is first checked this long after the push.
pub const FIRST_CHECK_AFTER_SECONDS: i64 = 60;
/// Between two checks of the same payment (the worker's lease).
pub const CHECK_LEASE_SECONDS: i64 = 30;

#[derive(Clone)]
pub struct Payments {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub applications: Applications,
    pub mpesa: Arc<dyn PaymentGateway>,
    pub card: Arc<dyn PaymentGateway>,
    /// Where Daraja posts STK results (carries the per-deployment secret).
    pub stk_callback_url: String,
    pub paybill_number: String,
    /// A push with no answer after this long is given up ("no answer from your phone").
    pub pending_timeout_seconds: i64,
}

/// A fee the citizen can pay now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeDue {
    pub reference: String,
    pub service: crate::services::catalogue::Text,
    pub total_cents: i64,
}

/// What a callback did, for the log and the answer to Daraja.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackOutcome {
    Settled,
    Failed,
    /// Money that cannot settle an invoice, kept for an admin (and the citizen told).
    Kept(Reason),
    /// Answered 200 and changed nothing: unknown id, duplicate, or no result.
    Ignored(&'static str),
}

fn random_code(length: usize) -> String {
    // Crockford's base 32: no I, L, O or U to misread on a printed receipt.
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    (0..length).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

fn mask_name(first: &str, surname: &str) -> String {
    let initial = surname.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
    format!("{first}{initial}")
}

fn paid_with(payment: &Payment) -> String {
    match payment.method.as_str() {
        "card" => format!("{} •••• {}", payment.card_brand.as_deref().unwrap_or("Card"), payment.card_last4.as_deref().unwrap_or("")),
        "paybill" => format!("M-Pesa paybill {}", payment.mpesa_receipt.as_deref().unwrap_or("")),
        _ => match &payment.mpesa_receipt {
            Some(receipt) => format!("M-Pesa {receipt}"),
            None => "M-Pesa".to_string(),
        },
    }
}

fn invoice_view(invoice: &Invoice) -> InvoiceView {
    InvoiceView {
        number: invoice.number.clone(),
        service_fee_cents: invoice.service_fee_cents,
        convenience_fee_cents: invoice.convenience_fee_cents,
        total_cents: invoice.total_cents,
        status: invoice.status.as_str().to_string(),
        expires_at: invoice.expires_at,
    }
}

impl Payments {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The citizen's application and its latest invoice; "not found" for anyone else's. An
    /// invoice whose time ran out, for an application still awaiting payment, is replaced by
    /// a fresh one for the same amount.
    async fn citizens_invoice(&self, citizen: &Account, reference: &str) -> Result<(applications_store::ApplicationRow, Invoice), AppError> {
        let row = applications_store::find_by_reference(self.db.pool(), reference.trim()).await?;
        let row = row.filter(|r| r.account_id == citizen.id).ok_or(AppError::NotFound)?;
        let invoice = invoices::latest_for_application(self.db.pool(), row.id).await?.ok_or(AppError::NotFound)?;
        let now = self.now();
        let timed_out = invoice.status == InvoiceStatus::Expired || (invoice.status == InvoiceStatus::Unpaid && invoice.expires_at <= now);
        if !timed_out || row.status != crate::services::status::Status::AwaitingPayment {
            return Ok((row, invoice));
        }
        let mut tx = self.db.begin_write().await?;
        invoices::expire_due(&mut tx, now).await?;
        // Another request may have opened the fresh one a moment ago (one open per application).
        let latest = invoices::latest_for_application(&mut *tx, row.id).await?.ok_or(AppError::NotFound)?;
        if latest.status == InvoiceStatus::Expired {
            invoices::open(&mut tx, row.id, invoice.total_cents, now).await?;
        }
        tx.commit().await?;
        let fresh = invoices::latest_for_application(self.db.pool(), row.id).await?.ok_or(AppError::NotFound)?;
        Ok((row, fresh))
    }

    async fn payment_view(&self, payment: &Payment) -> Result<PaymentView, AppError> {
        let invoice = invoices::find(self.db.pool(), payment.invoice_id).await?.ok_or(AppError::NotFound)?;
        let row = applications_store::find_by_id(self.db.pool(), invoice.application_id).await?.ok_or(AppError::NotFound)?;
        let receipt = store::receipt_for_payment(self.db.pool(), payment.id).await?;
        Ok(self.view_of(payment, row.reference.unwrap_or_default(), &row.service_slug, receipt.map(|r| r.number)))
    }

    /// An attempt as the pages show it, once its application and receipt are known.
    fn view_of(&self, payment: &Payment, reference: String, service_slug: &str, receipt_number: Option<String>) -> PaymentView {
        PaymentView {
            id: payment.id,
            method: payment.method.clone(),
            status: payment.status.clone(),
            amount_cents: payment.amount_cents,
            paid_with: paid_with(payment),
            result_code: payment.result_code,
            reference,
            service_name: self.applications.catalogue.service(service_slug).map(|s| s.name.clone()).unwrap_or_default(),
            receipt_number,
            created_at: payment.created_at,
        }
    }

    /// The pay page: what is owed, and the attempt being followed (`payment_id`) or still pending.
    pub async fn pay_page(&self, citizen: &Account, reference: &str, payment_id: Option<i64>) -> Result<PayPage, AppError> {
        let (row, invoice) = self.citizens_invoice(citizen, reference).await?;
        let followed = match payment_id {
            Some(id) => self.attempt_on(&invoice, id).await?,
            None => store::pending_for_invoice(self.db.pool(), invoice.id).await?,
        };
        let payment = match followed {
            Some(payment) => Some(self.payment_view(&payment).await?),
            None => None,
        };
        Ok(PayPage {
            reference: row.reference.clone().unwrap_or_default(),
            service_name: self.applications.catalogue.service(&row.service_slug).map(|s| s.name.clone()).unwrap_or_default(),
            invoice: invoice_view(&invoice),
            payment,
            phone: citizen.phone.clone(),
            paybill_number: self.paybill_number.clone(),
            attempt_key: random_code(20),
        })
    }

    /// The state of one of the citizen's attempts on this application's invoice.
    pub async fn attempt_status(&self, citizen: &Account, reference: &str, payment_id: i64) -> Result<String, AppError> {
        let (_, invoice) = self.citizens_invoice(citizen, reference).await?;
        self.attempt_on(&invoice, payment_id).await?.map(|payment| payment.status).ok_or(AppError::NotFound)
    }

    /// The fees the citizen can pay now, oldest application first (a stable order, so a
    /// menu that numbers them numbers them the same way at every step).
    pub async fn open_fees(&self, citizen: &Account) -> Result<Vec<FeeDue>, AppError> {
        let mut rows = applications_store::list_for_account(self.db.pool(), citizen.id).await?;
        rows.retain(|row| row.status == crate::services::status::Status::AwaitingPayment);
        rows.sort_by_key(|row| row.id);
        let mut fees = Vec::new();
        for row in rows {
            let Some(reference) = row.reference.clone() else { continue };
            let (_, invoice) = self.citizens_invoice(citizen, &reference).await?;
            if Self::open_invoice(&invoice, self.now()).is_ok() {
                let service = self.applications.catalogue.service(&row.service_slug).map(|s| s.name.clone()).unwrap_or_default();
                fees.push(FeeDue { reference, service, total_cents: invoice.total_cents });
            }
        }
        Ok(fees)
    }

}

/// The result code of a push M-Pesa never confirmed: whether money moved is not known.
pub use crate::payments::views::UNCONFIRMED_CODE;
/// How long after a push we gave up on as unconfirmed its success may still be matched to it.
pub const UNCONFIRMED_MATCH_SECONDS: i64 = 24 * 3600;

/// `MM/YY` (or `MM/YYYY`) not yet past.
pub fn valid_expiry(expiry: &str, now: i64) -> bool {
    let Some((month, year)) = expiry.trim().split_once('/') else { return false };
    let (Ok(month), Ok(year)) = (month.trim().parse::<i64>(), year.trim().parse::<i64>()) else { return false };
    let year = if year < 100 { 2000 + year } else { year };
    if !(1..=12).contains(&month) {
        return false;
    }
    let (this_year, this_month, _) = crate::calendar::civil_from_days(now.div_euclid(86_400));
    (year, month) >= (this_year, this_month)
}

/// The QR code of a URL as an SVG document (drawn on the server: nothing to download).
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_and_expiry_dates_checked() {
        assert_eq!(mask_name("Wanjiku", "Kamau"), "Wanjiku K.");
        let now = 1_795_345_500; // 2026-11-22
        assert!(valid_expiry("12/26", now));
        assert!(valid_expiry("11/2026", now));
        assert!(!valid_expiry("10/26", now));
        assert!(!valid_expiry("13/27", now));
        assert!(!valid_expiry("soon", now));
        assert!(qr_svg("https://raia.example/verify/ABC").starts_with("<?xml"));
        assert_eq!(random_code(16).len(), 16);
    }
}
