//! `/services` (the catalogue: search by keyword, filter by agency and category; a plain
//! GET form, so it works without JavaScript) and `/services/<slug>` (what a service costs,
//! what you need, how long it takes, and "Apply").

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::services::api::{search_services, service_details};
use crate::services::catalogue::PaymentDue;
use crate::money::format_kes;
use crate::pages::not_found::NotFoundPage;
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| live_param(query, name).unwrap_or_default();
    let results = Resource::new_blocking(
        move || (param("q"), param("agency"), param("category")),
        |(q, agency, category)| search_services(q, agency, category),
    );
    view! {
        <PageTitle title=t_string!(i18n, catalogue.title) />
        <h1>{t!(i18n, catalogue.title)}</h1>
        <p class="lead">{t!(i18n, catalogue.lead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(view) = loaded(results).await else { return view! { <p>{t!(i18n, problems.internal)}</p> }.into_any() };
                let locale = i18n.get_locale_untracked();
                let (q, agency, category) = (param("q"), param("agency"), param("category"));
                let count = view.services.len();
                view! {
                    <form class="search" method="get" action="/services" role="search">
                        <div class="form-group search__query">
                            <label class="label" for="q">{t!(i18n, catalogue.search_label)}</label>
                            <p class="hint" id="q-hint">{t!(i18n, catalogue.search_hint)}</p>
                            <div class="search__row">
                                <input class="input" type="search" id="q" name="q" value=q aria-describedby="q-hint" />
                                <button type="submit" class="button button--primary">{t!(i18n, catalogue.search)}</button>
                            </div>
                        </div>
                        <div class="search__filters">
                            <div class="form-group">
                                <label class="label" for="agency">{t!(i18n, catalogue.agency)}</label>
                                <select class="select" id="agency" name="agency">
                                    <option value="">{t!(i18n, catalogue.all_agencies)}</option>
                                    {view.agencies.iter().map(|a| {
                                        let selected = a.slug == agency;
                                        view! { <option value=a.slug.clone() selected=selected>{a.name.get(locale)}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="form-group">
                                <label class="label" for="category">{t!(i18n, catalogue.category)}</label>
                                <select class="select" id="category" name="category">
                                    <option value="">{t!(i18n, catalogue.all_categories)}</option>
                                    {view.categories.iter().map(|c| {
                                        let selected = c.slug == category;
                                        view! { <option value=c.slug.clone() selected=selected>{c.name.get(locale)}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                    </form>
                    <p class="results-count" role="status">{t_string!(i18n, catalogue.count).replace("{count}", &count.to_string())}</p>
                    {(count == 0).then(|| view! { <p>{t!(i18n, catalogue.none)} " " <a href="/services">{t!(i18n, catalogue.clear)}</a></p> })}
                    <ul class="service-list">
                        {view.services.into_iter().map(|s| {
                            let fee = match s.lowest_fee_cents {
                                Some(cents) => t_string!(i18n, catalogue.from).replace("{amount}", &format_kes(cents)),
                                None => t_string!(i18n, catalogue.free).to_string(),
                            };
                            view! {
                                <li class="service-list__item">
                                    <h2 class="service-list__title"><a href=format!("/services/{}", s.slug)>{s.name.get(locale)}</a></h2>
                                    <p class="service-list__agency">{s.agency_short_name}</p>
                                    <p>{s.summary.get(locale)}</p>
                                    <p class="service-list__facts"><span>{fee}</span> " · " <span>{s.processing_time.get(locale)}</span></p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || live_param(params, "slug").unwrap_or_default();
    let details = Resource::new_blocking(slug, service_details);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(found) = loaded(details).await else {
                    return view! { <NotFoundPage /> }.into_any();
                };
                let locale = i18n.get_locale_untracked();
                let service = found.service;
                let name = service.name.get(locale);
                let paid_when = match service.payment {
                    PaymentDue::Never => t_string!(i18n, service.free).to_string(),
                    PaymentDue::OnSubmission => t_string!(i18n, service.pay_on_submission).to_string(),
                    PaymentDue::AfterApproval => t_string!(i18n, service.pay_after_approval).to_string(),
                };
                view! {
                    <PageTitle title=name.clone() />
                    <nav class="breadcrumbs" aria-label=t_string!(i18n, service.breadcrumbs)>
                        <a href="/services">{t!(i18n, catalogue.title)}</a>
                    </nav>
                    <p class="caption">{found.agency.name.get(locale)}</p>
                    <h1>{name}</h1>
                    <p class="lead">{service.summary.get(locale)}</p>
                    <div class="two-columns">
                        <div>
                            <h2>{t!(i18n, service.what_you_need)}</h2>
                            <ul class="list list--bullet">
                                {service.requirements.iter().map(|r| view! { <li>{r.get(locale)}</li> }).collect_view()}
                            </ul>
                            <h2>{t!(i18n, service.how_long)}</h2>
                            <p>{service.processing_time.get(locale)}</p>
                            {service.collection.then(|| view! { <p>{t!(i18n, service.collection)}</p> })}
                        </div>
                        <div>
                            <h2>{t!(i18n, service.cost)}</h2>
                            {if service.fee_from_notice() {
                                view! { <p>{t!(i18n, service.fee_from_notice)}</p> }.into_any()
                            } else if service.fees.is_empty() {
                                view! { <p>{t!(i18n, service.free)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <caption class="visually-hidden">{t!(i18n, service.cost)}</caption>
                                        <thead><tr><th scope="col">{t!(i18n, service.option)}</th><th scope="col" class="numeric">{t!(i18n, service.fee)}</th></tr></thead>
                                        <tbody>
                                            {service.fees.iter().map(|f| view! {
                                                <tr><td>{f.label.get(locale)}</td><td class="numeric">{format_kes(f.amount_cents)}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <p class="hint">{paid_when}</p>
                                }.into_any()
                            }}
                        </div>
                    </div>
                    <p><a class="button button--primary button--start" href=format!("/services/{}/apply", service.slug)>{t!(i18n, service.apply)}</a></p>
                    <p class="hint">{t!(i18n, service.login_needed)}</p>
                }.into_any()
            })}
        </Suspense>
    }
}
