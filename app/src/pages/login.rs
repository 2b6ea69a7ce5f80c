//! `/login` (identifier and password), `/login/method` (where to send the code) and
//! `/login/code` (enter it).

use crate::components::forms::{ErrorSummary, Field, FormProblems, PasswordField, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::{login_destinations, LogIn};
use crate::pages::one_time_code::{CodeEntryPage, SendCodeForm};
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogIn>::new();
    let problems = FormProblems::new(action);
    let query = use_query_map();
    let flag = move |name: &'static str| live_param(query, name).is_some();
    let next = move || live_param(query, "next").unwrap_or_default();
    view! {
        <PageTitle title=t_string!(i18n, login.title) />
        <div class="narrow">
            {move || flag("registered").then(|| view! { <div class="banner banner--success" role="status"><p>{t!(i18n, login.registered)}</p></div> })}
            {move || flag("reset").then(|| view! { <div class="banner banner--success" role="status"><p>{t!(i18n, login.reset_done)}</p></div> })}
            {move || flag("logged_out").then(|| view! { <div class="banner banner--success" role="status"><p>{t!(i18n, login.logged_out)}</p></div> })}
            {move || flag("closed").then(|| view! { <div class="banner banner--success" role="status"><p>{t!(i18n, login.closed)}</p></div> })}
            <ErrorSummary problems />
            <h1>{t!(i18n, login.title)}</h1>
            <ActionForm action>
                <input type="hidden" name="next" value=next />
                <Field problems name="identifier" label=t_string!(i18n, login.identifier).to_string()
                    hint=Some(t_string!(i18n, login.identifier_hint).to_string()) autocomplete="username" spellcheck_off=true />
                <PasswordField problems name="password" label=t_string!(i18n, login.password).to_string() autocomplete="current-password" />
                <SubmitButton label=t_string!(i18n, login.next_step).to_string() />
            </ActionForm>
            <p><a href="/forgot-password">{t!(i18n, login.forgot)}</a></p>
            <p>{t!(i18n, login.no_account)} " " <a href="/register">{t!(i18n, nav.register)}</a></p>
        </div>
    }
}

#[component]
pub fn LoginMethodPage() -> impl IntoView {
    let i18n = use_i18n();
    let destinations = Resource::new(|| (), |_| login_destinations());
    view! {
        <PageTitle title=t_string!(i18n, login.method_title) />
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded(destinations).await {
                        Ok(Some(to)) => {
                            // With an app on, it comes first; SMS and email unless turned off.
                            let mut options = Vec::new();
                            if to.authenticator {
                                options.push(("app", t_string!(i18n, login.by_app).to_string()));
                            }
                            if to.message_codes {
                                options.push(("sms", t_string!(i18n, login.by_sms).to_string().replace("{phone}", &to.phone)));
                                options.push(("email", t_string!(i18n, login.by_email).to_string().replace("{email}", &to.email)));
                            }
                            let selected = Some(if to.authenticator { "app".to_string() } else { to.default_channel.clone() });
                            let with_app = to.authenticator;
                            view! {
                                <h1>{t!(i18n, login.method_title)}</h1>
                                <SendCodeForm purpose="login" options selected with_app />
                            }.into_any()
                        }
                        _ => view! { <StartAgain href="/login" /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn LoginCodePage() -> impl IntoView {
    view! { <CodeEntryPage purpose="login" /> }
}

/// Shown when a step is reached without the steps before it (or after they expired).
#[component]
pub fn StartAgain(href: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, problems.start_again_title)}</h1>
        <p>{t!(i18n, problems.flow_expired)}</p>
        <p><a class="button button--primary" href=href>{t!(i18n, problems.start_again)}</a></p>
    }
}
