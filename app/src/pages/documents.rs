//! `/my-documents` (every document issued to the citizen, to download again) and
//! `/verify/document` (public: is this document genuine, and does it still stand?).

use crate::components::issued_document::{title_of, DocumentBadge};
use crate::components::page_title::PageTitle;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::issued::api::{my_documents, verify_document};
use crate::issued::views::{DocumentStatus, Verification};
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MyDocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let documents = Resource::new_blocking(|| (), |_| my_documents());
    view! {
        <PageTitle title=t_string!(i18n, documents.title) />
        <h1>{t!(i18n, documents.title)}</h1>
        <p>{t!(i18n, documents.lead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(documents).await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, documents.none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="application-list">
                            {list.into_iter().map(|d| view! {
                                <li class="application-list__item">
                                    <p class="caption mono">{d.number.clone()}</p>
                                    <h2 class="application-list__title">{title_of(&d, locale)}</h2>
                                    <p><DocumentBadge document=d.clone() /></p>
                                    <p>{t!(i18n, documents.issued_on)} " " {d.issued_on.clone()}
                                        {d.expires_on.clone().map(|day| view! { " · " {t!(i18n, documents.valid_until)} " " {day} })}</p>
                                    <p>
                                        <a href=format!("/issued/{}.pdf", d.number) download>{t!(i18n, documents.download)} <span class="visually-hidden">" " {d.number.clone()}</span></a>
                                        " · " <a href=format!("/applications/{}", d.application_reference)>{t!(i18n, documents.application)} " " {d.application_reference.clone()}</a>
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <p>{t!(i18n, problems.unavailable)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn VerifyDocumentPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = move || (live_param(query, "code").unwrap_or_default(), live_param(query, "number").unwrap_or_default());
    let found = Resource::new_blocking(asked, |(code, number)| verify_document(code, number));
    view! {
        <PageTitle title=t_string!(i18n, documents.verify_title) />
        <div class="narrow">
            <h1>{t!(i18n, documents.verify_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let result = match loaded(found).await {
                        Ok(Some(Verification::Genuine { number, template: _, holder_masked, agency, issued_on, expires_on, expired, status, status_reason })) => {
                            let (class, heading) = match (status, expired) {
                                (Some(DocumentStatus::Revoked), _) => ("banner banner--attention", t_string!(i18n, documents.verdict_revoked)),
                                (Some(DocumentStatus::Suspended), _) => ("banner banner--attention", t_string!(i18n, documents.verdict_suspended)),
                                (_, true) => ("banner banner--attention", t_string!(i18n, documents.verdict_expired)),
                                (Some(DocumentStatus::Valid), false) => ("banner banner--success", t_string!(i18n, documents.verdict_valid)),
                                (None, false) => ("banner banner--success", t_string!(i18n, documents.verdict_signed)),
                            };
                            let _ = locale;
                            view! {
                                <div class=class role="status"><h2 class="banner__title">{heading}</h2>
                                    {status_reason.filter(|_| status != Some(DocumentStatus::Valid)).map(|reason| view! { <p>{t!(i18n, documents.reason)} " " {reason}</p> })}
                                </div>
                                <dl class="summary-list">
                                    <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, documents.number)}</dt><dd class="summary-list__value mono">{number}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, documents.holder)}</dt><dd class="summary-list__value">{holder_masked}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, documents.agency)}</dt><dd class="summary-list__value">{agency.to_uppercase()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, documents.issued_on)}</dt><dd class="summary-list__value">{issued_on}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, documents.valid_until)}</dt><dd class="summary-list__value">{expires_on.unwrap_or_else(|| t_string!(i18n, documents.no_expiry).to_string())}</dd></div>
                                </dl>
                            }.into_any()
                        }
                        Ok(Some(Verification::Refused)) => view! {
                            <div class="banner banner--attention" role="alert"><h2 class="banner__title">{t!(i18n, documents.verdict_refused)}</h2><p>{t!(i18n, documents.verdict_refused_body)}</p></div>
                        }.into_any(),
                        Ok(Some(Verification::NotFound)) => view! {
                            <div class="banner banner--attention" role="alert"><h2 class="banner__title">{t!(i18n, documents.verdict_not_found)}</h2><p>{t!(i18n, documents.verdict_refused_body)}</p></div>
                        }.into_any(),
                        _ => ().into_any(),
                    };
                    view! {
                        {result}
                        <form method="get" action="/verify/document" class="stack">
                            <div class="field">
                                <label for="number">{t!(i18n, documents.number_label)}</label>
                                <p class="hint" id="number-hint">{t!(i18n, documents.number_hint)}</p>
                                <input id="number" name="number" class="input mono" autocomplete="off" aria-describedby="number-hint" />
                            </div>
                            <button type="submit" class="button">{t!(i18n, documents.check)}</button>
                        </form>
                        <p class="hint">{t!(i18n, documents.offline_hint)} " " <a href="/.well-known/raia-document-keys.json">"raia-document-keys.json"</a></p>
                    }
                })}
            </Suspense>
        </div>
    }
}
