//! `/dashboard`: the citizen's home once logged in. Later issues fill its sections.

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::current_citizen;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    // Blocking, so a logged-out visit is redirected before any HTML is sent.
    let citizen = Resource::new_blocking(|| (), |_| current_citizen("/dashboard".to_string()));
    view! {
        <PageTitle title=t_string!(i18n, dashboard.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match citizen.await {
                    Ok(Some(me)) => view! {
                        <div class="dashboard-head">
                            <div>
                                <h1>{t!(i18n, dashboard.greeting)} " " {me.full_name.clone()}</h1>
                                <p class="hint">{t!(i18n, dashboard.id_number)} " " <span class="mono">{me.masked_id_number.clone()}</span></p>
                            </div>
                        </div>
                        <div class="panel-grid">
                            <section class="panel" aria-labelledby="applications-title">
                                <h2 id="applications-title">{t!(i18n, dashboard.applications)}</h2>
                                <p>{t!(i18n, dashboard.no_applications)}</p>
                                <p><a href="/services">{t!(i18n, home.all_services)}</a></p>
                            </section>
                            <section class="panel" aria-labelledby="payments-title">
                                <h2 id="payments-title">{t!(i18n, dashboard.payments)}</h2>
                                <p>{t!(i18n, dashboard.no_payments)}</p>
                            </section>
                            <section class="panel" aria-labelledby="notifications-title">
                                <h2 id="notifications-title">{t!(i18n, dashboard.notifications)}</h2>
                                <p>{t!(i18n, dashboard.no_notifications)}</p>
                            </section>
                        </div>
                    }.into_any(),
                    _ => view! { <h1>{t!(i18n, dashboard.title)}</h1><p><a href="/login?next=/dashboard">{t!(i18n, nav.login)}</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
