//! Service status's server functions: the banner every page shows, `/status`, hiding a
//! notice (remembered by a cookie, so it works without JavaScript), and posting one.

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::status::views::Notice;

/// What the banner at the top of every page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    pub notices: Vec<Notice>,
    /// The database did not answer: some services are unavailable.
    pub degraded: bool,
}

/// The cookie that remembers which notices this browser hid.
#[cfg(feature = "ssr")]
const HIDDEN_COOKIE: &str = "raia_hidden_notices";

#[cfg(feature = "ssr")]
fn hidden_notices() -> Vec<i64> {
    use_context::<http::request::Parts>()
        .and_then(|parts| crate::cookies::cookie_value(&parts.headers, HIDDEN_COOKIE))
        .map(|value| value.split('.').filter_map(|id| id.parse().ok()).collect())
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn now() -> i64 {
    use crate::clock::Clock;
    crate::clock::SystemClock.now()
}

/// Current notices this browser has not hidden; `degraded` when the database is down.
#[server(endpoint = "status/banner")]
pub async fn status_banner() -> Result<Banner, AppError> {
    let db = crate::request::service::<crate::db::Db>()?;
    let hidden = hidden_notices();
    match crate::status::notices::current(&db, now()).await {
        Ok(notices) => Ok(Banner { notices: notices.into_iter().filter(|n| !hidden.contains(&n.id)).collect(), degraded: false }),
        Err(error) => {
            tracing::warn!(%error, "service notices unavailable: showing the degraded banner");
            Ok(Banner { notices: Vec::new(), degraded: true })
        }
    }
}

/// `/status`: every notice (current ones first), or that the database is down.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusOverview {
    pub current: Vec<Notice>,
    pub other: Vec<Notice>,
    pub degraded: bool,
}

#[server(endpoint = "status/all")]
pub async fn status_page() -> Result<StatusOverview, AppError> {
    let db = crate::request::service::<crate::db::Db>()?;
    let now = now();
    match crate::status::notices::latest(&db, 50).await {
        Ok(notices) => {
            let (current, other) = notices.into_iter().partition(|n| n.is_current(now));
            Ok(StatusOverview { current, other, degraded: false })
        }
        Err(_) => Ok(StatusOverview { degraded: true, ..Default::default() }),
    }
}

/// Hides a notice in this browser for 30 days, then goes back to the page it was on.
#[server(endpoint = "status/hide")]
pub async fn hide_notice(id: i64, next: Option<String>) -> Result<(), AppError> {
    let mut hidden = hidden_notices();
    if !hidden.contains(&id) {
        hidden.push(id);
    }
    // The newest twenty are enough: older notices have ended.
    let start = hidden.len().saturating_sub(20);
    let value: Vec<String> = hidden[start..].iter().map(i64::to_string).collect();
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!("{HIDDEN_COOKIE}={}; Path=/; Max-Age=2592000; SameSite=Lax", value.join("."));
        if let Ok(header) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, header);
        }
    }
    leptos_axum::redirect(crate::language::safe_return_path(next.as_deref()));
    Ok(())
}

#[server(endpoint = "admin/status")]
#[allow(clippy::too_many_arguments)]
pub async fn post_notice(kind: Option<String>, title_en: String, title_sw: String, body_en: String, body_sw: String, starts: String, ends: String) -> Result<(), AppError> {
    use crate::request::with_status;
    let admin = crate::identity::web::admin_in("/admin/status").await?;
    let db = crate::request::service::<crate::db::Db>()?;
    let kind = kind.unwrap_or_default();
    let new = crate::status::notices::NewNotice { kind: &kind, title_en: &title_en, title_sw: &title_sw, body_en: &body_en, body_sw: &body_sw, starts: &starts, ends: &ends };
    crate::status::notices::insert(&db, &new, admin.id, now()).await.map_err(with_status)?;
    leptos_axum::redirect("/admin/status?posted=1");
    Ok(())
}
