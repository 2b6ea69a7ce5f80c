//! "Who looked at my data": each time a member of staff opens a citizen's record, one row
//! says when, which role and agency, what and why. The citizen reads them at
//! `/account/data`; an audit reads who (the viewer's account is kept, not shown).
//!
//! Identity keeps the log because it sits below every domain that shows a citizen's
//! records to staff (services, support): each writes here as it answers the viewer.

use serde::{Deserialize, Serialize};

/// The kind of record that was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordKind {
    Application,
    /// A file the citizen uploaded with an application.
    Document,
    SupportTicket,
}

impl RecordKind {
    const ALL: [RecordKind; 3] = [RecordKind::Application, RecordKind::Document, RecordKind::SupportTicket];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Application => "application",
            RecordKind::Document => "document",
            RecordKind::SupportTicket => "support_ticket",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// One line of "who looked at my data", as the citizen sees it: never the officer's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataAccessView {
    pub at: i64,
    /// `officer`, `admin` or `agent`.
    pub viewer_role: String,
    /// The agency's slug, for an officer.
    pub agency: Option<String>,
    pub kind: RecordKind,
    pub record: String,
    pub reason: Option<String>,
}

/// The longest reason a member of staff may give.
pub const REASON_MAX_CHARS: usize = 500;

#[cfg(feature = "ssr")]
pub use store::*;

#[cfg(feature = "ssr")]
mod store {
    use super::{DataAccessView, RecordKind};
    use crate::identity::accounts::Account;
    use sqlx::{Any, Executor, Row};

    /// How many lines `/account/data` shows; the download holds them all.
    pub const SHOWN: i64 = 200;

    /// The same viewer opening the same record again within this many seconds (a reload, the
    /// page after their own decision) adds no line, unless they give a new reason: the
    /// citizen reads visits, not requests.
    const SAME_VISIT_SECONDS: i64 = 15 * 60;

    /// A record of `owner_id`'s was opened by `viewer`. A viewer's own records are not logged.
    pub async fn record<'e, E: Executor<'e, Database = Any>>(executor: E, owner_id: i64, viewer: &Account, kind: RecordKind, record: &str, reason: Option<&str>, now: i64) -> Result<(), sqlx::Error> {
        if owner_id == viewer.id {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO data_access (account_id, viewer_id, viewer_role, agency, record_kind, record, reason, at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS ( \
                 SELECT 1 FROM data_access WHERE viewer_id = $2 AND record_kind = $5 AND record = $6 \
                 AND at > $9 AND (CAST($7 AS TEXT) IS NULL OR reason = CAST($7 AS TEXT)))",
        )
        .bind(owner_id)
        .bind(viewer.id)
        .bind(&viewer.role)
        .bind(viewer.agency.as_deref())
        .bind(kind.as_str())
        .bind(record)
        .bind(reason.filter(|r| !r.is_empty()))
        .bind(now)
        .bind(now - SAME_VISIT_SECONDS)
        .execute(executor)
        .await?;
        Ok(())
    }

    /// Whether `viewer` has opened this record before: it is part of their own work, and
    /// opening it again needs no new reason.
    pub async fn opened_before<'e, E: Executor<'e, Database = Any>>(executor: E, viewer_id: i64, kind: RecordKind, record: &str) -> Result<bool, sqlx::Error> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM data_access WHERE viewer_id = $1 AND record_kind = $2 AND record = $3 LIMIT 1")
            .bind(viewer_id)
            .bind(kind.as_str())
            .bind(record)
            .fetch_optional(executor)
            .await?;
        Ok(found.is_some())
    }

    /// Who opened the account's records, newest first; `limit` none for all of them.
    pub async fn for_account<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64, limit: Option<i64>) -> Result<Vec<DataAccessView>, sqlx::Error> {
        let rows = sqlx::query("SELECT at, viewer_role, agency, record_kind, record, reason FROM data_access WHERE account_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(account_id)
            .bind(limit.unwrap_or(i64::MAX))
            .fetch_all(executor)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(DataAccessView {
                    at: row.get("at"),
                    viewer_role: row.get("viewer_role"),
                    agency: row.get("agency"),
                    kind: RecordKind::parse(&row.get::<String, _>("record_kind"))?,
                    record: row.get("record"),
                    reason: row.get("reason"),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_itself() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
        }
    }
}
