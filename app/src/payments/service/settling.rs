//! Settling an attempt: marking it paid (or failed) with its invoice and application, keeping money we cannot use, and telling the payer, each in one transaction.

use super::*;

impl Payments {
    /// The payment succeeded: payment, invoice, receipt and the application's move, in one
    /// transaction. False (and nothing changed) when it was settled already, or the amount is wrong.
    pub(super) async fn settle(&self, payment_id: i64, receipt: Option<&str>, paid_cents: Option<i64>) -> Result<bool, AppError> {
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
    pub(super) async fn settle_late(&self, payment: &Payment, receipt: Option<&str>, paid_cents: i64) -> Result<CallbackOutcome, AppError> {
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
    pub(super) async fn keep_in(&self, tx: &mut Transaction<'static, Any>, reason: Reason, payment: &Payment, invoice: Option<&Invoice>, cents: i64, receipt: Option<&str>, now: i64) -> Result<Option<Account>, AppError> {
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
    pub(super) async fn account_with_phone(&self, phone: Option<&PhoneNumber>) -> Result<Option<Account>, AppError> {
        match phone {
            Some(phone) => Ok(accounts::find_by_identifier(self.db.pool(), &crate::identity::contact::Identifier::Phone(phone.clone())).await?),
            None => Ok(None),
        }
    }

    /// The citizen whose application an invoice is for.
    pub(super) async fn owner_of(&self, invoice: &Invoice) -> Result<Option<Account>, AppError> {
        let Some(row) = applications_store::find_by_id(self.db.pool(), invoice.application_id).await? else { return Ok(None) };
        Ok(accounts::find_by_id(self.db.pool(), row.account_id).await?)
    }

    /// Tells a citizen, in plain words and their language, that money of theirs was
    /// received but not used; in the transaction that keeps it.
    pub(super) async fn tell_kept_in(&self, tx: &mut Transaction<'static, Any>, citizen: Option<Account>, reason: Reason, cents: i64, receipt: Option<&str>, account_number: Option<&str>) -> Result<(), AppError> {
        let Some(citizen) = citizen else { return Ok(()) };
        let body = texts::money_kept(citizen.language, cents, receipt, account_number, reason);
        outbox::queue(tx, &Message::sms(&citizen.phone, citizen.language, body).for_account(citizen.id), self.now()).await?;
        notifications::notify(tx, citizen.id, AccountNotice::PaymentKept, &format!("{}{}", format_kes(cents), receipt.map(|r| format!(" · M-Pesa {r}")).unwrap_or_default()), Some("/payments"), self.now()).await?;
        Ok(())
    }

    /// Invoice paid, receipt made, application moved: the shared end of every way to pay.
    /// False (and nothing done) when the invoice was paid already.
    pub(super) async fn settle_in(&self, tx: &mut Transaction<'static, Any>, payment: &Payment, invoice: &Invoice, now: i64) -> Result<bool, AppError> {
        // A fine's notice is paid through Raia once: a second application for the same
        // notice does not settle, and its money is kept to be refunded.
        if !self.applications.order_register_changes_in(tx, invoice.application_id, &invoice.number).await? {
            return Ok(false);
        }
        if !invoices::mark_paid(tx, invoice.id, now).await? {
            return Ok(false);
        }
        self.applications.payment_received_in(tx, invoice.application_id).await?;
        let payer = applications_store::find_by_id(&mut **tx, invoice.application_id).await?.map(|row| row.account_id);
        // The receipt's number last: the year's receipt series is one counter row that every
        // payment updates, and its lock is held until the commit. Drawn after the application
        // has moved, callbacks for different invoices wait on each other only for the two
        // inserts below and the commit, not for the whole settlement (issue 25: four paybill
        // callbacks at once took 88 ms at p99 at national size while queued behind it).
        let year = crate::calendar::year_of(now);
        let number = format_reference("RCT", year, applications_store::next_reference_number(tx, "RCT", year).await?);
        store::insert_receipt(tx, &number, payment.id, invoice.id, &random_code(16), now).await?;
        if let Some(account_id) = payer {
            activity::record(&mut **tx, account_id, SecurityEvent::Payment, Some(&number), None, now).await?;
        }
        Ok(true)
    }

    /// The attempt failed (or got no answer): the invoice can be paid again; the citizen is told.
    pub(super) async fn fail(&self, payment_id: i64, event: AttemptEvent, code: i64, reason: &str) -> Result<(), AppError> {
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
    pub(super) async fn tell_failure_in(&self, tx: &mut Transaction<'static, Any>, payment: &Payment, code: i64) -> Result<(), AppError> {
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
}
