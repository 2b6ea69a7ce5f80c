//! The notification centre's rows: everything the portal told a citizen in the portal
//! itself. A row either reports an application's event (its words come from the event) or
//! is an account notice of a kind (password changed, a payment kept, a support reply…)
//! with a detail (a reference, an amount) and a link. Rows are written in the same
//! transaction as the change they report, like the outbox's messages.

use serde::{Deserialize, Serialize};

/// What an account notice is about; the page words it in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountNotice {
    PasswordChanged,
    EmailChanged,
    PhoneChanged,
    AuthenticatorOn,
    AuthenticatorOff,
    /// Money was received that could not pay an invoice; it is kept for a refund.
    PaymentKept,
    /// An M-Pesa prompt failed or was cancelled.
    PaymentFailed,
    /// Staff answered a support ticket.
    SupportReply,
    /// Someone transfers a vehicle to this citizen, who must accept it.
    TransferToAccept,
    /// A transfer naming this citizen was called off by the other party.
    TransferCancelled,
    /// The register now records this citizen as a vehicle's owner.
    VehicleReceived,
}

impl AccountNotice {
    const ALL: [AccountNotice; 11] = [
        AccountNotice::PasswordChanged,
        AccountNotice::EmailChanged,
        AccountNotice::PhoneChanged,
        AccountNotice::AuthenticatorOn,
        AccountNotice::AuthenticatorOff,
        AccountNotice::PaymentKept,
        AccountNotice::PaymentFailed,
        AccountNotice::SupportReply,
        AccountNotice::TransferToAccept,
        AccountNotice::TransferCancelled,
        AccountNotice::VehicleReceived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountNotice::PasswordChanged => "password_changed",
            AccountNotice::EmailChanged => "email_changed",
            AccountNotice::PhoneChanged => "phone_changed",
            AccountNotice::AuthenticatorOn => "authenticator_on",
            AccountNotice::AuthenticatorOff => "authenticator_off",
            AccountNotice::PaymentKept => "payment_kept",
            AccountNotice::PaymentFailed => "payment_failed",
            AccountNotice::SupportReply => "support_reply",
            AccountNotice::TransferToAccept => "transfer_to_accept",
            AccountNotice::TransferCancelled => "transfer_cancelled",
            AccountNotice::VehicleReceived => "vehicle_received",
        }
    }

    pub fn parse(text: &str) -> Option<AccountNotice> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

#[cfg(feature = "ssr")]
pub use store::*;

#[cfg(feature = "ssr")]
mod store {
    use super::AccountNotice;
    use sqlx::{Any, Executor, Row, Transaction};

    /// Tells the account about an application's event.
    pub async fn notify_event(tx: &mut Transaction<'static, Any>, account_id: i64, event_id: i64, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO notifications (account_id, event_id, created_at) VALUES ($1, $2, $3)").bind(account_id).bind(event_id).bind(now).execute(&mut **tx).await?;
        Ok(())
    }

    /// Tells the account something that is not an application's event.
    pub async fn notify(tx: &mut Transaction<'static, Any>, account_id: i64, notice: AccountNotice, detail: &str, link: Option<&str>, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO notifications (account_id, kind, detail, link, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(account_id)
            .bind(notice.as_str())
            .bind(detail)
            .bind(link)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// A stored notification: an application's event (its id) or an account notice.
    pub struct Stored {
        pub id: i64,
        pub read: bool,
        pub at: i64,
        pub event_id: Option<i64>,
        pub notice: Option<(AccountNotice, String, Option<String>)>,
    }

    /// The account's latest notifications, newest first.
    pub async fn list<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64, limit: i64) -> Result<Vec<Stored>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, read_at, created_at, event_id, kind, detail, link FROM notifications WHERE account_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(account_id)
            .bind(limit)
            .fetch_all(executor)
            .await?;
        Ok(rows
            .iter()
            .map(|row| Stored {
                id: row.get("id"),
                read: row.get::<Option<i64>, _>("read_at").is_some(),
                at: row.get("created_at"),
                event_id: row.get("event_id"),
                notice: row
                    .get::<Option<String>, _>("kind")
                    .and_then(|kind| AccountNotice::parse(&kind))
                    .map(|kind| (kind, row.get::<Option<String>, _>("detail").unwrap_or_default(), row.get("link"))),
            })
            .collect())
    }

    /// How many of the account's notifications are unread (the header's count).
    pub async fn unread<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL").bind(account_id).fetch_one(executor).await
    }

    /// Marks one notification (`Some(id)`) or all of the account's as read; only the
    /// account's own are touched.
    pub async fn mark_read<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64, id: Option<i64>, now: i64) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND ($3 = 0 OR id = $3)")
            .bind(now)
            .bind(account_id)
            .bind(id.unwrap_or(0))
            .execute(executor)
            .await?
            .rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_itself() {
        for kind in AccountNotice::ALL {
            assert_eq!(AccountNotice::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AccountNotice::parse("nonsense"), None);
    }
}
