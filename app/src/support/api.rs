//! Support's server functions: each resolves who is asking, calls the service, and says
//! where to go next. They are public endpoints: every rule lives in `service`. Opening a
//! ticket is a multipart form (it may carry a screenshot), served by the server crate's
//! `POST /support/open` over the same service.

use crate::errors::AppError;
use crate::support::views::{Desk, TicketDetails, TicketSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::request::with_status;
#[cfg(feature = "ssr")]
use crate::identity::web::logged_in;
#[cfg(feature = "ssr")]
use crate::support::service::Support;

/// Where the form to open a ticket posts (a plain HTTP endpoint, not a server function).
pub const OPEN_TICKET_PATH: &str = "/support/open";

#[cfg(feature = "ssr")]
fn support() -> Result<Support, AppError> {
    crate::request::service::<crate::services::service::Applications>().map(|applications| Support::from(&applications))
}

/// Where the back office's desk is for this staff member: officers work under `/officer`,
/// admins under `/admin`.
#[cfg(feature = "ssr")]
fn desk_base(staff: &crate::identity::accounts::Account) -> &'static str {
    if staff.is_admin() { "/admin/support" } else { "/officer/support" }
}

// ------------------------------------------------------------ citizens

#[server(endpoint = "support/mine")]
pub async fn my_tickets() -> Result<Vec<TicketSummary>, AppError> {
    let citizen = logged_in("/support").await?;
    support()?.my_tickets(&citizen).await.map_err(with_status)
}

#[server(endpoint = "support/ticket")]
pub async fn my_ticket(reference: String) -> Result<TicketDetails, AppError> {
    let citizen = logged_in(&format!("/support/{}", reference.trim())).await?;
    support()?.my_ticket(&citizen, &reference).await.map_err(with_status)
}

#[server(endpoint = "support/reply")]
pub async fn reply_to_ticket(reference: String, message: String) -> Result<(), AppError> {
    let citizen = logged_in(&format!("/support/{}", reference.trim())).await?;
    support()?.citizen_reply(&citizen, &reference, &message).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("/support/{}?sent=1", reference.trim()));
    Ok(())
}

// ------------------------------------------------------------ staff

#[server(endpoint = "support/desk")]
pub async fn support_desk(return_to: String) -> Result<Desk, AppError> {
    let staff = logged_in(&return_to).await?;
    support()?.desk(&staff).await.map_err(with_status)
}

#[server(endpoint = "support/desk/ticket")]
pub async fn desk_ticket(reference: String, return_to: String) -> Result<TicketDetails, AppError> {
    let staff = logged_in(&return_to).await?;
    support()?.desk_ticket(&staff, &reference).await.map_err(with_status)
}

#[server(endpoint = "support/desk/reply")]
pub async fn answer_ticket(reference: String, message: String, return_to: String) -> Result<(), AppError> {
    let staff = logged_in(&return_to).await?;
    support()?.staff_reply(&staff, &reference, &message).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("{}/{}?done=replied", desk_base(&staff), reference.trim()));
    Ok(())
}

#[server(endpoint = "support/desk/resolve")]
pub async fn resolve_ticket(reference: String, return_to: String) -> Result<(), AppError> {
    let staff = logged_in(&return_to).await?;
    support()?.resolve(&staff, &reference).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("{}/{}?done=resolved", desk_base(&staff), reference.trim()));
    Ok(())
}
