//! Building the services from configuration, and the data every start needs.

use crate::config::{AppEnv, Config};
use raia_app::clock::SystemClock;
use raia_app::db::Db;
use raia_app::identity::notifier::Outbox;
use raia_app::identity::password::PasswordHasher;
use raia_app::identity::registry::TableRegistry;
use raia_app::identity::seed;
use raia_app::identity::service::Identity;
use std::sync::Arc;

/// At most this many argon2 computations at once per process: a login rush queues here
/// instead of taking every thread from browsing and paying.
pub fn hashing_permits() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

pub fn identity(db: &Db) -> Identity {
    Identity {
        db: db.clone(),
        clock: Arc::new(SystemClock),
        notifier: Arc::new(Outbox::new(db.clone())),
        registry: Arc::new(TableRegistry::new(db.clone())),
        hasher: PasswordHasher::new(hashing_permits()),
    }
}

/// The registry's seed people always; the demo citizen in development.
pub async fn seed(config: &Config, identity: &Identity) -> Result<(), String> {
    let added = seed::registry_people(identity).await.map_err(|e| format!("registry seed: {e}"))?;
    if added > 0 {
        tracing::info!(added, "registry people seeded");
    }
    if config.env == AppEnv::Dev {
        seed::demo_citizen(identity).await.map_err(|e| format!("demo account: {e}"))?;
    }
    Ok(())
}
