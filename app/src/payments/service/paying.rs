//! Starting a payment: one attempt per idempotency key, an M-Pesa STK push or a card charge.

use super::*;

impl Payments {
    /// Attempt `payment_id`, if it is one made on `invoice` (an id from a URL proves nothing).
    pub(super) async fn attempt_on(&self, invoice: &Invoice, payment_id: i64) -> Result<Option<Payment>, AppError> {
        Ok(store::find(self.db.pool(), payment_id).await?.filter(|payment| payment.invoice_id == invoice.id))
    }

    /// Starts an attempt; the same key (a double tap, a retry) or a second tab gives back the
    /// attempt already under way, so one STK push is sent. Returns the attempt's id.
    pub(super) async fn begin_attempt(&self, invoice: &Invoice, key: &str, new: NewPayment<'_>) -> Result<(i64, bool), AppError> {
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

    pub(super) fn open_invoice(invoice: &Invoice, now: i64) -> Result<(), AppError> {
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
    pub(super) async fn apply_card_outcome(&self, payment_id: i64, outcome: GatewayOutcome) -> Result<(), AppError> {
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
}
