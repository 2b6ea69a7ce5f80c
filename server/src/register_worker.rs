//! The register worker: every few seconds, delivers the changes Raia owes agencies'
//! registers (a fine paid, an owner changed), answers the paid applications a register
//! answers (a vehicle search), and completes the transfers whose owner the register changed. Safe in several processes at once (see `registers::orders` and
//! `Applications::deliver_register_answers`).

use raia_app::clock::Clock;
use raia_app::db::Db;
use raia_app::registers::orders;
use raia_app::services::service::Applications;
use std::sync::Arc;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(2);

/// One round: what the tests call directly.
pub async fn round(applications: &Applications, db: &Db, now: i64) {
    match orders::deliver_due(db, applications.registers.as_ref(), now).await {
        Ok(delivered) if delivered == orders::Delivered::default() => {}
        Ok(delivered) => tracing::info!(?delivered, "register orders delivered"),
        Err(error) => tracing::error!(%error, "delivering register orders failed"),
    }
    match applications.deliver_register_answers(20).await {
        Ok(0) => {}
        Ok(answered) => tracing::info!(answered, "applications answered from the register"),
        Err(error) => tracing::error!(?error, "answering applications from the register failed"),
    }
    match applications.finish_transfers(20).await {
        Ok(0) => {}
        Ok(finished) => tracing::info!(finished, "transfers completed once the register changed the owner"),
        Err(error) => tracing::error!(?error, "completing transfers failed"),
    }
}

pub fn spawn(applications: Applications, db: Db, clock: Arc<dyn Clock>) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            round(&applications, &db, clock.now()).await;
        }
    });
}
