//! The register orders' server function: what admins see at `/admin/registers`.

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One change Raia owes an agency's register that did not go through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterOrderRow {
    /// `pay_fine` or `change_owner`.
    pub kind: String,
    /// The notice number, or the transfer's reference.
    pub subject: String,
    pub application_reference: String,
    /// `refused` (for good) or `due` (still being tried).
    pub status: String,
    pub attempts: i64,
    /// What the register answered last.
    pub outcome: Option<String>,
    pub created_at: i64,
}

/// Orders refused by a register, or failing for a while: money taken or a transfer approved
/// that the register has not recorded, for staff to refund, undo or chase.
#[server(endpoint = "admin/registers")]
pub async fn register_orders_needing_attention() -> Result<Vec<RegisterOrderRow>, AppError> {
    use crate::request::with_status;
    crate::identity::web::admin_in("/admin/registers").await?;
    let db = crate::request::service::<crate::db::Db>()?;
    let orders = crate::registers::orders::needing_attention(db.pool(), 200).await.map_err(|e| with_status(e.into()))?;
    Ok(orders
        .into_iter()
        .map(|o| RegisterOrderRow {
            kind: o.kind,
            subject: o.subject,
            application_reference: o.application_reference,
            status: o.status,
            attempts: o.attempts,
            outcome: o.outcome,
            created_at: o.created_at,
        })
        .collect())
}
