//! The retention worker: every few minutes, redacts one-time codes left in the outbox and
//! deletes what is kept no longer (see `raia_app::identity::retention`). Safe in several
//! server processes at once: every statement it runs is idempotent.

use crate::config::AppEnv;
use raia_app::clock::Clock;
use raia_app::db::Db;
use raia_app::identity::retention;
use std::sync::Arc;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(5 * 60);

pub fn spawn(db: Db, clock: Arc<dyn Clock>, env: AppEnv) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // Only the development outbox keeps codes readable, for `/dev/outbox`.
            match retention::sweep(&db, clock.now(), env == AppEnv::Dev).await {
                Ok(swept) if swept == retention::Swept::default() => {}
                Ok(swept) => tracing::info!(?swept, "retention sweep"),
                Err(error) => tracing::error!(%error, "retention sweep failed"),
            }
        }
    });
}
