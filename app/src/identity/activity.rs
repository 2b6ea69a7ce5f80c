//! Security events: what happened to an account, newest first at `/account/activity`, so a
//! citizen can spot what they did not do. Written in the same transaction as the change
//! they record; a wrong password is recorded with the address it came from.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecurityEvent {
    LoggedIn,
    WrongPassword,
    WrongCode,
    /// A login, reset or contact code was sent (detail: `sms` or `email`).
    CodeSent,
    PasswordChanged,
    PasswordReset,
    EmailChanged,
    PhoneChanged,
    AuthenticatorOn,
    AuthenticatorOff,
    BackupCodeUsed,
    CodeSettingsChanged,
    /// A payment was settled (detail: the receipt number).
    Payment,
    /// The citizen downloaded everything Raia holds about them (`/account/data`).
    DataDownloaded,
}

impl SecurityEvent {
    const ALL: [SecurityEvent; 14] = [
        SecurityEvent::LoggedIn,
        SecurityEvent::WrongPassword,
        SecurityEvent::WrongCode,
        SecurityEvent::CodeSent,
        SecurityEvent::PasswordChanged,
        SecurityEvent::PasswordReset,
        SecurityEvent::EmailChanged,
        SecurityEvent::PhoneChanged,
        SecurityEvent::AuthenticatorOn,
        SecurityEvent::AuthenticatorOff,
        SecurityEvent::BackupCodeUsed,
        SecurityEvent::CodeSettingsChanged,
        SecurityEvent::Payment,
        SecurityEvent::DataDownloaded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEvent::LoggedIn => "logged_in",
            SecurityEvent::WrongPassword => "wrong_password",
            SecurityEvent::WrongCode => "wrong_code",
            SecurityEvent::CodeSent => "code_sent",
            SecurityEvent::PasswordChanged => "password_changed",
            SecurityEvent::PasswordReset => "password_reset",
            SecurityEvent::EmailChanged => "email_changed",
            SecurityEvent::PhoneChanged => "phone_changed",
            SecurityEvent::AuthenticatorOn => "authenticator_on",
            SecurityEvent::AuthenticatorOff => "authenticator_off",
            SecurityEvent::BackupCodeUsed => "backup_code_used",
            SecurityEvent::CodeSettingsChanged => "code_settings_changed",
            SecurityEvent::Payment => "payment",
            SecurityEvent::DataDownloaded => "data_downloaded",
        }
    }

    pub fn parse(text: &str) -> Option<SecurityEvent> {
        Self::ALL.into_iter().find(|event| event.as_str() == text)
    }

    /// Events a citizen should look at twice.
    pub fn is_warning(self) -> bool {
        matches!(self, SecurityEvent::WrongPassword | SecurityEvent::WrongCode)
    }
}

/// One line of `/account/activity`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub event: SecurityEvent,
    pub detail: String,
    pub client_address: String,
    pub at: i64,
}

#[cfg(feature = "ssr")]
pub use store::*;

#[cfg(feature = "ssr")]
mod store {
    use super::{ActivityView, SecurityEvent};
    use sqlx::{Any, Executor, Row};

    /// How many events `/account/activity` shows.
    pub const SHOWN: i64 = 100;

    pub async fn record<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64, event: SecurityEvent, detail: Option<&str>, client_address: Option<&str>, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO security_events (account_id, kind, detail, client_address, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(account_id)
            .bind(event.as_str())
            .bind(detail)
            .bind(client_address.filter(|a| !a.is_empty()))
            .bind(now)
            .execute(executor)
            .await?;
        Ok(())
    }

    /// The account's latest events, newest first.
    pub async fn latest<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<Vec<ActivityView>, sqlx::Error> {
        let rows = sqlx::query("SELECT kind, detail, client_address, at FROM security_events WHERE account_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(account_id)
            .bind(SHOWN)
            .fetch_all(executor)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(ActivityView {
                    event: SecurityEvent::parse(&row.get::<String, _>("kind"))?,
                    detail: row.get::<Option<String>, _>("detail").unwrap_or_default(),
                    client_address: row.get::<Option<String>, _>("client_address").unwrap_or_default(),
                    at: row.get("at"),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_back_as_itself() {
        for event in SecurityEvent::ALL {
            assert_eq!(SecurityEvent::parse(event.as_str()), Some(event));
        }
    }
}
