//! The services' server functions: each resolves who is asking, calls the service, and
//! says where to go next. They are public endpoints: every rule lives in the service.

use crate::errors::AppError;
use crate::services::catalogue::{Agency, Category, Service, Text};
use crate::services::views::{ApplicationDetails, ApplicationSummary, ClaimedApplication, FormState, NotificationView, Queue};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use crate::identity::web::{admin_in, logged_in};
#[cfg(feature = "ssr")]
use crate::request::with_status;
#[cfg(feature = "ssr")]
use crate::services::service::{Applications, FormTarget};

#[cfg(feature = "ssr")]
pub(crate) fn applications() -> Result<Applications, AppError> {
    crate::request::service::<Applications>()
}

/// A service as the catalogue lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub slug: String,
    pub name: Text,
    pub summary: Text,
    pub agency_short_name: String,
    pub lowest_fee_cents: Option<i64>,
    pub processing_time: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueView {
    pub services: Vec<ServiceCard>,
    pub agencies: Vec<Agency>,
    pub categories: Vec<Category>,
}

#[server(endpoint = "services/search")]
pub async fn search_services(q: String, agency: String, category: String) -> Result<CatalogueView, AppError> {
    let applications = applications()?;
    let catalogue = &applications.catalogue;
    let services = catalogue
        .search(&q, &agency, &category)
        .into_iter()
        .map(|s| ServiceCard {
            slug: s.slug.clone(),
            name: s.name.clone(),
            summary: s.summary.clone(),
            agency_short_name: catalogue.agency(&s.agency).map(|a| a.short_name.clone()).unwrap_or_default(),
            lowest_fee_cents: s.lowest_fee_cents(),
            processing_time: s.processing_time.clone(),
        })
        .collect();
    Ok(CatalogueView { services, agencies: catalogue.agencies.clone(), categories: catalogue.categories.clone() })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    pub service: Service,
    pub agency: Agency,
}

#[server(endpoint = "services/details")]
pub async fn service_details(slug: String) -> Result<ServiceInfo, AppError> {
    let applications = applications()?;
    let service = applications.catalogue.service(&slug).ok_or_else(|| with_status(AppError::NotFound))?;
    let agency = applications.catalogue.agency(&service.agency).cloned().ok_or(AppError::Internal)?;
    Ok(ServiceInfo { service: service.clone(), agency })
}

#[server(endpoint = "applications/form")]
pub async fn application_form(service: String, reference: String, return_to: String) -> Result<FormState, AppError> {
    let citizen = logged_in(&return_to).await?;
    applications()?.form(&citizen, &FormTarget::from_fields(&service, &reference)).await.map_err(with_status)
}

/// Where a form's page is: `/services/<slug>/apply` or `/applications/<reference>/edit`, at `step`.
#[cfg(feature = "ssr")]
fn form_href(service: &str, reference: &str, step: &str) -> String {
    let base = if reference.trim().is_empty() { format!("/services/{}/apply", service.trim()) } else { format!("/applications/{}/edit", reference.trim()) };
    format!("{base}?step={step}")
}

#[server(endpoint = "applications/save-step")]
pub async fn save_step(service: String, reference: String, step: u32, answers: Option<HashMap<String, String>>) -> Result<(), AppError> {
    let return_to = form_href(&service, &reference, &(step + 1).to_string());
    let citizen = logged_in(&return_to).await?;
    let applications = applications()?;
    let target = FormTarget::from_fields(&service, &reference);
    applications.save_step(&citizen, &target, step as usize, &answers.unwrap_or_default()).await.map_err(with_status)?;
    let steps = applications.form(&citizen, &target).await.map(|f| f.service.steps.len() as u32).unwrap_or(0);
    let next = if step + 1 < steps { (step + 2).to_string() } else { "declaration".to_string() };
    leptos_axum::redirect(&form_href(&service, &reference, &next));
    Ok(())
}

#[server(endpoint = "applications/declaration")]
pub async fn accept_declaration(service: String, reference: String, declaration: Option<String>) -> Result<(), AppError> {
    let citizen = logged_in(&form_href(&service, &reference, "declaration")).await?;
    let target = FormTarget::from_fields(&service, &reference);
    applications()?.accept_declaration(&citizen, &target, declaration.as_deref() == Some("yes")).await.map_err(with_status)?;
    leptos_axum::redirect(&form_href(&service, &reference, "check"));
    Ok(())
}

#[server(endpoint = "applications/submit")]
pub async fn submit_application(service: String, reference: String) -> Result<(), AppError> {
    let citizen = logged_in(&form_href(&service, &reference, "check")).await?;
    let target = FormTarget::from_fields(&service, &reference);
    let reference = applications()?.submit(&citizen, &target).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("/applications/{reference}?submitted=1"));
    Ok(())
}

#[server(endpoint = "applications/withdraw")]
pub async fn withdraw_application(reference: String, version: i64) -> Result<(), AppError> {
    let citizen = logged_in(&format!("/applications/{reference}")).await?;
    applications()?.withdraw(&citizen, &reference, version).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("/applications/{reference}"));
    Ok(())
}

#[server(endpoint = "applications/mine")]
pub async fn my_applications(return_to: String) -> Result<Vec<ApplicationSummary>, AppError> {
    let citizen = logged_in(&return_to).await?;
    applications()?.my_applications(&citizen).await.map_err(with_status)
}

#[server(endpoint = "applications/one")]
pub async fn my_application(reference: String) -> Result<ApplicationDetails, AppError> {
    let citizen = logged_in(&format!("/applications/{reference}")).await?;
    applications()?.my_application(&citizen, &reference).await.map_err(with_status)
}

#[server(endpoint = "notifications")]
pub async fn my_notifications() -> Result<Vec<NotificationView>, AppError> {
    let citizen = logged_in("/dashboard").await?;
    applications()?.notifications(&citizen, 10).await.map_err(with_status)
}

/// Everything the portal told the citizen, newest first (`/notifications`).
#[server(endpoint = "notifications/all")]
pub async fn notification_centre() -> Result<Vec<NotificationView>, AppError> {
    let citizen = logged_in("/notifications").await?;
    applications()?.notifications(&citizen, 100).await.map_err(with_status)
}

/// Marks one notification as read, or every one when `id` is absent.
#[server(endpoint = "notifications/read")]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<(), AppError> {
    let citizen = logged_in("/notifications").await?;
    applications()?.mark_notifications_read(&citizen, id).await.map_err(with_status)?;
    leptos_axum::redirect("/notifications");
    Ok(())
}

// ------------------------------------------------------------ officers

#[server(endpoint = "officer/queue")]
pub async fn officer_queue(service: String, status: String, after: String, return_to: String) -> Result<Queue, AppError> {
    let officer = logged_in(&return_to).await?;
    applications()?.queue(&officer, &service, &status, &after).await.map_err(with_status)
}

#[server(endpoint = "officer/application")]
pub async fn officer_application(reference: String, reason: String) -> Result<ApplicationDetails, AppError> {
    let officer = logged_in(&format!("/officer/applications/{reference}")).await?;
    applications()?.officer_view(&officer, &reference, &reason).await.map_err(with_status)
}

#[server(endpoint = "officer/move")]
pub async fn officer_move(reference: String, version: i64, action: String, note: Option<String>, centre: Option<String>) -> Result<(), AppError> {
    let officer = logged_in(&format!("/officer/applications/{reference}")).await?;
    applications()?
        .officer_move(&officer, &reference, version, &action, note.as_deref().unwrap_or(""), centre.as_deref().unwrap_or(""))
        .await
        .map_err(with_status)?;
    leptos_axum::redirect(&format!("/officer/applications/{reference}?done={action}"));
    Ok(())
}

// ------------------------------------------------------------ admins

/// Every application under review and who holds it (`/admin/claims`).
#[server(endpoint = "admin/claims")]
pub async fn claims_overview() -> Result<Vec<ClaimedApplication>, AppError> {
    let admin = logged_in("/admin/claims").await?;
    applications()?.claims(&admin).await.map_err(with_status)
}

/// Hands an application under review back to its agency's queue.
#[server(endpoint = "admin/claims/release")]
pub async fn release_claim(reference: String, version: i64) -> Result<(), AppError> {
    let admin = admin_in("/admin/claims").await?;
    applications()?.release_claim(&admin, &reference, version).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("/admin/claims?released={}", crate::language::encode_query_value(&reference)));
    Ok(())
}
