//! `/register` (check the details against the registry) and `/register/details`
//! (contacts and password).

use crate::components::forms::{ErrorSummary, Field, FormProblems, PasswordField, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::{registration_person, CompleteRegistration, StartRegistration};
use crate::components::page_signals::loaded;
use leptos::prelude::*;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<StartRegistration>::new();
    let problems = FormProblems::new(action);
    view! {
        <PageTitle title=t_string!(i18n, register.title) />
        <div class="narrow">
            <ErrorSummary problems />
            <h1>{t!(i18n, register.title)}</h1>
            <p class="lead">{t!(i18n, register.intro)}</p>
            <ActionForm action>
                <Radios
                    problems
                    name="account_type"
                    legend=t_string!(i18n, register.account_type).to_string()
                    options=vec![
                        ("citizen", t_string!(i18n, register.citizen).to_string()),
                        ("foreign_resident", t_string!(i18n, register.foreign_resident).to_string()),
                    ]
                />
                <Field problems name="id_number" label=t_string!(i18n, register.id_number).to_string()
                    hint=Some(t_string!(i18n, register.id_number_hint).to_string()) autocomplete="off" spellcheck_off=true class="input--medium" />
                <Field problems name="first_name" label=t_string!(i18n, register.first_name).to_string()
                    hint=Some(t_string!(i18n, register.first_name_hint).to_string()) autocomplete="given-name" spellcheck_off=true />
                <Field problems name="year_of_birth" label=t_string!(i18n, register.year_of_birth).to_string()
                    hint=Some(t_string!(i18n, register.year_of_birth_hint).to_string()) inputmode="numeric" maxlength="4" autocomplete="bday-year" class="input--short" />
                <SubmitButton label=t_string!(i18n, register.validate).to_string() />
            </ActionForm>
            <p>{t!(i18n, register.have_account)} " " <a href="/login">{t!(i18n, nav.login)}</a></p>
            <p class="hint">{t!(i18n, register.already_registered_help)} " " <a href="/forgot-password">{t!(i18n, reset.title)}</a></p>
        </div>
    }
}

#[component]
pub fn RegisterDetailsPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CompleteRegistration>::new();
    let problems = FormProblems::new(action);
    let person = Resource::new(|| (), |_| registration_person());
    view! {
        <PageTitle title=t_string!(i18n, register.details_title) />
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded(person).await {
                        Ok(Some(full_name)) => view! {
                            <ErrorSummary problems />
                            <h1>{t!(i18n, register.details_title)}</h1>
                            <div class="panel panel--confirm">
                                <p class="panel__label">{t!(i18n, register.found)}</p>
                                <p class="panel__value">{full_name}</p>
                            </div>
                            <ActionForm action>
                                <Field problems name="email" label=t_string!(i18n, register.email).to_string() input_type="email"
                                    autocomplete="email" spellcheck_off=true />
                                <Field problems name="phone" label=t_string!(i18n, register.phone).to_string()
                                    hint=Some(t_string!(i18n, register.phone_hint).to_string()) input_type="tel" autocomplete="tel" inputmode="tel" class="input--medium" />
                                <PasswordField problems name="password" label=t_string!(i18n, register.password).to_string()
                                    hint=Some(t_string!(i18n, register.password_hint).to_string()) autocomplete="new-password" />
                                <PasswordField problems name="password_confirm" label=t_string!(i18n, register.password_confirm).to_string() autocomplete="new-password" />
                                <SubmitButton label=t_string!(i18n, register.create).to_string() />
                            </ActionForm>
                        }.into_any(),
                        _ => view! {
                            <h1>{t!(i18n, register.details_title)}</h1>
                            <p>{t!(i18n, problems.flow_expired)}</p>
                            <p><a class="button button--primary" href="/register">{t!(i18n, register.start_again)}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
