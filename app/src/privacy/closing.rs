//! Closing an account (the right to erasure, Data Protection Act 2019 section 40): what the
//! law makes a government keep stays, marked as of a closed account, and everything else goes,
//! in one transaction with the notice that tells the citizen.
//!
//! Kept: applications the citizen submitted and their history and files (records of a
//! government decision), invoices, payments, receipts and issued documents (each stays
//! verifiable by anyone holding it), money kept to be refunded, and the audits (who looked at
//! the data, which registers were asked). The account keeps its ID number and name, which
//! those records name; it loses its contacts, password and every way to log in.
//!
//! Gone: drafts, sessions, codes, the authenticator and backup codes, notifications, account
//! activity, support requests and the messages sent to the citizen.
//!
//! Refused while something is still moving (an application in progress, money waiting to be
//! refunded): closing then would leave a decision or a refund with nobody to tell.
//! Registering again with the same ID number opens the account again, with what was kept.

use crate::errors::{AppError, Problem};
use crate::identity::accounts::Account;
use crate::identity::service::Identity;
use crate::messages::outbox::{self, Message};
use crate::messages::texts;

/// Statuses in which an application is finished: anything else is still in progress.
const FINISHED: &str = "('draft', 'completed', 'rejected', 'withdrawn')";

/// What goes, table by table, in this order (children before parents).
const ERASED: &[&str] = &[
    "DELETE FROM sessions WHERE account_id = $1",
    "DELETE FROM one_time_codes WHERE account_id = $1",
    "DELETE FROM authenticators WHERE account_id = $1",
    "DELETE FROM backup_codes WHERE account_id = $1",
    "DELETE FROM notifications WHERE account_id = $1",
    "DELETE FROM security_events WHERE account_id = $1",
    "DELETE FROM outbox_messages WHERE account_id = $1",
    "DELETE FROM support_attachments WHERE message_id IN (SELECT m.id FROM support_messages m JOIN support_tickets t ON t.id = m.ticket_id WHERE t.account_id = $1)",
    "DELETE FROM support_messages WHERE ticket_id IN (SELECT id FROM support_tickets WHERE account_id = $1)",
    "DELETE FROM support_tickets WHERE account_id = $1",
    "DELETE FROM application_events WHERE application_id IN (SELECT id FROM applications WHERE account_id = $1 AND status = 'draft')",
    "DELETE FROM application_documents WHERE application_id IN (SELECT id FROM applications WHERE account_id = $1 AND status = 'draft')",
    "DELETE FROM applications WHERE account_id = $1 AND status = 'draft'",
];

/// Closes the citizen's account, once they typed their password. Staff accounts are closed
/// by an admin turning them off, never here.
pub async fn close(identity: &Identity, account: &Account, current_password: &str, client_address: &str) -> Result<(), AppError> {
    if account.role != "citizen" {
        return Err(AppError::Forbidden);
    }
    identity.check_current_password(account, current_password, client_address).await?;
    let pool = identity.db.pool();
    let in_progress: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM applications WHERE account_id = $1 AND status NOT IN {FINISHED}"))
        .bind(account.id)
        .fetch_one(pool)
        .await?;
    if in_progress > 0 {
        return Err(AppError::field("", Problem::ApplicationsInProgress));
    }
    let refunds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments_needing_attention WHERE account_id = $1 AND resolved_at IS NULL")
        .bind(account.id)
        .fetch_one(pool)
        .await?;
    if refunds > 0 {
        return Err(AppError::field("", Problem::RefundPending));
    }

    let now = identity.clock.now();
    let mut tx = identity.db.begin_write().await?;
    // Closed once: a second request (another tab) finds nothing left to close.
    let closed = sqlx::query(
        "UPDATE accounts SET email = $2, phone = $3, password_hash = '', phone_verified = 0, failed_password_attempts = 0, locked_until = NULL, closed_at = $4 \
         WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(account.id)
    .bind(format!("closed-{}@closed.invalid", account.id))
    .bind(format!("closed-{}", account.id))
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed == 0 {
        return Err(AppError::NotLoggedIn);
    }
    for statement in ERASED {
        sqlx::query(statement).bind(account.id).execute(&mut *tx).await?;
    }
    // The notice goes to the contacts the account had, queued after the erasure so that it
    // is the one message left to deliver; it carries no account id, as nothing is left to tie
    // it to.
    let language = account.language;
    outbox::queue(&mut tx, &Message::sms(&account.phone, language, texts::account_closed(language)), now).await?;
    outbox::queue(&mut tx, &Message::email(&account.email, language, texts::account_closed_subject(language), texts::account_closed(language)), now).await?;
    tx.commit().await?;
    Ok(())
}
