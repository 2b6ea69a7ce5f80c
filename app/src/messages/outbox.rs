//! The outbox: every message Raia sends, written in the transaction of the change it
//! reports, with its delivery state (queued, sending, sent, failed).

use crate::db::Db;
use crate::i18n::{I18nLocaleTrait, Locale};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

/// A message to write to the outbox.
#[derive(Clone, Debug)]
pub struct Message {
    pub channel: Channel,
    /// An E.164 phone number or an email address.
    pub to: String,
    pub subject: Option<String>,
    pub body: String,
    /// Whose message it is, when it is an account's (for the account's activity and admins).
    pub account_id: Option<i64>,
    pub language: Locale,
    /// The body is a secret (a one-time code): it is redacted once delivered and old enough
    /// (see `identity::retention`).
    pub holds_secret: bool,
}

impl Message {
    pub fn sms(to: &str, language: Locale, body: String) -> Self {
        Message { channel: Channel::Sms, to: to.to_string(), subject: None, body, account_id: None, language, holds_secret: false }
    }

    pub fn email(to: &str, language: Locale, subject: String, body: String) -> Self {
        Message { channel: Channel::Email, to: to.to_string(), subject: Some(subject), body, account_id: None, language, holds_secret: false }
    }

    pub fn for_account(mut self, account_id: i64) -> Self {
        self.account_id = Some(account_id);
        self
    }

    pub fn secret(mut self) -> Self {
        self.holds_secret = true;
        self
    }
}

/// Writes a message to the outbox inside the caller's transaction; the delivery worker
/// sends it once that transaction commits (and never if it rolls back).
pub async fn queue(tx: &mut Transaction<'static, Any>, message: &Message, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO outbox_messages (channel, recipient, subject, body, created_at, holds_secret, account_id, language, status, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $5) RETURNING id",
    )
    .bind(message.channel.as_str())
    .bind(&message.to)
    .bind(&message.subject)
    .bind(&message.body)
    .bind(now)
    .bind(i64::from(message.holds_secret))
    .bind(message.account_id)
    .bind(message.language.as_str())
    .fetch_one(&mut **tx)
    .await
}

/// A message as stored, with where its delivery stands.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Stored {
    pub id: i64,
    pub channel: Channel,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
    pub language: String,
    pub created_at: i64,
    pub status: String,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub provider: Option<String>,
    pub last_error: Option<String>,
    pub holds_secret: bool,
}

/// Newest first; `to` filters by recipient as stored (E.164 phone or email), `status` by
/// delivery state.
pub async fn list(db: &Db, to: Option<&str>, status: Option<&str>, limit: i64) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, channel, recipient, subject, body, language, created_at, status, attempts, sent_at, provider, last_error, holds_secret FROM outbox_messages \
         WHERE ($1 = '' OR recipient = $1) AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(to.unwrap_or(""))
    .bind(status.unwrap_or(""))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Stored {
            id: row.get("id"),
            channel: Channel::parse(&row.get::<String, _>("channel")).unwrap_or(Channel::Sms),
            to: row.get("recipient"),
            subject: row.get("subject"),
            body: row.get("body"),
            language: row.get("language"),
            created_at: row.get("created_at"),
            status: row.get("status"),
            attempts: row.get("attempts"),
            sent_at: row.get("sent_at"),
            provider: row.get("provider"),
            last_error: row.get("last_error"),
            holds_secret: row.get::<i64, _>("holds_secret") != 0,
        })
        .collect())
}
