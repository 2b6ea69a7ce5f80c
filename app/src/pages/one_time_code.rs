//! The two steps login and password reset share: choose where the code goes, then enter it.

use crate::components::forms::{ErrorSummary, Field, FormProblems, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::{SendCode, VerifyCode};
use crate::components::page_signals::live_param;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "How do you want to get your code?": the authenticator app (login only), SMS or email,
/// for `purpose` "login" or "reset".
#[component]
pub fn SendCodeForm(
    purpose: &'static str,
    options: Vec<(&'static str, String)>,
    #[prop(default = None)] selected: Option<String>,
    /// With an authenticator app among the options, nothing may be "sent": other words.
    #[prop(optional)]
    with_app: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SendCode>::new();
    let problems = FormProblems::new(action);
    view! {
        <ErrorSummary problems />
        <ActionForm action>
            <input type="hidden" name="purpose" value=purpose />
            <Radios
                problems
                name="channel"
                legend=if with_app { t_string!(i18n, login.method_legend_app).to_string() } else { t_string!(i18n, login.method_legend).to_string() }
                options
                selected
            />
            <SubmitButton label=if with_app { t_string!(i18n, login.next_step).to_string() } else { t_string!(i18n, login.send_code).to_string() } />
        </ActionForm>
    }
}

/// "Enter your code", with "Resend code", for `purpose` "login" or "reset".
#[component]
pub fn CodeEntryPage(purpose: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyCode>::new();
    let resend = ServerAction::<SendCode>::new();
    let problems = FormProblems::new(verify);
    let resend_problems = FormProblems::new(resend);
    let query = use_query_map();
    let via = move || match live_param(query, "via").as_deref() {
        Some("email") => "email",
        Some("app") if purpose == "login" => "app",
        _ => "sms",
    };
    let lead = move || match (purpose, via()) {
        ("reset", _) => t_string!(i18n, reset.code_sent).to_string(),
        (_, "email") => t_string!(i18n, code.sent_email).to_string(),
        (_, "app") => t_string!(i18n, code.from_app).to_string(),
        _ => t_string!(i18n, code.sent_sms).to_string(),
    };
    // The app's code or a backup code (`abcd-efgh-jkmn`): longer than six digits.
    let from_app = via() == "app";
    let other_method = if purpose == "reset" { "/forgot-password/method" } else { "/login/method" };
    view! {
        <PageTitle title=t_string!(i18n, code.title) />
        <div class="narrow">
            <ErrorSummary problems />
            <ErrorSummary problems=resend_problems />
            <h1>{t!(i18n, code.title)}</h1>
            <p class="lead">{lead}</p>
            <ActionForm action=verify>
                <input type="hidden" name="purpose" value=purpose />
                {if from_app {
                    view! {
                        <Field problems name="code" label=t_string!(i18n, code.label).to_string() hint=Some(t_string!(i18n, code.app_hint).to_string())
                            autocomplete="one-time-code" maxlength="14" class="input--code" spellcheck_off=true />
                    }.into_any()
                } else {
                    view! {
                        <Field problems name="code" label=t_string!(i18n, code.label).to_string() hint=Some(t_string!(i18n, code.hint).to_string())
                            inputmode="numeric" autocomplete="one-time-code" maxlength="6" class="input--code" spellcheck_off=true />
                    }.into_any()
                }}
                <SubmitButton label=t_string!(i18n, login.next_step).to_string() />
            </ActionForm>
            {(!from_app).then(|| view! {
                <ActionForm action=resend>
                    <input type="hidden" name="purpose" value=purpose />
                    <input type="hidden" name="channel" value=via />
                    <p class="resend">
                        {t!(i18n, code.not_received)} " "
                        <button type="submit" class="link-button">{t!(i18n, code.resend)}</button>
                    </p>
                </ActionForm>
            })}
            <p><a href=other_method>{t!(i18n, code.other_method)}</a></p>
        </div>
    }
}
