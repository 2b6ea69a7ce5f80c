//! `/account/email` and `/account/phone`: a new email address or phone number and the
//! password; `/account/contact/confirm`: the code sent to the new one. Plain forms.

use crate::components::forms::{ErrorSummary, Field, FormProblems, PasswordField, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::security_api::{pending_contact_change, ConfirmContactChange, ResendContactCode, StartContactChange};
use crate::pages::login::StartAgain;
use crate::components::page_signals::loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The change form for `kind` `email` or `phone`.
#[component]
pub fn ContactChangePage(kind: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartContactChange>::new();
    let problems = FormProblems::new(start);
    let is_email = kind == "email";
    let title = if is_email { t_string!(i18n, contact.email_title) } else { t_string!(i18n, contact.phone_title) }.to_string();
    view! {
        <PageTitle title=title.clone() />
        <p><a href="/account">{t!(i18n, account.back)}</a></p>
        <div class="narrow">
            <ErrorSummary problems />
            <h1>{title}</h1>
            <p>{t!(i18n, contact.lead)}</p>
            <ActionForm action=start>
                <input type="hidden" name="kind" value=kind />
                {if is_email {
                    view! { <Field problems name="email" input_type="email" autocomplete="email" spellcheck_off=true label=t_string!(i18n, contact.new_email).to_string() /> }.into_any()
                } else {
                    view! { <Field problems name="phone" input_type="tel" autocomplete="tel" label=t_string!(i18n, contact.new_phone).to_string() hint=Some(t_string!(i18n, contact.phone_hint).to_string()) /> }.into_any()
                }}
                <PasswordField problems name="current_password" autocomplete="current-password" label=t_string!(i18n, account.current_password).to_string() />
                <SubmitButton label=t_string!(i18n, contact.send_code).to_string() />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn EmailChangePage() -> impl IntoView {
    view! { <ContactChangePage kind="email" /> }
}

#[component]
pub fn PhoneChangePage() -> impl IntoView {
    view! { <ContactChangePage kind="phone" /> }
}

#[component]
pub fn ContactConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let confirm = ServerAction::<ConfirmContactChange>::new();
    let problems = FormProblems::new(confirm);
    let resend = ServerAction::<ResendContactCode>::new();
    let resend_problems = FormProblems::new(resend);
    let pending = Resource::new_blocking(|| (), |_| pending_contact_change());
    view! {
        <PageTitle title=t_string!(i18n, code.title) />
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(Some((kind, masked))) = loaded(pending).await else { return view! { <StartAgain href="/account" /> }.into_any() };
                    let lead = if kind == "email" { t_string!(i18n, contact.sent_email) } else { t_string!(i18n, contact.sent_sms) }.replace("{to}", &masked);
                    let resent = query.read_untracked().get("resent").is_some();
                    view! {
                        <ErrorSummary problems />
                        <ErrorSummary problems=resend_problems />
                        {resent.then(|| view! { <div class="banner banner--success" role="status"><p>{t!(i18n, contact.resent)}</p></div> })}
                        <h1>{t!(i18n, code.title)}</h1>
                        <p class="lead">{lead}</p>
                        <ActionForm action=confirm>
                            <Field problems name="code" label=t_string!(i18n, code.label).to_string() hint=Some(t_string!(i18n, code.hint).to_string())
                                inputmode="numeric" autocomplete="one-time-code" maxlength="6" class="input--code" spellcheck_off=true />
                            <SubmitButton label=t_string!(i18n, contact.confirm).to_string() />
                        </ActionForm>
                        <ActionForm action=resend>
                            <p class="resend">
                                {t!(i18n, code.not_received)} " "
                                <button type="submit" class="link-button">{t!(i18n, code.resend)}</button>
                            </p>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}
