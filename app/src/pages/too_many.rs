//! `/too-many-attempts`: the friendly page behind HTTP 429 for browsers without JavaScript.

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TooManyAttemptsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let seconds = query.read_untracked().get("seconds").and_then(|s| s.parse::<u32>().ok()).unwrap_or(60).clamp(1, 3600);
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::TOO_MANY_REQUESTS);
        if let Ok(value) = http::HeaderValue::from_str(&seconds.to_string()) {
            response.insert_header(http::header::RETRY_AFTER, value);
        }
    }
    view! {
        <PageTitle title=t_string!(i18n, too_many.title) />
        <div class="narrow">
            <h1>{t!(i18n, too_many.title)}</h1>
            <p class="lead">{t_string!(i18n, too_many.body).to_string().replace("{seconds}", &seconds.to_string())}</p>
            <p><a class="button button--primary" href="/login">{t!(i18n, too_many.back)}</a></p>
        </div>
    }
}
