//! Data every Raia has at start-up: the registry's seed people, and in development a
//! ready citizen account for trying the portal (its details are in the README).

use crate::errors::AppError;
use crate::identity::accounts::{self, NewAccount};
use crate::identity::registry;
use crate::identity::service::Identity;

pub const DEMO_ID_NUMBER: &str = "12345678";
pub const DEMO_EMAIL: &str = "wanjiku@example.com";
pub const DEMO_PHONE: &str = "+254712345678";
pub const DEMO_PASSWORD: &str = "Harambee demo 2026";

/// Adds the shipped registry people that are missing.
pub async fn registry_people(identity: &Identity) -> Result<u64, AppError> {
    let people = registry::parse_csv(registry::SEED_CSV).map_err(|_| AppError::Internal)?;
    registry::import(&identity.db, &people).await.map_err(|_| AppError::Internal)
}

/// Creates Wanjiku Kamau's demo account unless it exists.
pub async fn demo_citizen(identity: &Identity) -> Result<(), AppError> {
    if accounts::id_number_taken(identity.db.pool(), DEMO_ID_NUMBER).await? {
        return Ok(());
    }
    let hash = identity.hasher.hash(DEMO_PASSWORD).await.map_err(|_| AppError::Internal)?;
    let mut tx = identity.db.begin_write().await?;
    accounts::insert(
        &mut tx,
        &NewAccount {
            id_number: DEMO_ID_NUMBER,
            account_type: "citizen",
            first_name: "Wanjiku",
            surname: "Kamau",
            email: DEMO_EMAIL,
            phone: DEMO_PHONE,
            password_hash: &hash,
            role: "citizen",
        },
        identity.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
