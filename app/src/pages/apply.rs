//! Applying: `/services/<slug>/apply` (a draft) and `/applications/<reference>/edit` (a
//! correction an officer asked for). One step of the form per page (`?step=1`…), then
//! the declaration (`?step=declaration`), then "check your answers" (`?step=check`) and
//! submit. Without `step`, the page opens where the citizen left off.

use crate::components::answer_field::{answer_text, AnswerField};
use crate::components::forms::{ErrorSummary, FormProblems, HintAndError, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::services::api::{application_form, AcceptDeclaration, SaveStep, SubmitApplication};
use crate::services::catalogue::{FieldKind, FormField, PaymentDue};
use crate::money::format_kes;
use crate::services::views::FormState;
use crate::pages::not_found::NotFoundPage;
use crate::components::page_signals::{live, live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[derive(Clone, Debug, PartialEq)]
enum Page {
    Step(usize),
    Declaration,
    Check,
}

fn page_for(state: &FormState, step: Option<String>) -> Page {
    match step.as_deref() {
        Some("declaration") => Page::Declaration,
        Some("check") => Page::Check,
        Some(number) => match number.parse::<usize>() {
            Ok(n) if n >= 1 && n <= state.service.steps.len() => Page::Step(n - 1),
            _ => Page::Step(0),
        },
        None => match state.first_incomplete_step {
            Some(step) => Page::Step(step as usize),
            None if state.declaration_accepted => Page::Check,
            None => Page::Declaration,
        },
    }
}

/// `/services/<slug>/apply`
#[component]
pub fn ApplyPage() -> impl IntoView {
    let params = use_params_map();
    view! { <ApplicationForm service=Signal::derive(move || live_param(params, "slug").unwrap_or_default()) reference=Signal::derive(String::new) /> }
}

/// `/applications/<reference>/edit`
#[component]
pub fn CorrectPage() -> impl IntoView {
    let params = use_params_map();
    view! { <ApplicationForm service=Signal::derive(String::new) reference=Signal::derive(move || live_param(params, "reference").unwrap_or_default()) /> }
}

#[component]
fn ApplicationForm(service: Signal<String>, reference: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = use_query_map();
    let here = move || {
        let (path, search) = (live(location.pathname), live(location.search));
        let search = search.trim_start_matches('?');
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    // Blocking: a visitor who is not logged in is redirected before any HTML is sent.
    let form = Resource::new_blocking(move || (live(service), live(reference), live(location.search)), move |(service, reference, _)| application_form(service, reference, here()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(form).await {
                    Ok(state) => {
                        let page = page_for(&state, query.read_untracked().get("step"));
                        let name = state.service.name.get(i18n.get_locale_untracked());
                        let back = state.reference.as_ref().map(|r| format!("/applications/{r}")).unwrap_or_else(|| format!("/services/{}", state.service.slug));
                        view! {
                            <PageTitle title=name.clone() />
                            <nav class="breadcrumbs" aria-label=t_string!(i18n, service.breadcrumbs)><a href=back>{name.clone()}</a></nav>
                            {state.officer_note.clone().filter(|_| state.reference.is_some()).map(|note| view! {
                                <div class="banner banner--attention" role="note">
                                    <h2 class="banner__title">{t!(i18n, apply.officer_asks)}</h2>
                                    <p>{note}</p>
                                </div>
                            })}
                            {match page {
                                Page::Step(index) => view! { <StepPage state index /> }.into_any(),
                                Page::Declaration => view! { <DeclarationPage state /> }.into_any(),
                                Page::Check => view! { <CheckPage state /> }.into_any(),
                            }}
                        }.into_any()
                    }
                    Err(crate::errors::AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Step 2 of 4", and the hidden fields every form of the application carries.
#[component]
fn FormKey(state: FormState) -> impl IntoView {
    view! {
        <input type="hidden" name="service" value=state.service.slug.clone() />
        <input type="hidden" name="reference" value=state.reference.clone().unwrap_or_default() />
    }
}

#[component]
fn StepPage(state: FormState, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let action = ServerAction::<SaveStep>::new();
    let problems = FormProblems::new(action);
    let query = use_query_map();
    let step = state.service.steps[index].clone();
    let total = state.service.steps.len();
    let (files, questions): (Vec<FormField>, Vec<FormField>) = step.fields.iter().cloned().partition(|f| f.kind == FieldKind::File);
    let here = format!("{}?step={}", state.base_href(), index + 1);
    let previous = (index > 0).then(|| format!("{}?step={}", state.base_href(), index));
    view! {
        <ErrorSummary problems />
        <p class="caption">{t_string!(i18n, apply.step_of).replace("{step}", &(index + 1).to_string()).replace("{total}", &total.to_string())}</p>
        <h1>{step.title.get(locale)}</h1>
        {files.into_iter().map(|field| {
            let uploaded = state.documents.iter().find(|d| d.field == field.name).cloned();
            let upload_problem = {
                let name = field.name.clone();
                move || {
                    let query = query.read();
                    (query.get("field").as_deref() == Some(name.as_str())).then(|| query.get("upload_error")).flatten()
                }
            };
            let input_id = format!("{}-file", field.name);
            let upload_problem_shown = upload_problem.clone();
            let field_name = field.name.clone();
            view! {
                <form class="upload" method="post" action="/documents" enctype="multipart/form-data">
                    <FormKey state=state.clone() />
                    <input type="hidden" name="field" value=field.name.clone() />
                    <input type="hidden" name="return_to" value=here.clone() />
                    <div class="form-group" class:form-group--error=move || upload_problem_shown().is_some() || problems.for_field(&field_name).is_some()>
                        <label class="label" for=input_id.clone() id=field.name.clone()>{field.label.get(locale)}</label>
                        <HintAndError problems name=field.name.clone() hint=field.help.as_ref().map(|h| h.get(locale)) />
                        {move || upload_problem().map(|code| view! {
                            <p class="error-message" role="alert">
                                <span class="visually-hidden">{t!(i18n, forms.error_prefix)}</span>
                                {match code.as_str() {
                                    "too_large" => t_string!(i18n, problems.file_too_large),
                                    "wrong_type" => t_string!(i18n, problems.file_wrong_type),
                                    "not_saved" => t_string!(i18n, problems.file_not_saved),
                                    _ => t_string!(i18n, problems.file_required),
                                }}
                            </p>
                        })}
                        {uploaded.map(|doc| view! {
                            <p class="upload__done">
                                <strong>{t!(i18n, apply.uploaded)}</strong> " "
                                <a href=doc.href() target="_blank" rel="noopener">{doc.file_name.clone()}</a>
                                " (" {format!("{} KB", (doc.size_bytes + 1023) / 1024)} ")"
                            </p>
                        })}
                        <input class="file-input" type="file" id=input_id name="file" accept="image/jpeg,image/png,application/pdf" />
                    </div>
                    <button type="submit" class="button button--secondary">{t!(i18n, apply.upload)}</button>
                </form>
            }
        }).collect_view()}
        // A draft step: without a connection, its answers wait on the phone (offline_drafts.js).
        <div class="offline-draft" data-offline-draft="" data-saved-message=t_string!(i18n, apply.offline_saved) data-sent-message=t_string!(i18n, apply.offline_sent) data-fix-message=t_string!(i18n, apply.offline_fix)>
        <p class="offline-draft__note" role="status" data-draft-note=""></p>
        <ActionForm action>
            <FormKey state=state.clone() />
            <input type="hidden" name="step" value=index.to_string() />
            {questions.into_iter().map(|field| {
                let value = state.answers.get(&field.name).cloned().unwrap_or_default();
                view! { <AnswerField problems field value centres=state.centres.clone() fees=state.service.fees.clone() /> }
            }).collect_view()}
            <SubmitButton label=t_string!(i18n, apply.continue_button).to_string() />
        </ActionForm>
        </div>
        {previous.map(|href| view! { <p><a href=href>{t!(i18n, apply.back)}</a></p> })}
        <p class="hint">{t!(i18n, apply.saved_as_draft)}</p>
    }
}

#[component]
fn DeclarationPage(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let action = ServerAction::<AcceptDeclaration>::new();
    let problems = FormProblems::new(action);
    view! {
        <ErrorSummary problems />
        <h1>{t!(i18n, apply.declaration_title)}</h1>
        <div class="declaration"><p>{state.service.declaration.get(locale)}</p></div>
        <ActionForm action>
            <FormKey state=state.clone() />
            <div class="form-group" class:form-group--error=move || problems.for_field("declaration").is_some()>
                <HintAndError problems name="declaration" hint=None />
                <div class="checkbox">
                    <input type="checkbox" id="declaration" name="declaration" value="yes" checked=state.declaration_accepted />
                    <label for="declaration">{t!(i18n, apply.i_declare)}</label>
                </div>
            </div>
            <SubmitButton label=t_string!(i18n, apply.continue_button).to_string() />
        </ActionForm>
    }
}

#[component]
fn CheckPage(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let action = ServerAction::<SubmitApplication>::new();
    let problems = FormProblems::new(action);
    let base = state.base_href();
    let fee_note = match state.service.payment {
        PaymentDue::Never => t_string!(i18n, service.free).to_string(),
        PaymentDue::OnSubmission => t_string!(i18n, apply.pay_now).replace("{amount}", &format_kes(state.amount_due_cents)),
        PaymentDue::AfterApproval => t_string!(i18n, apply.pay_later).replace("{amount}", &format_kes(state.amount_due_cents)),
    };
    let submit_label = if state.reference.is_some() { t_string!(i18n, apply.resubmit) } else { t_string!(i18n, apply.submit) };
    view! {
        <ErrorSummary problems />
        <h1>{t!(i18n, apply.check_title)}</h1>
        {state.service.steps.iter().enumerate().map(|(index, step)| {
            let change = format!("{base}?step={}", index + 1);
            view! {
                <h2 class="summary-heading">{step.title.get(locale)}</h2>
                <dl class="summary-list">
                    {step.fields.iter().map(|field| {
                        let value = if field.kind == FieldKind::File {
                            state.documents.iter().find(|d| d.field == field.name).map(|d| d.file_name.clone()).unwrap_or_default()
                        } else {
                            state.answers.get(&field.name).map(|v| answer_text(field, v, locale, &state.centres, &state.service.fees)).unwrap_or_default()
                        };
                        let label = field.label.get(locale);
                        view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">{label.clone()}</dt>
                                <dd class="summary-list__value">{value}</dd>
                                <dd class="summary-list__action">
                                    <a href=change.clone()>{t!(i18n, apply.change)}<span class="visually-hidden">" " {label}</span></a>
                                </dd>
                            </div>
                        }
                    }).collect_view()}
                </dl>
            }
        }).collect_view()}
        <div class="panel panel--confirm">
            <p class="panel__label">{t!(i18n, apply.amount)}</p>
            <p class="panel__value">{if state.service.payment == PaymentDue::Never { t_string!(i18n, service.free).to_string() } else { format_kes(state.amount_due_cents) }}</p>
            <p>{fee_note}</p>
        </div>
        <ActionForm action>
            <FormKey state=state.clone() />
            <SubmitButton label=submit_label.to_string() />
        </ActionForm>
        <p><a href=format!("{base}?step=declaration")>{t!(i18n, apply.back)}</a></p>
    }
}
