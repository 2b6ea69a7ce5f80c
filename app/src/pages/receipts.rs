//! `/payments` (every attempt and receipt), `/receipts/<number>` (printable on A4, with a
//! QR code for its verification page) and `/verify/<code>` (public: is this receipt genuine?).

use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::islands::PrintButton;
use crate::pages::not_found::NotFoundPage;
use crate::pages::pay::failure_text;
use crate::payments::api::{my_payments, receipt, verify_receipt};
use crate::money::format_kes;
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let payments = Resource::new_blocking(|| (), |_| my_payments());
    view! {
        <PageTitle title=t_string!(i18n, payments.title) />
        <h1>{t!(i18n, payments.title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(payments).await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, dashboard.no_payments)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="application-list">
                            {list.into_iter().map(|p| {
                                let state = match p.status.as_str() {
                                    "succeeded" => t_string!(i18n, payments.succeeded),
                                    "pending" => t_string!(i18n, payments.pending),
                                    _ => t_string!(i18n, payments.failed),
                                };
                                let reason = (p.status == "failed" || p.status == "expired").then(|| failure_text(i18n, p.result_code));
                                view! {
                                    <li class="application-list__item">
                                        <div class="application-list__main">
                                            <h2 class="application-list__title">{p.service_name.get(locale)} " · " {format_kes(p.amount_cents)}</h2>
                                            <p class="application-list__meta">
                                                <a class="mono" href=format!("/applications/{}", p.reference)>{p.reference.clone()}</a>
                                                " · " {p.paid_with.clone()} " · " {format_time(p.created_at, locale)}
                                            </p>
                                        </div>
                                        <div class="application-list__status">
                                            <strong class=if p.status == "succeeded" { "badge badge--done" } else if p.status == "pending" { "badge badge--pending" } else { "badge badge--attention" }>{state}</strong>
                                            {reason.map(|reason| view! { <span class="hint">{reason}</span> })}
                                            {p.receipt_number.map(|n| view! { <a href=format!("/receipts/{n}")>{t!(i18n, pay.view_receipt)}</a> })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let found = Resource::new_blocking(move || live_param(params, "number").unwrap_or_default(), receipt);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(found).await {
                    Ok(r) => view! {
                        <PageTitle title=format!("{} {}", t_string!(i18n, receipt.title), r.number) />
                        <article class="receipt">
                            <header class="receipt__head">
                                <div>
                                    <p class="caption">{t!(i18n, site.name)} " · " {t!(i18n, site.official)}</p>
                                    <h1>{t!(i18n, receipt.title)}</h1>
                                    <p class="mono receipt__number">{r.number.clone()}</p>
                                </div>
                                <figure class="receipt__qr">
                                    <div inner_html=r.qr_svg.clone() role="img" aria-label=t_string!(i18n, receipt.qr_label)></div>
                                    <figcaption class="hint">{t!(i18n, receipt.scan)} <br /> <a href=r.verify_url.clone()>{r.verify_url.clone()}</a></figcaption>
                                </figure>
                            </header>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.service)}</dt><dd class="summary-list__value">{r.service_name.get(locale)}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, officer.reference)}</dt><dd class="summary-list__value mono">{r.reference.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.paid_by)}</dt><dd class="summary-list__value">{r.payer_name.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.paid_with)}</dt><dd class="summary-list__value">{r.paid_with.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.date)}</dt><dd class="summary-list__value">{format_time(r.paid_at, locale)}</dd></div>
                            </dl>
                            <table class="table invoice">
                                <tbody>
                                    <tr><th scope="row">{t!(i18n, pay.service_fee)}</th><td class="numeric">{format_kes(r.service_fee_cents)}</td></tr>
                                    <tr><th scope="row">{t!(i18n, pay.convenience_fee)}</th><td class="numeric">{format_kes(r.convenience_fee_cents)}</td></tr>
                                    <tr class="invoice__total"><th scope="row">{t!(i18n, receipt.total_paid)}</th><td class="numeric">{format_kes(r.total_cents)}</td></tr>
                                </tbody>
                            </table>
                        </article>
                        <p class="no-print">
                            <PrintButton label=t_string!(i18n, receipt.print).to_string() />
                            " " <a href="/payments">{t!(i18n, pay.history)}</a>
                        </p>
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let found = Resource::new_blocking(move || live_param(params, "code").unwrap_or_default(), verify_receipt);
    view! {
        <PageTitle title=t_string!(i18n, verify.title) />
        <div class="narrow">
            <h1>{t!(i18n, verify.title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    match loaded(found).await {
                        Ok(Some(r)) => view! {
                            <div class="banner banner--success" role="status"><h2 class="banner__title">{t!(i18n, verify.genuine)}</h2></div>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.title)}</dt><dd class="summary-list__value mono">{r.number.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.service)}</dt><dd class="summary-list__value">{r.service_name.get(locale)}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.total_paid)}</dt><dd class="summary-list__value">{format_kes(r.total_cents)}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.date)}</dt><dd class="summary-list__value">{format_time(r.paid_at, locale)}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, applications.status)}</dt><dd class="summary-list__value"><strong class="badge badge--done">{t!(i18n, status.paid)}</strong></dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, receipt.paid_by)}</dt><dd class="summary-list__value">{r.masked_name.clone()}</dd></div>
                            </dl>
                        }.into_any(),
                        _ => view! {
                            <div class="banner banner--attention" role="alert">
                                <h2 class="banner__title">{t!(i18n, verify.not_found)}</h2>
                                <p>{t!(i18n, verify.not_found_body)}</p>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
