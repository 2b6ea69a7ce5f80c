//! Shown by the service worker when a page is asked for and the network is gone.

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::language::safe_return_path;
use crate::components::page_signals::live_param;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    // The service worker sends the citizen here with the page they asked for in `next`.
    let query = use_query_map();
    let retry_href = move || safe_return_path(live_param(query, "next").as_deref()).to_string();
    view! {
        <PageTitle title=t_string!(i18n, offline.title) />
        <div class="narrow">
            <h1>{t!(i18n, offline.title)}</h1>
            <p class="lead">{t!(i18n, offline.body)}</p>
            <p>{t!(i18n, offline.works)}</p>
            <p>{t!(i18n, offline.safe)}</p>
            // A full page load (not client routing), so the network is really tried again.
            <p><a class="button button--primary" href=retry_href rel="external">{t!(i18n, offline.retry)}</a></p>
        </div>
    }
}
