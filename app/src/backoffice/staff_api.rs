//! The admins' staff page's server functions: list, create, disable or enable staff.

use crate::errors::AppError;
use crate::identity::views::StaffMember;
use crate::services::catalogue::Agency;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::identity::web::{identity, logged_in};
#[cfg(feature = "ssr")]
use crate::request::with_status;
#[cfg(feature = "ssr")]
use crate::request::service;
#[cfg(feature = "ssr")]
use crate::services::service::Applications;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffListing {
    pub staff: Vec<StaffMember>,
    pub agencies: Vec<Agency>,
}

#[server(endpoint = "admin/staff")]
pub async fn staff_overview() -> Result<StaffListing, AppError> {
    let admin = logged_in("/admin").await?;
    let staff = crate::identity::staff::list(&identity()?, &admin).await.map_err(with_status)?;
    Ok(StaffListing { staff, agencies: service::<Applications>()?.catalogue.agencies.clone() })
}

#[server(endpoint = "admin/staff/create")]
pub async fn create_staff(id_number: String, first_name: String, surname: String, email: String, phone: String, role: Option<String>, agency: Option<String>) -> Result<(), AppError> {
    use crate::identity::staff::{self, NewStaff};
    let admin = logged_in("/admin").await?;
    let agencies: Vec<String> = service::<Applications>()?.catalogue.agencies.iter().map(|a| a.slug.clone()).collect();
    let new = NewStaff { id_number, first_name, surname, email, phone, role: role.unwrap_or_default(), agency: agency.unwrap_or_default() };
    staff::create(&identity()?, &admin, &agencies, &new, None).await.map_err(with_status)?;
    leptos_axum::redirect("/admin?created=1");
    Ok(())
}

#[server(endpoint = "admin/staff/disable")]
pub async fn set_staff_disabled(account_id: i64, disabled: bool) -> Result<(), AppError> {
    let admin = logged_in("/admin").await?;
    crate::backoffice::staff_access::set_disabled(&identity()?, &service::<Applications>()?, &admin, account_id, disabled).await.map_err(with_status)?;
    leptos_axum::redirect("/admin");
    Ok(())
}
