//! `/dashboard`: the citizen's home once logged in: their latest applications with what
//! to do next, and what changed (notifications).

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::current_citizen;
use crate::pages::applications::ApplicationList;
use crate::pages::notifications::NotificationList;
use crate::services::api::{my_applications, my_notifications};
use crate::components::page_signals::loaded;
use leptos::prelude::*;

/// How many applications the dashboard shows before "See all".
const LATEST: usize = 5;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    // Blocking, so a logged-out visit is redirected before any HTML is sent.
    let citizen = Resource::new_blocking(|| (), |_| current_citizen("/dashboard".to_string()));
    let applications = Resource::new_blocking(|| (), |_| my_applications("/dashboard".to_string()));
    let notifications = Resource::new_blocking(|| (), |_| my_notifications());
    view! {
        <PageTitle title=t_string!(i18n, dashboard.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match (loaded(citizen).await, loaded(applications).await, loaded(notifications).await) {
                    (Ok(Some(me)), Ok(applications), Ok(notifications)) => {
                        let more = applications.len() > LATEST;
                        let latest: Vec<_> = applications.into_iter().take(LATEST).collect();
                        view! {
                            <div class="dashboard-head">
                                <div>
                                    <h1>{t!(i18n, dashboard.greeting)} " " {me.full_name.clone()}</h1>
                                    <p class="hint">{t!(i18n, dashboard.id_number)} " " <span class="mono">{me.masked_id_number.clone()}</span></p>
                                </div>
                            </div>
                            <div class="panel-grid panel-grid--wide">
                                <section class="panel" aria-labelledby="applications-title">
                                    <h2 id="applications-title">{t!(i18n, dashboard.applications)}</h2>
                                    {if latest.is_empty() {
                                        view! { <p>{t!(i18n, dashboard.no_applications)}</p> }.into_any()
                                    } else {
                                        view! { <ApplicationList items=latest /> }.into_any()
                                    }}
                                    <p>
                                        {more.then(|| view! { <a href="/applications">{t!(i18n, dashboard.see_all)}</a> " · " })}
                                        <a href="/services">{t!(i18n, dashboard.apply_for_service)}</a>
                                    </p>
                                </section>
                                <section class="panel" aria-labelledby="notifications-title">
                                    <h2 id="notifications-title">{t!(i18n, dashboard.notifications)}</h2>
                                    {if notifications.is_empty() {
                                        view! { <p>{t!(i18n, dashboard.no_notifications)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <NotificationList items=notifications />
                                            <p><a href="/notifications">{t!(i18n, notifications.title)}</a></p>
                                        }.into_any()
                                    }}
                                </section>
                                <section class="panel" aria-labelledby="payments-title">
                                    <h2 id="payments-title">{t!(i18n, dashboard.payments)}</h2>
                                    <p><a href="/payments">{t!(i18n, dashboard.see_payments)}</a></p>
                                </section>
                                <section class="panel" aria-labelledby="documents-title">
                                    <h2 id="documents-title">{t!(i18n, documents.title)}</h2>
                                    <p><a href="/my-documents">{t!(i18n, documents.title)}</a></p>
                                </section>
                                <section class="panel" aria-labelledby="vehicles-title">
                                    <h2 id="vehicles-title">{t!(i18n, vehicles.title)}</h2>
                                    <p><a href="/my-vehicles">{t!(i18n, vehicles.title)}</a> " · " <a href="/services/vehicle-transfer">{t!(i18n, vehicles.transfer_one)}</a></p>
                                </section>
                                <section class="panel" aria-labelledby="account-title">
                                    <h2 id="account-title">{t!(i18n, dashboard.account)}</h2>
                                    <p>{t!(i18n, dashboard.account_body)}</p>
                                    <p><a href="/account">{t!(i18n, dashboard.account)}</a></p>
                                </section>
                                <section class="panel" aria-labelledby="support-title">
                                    <h2 id="support-title">{t!(i18n, dashboard.support)}</h2>
                                    <p>{t!(i18n, dashboard.support_body)}</p>
                                    <p><a href="/help">{t!(i18n, help.title)}</a> " · " <a href="/support">{t!(i18n, support.title)}</a></p>
                                </section>
                            </div>
                        }.into_any()
                    }
                    _ => view! { <h1>{t!(i18n, dashboard.title)}</h1><p><a href="/login?next=/dashboard">{t!(i18n, nav.login)}</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
