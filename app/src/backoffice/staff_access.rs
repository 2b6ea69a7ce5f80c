//! Turning a staff account off or on again: identity's accounts and sessions, and the
//! services' claims that account held, changed in one transaction.

use crate::errors::{AppError, Problem};
use crate::identity::accounts::Account;
use crate::identity::service::Identity;
use crate::identity::staff::require_admin;
use crate::services::service::Applications;

/// Disables (or enables again) a staff account. Disabling ends its sessions at once and
/// hands every application it was reviewing back to the queue, in one transaction: no
/// application stays under review with nobody left to decide it.
pub async fn set_disabled(identity: &Identity, applications: &Applications, admin: &Account, account_id: i64, disabled: bool) -> Result<(), AppError> {
    require_admin(Some(admin))?;
    if account_id == admin.id {
        // An admin cannot lock themselves out.
        return Err(AppError::field("", Problem::NotAllowedNow));
    }
    set_disabled_unchecked(identity, applications, account_id, disabled).await
}

pub async fn set_disabled_unchecked(identity: &Identity, applications: &Applications, account_id: i64, disabled: bool) -> Result<(), AppError> {
    let mut tx = identity.db.begin_write().await?;
    let changed = sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2 AND role IN ('officer', 'admin')")
        .bind(i64::from(disabled))
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
        applications.release_claims_held_in(&mut tx, account_id).await?;
    }
    tx.commit().await?;
    Ok(())
}
