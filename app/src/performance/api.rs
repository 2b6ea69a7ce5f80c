//! `/performance`'s one server function: public, no login, read-only.

use crate::errors::AppError;
use crate::performance::views::PerformancePage;
use leptos::prelude::*;

/// Every agency's and service's figures, counted within the last few minutes (see
/// `cache`); `degraded` (and no figures) when the database does not answer, so the page
/// still says what it is.
#[server(endpoint = "performance")]
pub async fn service_performance() -> Result<PerformancePage, AppError> {
    let applications = crate::request::service::<crate::services::service::Applications>()?;
    let figures = crate::request::service::<crate::performance::cache::FiguresCache>()?;
    let now = applications.clock.now();
    let page = figures
        .get_or_count(now, || async {
            match crate::performance::store::counts(&applications.db, &applications.catalogue, now).await {
                Ok(counts) => crate::performance::service::page(&applications.catalogue, &counts, now),
                Err(error) => {
                    tracing::warn!(%error, "performance figures unavailable");
                    PerformancePage { degraded: true, counted_at: now, ..Default::default() }
                }
            }
        })
        .await;
    Ok(page)
}
