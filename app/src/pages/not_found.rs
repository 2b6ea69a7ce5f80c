//! The page for an address that does not exist, sent with status 404.

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();

    view! {
        <PageTitle title=t_string!(i18n, not_found.title) />
        <div class="narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.typed)}</p>
            <p>{t!(i18n, not_found.pasted)}</p>
            <p>{t!(i18n, not_found.help)}</p>
            <p><a class="button button--primary" href="/">{t!(i18n, not_found.home_link)}</a></p>
        </div>
    }
}
