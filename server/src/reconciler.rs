//! The reconciliation worker: every few seconds, asks Daraja about M-Pesa payments still
//! pending a minute after the push, settles them from the answer, and gives up on those
//! with no answer. Each payment is leased in the database before it is checked, so several
//! server processes can run this worker at once.

use raia_app::payments::service::Payments;
use std::time::Duration;

pub fn spawn(payments: Payments, every: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match payments.reconcile_once().await {
                Ok(0) => {}
                Ok(checked) => tracing::info!(checked, "pending payments checked"),
                Err(error) => tracing::error!(?error, "reconciliation pass failed"),
            }
        }
    });
}
