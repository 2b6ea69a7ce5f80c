//! The issued-document server functions: thin over `Issuer`; every rule lives there.

use crate::errors::AppError;
use crate::issued::views::{IssuedDocumentView, Verification};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::identity::web::logged_in;
#[cfg(feature = "ssr")]
use crate::issued::service::Issuer;
#[cfg(feature = "ssr")]
use crate::request::with_status;

#[cfg(feature = "ssr")]
fn issuer() -> Result<Issuer, AppError> {
    crate::request::service::<Issuer>()
}

/// "My documents": every document issued to the logged-in citizen.
#[server(endpoint = "documents/mine")]
pub async fn my_documents() -> Result<Vec<IssuedDocumentView>, AppError> {
    let citizen = logged_in("/my-documents").await?;
    issuer()?.mine(citizen.id).await.map_err(with_status)
}

/// Public: what a scanned code (or a typed document number) says, and the document's standing.
#[server(endpoint = "documents/verify")]
pub async fn verify_document(code: String, number: String) -> Result<Option<Verification>, AppError> {
    let issuer = issuer()?;
    let found = match (code.trim(), number.trim()) {
        ("", "") => return Ok(None),
        ("", number) => issuer.verify_number(number).await,
        (code, _) => issuer.verify_code(code).await,
    }
    .map_err(with_status)?;
    if matches!(found, Verification::NotFound | Verification::Refused) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    Ok(Some(found))
}

/// An officer of the issuing agency revokes, suspends or reinstates a document.
#[server(endpoint = "documents/status")]
pub async fn set_document_status(reference: String, number: String, status: String, reason: String) -> Result<(), AppError> {
    let officer = logged_in(&format!("/officer/applications/{reference}")).await?;
    let agency = officer.agency.clone().filter(|_| officer.is_officer()).ok_or_else(|| with_status(AppError::Forbidden))?;
    let status = crate::issued::views::DocumentStatus::parse(status.trim()).ok_or_else(|| with_status(AppError::NotFound))?;
    issuer()?.set_status(officer.id, &agency, &number, status, &reason).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("/officer/applications/{}?document={}", reference.trim(), status.as_str()));
    Ok(())
}
