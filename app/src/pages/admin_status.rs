//! `/admin/status`: an admin posts a service notice (kind, title and text in both
//! languages, start and optional end, in East Africa Time). A plain form.

use crate::components::forms::{ErrorSummary, Field, FormProblems, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::status::api::PostNotice;
use crate::components::page_signals::live_param;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminStatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let post = ServerAction::<PostNotice>::new();
    let problems = FormProblems::new(post);
    let hint = Some(t_string!(i18n, admin_status.time_hint).to_string());
    view! {
        <p><a href="/admin">{t!(i18n, admin.title)}</a></p>
        <PageTitle title=t_string!(i18n, admin_status.title) />
        {move || live_param(query, "posted").map(|_| view! {
            <div class="banner banner--success" role="status"><p>{t!(i18n, admin_status.posted)} " " <a href="/status">{t!(i18n, status_page.title)}</a></p></div>
        })}
        <h1>{t!(i18n, admin_status.title)}</h1>
        <p>{t!(i18n, admin_status.lead)}</p>
        <ErrorSummary problems />
        <ActionForm action=post>
            <Radios
                problems
                name="kind"
                legend=t_string!(i18n, admin_status.kind).to_string()
                options=vec![
                    ("information", t_string!(i18n, status_page.information).to_string()),
                    ("maintenance", t_string!(i18n, status_page.maintenance).to_string()),
                    ("outage", t_string!(i18n, status_page.outage).to_string()),
                    ("restored", t_string!(i18n, status_page.restored).to_string()),
                ]
            />
            <Field problems name="title_en" label=t_string!(i18n, admin_status.title_en).to_string() />
            <Field problems name="title_sw" label=t_string!(i18n, admin_status.title_sw).to_string() />
            <Field problems name="body_en" label=t_string!(i18n, admin_status.body_en).to_string() />
            <Field problems name="body_sw" label=t_string!(i18n, admin_status.body_sw).to_string() />
            <Field problems name="starts" input_type="datetime-local" label=t_string!(i18n, admin_status.starts).to_string() hint=hint.clone() />
            <Field problems name="ends" input_type="datetime-local" label=t_string!(i18n, admin_status.ends).to_string() hint=hint.clone() />
            <SubmitButton label=t_string!(i18n, admin_status.post).to_string() />
        </ActionForm>
    }
}
