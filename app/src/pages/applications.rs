//! `/applications` (the citizen's applications, with status filters) and
//! `/applications/<reference>` (status, what to do next, answers, documents, timeline).

use crate::components::answer_field::answer_text;
use crate::components::forms::{ErrorSummary, FormProblems, SubmitButton};
use crate::components::issued_document::IssuedDocumentPanel;
use crate::components::page_title::PageTitle;
use crate::components::status::{next_step_text, format_time, StatusBadge, Timeline};
use crate::i18n::{t, t_string, use_i18n};
use crate::services::api::{my_application, my_applications, WithdrawApplication};
use crate::pages::vehicles::CancelTransferForm;
use crate::services::transfers_api::CancelTransfer;
use crate::services::catalogue::FieldKind;
use crate::money::format_kes;
use crate::services::status::{Action, Status, Tone};
use crate::services::views::{ApplicationDetails, ApplicationSummary};
use crate::pages::not_found::NotFoundPage;
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The status groups citizens filter by.
fn in_group(status: Status, group: &str) -> bool {
    match group {
        "action" => matches!(status, Status::ActionRequired | Status::AwaitingPayment | Status::Draft | Status::ReadyForCollection),
        "progress" => status.tone() == Tone::Pending,
        "done" => matches!(status.tone(), Tone::Done) || matches!(status, Status::Rejected | Status::Withdrawn),
        _ => true,
    }
}

/// A list of applications with badges and what to do next (also on the dashboard).
#[component]
pub fn ApplicationList(items: Vec<ApplicationSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <ul class="application-list">
            {items.into_iter().map(|item| {
                let next = next_step_text(i18n, item.status, item.amount_due_cents);
                let href = item.href();
                view! {
                    <li class="application-list__item">
                        <div class="application-list__main">
                            <h3 class="application-list__title"><a href=href.clone()>{item.service_name.get(locale)}</a></h3>
                            <p class="application-list__meta">
                                <span class="mono">{item.reference.clone().unwrap_or_else(|| t_string!(i18n, status.draft).to_string())}</span>
                                " · " {format_time(item.updated_at, locale)}
                            </p>
                        </div>
                        <div class="application-list__status">
                            <StatusBadge status=item.status />
                            {next.map(|text| view! { <a class="application-list__next" href=href>{text}</a> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let group = move || live_param(query, "show").unwrap_or_default();
    let items = Resource::new_blocking(|| (), |_| my_applications("/applications".to_string()));
    let filters = [("", "all"), ("action", "action"), ("progress", "progress"), ("done", "done")];
    view! {
        <PageTitle title=t_string!(i18n, applications.title) />
        <h1>{t!(i18n, applications.title)}</h1>
        <nav class="filters" aria-label=t_string!(i18n, applications.filter_label)>
            <ul>
                {filters.into_iter().map(|(value, key)| {
                    let label = match key {
                        "action" => t_string!(i18n, applications.show_action),
                        "progress" => t_string!(i18n, applications.show_progress),
                        "done" => t_string!(i18n, applications.show_done),
                        _ => t_string!(i18n, applications.show_all),
                    };
                    let href = if value.is_empty() { "/applications".to_string() } else { format!("/applications?show={value}") };
                    view! { <li><a href=href aria-current=move || (group() == value).then_some("page")>{label}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(all) = loaded(items).await else { return ().into_any() };
                let shown: Vec<_> = all.into_iter().filter(|a| in_group(a.status, &group())).collect();
                if shown.is_empty() {
                    view! { <p>{t!(i18n, dashboard.no_applications)}</p><p><a class="button button--primary" href="/services">{t!(i18n, home.all_services)}</a></p> }.into_any()
                } else {
                    view! { <ApplicationList items=shown /> }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || live_param(params, "reference").unwrap_or_default();
    let details = Resource::new_blocking(reference, my_application);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(details).await {
                    Ok(app) => view! {
                        {query.read_untracked().get("submitted").map(|_| view! {
                            <div class="banner banner--success" role="status">
                                <h2 class="banner__title">{t!(i18n, applications.submitted_title)}</h2>
                                <p>{t!(i18n, applications.your_reference)} " " <strong class="mono">{app.reference.clone()}</strong></p>
                            </div>
                        })}
                        <ApplicationView app=app.clone() citizen=true>
                            <CitizenActions app />
                        </ApplicationView>
                    }.into_any(),
                    Err(crate::errors::AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the citizen can do now: pay, correct, withdraw.
#[component]
fn CitizenActions(app: ApplicationDetails) -> impl IntoView {
    let i18n = use_i18n();
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let problems = FormProblems::new(withdraw);
    let can_withdraw = app.actions.contains(&Action::Withdraw);
    let cancel_problems = FormProblems::new(ServerAction::<CancelTransfer>::new());
    let can_cancel = app.actions.contains(&Action::Cancel);
    let cancel_reference = app.reference.clone();
    view! {
        <ErrorSummary problems=cancel_problems />
        <ErrorSummary problems />
        {(app.status == Status::AwaitingPayment).then(|| view! {
            <p><a class="button button--primary" href=format!("/applications/{}/pay", app.reference)>
                {next_step_text(i18n, app.status, app.amount_due_cents)}
            </a></p>
        })}
        {(app.status == Status::ActionRequired).then(|| view! {
            <p><a class="button button--primary" href=format!("/applications/{}/edit", app.reference)>{t!(i18n, status.next_correct)}</a></p>
        })}
        {can_withdraw.then(|| view! {
            <details class="details">
                <summary>{t!(i18n, applications.withdraw_title)}</summary>
                <p>{t!(i18n, applications.withdraw_body)}</p>
                <ActionForm action=withdraw>
                    <input type="hidden" name="reference" value=app.reference.clone() />
                    <input type="hidden" name="version" value=app.version.to_string() />
                    <SubmitButton label=t_string!(i18n, applications.withdraw).to_string() />
                </ActionForm>
            </details>
        })}
        {can_cancel.then(|| view! { <CancelTransferForm reference=cancel_reference.clone() version=app.version /> })}
    }
}

/// An application's page body, for the citizen and for officers.
#[component]
pub fn ApplicationView(app: ApplicationDetails, citizen: bool, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let service = app.service.clone();
    let name = service.name.get(locale);
    let next = if citizen { next_step_text(i18n, app.status, app.amount_due_cents).filter(|_| !matches!(app.status, Status::ActionRequired | Status::AwaitingPayment)) } else { None };
    let centre = app.collection_centre.as_ref().and_then(|slug| app.centres.iter().find(|c| &c.slug == slug)).map(|c| format!("{}, {}", c.name, c.town));
    view! {
        <PageTitle title=format!("{} {}", app.reference, name) />
        <p class="caption mono">{app.reference.clone()}</p>
        <h1>{name}</h1>
        <div class="status-panel">
            <p class="status-panel__label">{t!(i18n, applications.status)}</p>
            <p class="status-panel__badge"><StatusBadge status=app.status /></p>
            {next.map(|text| view! { <p class="status-panel__next">{text}</p> })}
            {(app.status == Status::AwaitingPayment).then(|| view! {
                <p class="status-panel__amount">{t!(i18n, applications.amount_due)} " " <strong>{format_kes(app.amount_due_cents)}</strong></p>
            })}
            {app.officer_note.clone().filter(|_| matches!(app.status, Status::ActionRequired | Status::Rejected)).map(|note| view! {
                <div class="status-panel__note"><p class="status-panel__label">{t!(i18n, applications.officer_note)}</p><p>{note}</p></div>
            })}
            {centre.filter(|_| app.status == Status::ReadyForCollection).map(|centre| view! {
                <p>{t!(i18n, applications.collect_at)} " " <strong>{centre}</strong></p>
            })}
        </div>
        {app.issued.clone().map(|document| view! { <IssuedDocumentPanel document citizen /> })}
        {children.map(|children| children())}
        <div class="two-columns">
            <section aria-labelledby="answers-title">
                <h2 id="answers-title">{if citizen { t_string!(i18n, applications.answers) } else { t_string!(i18n, officer.answers) }}</h2>
                {(!citizen).then(|| view! { <p><strong>{t!(i18n, officer.applicant)}</strong> " " {app.applicant_name.clone()}</p> })}
                <dl class="summary-list">
                    {service.fields().filter(|f| f.kind != FieldKind::File).map(|field| {
                        let value = app.answers.get(&field.name).map(|v| answer_text(field, v, locale, &app.centres, &service.fees)).unwrap_or_default();
                        view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">{field.label.get(locale)}</dt>
                                <dd class="summary-list__value">{value}</dd>
                            </div>
                        }
                    }).collect_view()}
                    {notice_facts(i18n, &app)}
                    {register_facts(i18n, &app)}
                </dl>
                {(!app.documents.is_empty()).then(|| view! {
                    <h2>{t!(i18n, applications.documents)}</h2>
                    <ul class="list">
                        {app.documents.iter().map(|doc| {
                            let label = service.fields().find(|f| f.name == doc.field).map(|f| f.label.get(locale)).unwrap_or_default();
                            view! { <li>{label} ": " <a href=doc.href() target="_blank" rel="noopener">{doc.file_name.clone()}</a></li> }
                        }).collect_view()}
                    </ul>
                })}
            </section>
            <section aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t!(i18n, applications.timeline)}</h2>
                <Timeline entries=app.timeline.clone() />
            </section>
        </div>
    }
}

/// What the registers said of the answers (a transfer's vehicle and buyer, a driving
/// licence's classes and expiry): the citizen and the officer read the record, not the form.
fn register_facts(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, app: &ApplicationDetails) -> impl IntoView {
    use crate::services::views::{REGISTER_COUNTERPARTY_NAME, REGISTER_LICENCE_CLASSES, REGISTER_LICENCE_EXPIRY, REGISTER_VEHICLE};
    [
        (REGISTER_VEHICLE, t_string!(i18n, vehicles.vehicle).to_string()),
        (REGISTER_COUNTERPARTY_NAME, t_string!(i18n, vehicles.buyer).to_string()),
        (REGISTER_LICENCE_CLASSES, t_string!(i18n, vehicles.licence_classes).to_string()),
        (REGISTER_LICENCE_EXPIRY, t_string!(i18n, vehicles.licence_expiry).to_string()),
    ]
    .into_iter()
    .filter_map(|(key, label)| {
        let value = app.answers.get(key)?.clone();
        Some(view! { <div class="summary-list__row"><dt class="summary-list__key">{label}</dt><dd class="summary-list__value">{value}</dd></div> })
    })
    .collect_view()
}

/// What NTSA's record says of the notice a fine application pays: the citizen sees what
/// they pay for, and never chose it.
fn notice_facts(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, app: &ApplicationDetails) -> Option<impl IntoView> {
    use crate::services::views::{NOTICE_AMOUNT_CENTS, NOTICE_DATE, NOTICE_OFFENCE_EN, NOTICE_OFFENCE_SW, NOTICE_VEHICLE};
    let amount: i64 = app.answers.get(NOTICE_AMOUNT_CENTS)?.parse().ok()?;
    let offence_key = if i18n.get_locale_untracked() == crate::i18n::Locale::sw { NOTICE_OFFENCE_SW } else { NOTICE_OFFENCE_EN };
    let row = |label: String, value: String| view! { <div class="summary-list__row"><dt class="summary-list__key">{label}</dt><dd class="summary-list__value">{value}</dd></div> };
    Some(view! {
        {row(t_string!(i18n, documents.offence).to_string(), app.answers.get(offence_key).cloned().unwrap_or_default())}
        {row(t_string!(i18n, documents.vehicle).to_string(), app.answers.get(NOTICE_VEHICLE).cloned().unwrap_or_default())}
        {row(t_string!(i18n, documents.offence_date).to_string(), app.answers.get(NOTICE_DATE).cloned().unwrap_or_default())}
        {row(t_string!(i18n, documents.notice_amount).to_string(), format_kes(amount))}
    })
}
