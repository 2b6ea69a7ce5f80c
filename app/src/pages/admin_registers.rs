//! `/admin/registers`: changes Raia owes agencies' registers that did not go through: a fine
//! paid through Raia that NTSA refused (paid at a station meanwhile), a transfer approved for
//! a vehicle sold outside Raia, or an order still failing. Each needs a person: a refund, an
//! undone approval, a call to the agency.

use crate::backoffice::registers_api::register_orders_needing_attention;
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::officer::NoAccess;
use crate::components::page_signals::loaded;
use leptos::prelude::*;

#[component]
pub fn AdminRegistersPage() -> impl IntoView {
    let i18n = use_i18n();
    let orders = Resource::new_blocking(|| (), |_| register_orders_needing_attention());
    view! {
        <p><a href="/admin">{t!(i18n, admin.title)}</a></p>
        <PageTitle title=t_string!(i18n, admin_registers.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(orders).await {
                    Ok(orders) => view! {
                        <h1>{t!(i18n, admin_registers.title)}</h1>
                        <p>{t!(i18n, admin_registers.lead)}</p>
                        {if orders.is_empty() {
                            view! { <p>{t!(i18n, admin_registers.none)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-label=t_string!(i18n, admin_registers.title)>
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, admin_registers.ordered)}</th>
                                            <th scope="col">{t!(i18n, admin_registers.what)}</th>
                                            <th scope="col">{t!(i18n, admin_registers.application)}</th>
                                            <th scope="col">{t!(i18n, admin_registers.state)}</th>
                                            <th scope="col">{t!(i18n, admin_registers.answer)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {orders.into_iter().map(|o| {
                                                let what = if o.kind == "pay_fine" { t_string!(i18n, admin_registers.pay_fine) } else { t_string!(i18n, admin_registers.change_owner) };
                                                let state = if o.status == "refused" { t_string!(i18n, admin_registers.refused) } else { t_string!(i18n, admin_registers.retrying) };
                                                view! {
                                                    <tr>
                                                        <td>{format_time(o.created_at, locale)}</td>
                                                        <td>{what} " " <span class="mono">{o.subject.clone()}</span></td>
                                                        <td class="mono">{o.application_reference.clone()}</td>
                                                        <td>{state} " (" {o.attempts} ")"</td>
                                                        <td>{o.outcome.clone().unwrap_or_default()}</td>
                                                    </tr>
                                                }
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
