//! Asking the provider about attempts nobody heard back from, and the admins' list of money needing attention.

use super::*;

impl Payments {
    /// Applies what the gateway says of a pending attempt now.
    pub(super) async fn check(&self, payment: &Payment) -> Result<(), AppError> {
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
    pub(super) async fn check_card(&self, payment: &Payment) -> Result<(), AppError> {
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
}
