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
use crate::messages::texts;
use crate::services::catalogue::format_kes;
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

    /// Attempt `payment_id`, if it is one made on `invoice` (an id from a URL proves nothing).
    async fn attempt_on(&self, invoice: &Invoice, payment_id: i64) -> Result<Option<Payment>, AppError> {
        Ok(store::find(self.db.pool(), payment_id).await?.filter(|payment| payment.invoice_id == invoice.id))
    }

    /// Starts an attempt; the same key (a double tap, a retry) or a second tab gives back the
    /// attempt already under way, so one STK push is sent. Returns the attempt's id.
    async fn begin_attempt(&self, invoice: &Invoice, key: &str, new: NewPayment<'_>) -> Result<(i64, bool), AppError> {
        if key.is_empty() || key.len() > 64 {
            return Err(AppError::field("", Problem::FlowExpired));
        }
        if let Some(existing) = store::find_by_idempotency_key(self.db.pool(), key).await? {
            return Ok((existing.id, false));
        }
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        if !invoices::mark_pending(&mut tx, invoice.id).await? {
            drop(tx);
            return match store::pending_for_invoice(self.db.pool(), invoice.id).await? {
                Some(pending) => Ok((pending.id, false)),
                None => match invoices::find(self.db.pool(), invoice.id).await?.map(|i| i.status) {
                    Some(InvoiceStatus::Paid) => Err(AppError::field("", Problem::AlreadyPaid)),
                    _ => Err(AppError::field("", Problem::AlreadyMoved)),
                },
            };
        }
        let id = match store::insert(&mut tx, &new, now, now + FIRST_CHECK_AFTER_SECONDS).await {
            Ok(id) => id,
            Err(_) => {
                // The same key won a moment ago in another request.
                drop(tx);
                return store::find_by_idempotency_key(self.db.pool(), key).await?.map(|p| (p.id, false)).ok_or(AppError::Internal);
            }
        };
        tx.commit().await?;
        Ok((id, true))
    }

    fn open_invoice(invoice: &Invoice, now: i64) -> Result<(), AppError> {
        match invoice.status {
            InvoiceStatus::Paid => Err(AppError::field("", Problem::AlreadyPaid)),
            InvoiceStatus::Unpaid | InvoiceStatus::Pending if invoice.expires_at > now => Ok(()),
            _ => Err(AppError::field("", Problem::NotAllowedNow)),
        }
    }

    /// "Pay with M-Pesa": sends one STK push to `phone`. Returns the attempt's id.
    pub async fn pay_mpesa(&self, citizen: &Account, reference: &str, phone: &str, key: &str) -> Result<i64, AppError> {
        let (row, invoice) = self.citizens_invoice(citizen, reference).await?;
        Self::open_invoice(&invoice, self.now())?;
        let phone = PhoneNumber::parse(phone).ok_or(AppError::field("phone", Problem::InvalidPhone))?;
        let new = NewPayment {
            invoice_id: invoice.id,
            method: "mpesa",
            idempotency_key: Some(key),
            phone: Some(phone.as_str()),
            card_brand: None,
            card_last4: None,
            mpesa_receipt: None,
            amount_cents: invoice.total_cents,
        };
        let (id, started) = self.begin_attempt(&invoice, key, new).await?;
        if !started {
            return Ok(id);
        }
        let service = self.applications.catalogue.service(&row.service_slug).map(|s| s.name.en.clone()).unwrap_or_default();
        let request = PaymentRequest::Mpesa { phone: phone.as_str().to_string(), amount_cents: invoice.total_cents, account_reference: invoice.number.clone(), description: service };
        match self.mpesa.start(&request, &self.stk_callback_url).await {
            Ok(GatewayOutcome::Pending { gateway_id }) => {
                let mut tx = self.db.begin_write().await?;
                store::set_checkout_id(&mut tx, id, &gateway_id, self.now()).await?;
                tx.commit().await?;
            }
            Ok(GatewayOutcome::Succeeded { receipt }) => self.settle(id, receipt.as_deref(), None).await.map(|_| ())?,
            Ok(GatewayOutcome::Failed { code, reason }) => self.fail(id, AttemptEvent::Declined, code, &reason).await?,
            Err(GatewayError::Unreachable(error)) => {
                // M-Pesa may have accepted the push: the attempt stays pending, its outcome
                // unknown, until a callback (matched by phone and amount) or the timeout.
                tracing::warn!(%error, payment = id, "STK push sent, but no answer read: outcome unknown");
            }
            Err(error) => {
                tracing::warn!(%error, payment = id, "STK push not sent");
                self.fail(id, AttemptEvent::Declined, -1, "M-Pesa could not be reached").await?;
            }
        }
        Ok(id)
    }

    /// "Pay by card": charged at once. Only the brand and the last four digits are kept.
    pub async fn pay_card(&self, citizen: &Account, reference: &str, number: &str, expiry: &str, cvc: &str, key: &str) -> Result<i64, AppError> {
        let (row, invoice) = self.citizens_invoice(citizen, reference).await?;
        Self::open_invoice(&invoice, self.now())?;
        let mut problems = Vec::new();
        if !luhn_valid(number) {
            problems.push(crate::errors::FieldProblem::new("card_number", Problem::InvalidCardNumber));
        }
        if !valid_expiry(expiry, self.now()) {
            problems.push(crate::errors::FieldProblem::new("expiry", Problem::InvalidCardExpiry));
        }
        let cvc = cvc.trim();
        if !(3..=4).contains(&cvc.len()) || !cvc.chars().all(|c| c.is_ascii_digit()) {
            problems.push(crate::errors::FieldProblem::new("cvc", Problem::InvalidCardCode));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let (brand, last4) = (card_brand(&digits), last_four(&digits));
        let new = NewPayment {
            invoice_id: invoice.id,
            method: "card",
            idempotency_key: Some(key),
            phone: None,
            card_brand: Some(brand),
            card_last4: Some(&last4),
            mpesa_receipt: None,
            amount_cents: invoice.total_cents,
        };
        let (id, started) = self.begin_attempt(&invoice, key, new).await?;
        if !started {
            return Ok(id);
        }
        let service = self.applications.catalogue.service(&row.service_slug).map(|s| s.name.en.clone()).unwrap_or_default();
        let request = PaymentRequest::Card { number: digits, amount_cents: invoice.total_cents, description: service, reference: key.to_string() };
        match self.card.start(&request, "").await {
            Ok(outcome) => self.apply_card_outcome(id, outcome).await?,
            Err(GatewayError::Unreachable(error)) => {
                // The charge may have gone through: the worker asks the gateway by our reference.
                tracing::warn!(%error, payment = id, "card charge sent, but no answer read: outcome unknown");
            }
            Err(_) => self.fail(id, AttemptEvent::Declined, -1, "the card payment could not be completed").await?,
        }
        Ok(id)
    }

    /// What the card gateway said of a charge, applied to its attempt.
    async fn apply_card_outcome(&self, payment_id: i64, outcome: GatewayOutcome) -> Result<(), AppError> {
        match outcome {
            GatewayOutcome::Succeeded { receipt } => {
                if let Some(charge_id) = &receipt {
                    let mut tx = self.db.begin_write().await?;
                    store::set_charge_id(&mut tx, payment_id, charge_id).await?;
                    tx.commit().await?;
                }
                self.settle(payment_id, None, None).await.map(|_| ())
            }
            GatewayOutcome::Failed { code, reason } => self.fail(payment_id, AttemptEvent::Declined, code, &reason).await,
            GatewayOutcome::Pending { .. } => Ok(()),
        }
    }

    /// The payment succeeded: payment, invoice, receipt and the application's move, in one
    /// transaction. False (and nothing changed) when it was settled already, or the amount is wrong.
    async fn settle(&self, payment_id: i64, receipt: Option<&str>, paid_cents: Option<i64>) -> Result<bool, AppError> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let Some(payment) = store::find(&mut *tx, payment_id).await? else { return Ok(false) };
        let Some(invoice) = invoices::find(&mut *tx, payment.invoice_id).await? else { return Ok(false) };
        if let Some(cents) = paid_cents.filter(|cents| *cents != invoice.total_cents) {
            // Money arrived, but not the amount due: the attempt did not pay the invoice, and
            // the money is kept to be refunded.
            if !store::mark_failed(&mut tx, payment_id, AttemptEvent::Declined, AMOUNT_DIFFERS_CODE, "the amount paid differs from the invoice", now).await? {
                return Ok(false);
            }
            invoices::reopen(&mut tx, invoice.id).await?;
            let kept = self.keep_in(&mut tx, Reason::AmountDiffers, &payment, Some(&invoice), cents, receipt, now).await?;
            self.tell_kept_in(&mut tx, kept, Reason::AmountDiffers, cents, receipt, Some(&invoice.number)).await?;
            tx.commit().await?;
            return Ok(false);
        }
        if !store::mark_succeeded(&mut tx, payment_id, receipt, now).await? {
            return Ok(false);
        }
        if !self.settle_in(&mut tx, &payment, &invoice, now).await? {
            // Paid already by another way: the payment stays recorded, no second receipt, and
            // the money is kept to be refunded.
            let kept = self.keep_in(&mut tx, Reason::InvoiceAlreadyPaid, &payment, Some(&invoice), payment.amount_cents, receipt, now).await?;
            self.tell_kept_in(&mut tx, kept, Reason::InvoiceAlreadyPaid, payment.amount_cents, receipt, Some(&invoice.number)).await?;
            tx.commit().await?;
            return Ok(false);
        };
        tx.commit().await?;
        Ok(true)
    }

    /// A success for an attempt we had given up on: it settles the invoice if it is still
    /// open; otherwise the money is kept to be refunded. Never dropped.
    async fn settle_late(&self, payment: &Payment, receipt: Option<&str>, paid_cents: i64) -> Result<CallbackOutcome, AppError> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let Some(invoice) = invoices::find(&mut *tx, payment.invoice_id).await? else { return Ok(CallbackOutcome::Ignored("no invoice")) };
        if !store::mark_paid_late(&mut tx, payment.id, receipt, now).await? {
            return Ok(CallbackOutcome::Ignored("already settled"));
        }
        let reason = if paid_cents != invoice.total_cents { Some(Reason::AmountDiffers) } else { None };
        let settled = match reason {
            None => self.settle_in(&mut tx, payment, &invoice, now).await?,
            Some(_) => false,
        };
        if settled {
            tx.commit().await?;
            return Ok(CallbackOutcome::Settled);
        }
        let reason = reason.unwrap_or(if invoice.status == InvoiceStatus::Paid { Reason::InvoiceAlreadyPaid } else { Reason::InvoiceClosed });
        let kept = self.keep_in(&mut tx, reason, payment, Some(&invoice), paid_cents, receipt, now).await?;
        self.tell_kept_in(&mut tx, kept, reason, paid_cents, receipt, Some(&invoice.number)).await?;
        tx.commit().await?;
        Ok(CallbackOutcome::Kept(reason))
    }

    /// Keeps money of an attempt that cannot settle its invoice. Returns whom to tell.
    #[allow(clippy::too_many_arguments)]
    async fn keep_in(&self, tx: &mut Transaction<'static, Any>, reason: Reason, payment: &Payment, invoice: Option<&Invoice>, cents: i64, receipt: Option<&str>, now: i64) -> Result<Option<Account>, AppError> {
        let citizen = match invoice {
            Some(invoice) => self.owner_of(invoice).await?,
            None => None,
        };
        let money = Received {
            reason,
            method: &payment.method,
            mpesa_receipt: receipt.or(payment.mpesa_receipt.as_deref()),
            amount_cents: cents,
            phone: payment.phone.as_deref(),
            payer_name: None,
            account_number: invoice.map(|i| i.number.as_str()),
            invoice_id: invoice.map(|i| i.id),
            payment_id: Some(payment.id),
            account_id: citizen.as_ref().map(|c| c.id),
        };
        attention::keep(tx, &money, now).await?;
        tracing::warn!(payment = payment.id, reason = reason.words(), cents, "money kept for an admin: it cannot settle its invoice");
        Ok(citizen)
    }

    /// The account a payer's phone belongs to, if any: who to tell about money we kept.
    async fn account_with_phone(&self, phone: Option<&PhoneNumber>) -> Result<Option<Account>, AppError> {
        match phone {
            Some(phone) => Ok(accounts::find_by_identifier(self.db.pool(), &crate::identity::contact::Identifier::Phone(phone.clone())).await?),
            None => Ok(None),
        }
    }

    /// The citizen whose application an invoice is for.
    async fn owner_of(&self, invoice: &Invoice) -> Result<Option<Account>, AppError> {
        let Some(row) = applications_store::find_by_id(self.db.pool(), invoice.application_id).await? else { return Ok(None) };
        Ok(accounts::find_by_id(self.db.pool(), row.account_id).await?)
    }

    /// Tells a citizen, in plain words and their language, that money of theirs was
    /// received but not used; in the transaction that keeps it.
    async fn tell_kept_in(&self, tx: &mut Transaction<'static, Any>, citizen: Option<Account>, reason: Reason, cents: i64, receipt: Option<&str>, account_number: Option<&str>) -> Result<(), AppError> {
        let Some(citizen) = citizen else { return Ok(()) };
        let body = texts::money_kept(citizen.language, cents, receipt, account_number, reason);
        outbox::queue(tx, &Message::sms(&citizen.phone, citizen.language, body).for_account(citizen.id), self.now()).await?;
        notifications::notify(tx, citizen.id, AccountNotice::PaymentKept, &format!("{}{}", format_kes(cents), receipt.map(|r| format!(" · M-Pesa {r}")).unwrap_or_default()), Some("/payments"), self.now()).await?;
        Ok(())
    }

    /// Invoice paid, receipt made, application moved: the shared end of every way to pay.
    /// False (and nothing done) when the invoice was paid already.
    async fn settle_in(&self, tx: &mut Transaction<'static, Any>, payment: &Payment, invoice: &Invoice, now: i64) -> Result<bool, AppError> {
        if !invoices::mark_paid(tx, invoice.id, now).await? {
            return Ok(false);
        }
        let year = crate::calendar::year_of(now);
        let number = format_reference("RCT", year, applications_store::next_reference_number(tx, "RCT", year).await?);
        store::insert_receipt(tx, &number, payment.id, invoice.id, &random_code(16), now).await?;
        self.applications.payment_received_in(tx, invoice.application_id).await?;
        if let Some(row) = applications_store::find_by_id(&mut **tx, invoice.application_id).await? {
            activity::record(&mut **tx, row.account_id, SecurityEvent::Payment, Some(&number), None, now).await?;
        }
        Ok(true)
    }

    /// The attempt failed (or got no answer): the invoice can be paid again; the citizen is told.
    async fn fail(&self, payment_id: i64, event: AttemptEvent, code: i64, reason: &str) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        if !store::mark_failed(&mut tx, payment_id, event, code, reason, now).await? {
            return Ok(());
        }
        let Some(payment) = store::find(&mut *tx, payment_id).await? else { return Ok(()) };
        invoices::reopen(&mut tx, payment.invoice_id).await?;
        self.tell_failure_in(&mut tx, &payment, code).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Tells the citizen their payment did not complete, in the failure's transaction.
    async fn tell_failure_in(&self, tx: &mut Transaction<'static, Any>, payment: &Payment, code: i64) -> Result<(), AppError> {
        let Some(invoice) = invoices::find(&mut **tx, payment.invoice_id).await? else { return Ok(()) };
        let Some(row) = applications_store::find_by_id(&mut **tx, invoice.application_id).await? else { return Ok(()) };
        let Some(citizen) = accounts::find_by_id(&mut **tx, row.account_id).await? else { return Ok(()) };
        let reference = row.reference.clone().unwrap_or_default();
        // We do not know whether money moved: never say "nothing was taken".
        let body = texts::payment_failed(citizen.language, code == UNCONFIRMED_CODE, code, payment.amount_cents, &reference);
        outbox::queue(tx, &Message::sms(&citizen.phone, citizen.language, body).for_account(citizen.id), self.now()).await?;
        notifications::notify(tx, citizen.id, AccountNotice::PaymentFailed, &reference, Some(&format!("/applications/{reference}")), self.now()).await?;
        Ok(())
    }

    /// Daraja's STK callback. A result for a pending attempt settles or fails it; a success
    /// for an attempt we gave up on settles its invoice if still open, else is kept for a
    /// refund; a success for a push whose id we never learned is matched by phone and amount,
    /// or kept. Duplicates change nothing.
    pub async fn stk_callback(&self, callback: &StkCallback) -> Result<CallbackOutcome, AppError> {
        let outcome = outcome_of(callback.result_code, &callback.result_desc, callback.receipt_number());
        let paid = match (&outcome, callback.amount_cents()) {
            (GatewayOutcome::Succeeded { .. }, Some(cents)) => Some(cents),
            _ => None,
        };
        let payment = match store::find_by_checkout_id(self.db.pool(), &callback.checkout_request_id).await? {
            Some(payment) => payment,
            None => match paid {
                Some(cents) => match self.unconfirmed_push_for(callback, cents).await? {
                    Some(payment) => payment,
                    None => return self.keep_unknown_push(callback, cents).await,
                },
                None => return Ok(CallbackOutcome::Ignored("unknown CheckoutRequestID")),
            },
        };
        match payment.status.as_str() {
            "pending" => {}
            "failed" | "expired" if paid.is_some() => return self.settle_late(&payment, callback.receipt_number().as_deref(), paid.unwrap_or_default()).await,
            _ => {
                if let Some(receipt) = callback.receipt_number() {
                    store::fill_missing_receipt(&self.db, &callback.checkout_request_id, &receipt).await?;
                }
                return Ok(CallbackOutcome::Ignored("already settled"));
            }
        }
        match outcome {
            GatewayOutcome::Succeeded { receipt } => {
                let Some(amount) = paid else { return Ok(CallbackOutcome::Ignored("no amount")) };
                Ok(if self.settle(payment.id, receipt.as_deref(), Some(amount)).await? { CallbackOutcome::Settled } else { CallbackOutcome::Ignored("not settled") })
            }
            GatewayOutcome::Failed { code, reason } => {
                self.fail(payment.id, AttemptEvent::Declined, code, &reason).await?;
                Ok(CallbackOutcome::Failed)
            }
            GatewayOutcome::Pending { .. } => Ok(CallbackOutcome::Ignored("no result")),
        }
    }

    /// The pending push this success belongs to, when its own call never told us its id.
    /// A pending one first; else one the worker gave up on as unconfirmed, as the money may
    /// come after our timeout (then it settles the invoice if still open, or is kept).
    async fn unconfirmed_push_for(&self, callback: &StkCallback, cents: i64) -> Result<Option<Payment>, AppError> {
        let Some(phone) = callback.phone_number().and_then(|p| PhoneNumber::parse(&p)) else { return Ok(None) };
        let since = self.now() - UNCONFIRMED_MATCH_SECONDS;
        // Two callbacks at once may race for the same push: each claims one, or finds the
        // push its duplicate claimed.
        for _ in 0..3 {
            if let Some(payment) = store::find_by_checkout_id(self.db.pool(), &callback.checkout_request_id).await? {
                return Ok(Some(payment));
            }
            let Some(payment) = store::unconfirmed_push(self.db.pool(), phone.as_str(), cents, UNCONFIRMED_CODE, since).await? else { return Ok(None) };
            let mut tx = self.db.begin_write().await?;
            match store::claim_unconfirmed(&mut tx, payment.id, &callback.checkout_request_id, self.now()).await {
                Ok(true) => {
                    tx.commit().await?;
                    return Ok(store::find(self.db.pool(), payment.id).await?);
                }
                Ok(false) => {}
                Err(error) if store::is_unique_violation(&error) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(None)
    }

    /// A success for nothing we know: the money is kept, with the payer's phone.
    async fn keep_unknown_push(&self, callback: &StkCallback, cents: i64) -> Result<CallbackOutcome, AppError> {
        let receipt = callback.receipt_number();
        let phone = callback.phone_number().and_then(|p| PhoneNumber::parse(&p));
        let citizen = self.account_with_phone(phone.as_ref()).await?;
        let phone = phone.map(|p| p.as_str().to_string());
        let money = Received {
            reason: Reason::UnknownPush,
            method: "mpesa",
            mpesa_receipt: receipt.as_deref(),
            amount_cents: cents,
            phone: phone.as_deref(),
            payer_name: None,
            account_number: None,
            invoice_id: None,
            payment_id: None,
            account_id: citizen.as_ref().map(|c| c.id),
        };
        let mut tx = self.db.begin_write().await?;
        if !attention::keep(&mut tx, &money, self.now()).await? {
            return Ok(CallbackOutcome::Ignored("duplicate M-Pesa receipt"));
        }
        self.tell_kept_in(&mut tx, citizen, Reason::UnknownPush, cents, receipt.as_deref(), None).await?;
        tx.commit().await?;
        Ok(CallbackOutcome::Kept(Reason::UnknownPush))
    }

    /// A paybill payment (Daraja C2B confirmation) for an invoice number. Money that can
    /// settle its invoice does; anything else is kept for an admin, never dropped. Only the
    /// same M-Pesa receipt number twice is a duplicate.
    pub async fn c2b_confirmation(&self, confirmation: &C2bConfirmation) -> Result<CallbackOutcome, AppError> {
        let receipt = confirmation.trans_id.trim();
        let Some(cents) = confirmation.amount_cents().filter(|cents| *cents > 0) else { return Ok(CallbackOutcome::Ignored("no amount")) };
        if receipt.is_empty() {
            return Ok(CallbackOutcome::Ignored("no TransID"));
        }
        if attention::receipt_known(self.db.pool(), receipt).await? {
            return Ok(CallbackOutcome::Ignored("duplicate TransID"));
        }
        let account_number = confirmation.bill_ref_number.trim().to_ascii_uppercase();
        let invoice = invoices::find_by_number(self.db.pool(), &account_number).await?;
        let phone = PhoneNumber::parse(&confirmation.msisdn).map(|p| p.as_str().to_string());
        let now = self.now();
        let mut reason = match &invoice {
            None => Some(Reason::NoSuchInvoice),
            Some(invoice) if cents != invoice.total_cents => Some(Reason::AmountDiffers),
            Some(invoice) if invoice.status == InvoiceStatus::Paid => Some(Reason::InvoiceAlreadyPaid),
            Some(invoice) if !matches!(invoice.status, InvoiceStatus::Unpaid | InvoiceStatus::Pending) => Some(Reason::InvoiceClosed),
            Some(_) => None,
        };
        if let (None, Some(invoice)) = (reason, &invoice) {
            let mut tx = self.db.begin_write().await?;
            let new = NewPayment {
                invoice_id: invoice.id,
                method: "paybill",
                idempotency_key: None,
                phone: phone.as_deref(),
                card_brand: None,
                card_last4: None,
                mpesa_receipt: Some(receipt),
                amount_cents: cents,
            };
            let id = match store::insert(&mut tx, &new, now, now).await {
                Ok(id) => id,
                Err(error) if store::is_unique_violation(&error) => return Ok(CallbackOutcome::Ignored("duplicate TransID")),
                Err(error) => return Err(error.into()),
            };
            store::mark_succeeded(&mut tx, id, None, now).await?;
            let payment = store::find(&mut *tx, id).await?.ok_or(AppError::Internal)?;
            if self.settle_in(&mut tx, &payment, invoice, now).await? {
                tx.commit().await?;
                return Ok(CallbackOutcome::Settled);
            }
            // Paid by another way a moment ago.
            drop(tx);
            reason = Some(Reason::InvoiceAlreadyPaid);
        }
        let reason = reason.unwrap_or(Reason::InvoiceAlreadyPaid);
        let citizen = match &invoice {
            Some(invoice) => self.owner_of(invoice).await?,
            None => self.account_with_phone(PhoneNumber::parse(&confirmation.msisdn).as_ref()).await?,
        };
        let payer_name = Some(confirmation.first_name.trim()).filter(|name| !name.is_empty());
        let money = Received {
            reason,
            method: "paybill",
            mpesa_receipt: Some(receipt),
            amount_cents: cents,
            phone: phone.as_deref(),
            payer_name,
            account_number: Some(confirmation.bill_ref_number.trim()),
            invoice_id: invoice.as_ref().map(|i| i.id),
            payment_id: None,
            account_id: citizen.as_ref().map(|c| c.id),
        };
        let mut tx = self.db.begin_write().await?;
        if !attention::keep(&mut tx, &money, now).await? {
            return Ok(CallbackOutcome::Ignored("duplicate TransID"));
        }
        self.tell_kept_in(&mut tx, citizen, reason, cents, Some(receipt), Some(confirmation.bill_ref_number.trim())).await?;
        tx.commit().await?;
        tracing::warn!(receipt, reason = reason.words(), cents, "paybill money kept for an admin");
        Ok(CallbackOutcome::Kept(reason))
    }

    /// Applies what the gateway says of a pending attempt now.
    async fn check(&self, payment: &Payment) -> Result<(), AppError> {
        if payment.method == "card" {
            return self.check_card(payment).await;
        }
        let Some(checkout) = &payment.checkout_request_id else {
            // The push's own answer was lost, so Daraja cannot be asked about it: a success
            // callback is matched to it by phone and amount. Until the timeout, wait.
            if self.now() - payment.created_at >= self.pending_timeout_seconds {
                return self.fail(payment.id, AttemptEvent::NoAnswer, UNCONFIRMED_CODE, "M-Pesa never confirmed the request").await;
            }
            return Ok(());
        };
        match self.mpesa.query(checkout).await {
            Ok(GatewayOutcome::Succeeded { receipt }) => self.settle(payment.id, receipt.as_deref(), None).await.map(|_| ()),
            Ok(GatewayOutcome::Failed { code, reason }) => self.fail(payment.id, if code == 1037 { AttemptEvent::NoAnswer } else { AttemptEvent::Declined }, code, &reason).await,
            Ok(GatewayOutcome::Pending { .. }) if self.now() - payment.created_at >= self.pending_timeout_seconds => {
                self.fail(payment.id, AttemptEvent::NoAnswer, 1037, "no answer from the phone").await
            }
            Ok(GatewayOutcome::Pending { .. }) => Ok(()),
            Err(error) => {
                tracing::warn!(%error, payment = payment.id, "STK query failed; will ask again");
                Ok(())
            }
        }
    }

    /// An interrupted card attempt: the gateway is asked by our reference. A charge it never
    /// saw took nothing, and the invoice can be paid again.
    async fn check_card(&self, payment: &Payment) -> Result<(), AppError> {
        let Some(reference) = store::idempotency_key(self.db.pool(), payment.id).await? else { return Ok(()) };
        match self.card.query(&reference).await {
            Ok(outcome) => self.apply_card_outcome(payment.id, outcome).await,
            Err(error) => {
                tracing::warn!(%error, payment = payment.id, "card query failed; will ask again");
                Ok(())
            }
        }
    }

    /// "I have paid: check again": asks Daraja at once.
    pub async fn check_now(&self, citizen: &Account, reference: &str, payment_id: i64) -> Result<(), AppError> {
        let (_, invoice) = self.citizens_invoice(citizen, reference).await?;
        let payment = self.attempt_on(&invoice, payment_id).await?.ok_or(AppError::NotFound)?;
        if payment.status == "pending" && payment.method == "mpesa" {
            self.check(&payment).await?;
        }
        Ok(())
    }

    /// One pass of the reconciliation worker: every pending M-Pesa attempt past its check time,
    /// each leased first so that several server processes never check the same one at once.
    pub async fn reconcile_once(&self) -> Result<usize, AppError> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let expired = invoices::expire_due(&mut tx, now).await?;
        tx.commit().await?;
        if expired > 0 {
            tracing::info!(expired, "invoices past their time marked expired");
        }
        let due = store::due_for_check(self.db.pool(), now, 100).await?;
        let mut checked = 0;
        for payment in due {
            if store::lease_check(&self.db, payment.id, now, now + CHECK_LEASE_SECONDS).await? {
                self.check(&payment).await?;
                checked += 1;
            }
        }
        Ok(checked)
    }

    /// The admins' list of money that could not settle an invoice, newest first.
    pub async fn needing_attention(&self, admin: &Account) -> Result<Vec<crate::payments::views::MoneyNeedingAttention>, AppError> {
        if !admin.is_admin() {
            return Err(AppError::Forbidden);
        }
        Ok(attention::open(self.db.pool()).await?)
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

    pub async fn history(&self, citizen: &Account) -> Result<Vec<PaymentView>, AppError> {
        let rows = store::for_account(self.db.pool(), citizen.id).await?;
        Ok(rows
            .into_iter()
            .map(|(payment, reference, service_slug, receipt_number)| self.view_of(&payment, reference, &service_slug, receipt_number))
            .collect())
    }

    /// A receipt, for the citizen who paid it.
    pub async fn receipt(&self, citizen: &Account, number: &str) -> Result<ReceiptView, AppError> {
        let receipt = store::receipt_by_text(self.db.pool(), ReceiptKey::Number, number.trim()).await?.ok_or(AppError::NotFound)?;
        let invoice = invoices::find(self.db.pool(), receipt.invoice_id).await?.ok_or(AppError::NotFound)?;
        let row = applications_store::find_by_id(self.db.pool(), invoice.application_id).await?.filter(|r| r.account_id == citizen.id).ok_or(AppError::NotFound)?;
        let payment = store::find(self.db.pool(), receipt.payment_id).await?.ok_or(AppError::NotFound)?;
        let verify_url = format!("{}/verify/{}", self.applications.public_base_url.trim_end_matches('/'), receipt.verify_code);
        Ok(ReceiptView {
            number: receipt.number,
            reference: row.reference.unwrap_or_default(),
            service_name: self.applications.catalogue.service(&row.service_slug).map(|s| s.name.clone()).unwrap_or_default(),
            payer_name: citizen.full_name(),
            service_fee_cents: invoice.service_fee_cents,
            convenience_fee_cents: invoice.convenience_fee_cents,
            total_cents: invoice.total_cents,
            paid_with: paid_with(&payment),
            paid_at: receipt.created_at,
            qr_svg: qr_svg(&verify_url),
            verify_url,
        })
    }

    /// `/verify/<code>`: anyone can confirm a receipt is genuine; only non-sensitive facts.
    pub async fn verify(&self, code: &str) -> Result<Option<VerifiedReceipt>, AppError> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() != 16 {
            return Ok(None);
        }
        let Some(receipt) = store::receipt_by_text(self.db.pool(), ReceiptKey::VerifyCode, &code).await? else { return Ok(None) };
        let Some(invoice) = invoices::find(self.db.pool(), receipt.invoice_id).await? else { return Ok(None) };
        let Some(row) = applications_store::find_by_id(self.db.pool(), invoice.application_id).await? else { return Ok(None) };
        let account = accounts::find_by_id(self.db.pool(), row.account_id).await?;
        Ok(Some(VerifiedReceipt {
            number: receipt.number,
            service_name: self.applications.catalogue.service(&row.service_slug).map(|s| s.name.clone()).unwrap_or_default(),
            total_cents: invoice.total_cents,
            paid_at: receipt.created_at,
            masked_name: account.map(|a| mask_name(&a.first_name, &a.surname)).unwrap_or_default(),
        }))
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
