//! Delivering the outbox. A worker takes due messages by lease (a conditional update, so
//! several server processes can run it at once and no two take the same message), hands
//! each to its channel's provider, and records the outcome: sent, tried again later with
//! exponential backoff, or failed with the provider's reason.
//!
//! A message is sent again only when its provider refused it, or when the process that
//! held its lease died before recording the outcome (then the provider may have sent it
//! already: a code that arrives twice is better than one that never arrives). A live
//! worker always records its outcome before the lease ends, because every provider call
//! is bounded by `PROVIDER_TIMEOUT`, well within `LEASE_SECONDS`.

use crate::clock::Clock;
use crate::db::Db;
use crate::messages::outbox::Channel;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

/// How long a worker holds a message it is sending.
pub const LEASE_SECONDS: i64 = 120;
/// The longest a provider may take to answer one message.
pub const PROVIDER_TIMEOUT: Duration = Duration::from_secs(20);
/// Tries before a message is marked failed. With the backoff below the last try is
/// about four hours after the first.
pub const MAX_ATTEMPTS: i64 = 8;
/// Messages taken per pass.
pub const BATCH: usize = 20;

/// Seconds to wait before the next try, after `attempts` tries: 30 s, 1 min, 2 min, ...
/// doubling up to an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 8) - 1;
    (30_i64 << doublings).min(3_600)
}

/// A message taken for delivery.
#[derive(Clone, Debug)]
pub struct Due {
    pub id: i64,
    pub channel: Channel,
    pub to: String,
    pub subject: Option<String>,
    pub body: String,
    /// Tries including this one.
    pub attempt: i64,
}

/// What a provider says of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted for delivery; the provider's own id for it, when it gives one.
    Sent(Option<String>),
    /// Not accepted this time (the provider is down, busy or out of credit): try again.
    Retry(String),
    /// Refused for good (an invalid number, a blacklisted recipient).
    Failed(String),
}

/// Something that sends messages of one channel: the outbox itself in development,
/// Africa's Talking for SMS, an SMTP server for email.
#[async_trait::async_trait]
pub trait Provider: Send + Sync {
    /// Recorded with each message it sent.
    fn name(&self) -> &'static str;
    async fn send(&self, message: &Due) -> Outcome;
}

/// Keeps messages in the outbox only (development: `/dev/outbox` shows them).
pub struct OutboxOnly;

#[async_trait::async_trait]
impl Provider for OutboxOnly {
    fn name(&self) -> &'static str {
        "outbox"
    }

    async fn send(&self, _message: &Due) -> Outcome {
        Outcome::Sent(None)
    }
}

/// The worker's view of the outbox and its providers.
#[derive(Clone)]
pub struct Delivery {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub sms: Arc<dyn Provider>,
    pub email: Arc<dyn Provider>,
}

impl Delivery {
    /// One pass: takes what is due and sends it. Returns how many messages it took.
    pub async fn deliver_due(&self) -> Result<usize, sqlx::Error> {
        let due = self.take_due().await?;
        for message in &due {
            let provider = match message.channel {
                Channel::Sms => &self.sms,
                Channel::Email => &self.email,
            };
            let outcome = match tokio::time::timeout(PROVIDER_TIMEOUT, provider.send(message)).await {
                Ok(outcome) => outcome,
                Err(_) => Outcome::Retry("the provider did not answer in time".into()),
            };
            self.record(message, provider.name(), &outcome).await?;
        }
        Ok(due.len())
    }

    /// Leases due messages: queued ones whose time has come, and ones whose sender's lease
    /// ran out (that process died mid-send).
    async fn take_due(&self) -> Result<Vec<Due>, sqlx::Error> {
        let now = self.clock.now();
        let candidates: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM outbox_messages WHERE (status = 'queued' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until < $1) ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(BATCH as i64)
        .fetch_all(self.db.pool())
        .await?;
        let mut taken = Vec::new();
        for id in candidates {
            let row = sqlx::query(
                "UPDATE outbox_messages SET status = 'sending', lease_until = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND ((status = 'queued' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3)) \
                 RETURNING channel, recipient, subject, body, attempts",
            )
            .bind(now + LEASE_SECONDS)
            .bind(id)
            .bind(now)
            .fetch_optional(self.db.pool())
            .await?;
            // None: another worker took it between the look and the lease.
            if let Some(row) = row {
                taken.push(Due {
                    id,
                    channel: Channel::parse(&row.get::<String, _>("channel")).unwrap_or(Channel::Sms),
                    to: row.get("recipient"),
                    subject: row.get("subject"),
                    body: row.get("body"),
                    attempt: row.get("attempts"),
                });
            }
        }
        Ok(taken)
    }

    async fn record(&self, message: &Due, provider: &str, outcome: &Outcome) -> Result<(), sqlx::Error> {
        let now = self.clock.now();
        let query = match outcome {
            Outcome::Sent(reference) => sqlx::query(
                "UPDATE outbox_messages SET status = 'sent', sent_at = $1, provider = $2, provider_reference = $3, lease_until = NULL, last_error = NULL WHERE id = $4",
            )
            .bind(now)
            .bind(provider)
            .bind(reference.clone())
            .bind(message.id),
            Outcome::Retry(reason) if message.attempt < MAX_ATTEMPTS => {
                tracing::warn!(message = message.id, attempt = message.attempt, reason, "message not sent; will try again");
                sqlx::query("UPDATE outbox_messages SET status = 'queued', next_attempt_at = $1, provider = $2, last_error = $3, lease_until = NULL WHERE id = $4")
                    .bind(now + retry_delay(message.attempt))
                    .bind(provider)
                    .bind(reason.clone())
                    .bind(message.id)
            }
            Outcome::Retry(reason) | Outcome::Failed(reason) => {
                tracing::error!(message = message.id, attempt = message.attempt, reason, "message failed");
                sqlx::query("UPDATE outbox_messages SET status = 'failed', provider = $1, last_error = $2, lease_until = NULL WHERE id = $3")
                    .bind(provider)
                    .bind(reason.clone())
                    .bind(message.id)
            }
        };
        query.execute(self.db.pool()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_back_off_from_half_a_minute_to_an_hour() {
        let delays: Vec<i64> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(delays, vec![30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(retry_delay(40), 3600);
    }
}
