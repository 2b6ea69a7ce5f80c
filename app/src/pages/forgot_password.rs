//! `/forgot-password` and its steps: identifier, where to send the code, the code, the
//! new password. Every answer is the same whether or not an account exists.

use crate::components::forms::{ErrorSummary, Field, FormProblems, PasswordField, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::{reset_ready, SetNewPassword, StartReset};
use crate::pages::login::StartAgain;
use crate::pages::one_time_code::{CodeEntryPage, SendCodeForm};
use crate::components::page_signals::loaded;
use leptos::prelude::*;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<StartReset>::new();
    let problems = FormProblems::new(action);
    view! {
        <PageTitle title=t_string!(i18n, reset.title) />
        <div class="narrow">
            <ErrorSummary problems />
            <h1>{t!(i18n, reset.title)}</h1>
            <p class="lead">{t!(i18n, reset.intro)}</p>
            <ActionForm action>
                <Field problems name="identifier" label=t_string!(i18n, login.identifier).to_string()
                    hint=Some(t_string!(i18n, login.identifier_hint).to_string()) autocomplete="username" spellcheck_off=true />
                <SubmitButton label=t_string!(i18n, login.next_step).to_string() />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn ForgotMethodPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle title=t_string!(i18n, reset.method_title) />
        <div class="narrow">
            <h1>{t!(i18n, reset.method_title)}</h1>
            <p>{t!(i18n, reset.if_exists)}</p>
            <SendCodeForm
                purpose="reset"
                options=vec![("sms", t_string!(i18n, reset.by_sms).to_string()), ("email", t_string!(i18n, reset.by_email).to_string())]
            />
        </div>
    }
}

#[component]
pub fn ForgotCodePage() -> impl IntoView {
    view! { <CodeEntryPage purpose="reset" /> }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetNewPassword>::new();
    let problems = FormProblems::new(action);
    let ready = Resource::new(|| (), |_| reset_ready());
    view! {
        <PageTitle title=t_string!(i18n, reset.new_password_title) />
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    if loaded(ready).await.unwrap_or(false) {
                        view! {
                            <ErrorSummary problems />
                            <h1>{t!(i18n, reset.new_password_title)}</h1>
                            <ActionForm action>
                                <PasswordField problems name="password" label=t_string!(i18n, register.password).to_string()
                                    hint=Some(t_string!(i18n, register.password_hint).to_string()) autocomplete="new-password" />
                                <PasswordField problems name="password_confirm" label=t_string!(i18n, register.password_confirm).to_string() autocomplete="new-password" />
                                <SubmitButton label=t_string!(i18n, reset.save).to_string() />
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <StartAgain href="/forgot-password" /> }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}
