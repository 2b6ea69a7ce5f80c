//! The messages' server function: what admins see at `/admin/messages`.

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many messages the page lists.
#[cfg(feature = "ssr")]
const SHOWN: i64 = 200;

/// One message as admins see it: never a one-time code's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub written_at: i64,
    pub channel: String,
    pub to: String,
    /// None for a one-time code.
    pub body: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// The newest messages, filtered by delivery state (`queued`, `sending`, `sent`, `failed`).
#[server(endpoint = "admin/messages")]
pub async fn admin_messages(status: Option<String>) -> Result<Vec<MessageRow>, AppError> {
    use crate::request::with_status;
    crate::identity::web::admin_in("/admin/messages").await?;
    let db = crate::request::service::<crate::db::Db>()?;
    let status = status.filter(|s| ["queued", "sending", "sent", "failed"].contains(&s.as_str()));
    let stored = crate::messages::outbox::list(&db, None, status.as_deref(), SHOWN).await.map_err(|e| with_status(e.into()))?;
    Ok(stored
        .into_iter()
        .map(|m| MessageRow {
            written_at: m.created_at,
            channel: m.channel.as_str().to_string(),
            to: m.to,
            body: (!m.holds_secret).then_some(m.body),
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
        })
        .collect())
}
