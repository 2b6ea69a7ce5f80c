//! `/applications/<reference>/pay`: what is owed (invoice number, fee lines, total) and
//! three ways to pay it. After "Pay with M-Pesa" the page follows the attempt
//! (`?payment=<id>`), asking every few seconds until the phone has answered.

use crate::components::forms::{ErrorSummary, Field, FormProblems, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::islands::PaymentWatch;
use crate::pages::not_found::NotFoundPage;
use crate::payments::api::{payment_overview, CheckPayment, PayWithCard, PayWithMpesa};
use crate::payments::views::{InvoiceView, MoneyTaken, PayPage, PaymentView};
use crate::money::format_kes;
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Why an attempt failed, in plain words (Daraja's and the card gateway's codes).
pub fn failure_text(i18n: I18nContext<Locale>, code: Option<i64>) -> String {
    match code {
        Some(1) => t_string!(i18n, pay.fail_funds),
        Some(1032) => t_string!(i18n, pay.fail_cancelled),
        Some(1036) | Some(1037) => t_string!(i18n, pay.fail_no_answer),
        Some(2001) => t_string!(i18n, pay.fail_pin),
        Some(5) => t_string!(i18n, pay.fail_declined),
        Some(51) => t_string!(i18n, pay.fail_card_funds),
        _ => t_string!(i18n, pay.fail_other),
    }
    .to_string()
}

#[component]
pub fn PayPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || live_param(params, "reference").unwrap_or_default();
    let followed = move || live_param(query, "payment").and_then(|p| p.parse::<i64>().ok());
    let page = Resource::new_blocking(move || (reference(), followed()), |(reference, payment)| payment_overview(reference, payment));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(page).await {
                    Ok(page) => view! { <PayContent page /> }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PayContent(page: PayPage) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let invoice = page.invoice.clone();
    let open = matches!(invoice.status.as_str(), "unpaid" | "pending");
    let waiting = page.payment.as_ref().is_some_and(|p| p.status == "pending");
    view! {
        <PageTitle title=t_string!(i18n, pay.title) />
        <nav class="breadcrumbs" aria-label=t_string!(i18n, service.breadcrumbs)>
            <a href=format!("/applications/{}", page.reference)>{page.reference.clone()}</a>
        </nav>
        <p class="caption">{page.service_name.get(locale)}</p>
        <h1>{t!(i18n, pay.title)}</h1>
        <div aria-live="polite">
            {page.payment.clone().map(|payment| view! { <AttemptStatus reference=page.reference.clone() payment /> })}
        </div>
        <InvoiceSummary invoice=invoice.clone() />
        {(invoice.status == "paid").then(|| view! { <p><a href="/payments">{t!(i18n, pay.history)}</a></p> })}
        {(open && !waiting).then(|| view! { <WaysToPay page=page.clone() /> })}
    }
}

#[component]
fn InvoiceSummary(invoice: InvoiceView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <table class="table invoice">
            <caption class="invoice__caption">{t!(i18n, pay.invoice)} " " <span class="mono">{invoice.number.clone()}</span></caption>
            <tbody>
                <tr><th scope="row">{t!(i18n, pay.service_fee)}</th><td class="numeric">{format_kes(invoice.service_fee_cents)}</td></tr>
                <tr><th scope="row">{t!(i18n, pay.convenience_fee)}</th><td class="numeric">{format_kes(invoice.convenience_fee_cents)}</td></tr>
                <tr class="invoice__total"><th scope="row">{t!(i18n, pay.total)}</th><td class="numeric">{format_kes(invoice.total_cents)}</td></tr>
            </tbody>
        </table>
        {(invoice.status != "paid").then(|| view! { <p class="hint">{t!(i18n, pay.expires)} " " {format_time(invoice.expires_at, locale)}</p> })}
    }
}

#[component]
fn AttemptStatus(reference: String, payment: PaymentView) -> impl IntoView {
    let i18n = use_i18n();
    let check = ServerAction::<CheckPayment>::new();
    match payment.status.as_str() {
        "pending" => view! {
            <div class="banner banner--pending" role="status">
                <h2 class="banner__title">{t!(i18n, pay.check_phone)}</h2>
                <p>{t!(i18n, pay.check_phone_body)}</p>
                <PaymentWatch reference=reference.clone() payment=payment.id label=t_string!(i18n, pay.updates_itself).to_string() />
            </div>
            <ActionForm action=check>
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="payment" value=payment.id.to_string() />
                <SubmitButton label=t_string!(i18n, pay.check_again).to_string() />
            </ActionForm>
        }
        .into_any(),
        "succeeded" => view! {
            <div class="banner banner--success" role="status">
                <h2 class="banner__title">{t!(i18n, pay.paid_title)}</h2>
                <p>{format_kes(payment.amount_cents)} " · " {payment.paid_with.clone()}</p>
            </div>
            {payment.receipt_number.map(|number| view! {
                <p><a class="button button--primary" href=format!("/receipts/{number}")>{t!(i18n, pay.view_receipt)}</a></p>
            })}
        }
        .into_any(),
        _ => {
            // Say "nothing was taken" only when the provider said so.
            let fate = match payment.money_taken() {
                Some(MoneyTaken::NotKnown) => t_string!(i18n, pay.fate_unknown).to_string(),
                Some(MoneyTaken::KeptForRefund) => t_string!(i18n, pay.money_kept).to_string(),
                _ => t_string!(i18n, pay.nothing_taken).to_string(),
            };
            view! {
                <div class="banner banner--attention" role="alert">
                    <h2 class="banner__title">{t!(i18n, pay.failed_title)}</h2>
                    <p>{failure_text(i18n, payment.result_code)}</p>
                    <p>{fate}</p>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn WaysToPay(page: PayPage) -> impl IntoView {
    let i18n = use_i18n();
    let mpesa = ServerAction::<PayWithMpesa>::new();
    let card = ServerAction::<PayWithCard>::new();
    let mpesa_problems = FormProblems::new(mpesa);
    let card_problems = FormProblems::new(card);
    let total = format_kes(page.invoice.total_cents);
    let retry = page.payment.as_ref().is_some_and(|p| p.status != "pending" && p.status != "succeeded");
    let pay_label = t_string!(i18n, pay.pay_amount).replace("{amount}", &total);
    let (reference, card_reference) = (page.reference.clone(), page.reference.clone());
    let (mpesa_key, card_key) = (page.attempt_key.clone(), format!("{}-card", page.attempt_key));
    let (phone, card_label) = (page.phone.clone(), pay_label.clone());
    let (paybill_number, invoice_number) = (page.paybill_number.clone(), page.invoice.number.clone());
    view! {
        <section class="pay-method" aria-labelledby="mpesa-title">
            <h2 id="mpesa-title">{if retry { t_string!(i18n, pay.try_again) } else { t_string!(i18n, pay.mpesa_title) }}</h2>
            <ErrorSummary problems=mpesa_problems />
            <ActionForm action=mpesa>
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="attempt_key" value=mpesa_key />
                <Field problems=mpesa_problems name="phone" label=t_string!(i18n, pay.phone).to_string()
                    hint=Some(t_string!(i18n, pay.phone_hint).to_string()) input_type="tel" inputmode="tel" autocomplete="tel" value=phone class="input--medium" />
                <SubmitButton label=pay_label />
            </ActionForm>
        </section>
        <details class="details pay-method">
            <summary>{t!(i18n, pay.card_title)}</summary>
            <ErrorSummary problems=card_problems />
            <ActionForm action=card>
                <input type="hidden" name="reference" value=card_reference />
                <input type="hidden" name="attempt_key" value=card_key />
                <Field problems=card_problems name="card_number" label=t_string!(i18n, pay.card_number).to_string() inputmode="numeric" autocomplete="cc-number" class="input--medium" />
                <Field problems=card_problems name="expiry" label=t_string!(i18n, pay.expiry).to_string() hint=Some(t_string!(i18n, pay.expiry_hint).to_string())
                    inputmode="numeric" autocomplete="cc-exp" class="input--short" />
                <Field problems=card_problems name="cvc" label=t_string!(i18n, pay.cvc).to_string() inputmode="numeric" autocomplete="cc-csc" maxlength="4" class="input--short" />
                <SubmitButton label=card_label />
            </ActionForm>
        </details>
        <details class="details pay-method">
            <summary>{t!(i18n, pay.paybill_title)}</summary>
            <ol class="list list--number">
                <li>{t!(i18n, pay.paybill_step1)}</li>
                <li>{t!(i18n, pay.paybill_business)} " " <strong class="mono">{paybill_number}</strong></li>
                <li>{t!(i18n, pay.paybill_account)} " " <strong class="mono">{invoice_number}</strong></li>
                <li>{t!(i18n, pay.paybill_amount)} " " <strong>{total}</strong></li>
            </ol>
            <p class="hint">{t!(i18n, pay.paybill_note)}</p>
        </details>
    }
}
