//! What is kept, and for how long. Secrets (one-time codes in the outbox) are redacted as
//! soon as they cannot be used any more; old messages, codes, sessions and rate-limit
//! counters are deleted. Every statement is idempotent, so any number of server processes
//! may sweep at once.

use crate::db::Db;
use crate::identity::{codes, sessions};

/// Sent messages are kept this long (a citizen's "I never got it" is answered from them).
pub const MESSAGES_KEPT_SECONDS: i64 = 30 * 24 * 3600;
/// Codes, ended sessions' leftovers and rate-limit windows are kept a day for inquiries.
const SHORT_LIVED_KEPT_SECONDS: i64 = 24 * 3600;
pub const REDACTED_BODY: &str = "[redacted: this message held a one-time code]";

/// What one sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub secrets_redacted: u64,
    pub messages_deleted: u64,
    pub codes_deleted: u64,
    pub sessions_deleted: u64,
    pub counters_deleted: u64,
}

/// Applies the retention rules at `now`. `keep_secrets` is for development only, where the
/// dev outbox is the SMS provider and `/dev/outbox` must show the codes.
pub async fn sweep(db: &Db, now: i64, keep_secrets: bool) -> Result<Swept, sqlx::Error> {
    let mut swept = Swept::default();
    if !keep_secrets {
        // A code is useless once it has expired: one still waiting for its provider is not
        // worth sending any more, and the text of every expired code is removed. (One being
        // sent at this moment keeps its text until its sender is done.)
        sqlx::query("UPDATE outbox_messages SET status = 'failed', last_error = 'the code expired before it could be sent' WHERE holds_secret = 1 AND status = 'queued' AND created_at <= $1")
            .bind(now - codes::VALID_SECONDS)
            .execute(db.pool())
            .await?;
        swept.secrets_redacted = sqlx::query("UPDATE outbox_messages SET body = $1, redacted_at = $2 WHERE holds_secret = 1 AND redacted_at IS NULL AND status <> 'sending' AND created_at <= $3")
            .bind(REDACTED_BODY)
            .bind(now)
            .bind(now - codes::VALID_SECONDS)
            .execute(db.pool())
            .await?
            .rows_affected();
    }
    swept.messages_deleted =
        sqlx::query("DELETE FROM outbox_messages WHERE created_at < $1").bind(now - MESSAGES_KEPT_SECONDS).execute(db.pool()).await?.rows_affected();
    swept.codes_deleted =
        sqlx::query("DELETE FROM one_time_codes WHERE expires_at < $1").bind(now - SHORT_LIVED_KEPT_SECONDS).execute(db.pool()).await?.rows_affected();
    swept.sessions_deleted = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - sessions::IDLE_TIMEOUT_SECONDS)
        .bind(now - sessions::ABSOLUTE_TIMEOUT_SECONDS)
        .execute(db.pool())
        .await?
        .rows_affected();
    swept.counters_deleted =
        sqlx::query("DELETE FROM rate_limit_hits WHERE window_start < $1").bind(now - SHORT_LIVED_KEPT_SECONDS).execute(db.pool()).await?.rows_affected();
    Ok(swept)
}
