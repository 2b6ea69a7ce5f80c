//! `/admin/claims`: every application under review and the officer holding it. An admin
//! releases a claim (the application goes back to its agency's queue) when its officer is
//! away; disabling an officer releases their claims by itself.

use crate::components::forms::{ErrorSummary, FormProblems};
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::officer::NoAccess;
use crate::services::api::{claims_overview, ReleaseClaim};
use crate::components::page_signals::{live, live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminClaimsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let release = ServerAction::<ReleaseClaim>::new();
    let problems = FormProblems::new(release);
    let claims = Resource::new_blocking(move || (live(release.version()), live_param(query, "released")), |_| claims_overview());
    view! {
        <p><a href="/admin">{t!(i18n, admin.title)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(claims).await {
                    Ok(claims) => view! {
                        <PageTitle title=t_string!(i18n, admin.claims_title) />
                        {query.read_untracked().get("released").map(|reference| view! {
                            <div class="banner banner--success" role="status">
                                <p>{t_string!(i18n, admin.released).to_string().replace("{reference}", &reference)}</p>
                            </div>
                        })}
                        <h1>{t!(i18n, admin.claims_title)}</h1>
                        <p>{t!(i18n, admin.claims_body)}</p>
                        <ErrorSummary problems />
                        {if claims.is_empty() {
                            view! { <p>{t!(i18n, admin.claims_empty)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, officer.reference)}</th>
                                            <th scope="col">{t!(i18n, officer.service)}</th>
                                            <th scope="col">{t!(i18n, admin.agency)}</th>
                                            <th scope="col">{t!(i18n, admin.claimed_by)}</th>
                                            <th scope="col">{t!(i18n, admin.claimed_at)}</th>
                                            <th scope="col"><span class="visually-hidden">{t!(i18n, admin.release)}</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {claims.into_iter().map(|claim| view! {
                                                <tr>
                                                    <td class="mono">{claim.reference.clone()}</td>
                                                    <td>{claim.service_name.get(locale)}</td>
                                                    <td>{claim.agency_short_name.clone()}</td>
                                                    <td>{claim.claimed_by_name.clone()}</td>
                                                    <td>{format_time(claim.claimed_at, locale)}</td>
                                                    <td>
                                                        // A plain form: it works without JavaScript too.
                                                        <ActionForm action=release attr:class="inline-form">
                                                            <input type="hidden" name="reference" value=claim.reference.clone() />
                                                            <input type="hidden" name="version" value=claim.version.to_string() />
                                                            <button type="submit" class="button button--secondary" disabled=move || release.pending().get()>
                                                                {t!(i18n, admin.release)}
                                                                <span class="visually-hidden">" " {claim.reference.clone()}</span>
                                                            </button>
                                                        </ActionForm>
                                                    </td>
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
