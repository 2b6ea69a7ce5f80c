//! What M-Pesa tells us: STK push results and paybill (C2B) confirmations, matched to attempts and invoices.

use super::*;

impl Payments {
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
    pub(super) async fn unconfirmed_push_for(&self, callback: &StkCallback, cents: i64) -> Result<Option<Payment>, AppError> {
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
    pub(super) async fn keep_unknown_push(&self, callback: &StkCallback, cents: i64) -> Result<CallbackOutcome, AppError> {
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
}
