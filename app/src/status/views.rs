//! Service status as pages show it: one notice.

use crate::services::catalogue::Text;
use serde::{Deserialize, Serialize};

/// A notice as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    /// `information`, `maintenance`, `outage` or `restored`.
    pub kind: String,
    pub title: Text,
    pub body: Text,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
}

impl Notice {
    /// Started and not yet ended: the rule `notices::current` asks the database, for the
    /// list at `/status`, which has every notice in hand already.
    pub fn is_current(&self, now: i64) -> bool {
        self.starts_at <= now && self.ends_at.is_none_or(|end| end > now)
    }
}
