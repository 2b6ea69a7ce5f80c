//! The delivery worker: every second or so, sends what the outbox holds (see
//! `raia_app::messages::delivery`). Messages are leased in the database, so every server
//! process runs this worker and none sends a message another has taken.

use raia_app::messages::delivery::Delivery;
use std::time::Duration;

pub fn spawn(delivery: Delivery, every: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // A full batch: there may be more waiting, so look again at once.
            loop {
                match delivery.deliver_due().await {
                    Ok(taken) if taken >= raia_app::messages::delivery::BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!(?error, "delivery pass failed");
                        break;
                    }
                }
            }
        }
    });
}
