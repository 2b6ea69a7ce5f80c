//! `/admin/messages`: every SMS and email Raia wrote, newest first, with where its
//! delivery stands (waiting, being sent, sent, failed and why), so an admin can answer
//! "my code never came". One-time codes are never shown.

use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::backoffice::messages_api::admin_messages;
use crate::pages::officer::NoAccess;
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminMessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || live_param(query, "status").filter(|s| !s.is_empty());
    let messages = Resource::new_blocking(status, admin_messages);
    let state_label = move |state: &str| match state {
        "queued" => t_string!(i18n, admin_messages.queued),
        "sending" => t_string!(i18n, admin_messages.sending),
        "sent" => t_string!(i18n, admin_messages.sent),
        "failed" => t_string!(i18n, admin_messages.failed),
        _ => t_string!(i18n, admin_messages.all),
    };
    view! {
        <p><a href="/admin">{t!(i18n, admin.title)}</a></p>
        <PageTitle title=t_string!(i18n, admin_messages.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                let chosen = query.read_untracked().get("status").unwrap_or_default();
                match loaded(messages).await {
                    Ok(messages) => view! {
                        <h1>{t!(i18n, admin_messages.title)}</h1>
                        <p>{t!(i18n, admin_messages.lead)}</p>
                        <form method="get" action="/admin/messages" class="filter-form">
                            <label class="label" for="status">{t!(i18n, admin_messages.show)}</label>
                            <select class="select" id="status" name="status">
                                {["", "queued", "sending", "sent", "failed"].into_iter().map(|value| view! {
                                    <option value=value selected=chosen == value>{state_label(value)}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button button--secondary">{t!(i18n, admin_messages.filter)}</button>
                        </form>
                        {if messages.is_empty() {
                            view! { <p>{t!(i18n, admin_messages.none)}</p> }.into_any()
                        } else {
                            view! {
                                // Wider than a phone: it scrolls, so it takes keyboard focus to scroll by keys.
                                <div class="table-wrap" tabindex="0" role="region" aria-label=t_string!(i18n, admin_messages.title)>
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, admin_messages.written)}</th>
                                            <th scope="col">{t!(i18n, admin_messages.to)}</th>
                                            <th scope="col">{t!(i18n, admin_messages.state)}</th>
                                            <th scope="col">{t!(i18n, admin_messages.attempts)}</th>
                                            <th scope="col">{t!(i18n, admin_messages.message)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {messages.into_iter().map(|m| view! {
                                                <tr>
                                                    <td>{format_time(m.written_at, locale)}</td>
                                                    <td>{m.channel.to_uppercase()} " " <span class="mono">{m.to.clone()}</span></td>
                                                    <td>
                                                        {state_label(&m.status)}
                                                        {m.last_error.clone().map(|reason| view! { <p class="hint">{t!(i18n, admin_messages.reason)} ": " {reason}</p> })}
                                                    </td>
                                                    <td>{m.attempts}</td>
                                                    <td>{m.body.clone().unwrap_or_else(|| t_string!(i18n, admin_messages.secret).to_string())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NoAccess /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
