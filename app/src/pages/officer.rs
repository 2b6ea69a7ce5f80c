//! The officers' back office: `/officer` (the agency's queue, oldest first, filtered by
//! service and status) and `/officer/applications/<reference>` (answers, documents,
//! timeline, and the moves the officer may make now).

use crate::components::forms::{ErrorSummary, FormProblems};
use crate::components::page_title::PageTitle;
use crate::components::status::{action_text, format_time, status_text, StatusBadge};
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::applications::ApplicationView;
use crate::services::api::{officer_application, officer_queue, OfficerMove};
use crate::services::status::{Action, ALL_STATUSES, Status};
use crate::services::views::ApplicationDetails;
use crate::pages::not_found::NotFoundPage;
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// For a citizen (or anyone not an officer): a plain refusal, answered 403 as the page's
/// server function was, so that no script or cache takes the refusal for the page.
#[component]
pub fn NoAccess() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle title=t_string!(i18n, officer.no_access_title) />
        <h1>{t!(i18n, officer.no_access_title)}</h1>
        <p>{t!(i18n, officer.no_access_body)}</p>
        <p><a href="/dashboard">{t!(i18n, nav.account)}</a></p>
    }
}

#[component]
pub fn OfficerQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| live_param(query, name).unwrap_or_default();
    let queue = Resource::new_blocking(move || (param("service"), param("status"), param("after")), |(service, status, after)| officer_queue(service, status, after, "/officer".to_string()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(queue).await {
                    Ok(queue) => {
                        let (service, status) = (param("service"), param("status"));
                        view! {
                            <PageTitle title=t_string!(i18n, officer.queue_title) />
                            <p class="caption">{queue.agency_name.get(locale)}</p>
                            <h1>{t!(i18n, officer.queue_title)}</h1>
                            <p><a href="/officer/support">{t!(i18n, support.desk_link)}</a></p>
                            <form class="search search__filters" method="get" action="/officer">
                                <div class="form-group">
                                    <label class="label" for="service">{t!(i18n, officer.service)}</label>
                                    <select class="select" id="service" name="service">
                                        <option value="">{t!(i18n, officer.all_services)}</option>
                                        {queue.services.iter().map(|(slug, name)| view! { <option value=slug.clone() selected=*slug == service>{name.get(locale)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="status">{t!(i18n, applications.status)}</label>
                                    <select class="select" id="status" name="status">
                                        <option value="">{t!(i18n, officer.all_statuses)}</option>
                                        {ALL_STATUSES.into_iter().filter(|s| *s != Status::Draft).map(|s| view! {
                                            <option value=s.as_str() selected=s.as_str() == status>{status_text(i18n, s)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button button--secondary">{t!(i18n, officer.filter)}</button>
                            </form>
                            {if queue.items.is_empty() {
                                view! { <p>{t!(i18n, officer.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="table">
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, officer.reference)}</th>
                                                <th scope="col">{t!(i18n, officer.service)}</th>
                                                <th scope="col">{t!(i18n, officer.applicant)}</th>
                                                <th scope="col">{t!(i18n, officer.submitted)}</th>
                                                <th scope="col">{t!(i18n, applications.status)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {queue.items.into_iter().map(|item| view! {
                                                    <tr>
                                                        <td><a class="mono" href=format!("/officer/applications/{}", item.reference)>{item.reference.clone()}</a></td>
                                                        <td>{item.service_name.get(locale)}</td>
                                                        <td>{item.applicant_name}</td>
                                                        <td>{item.submitted_at.map(|at| format_time(at, locale)).unwrap_or_default()}</td>
                                                        <td>
                                                            <StatusBadge status=item.status />
                                                            {item.claimed_by_name.map(|name| view! { <span class="hint">" " {name}</span> })}
                                                        </td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {queue.next.map(|after| view! {
                                        <p><a href=format!("/officer?service={service}&status={status}&after={after}")>{t!(i18n, officer.next_page)}</a></p>
                                    })}
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NoAccess /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn OfficerApplicationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || live_param(params, "reference").unwrap_or_default();
    let reason = move || live_param(query, "reason").unwrap_or_default();
    let details = Resource::new_blocking(move || (reference(), reason(), live_param(query, "done")), |(reference, reason, _)| officer_application(reference, reason));
    view! {
        <p><a href="/officer">{t!(i18n, officer.back_to_queue)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(details).await {
                    Ok(app) => view! {
                        {query.read_untracked().get("done").and_then(|a| Action::parse(&a)).map(|action| view! {
                            <div class="banner banner--success" role="status"><p>{t!(i18n, officer.done)} " " {action_text(i18n, action)}</p></div>
                        })}
                        <ApplicationView app=app.clone() citizen=false />
                        <OfficerActions app />
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(AppError::Forbidden) => view! { <NoAccess /> }.into_any(),
                    Err(error @ AppError::Invalid(_)) => {
                        let tried = query.read_untracked().get("reason").is_some();
                        view! { <ReasonForm reference=reference() error tried /> }.into_any()
                    }
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An application outside the officer's own work opens only once they say why: the
/// applicant reads the reason under "who looked at my data". A plain GET form: the reason
/// comes back as `?reason=`, and the page opens.
#[component]
fn ReasonForm(reference: String, error: AppError, tried: bool) -> impl IntoView {
    let i18n = use_i18n();
    // The first time, a question; after an empty or too long reason, an error too.
    let message = error.problems().into_iter().next().filter(|_| tried).map(|p| crate::components::forms::problem_text(i18n, &p.problem));
    let asked_again = message.is_some();
    view! {
        <PageTitle title=t_string!(i18n, officer.reason_title) />
        <h1>{t!(i18n, officer.reason_title)}</h1>
        <p>{t!(i18n, officer.reason_lead)}</p>
        <form method="get" action=format!("/officer/applications/{reference}") class="reason-form">
            <div class="form-group" class:form-group--error=asked_again>
                <label class="label" for="reason">{t!(i18n, officer.reason_label)}</label>
                {message.map(|m| view! { <p class="error-message" id="reason-error">{m}</p> })}
                <textarea class="textarea" id="reason" name="reason" rows="3" maxlength="500" required
                    aria-describedby=asked_again.then_some("reason-error")></textarea>
            </div>
            <button type="submit" class="button button--primary">{t!(i18n, officer.reason_open)}</button>
        </form>
    }
}

fn button_text(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, action: Action) -> String {
    match action {
        Action::Claim => t_string!(i18n, officer.do_claim),
        Action::Approve => t_string!(i18n, officer.do_approve),
        Action::Reject => t_string!(i18n, officer.do_reject),
        Action::RequestAction => t_string!(i18n, officer.do_request_action),
        Action::MarkReady => t_string!(i18n, officer.do_mark_ready),
        Action::ReleaseClaim => t_string!(i18n, officer.do_release),
        _ => t_string!(i18n, officer.do_complete),
    }
    .to_string()
}

#[component]
fn OfficerActions(app: ApplicationDetails) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OfficerMove>::new();
    let problems = FormProblems::new(action);
    let chosen_centre = app.collection_centre.clone().or_else(|| {
        app.service.fields().find(|f| f.kind == crate::services::catalogue::FieldKind::Centre).and_then(|f| app.answers.get(&f.name).cloned())
    });
    view! {
        <section class="officer-actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, officer.actions)}</h2>
            <ErrorSummary problems />
            {app.claimed_by_name.clone().filter(|_| !app.claimed_by_viewer).map(|name| view! { <p>{t!(i18n, officer.claimed_by)} " " {name}</p> })}
            {app.actions.is_empty().then(|| view! { <p>{t!(i18n, officer.nothing_to_do)}</p> })}
            {app.actions.clone().into_iter().map(|move_| {
                let reference = app.reference.clone();
                let centres = app.centres.clone();
                let chosen_centre = chosen_centre.clone();
                let version = app.version.to_string();
                let needs_note = matches!(move_, Action::Reject | Action::RequestAction);
                let note_label = if move_ == Action::Reject { t_string!(i18n, officer.reason) } else { t_string!(i18n, officer.note) };
                let note_id = format!("note-{}", move_.as_str());
                let centre_id = format!("centre-{}", move_.as_str());
                let button_class = match move_ {
                    Action::Reject => "button button--warning",
                    Action::Approve | Action::Claim => "button button--primary",
                    _ => "button button--secondary",
                };
                view! {
                    <ActionForm action attr:class="officer-actions__form">
                        <input type="hidden" name="reference" value=reference />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="action" value=move_.as_str() />
                        {needs_note.then(|| view! {
                            <div class="form-group" class:form-group--error=move || problems.for_field("note").is_some()>
                                <label class="label" for=note_id.clone()>{note_label}</label>
                                <textarea class="textarea" id=note_id.clone() name="note" rows="3" maxlength="1000"></textarea>
                            </div>
                        })}
                        {(move_ == Action::MarkReady).then(|| view! {
                            <div class="form-group">
                                <label class="label" for=centre_id.clone()>{t!(i18n, officer.centre)}</label>
                                <select class="select" id=centre_id.clone() name="centre">
                                    {centres.iter().map(|c| view! {
                                        <option value=c.slug.clone() selected=chosen_centre.as_deref() == Some(c.slug.as_str())>{format!("{}, {}", c.name, c.town)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })}
                        <button type="submit" class=button_class disabled=move || action.pending().get()>{button_text(i18n, move_)}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    }
}
