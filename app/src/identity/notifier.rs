//! Outgoing SMS and email. Today every message is written to the `outbox_messages` table
//! (shown at `/dev/outbox` in dev); real providers read from it in a later issue.

use crate::db::Db;
use serde::{Deserialize, Serialize};
use sqlx::Row;

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Message {
    pub channel: Channel,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
    pub created_at: i64,
}

#[async_trait::async_trait]
pub trait Notifier: Send + Sync {
    async fn send(&self, message: Message) -> Result<(), sqlx::Error>;

    /// A message whose body is a secret (a one-time code): marked so, so that it is redacted
    /// once it is no longer needed (see `retention`). Plain `send` for anything else.
    async fn send_secret(&self, message: Message) -> Result<(), sqlx::Error> {
        self.send(message).await
    }
}

/// Stores each message in the outbox table.
pub struct Outbox {
    db: Db,
}

impl Outbox {
    pub fn new(db: Db) -> Self {
        Outbox { db }
    }

    /// Newest first; `to` filters by recipient as stored (E.164 phone or email).
    pub async fn list(&self, to: Option<&str>, limit: i64) -> Result<Vec<Message>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT channel, recipient, subject, body, created_at FROM outbox_messages WHERE ($1 = '' OR recipient = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(to.unwrap_or(""))
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| Message {
                channel: Channel::parse(&row.get::<String, _>("channel")).unwrap_or(Channel::Sms),
                to: row.get("recipient"),
                subject: row.get("subject"),
                body: row.get("body"),
                created_at: row.get("created_at"),
            })
            .collect())
    }
}

impl Outbox {
    async fn insert(&self, message: Message, holds_secret: bool) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO outbox_messages (channel, recipient, subject, body, created_at, holds_secret) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(message.channel.as_str())
            .bind(&message.to)
            .bind(&message.subject)
            .bind(&message.body)
            .bind(message.created_at)
            .bind(i64::from(holds_secret))
            .execute(self.db.pool())
            .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Notifier for Outbox {
    async fn send(&self, message: Message) -> Result<(), sqlx::Error> {
        self.insert(message, false).await
    }

    async fn send_secret(&self, message: Message) -> Result<(), sqlx::Error> {
        self.insert(message, true).await
    }
}
