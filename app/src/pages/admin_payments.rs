//! `/admin/payments`: payments needing attention. Money that reached us but could not
//! settle an invoice (no invoice matches, already paid, cancelled or expired, wrong amount)
//! is never dropped: admins see it here, to refund it or apply it.

use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::officer::NoAccess;
use crate::payments::api::payments_needing_attention;
use crate::money::format_kes;
use crate::components::page_signals::loaded;
use leptos::prelude::*;

#[component]
pub fn AdminPaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Resource::new_blocking(|| (), |_| payments_needing_attention());
    view! {
        <PageTitle title=t_string!(i18n, attention.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(listing).await {
                    Ok(rows) => view! {
                        <nav class="breadcrumbs" aria-label=t_string!(i18n, attention.back_label)>
                            <a href="/admin">{t!(i18n, admin.title)}</a>
                        </nav>
                        <h1>{t!(i18n, attention.title)}</h1>
                        <p class="lead">{t!(i18n, attention.lead)}</p>
                        {if rows.is_empty() {
                            view! { <p>{t!(i18n, attention.none)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, attention.received)}</th>
                                            <th scope="col" class="numeric">{t!(i18n, attention.amount)}</th>
                                            <th scope="col">{t!(i18n, attention.from)}</th>
                                            <th scope="col">{t!(i18n, attention.account_number)}</th>
                                            <th scope="col">{t!(i18n, attention.state)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|row| {
                                                let state = if row.kind == "unmatched" { t_string!(i18n, attention.unmatched) } else { t_string!(i18n, attention.refund_due) };
                                                let method = if row.method == "paybill" { "M-Pesa paybill" } else if row.method == "card" { "Card" } else { "M-Pesa" };
                                                let reason = match row.reason.as_str() {
                                                    "no_such_invoice" => t_string!(i18n, attention.reason_no_such_invoice).to_string(),
                                                    "amount_differs" => t_string!(i18n, attention.reason_amount_differs).to_string(),
                                                    "invoice_already_paid" => t_string!(i18n, attention.reason_invoice_already_paid).to_string(),
                                                    "invoice_closed" => t_string!(i18n, attention.reason_invoice_closed).to_string(),
                                                    "unknown_push" => t_string!(i18n, attention.reason_unknown_push).to_string(),
                                                    "withdrawn_after_payment" => t_string!(i18n, attention.reason_withdrawn_after_payment).to_string(),
                                                    other => other.to_string(),
                                                };
                                                view! {
                                                    <tr>
                                                        <td>{format_time(row.created_at, locale)}<br /><span class="hint">{method} " " <span class="mono">{row.mpesa_receipt.clone().unwrap_or_default()}</span></span></td>
                                                        <td class="numeric">{format_kes(row.amount_cents)}</td>
                                                        <td>{row.payer_name.clone().unwrap_or_default()}<br /><span class="mono">{row.phone.clone().unwrap_or_default()}</span></td>
                                                        <td class="mono">{row.account_number.clone().unwrap_or_default()}</td>
                                                        <td><strong>{state}</strong><br /><span class="hint">{reason}</span></td>
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
