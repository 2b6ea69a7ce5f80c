//! The server functions of vehicle transfers and "My vehicles": each resolves who is asking
//! and calls `Applications`, where every rule lives.

use crate::errors::AppError;
use crate::services::views::{MyVehiclesView, TransferView, VehicleView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::identity::web::logged_in;
#[cfg(feature = "ssr")]
use crate::request::with_status;
#[cfg(feature = "ssr")]
use crate::services::api::applications;

#[cfg(feature = "ssr")]
fn transfer_page(reference: &str) -> String {
    format!("/transfers/{}", reference.trim())
}

/// The vehicles NTSA's register gives the logged-in citizen, and transfers waiting for them.
#[server(endpoint = "vehicles/mine")]
pub async fn my_vehicles() -> Result<MyVehiclesView, AppError> {
    let citizen = logged_in("/my-vehicles").await?;
    applications()?.my_vehicles(&citizen).await.map_err(with_status)
}

/// One of the citizen's vehicles, its whole record; "not found" once it is not theirs.
#[server(endpoint = "vehicles/one")]
pub async fn my_vehicle(registration: String) -> Result<VehicleView, AppError> {
    let citizen = logged_in(&format!("/my-vehicles/{}", registration.trim())).await?;
    applications()?.my_vehicle(&citizen, &registration).await.map_err(with_status)
}

/// A transfer as its other party (the buyer) sees it.
#[server(endpoint = "transfers/one")]
pub async fn transfer_to_me(reference: String) -> Result<TransferView, AppError> {
    let citizen = logged_in(&transfer_page(&reference)).await?;
    applications()?.transfer_for_buyer(&citizen, &reference).await.map_err(with_status)
}

#[server(endpoint = "transfers/send-code")]
pub async fn send_transfer_code(reference: String) -> Result<(), AppError> {
    let citizen = logged_in(&transfer_page(&reference)).await?;
    applications()?.send_transfer_code(&citizen, &reference).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("{}?sent=1", transfer_page(&reference)));
    Ok(())
}

#[server(endpoint = "transfers/accept")]
pub async fn accept_transfer(reference: String, version: i64, code: String) -> Result<(), AppError> {
    let citizen = logged_in(&transfer_page(&reference)).await?;
    applications()?.accept_transfer(&citizen, &reference, version, &code).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("{}?accepted=1", transfer_page(&reference)));
    Ok(())
}

/// Either party calls the transfer off; each goes back to their own page of it.
#[server(endpoint = "transfers/cancel")]
pub async fn cancel_transfer(reference: String, version: i64) -> Result<(), AppError> {
    let citizen = logged_in(&transfer_page(&reference)).await?;
    let by_owner = applications()?.cancel_transfer(&citizen, &reference, version).await.map_err(with_status)?;
    let back = if by_owner { format!("/applications/{}", reference.trim()) } else { transfer_page(&reference) };
    leptos_axum::redirect(&back);
    Ok(())
}
