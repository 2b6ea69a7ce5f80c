//! `/status`: whether Raia's services are working, with current, planned and past
//! notices. Public, and it still answers when the database does not.

use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::status::api::{status_page, Notice};
use crate::components::page_signals::loaded;
use leptos::prelude::*;

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "maintenance" => t_string!(i18n, status_page.maintenance),
        "outage" => t_string!(i18n, status_page.outage),
        "restored" => t_string!(i18n, status_page.restored),
        _ => t_string!(i18n, status_page.information),
    }
}

#[component]
fn NoticeItem(notice: Notice) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <li class="notice-item">
            <p><span class="tag">{kind_label(i18n, &notice.kind)}</span></p>
            <h3>{notice.title.get(locale)}</h3>
            <p>{notice.body.get(locale)}</p>
            <p class="hint">
                {t!(i18n, status_page.from)} " " {format_time(notice.starts_at, locale)}
                {notice.ends_at.map(|end| view! { " " {t!(i18n, status_page.until)} " " {format_time(end, locale)} })}
            </p>
        </li>
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new_blocking(|| (), |_| status_page());
    view! {
        <PageTitle title=t_string!(i18n, status_page.title) />
        <h1>{t!(i18n, status_page.title)}</h1>
        <p>{t!(i18n, status_page.lead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let page = loaded(page).await.unwrap_or_default();
                view! {
                    <h2>{t!(i18n, status_page.current)}</h2>
                    {if page.degraded {
                        view! { <p class="banner banner--attention">{t!(i18n, status_page.degraded)}</p> }.into_any()
                    } else if page.current.is_empty() {
                        view! { <p class="banner">{t!(i18n, status_page.all_well)}</p> }.into_any()
                    } else {
                        view! { <ul class="notice-list">{page.current.into_iter().map(|notice| view! { <NoticeItem notice /> }).collect_view()}</ul> }.into_any()
                    }}
                    <h2>{t!(i18n, status_page.past)}</h2>
                    {if page.other.is_empty() {
                        view! { <p>{t!(i18n, status_page.none)}</p> }.into_any()
                    } else {
                        view! { <ul class="notice-list">{page.other.into_iter().map(|notice| view! { <NoticeItem notice /> }).collect_view()}</ul> }.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
