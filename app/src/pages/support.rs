//! Support. For citizens: `/support` (their requests, and the form to ask a question, with
//! an optional screenshot) and `/support/<reference>` (the conversation and a reply).
//! For staff, the desk: `/admin/support` for admins (every request) and `/officer/support`
//! for officers (requests about their agency's applications), each request at
//! `…/support/<reference>` with an answer form and "Mark resolved". Plain forms: every
//! page works without JavaScript.

use crate::components::forms::{described_by, ErrorSummary, Field, FormProblems, HintAndError, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::pages::not_found::NotFoundPage;
use crate::pages::officer::NoAccess;
use crate::support::api::{desk_ticket, my_ticket, my_tickets, support_desk, AnswerTicket, ReplyToTicket, ResolveTicket, OPEN_TICKET_PATH};
use crate::support::views::{TicketDetails, TicketMessage, TicketStatus, TicketSummary, Topic};
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

fn topic_text(i18n: I18nContext<Locale>, topic: Topic) -> String {
    match topic {
        Topic::Login => t_string!(i18n, support.topic_login),
        Topic::Payments => t_string!(i18n, support.topic_payments),
        Topic::Application => t_string!(i18n, support.topic_application),
        Topic::Account => t_string!(i18n, support.topic_account),
        Topic::Other => t_string!(i18n, support.topic_other),
    }
    .to_string()
}

/// Whose turn it is, in words in a coloured tag (never colour alone).
#[component]
fn TicketBadge(status: TicketStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, text) = match status {
        TicketStatus::AwaitingStaff => ("badge badge--pending", t_string!(i18n, support.awaiting_staff)),
        TicketStatus::AwaitingCitizen => ("badge badge--done", t_string!(i18n, support.awaiting_citizen)),
        TicketStatus::Resolved => ("badge badge--neutral", t_string!(i18n, support.resolved)),
    };
    view! { <strong class=class data-status=status.as_str()>{text.to_string()}</strong> }
}

/// A labelled text area with its hint and the problem for this field.
#[component]
fn MessageField(problems: FormProblems, label: String, hint: String) -> impl IntoView {
    let name = "message";
    let problem = move || problems.for_field(name);
    let described_by = described_by(problems, name.to_string(), true);
    view! {
        <div class="form-group" class:form-group--error=move || problem().is_some()>
            <label class="label" for=name>{label}</label>
            <HintAndError problems name hint=Some(hint) />
            <textarea
                class="textarea"
                class:input--error=move || problem().is_some()
                id=name
                name=name
                rows="6"
                maxlength="2000"
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=described_by
                autofocus=move || (problems.first_field().as_deref() == Some(name)).then_some("")
            ></textarea>
        </div>
    }
}

/// The conversation, oldest first. A citizen sees "You" and "Raia support"; staff see the
/// citizen's name and which colleague answered.
#[component]
fn Conversation(messages: Vec<TicketMessage>, for_staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let support_name = t_string!(i18n, support.raia_support).to_string();
    view! {
        <ol class="conversation">
            {messages.into_iter().map(|message| {
                let author = match (message.from_staff, for_staff) {
                    (true, _) => format!("{support_name} · {}", message.author_name),
                    (false, true) => message.author_name.clone(),
                    (false, false) => t_string!(i18n, support.you).to_string(),
                };
                view! {
                    <li class="conversation__message" class:conversation__message--staff=message.from_staff>
                        <p class="conversation__meta"><strong>{author}</strong> " · " <time>{format_time(message.at, locale)}</time></p>
                        <p class="conversation__body">{message.body.clone()}</p>
                        {message.attachment.clone().map(|file| view! {
                            <p class="conversation__file">
                                {t!(i18n, support.attachment)} ": "
                                <a href=file.href() target="_blank" rel="noopener">{file.file_name.clone()}</a>
                                " (" {format!("{} KB", (file.size_bytes + 1023) / 1024)} ")"
                            </p>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Reference, topic, status, the application it is about, when it was sent.
#[component]
fn TicketFacts(summary: TicketSummary, for_staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let application_href = summary.application_reference.as_ref().map(|r| if for_staff { format!("/officer/applications/{r}") } else { format!("/applications/{r}") });
    view! {
        <dl class="summary-list">
            {for_staff.then(|| view! {
                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, support.citizen)}</dt><dd class="summary-list__value">{summary.citizen_name.clone()}</dd></div>
            })}
            <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, support.topic_heading)}</dt><dd class="summary-list__value">{topic_text(i18n, summary.topic)}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, support.status)}</dt><dd class="summary-list__value"><TicketBadge status=summary.status /></dd></div>
            {summary.application_reference.clone().zip(application_href).map(|(reference, href)| view! {
                <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, support.about_application)}</dt><dd class="summary-list__value"><a class="mono" href=href>{reference}</a></dd></div>
            })}
            <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, support.opened_at)}</dt><dd class="summary-list__value">{format_time(summary.created_at, locale)}</dd></div>
        </dl>
    }
}

// ------------------------------------------------------------ citizens

/// `/support`: the citizen's requests, then the form to ask a new question.
#[component]
pub fn SupportPage() -> impl IntoView {
    let i18n = use_i18n();
    let problems = FormProblems::at(OPEN_TICKET_PATH);
    // Blocking: a visitor who is not logged in is redirected before any HTML is sent.
    let tickets = Resource::new_blocking(|| (), |_| my_tickets());
    view! {
        <PageTitle title=t_string!(i18n, support.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(tickets) = loaded(tickets).await else { return ().into_any() };
                let locale = i18n.get_locale_untracked();
                view! {
                    <div class="narrow">
                        <h1>{t!(i18n, support.title)}</h1>
                        <p class="lead">{t!(i18n, support.lead)}</p>
                        <p><a href="/help">{t!(i18n, support.help_link)}</a></p>
                        {(!tickets.is_empty()).then(|| view! {
                            <h2>{t!(i18n, support.mine_title)}</h2>
                            <ul class="application-list">
                                {tickets.into_iter().map(|ticket| view! {
                                    <li class="application-list__item">
                                        <div>
                                            <h3 class="application-list__title">
                                                <a class="mono" href=format!("/support/{}", ticket.reference)>{ticket.reference.clone()}</a>
                                            </h3>
                                            <p class="application-list__meta">{topic_text(i18n, ticket.topic)}</p>
                                            <p class="application-list__meta">{t!(i18n, support.updated)} " " {format_time(ticket.updated_at, locale)}</p>
                                        </div>
                                        <div class="application-list__status"><TicketBadge status=ticket.status /></div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                        <h2 id="new">{t!(i18n, support.new_title)}</h2>
                        <ErrorSummary problems />
                        <form method="post" action=OPEN_TICKET_PATH enctype="multipart/form-data">
                            <Radios
                                problems
                                name="topic"
                                legend=t_string!(i18n, support.topic).to_string()
                                options=Topic::ALL.into_iter().map(|topic| (topic.as_str(), topic_text(i18n, topic))).collect()
                            />
                            <Field
                                problems
                                name="application"
                                label=t_string!(i18n, support.application).to_string()
                                hint=Some(t_string!(i18n, support.application_hint).to_string())
                                class="input--medium mono"
                                spellcheck_off=true
                            />
                            <MessageField problems label=t_string!(i18n, support.message).to_string() hint=t_string!(i18n, support.message_hint).to_string() />
                            <div class="form-group" class:form-group--error=move || problems.for_field("screenshot").is_some()>
                                <label class="label" for="screenshot">{t!(i18n, support.screenshot)}</label>
                                <HintAndError problems name="screenshot" hint=Some(t_string!(i18n, support.screenshot_hint).to_string()) />
                                <input
                                    class="file-input"
                                    type="file"
                                    id="screenshot"
                                    name="screenshot"
                                    accept="image/jpeg,image/png,application/pdf"
                                    aria-describedby=described_by(problems, "screenshot".to_string(), true)
                                />
                            </div>
                            <SubmitButton label=t_string!(i18n, support.send).to_string() />
                        </form>
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// `/support/<reference>`: one of the citizen's requests, its conversation and a reply.
#[component]
pub fn SupportTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || live_param(params, "reference").unwrap_or_default();
    let reply = ServerAction::<ReplyToTicket>::new();
    let problems = FormProblems::new(reply);
    let ticket = Resource::new_blocking(move || (reference(), live_param(query, "sent")), |(reference, _)| my_ticket(reference));
    view! {
        <p><a href="/support">{t!(i18n, support.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(ticket).await {
                    Ok(TicketDetails { summary, messages }) => {
                        let query = query.read_untracked();
                        let title = t_string!(i18n, support.ticket_title).replace("{reference}", &summary.reference);
                        view! {
                            <PageTitle title=title.clone() />
                            <div class="narrow">
                                {query.get("opened").map(|_| view! {
                                    <div class="panel panel--confirm" role="status">
                                        <p class="panel__label">{t!(i18n, support.opened_title)}</p>
                                        <p class="panel__value mono">{summary.reference.clone()}</p>
                                        <p>{t!(i18n, support.opened_next)}</p>
                                    </div>
                                })}
                                {query.get("sent").map(|_| view! {
                                    <div class="banner banner--success" role="status"><p>{t!(i18n, support.sent)}</p></div>
                                })}
                                <h1>{title}</h1>
                                <TicketFacts summary=summary.clone() for_staff=false />
                                <Conversation messages for_staff=false />
                                {(summary.status == TicketStatus::Resolved).then(|| view! { <p class="hint">{t!(i18n, support.resolved_note)}</p> })}
                                <h2>{t!(i18n, support.reply)}</h2>
                                <ErrorSummary problems />
                                <ActionForm action=reply>
                                    <input type="hidden" name="reference" value=summary.reference.clone() />
                                    <MessageField problems label=t_string!(i18n, support.reply).to_string() hint=t_string!(i18n, support.reply_hint).to_string() />
                                    <SubmitButton label=t_string!(i18n, support.send_reply).to_string() />
                                </ActionForm>
                            </div>
                        }
                        .into_any()
                    }
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

// ------------------------------------------------------------ staff

/// Where this desk lives: under `/admin` for admins, `/officer` for officers.
fn desk_base(path: &str) -> &'static str {
    if path.starts_with("/admin") { "/admin/support" } else { "/officer/support" }
}

/// `/admin/support`, `/officer/support`: the requests this staff member may answer.
#[component]
pub fn SupportDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let base = desk_base(&location.pathname.get_untracked());
    let desk = Resource::new_blocking(move || (), move |_| support_desk(base.to_string()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                let (home_href, home_name) = if base.starts_with("/admin") { ("/admin", t_string!(i18n, admin.title)) } else { ("/officer", t_string!(i18n, officer.queue_title)) };
                match loaded(desk).await {
                    Ok(desk) => view! {
                        <PageTitle title=t_string!(i18n, support.desk_title) />
                        <p><a href=home_href>{home_name}</a></p>
                        <h1>{t!(i18n, support.desk_title)}</h1>
                        <p>{t!(i18n, support.desk_lead)}</p>
                        <p class="results-count" role="status">{t_string!(i18n, support.desk_waiting).replace("{count}", &desk.awaiting_staff.to_string())}</p>
                        {if desk.tickets.is_empty() {
                            view! { <p>{t!(i18n, support.desk_none)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, support.reference)}</th>
                                            <th scope="col">{t!(i18n, support.citizen)}</th>
                                            <th scope="col">{t!(i18n, support.topic_heading)}</th>
                                            <th scope="col">{t!(i18n, support.updated)}</th>
                                            <th scope="col">{t!(i18n, support.status)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {desk.tickets.into_iter().map(|ticket| view! {
                                                <tr>
                                                    <td><a class="mono" href=format!("{base}/{}", ticket.reference)>{ticket.reference.clone()}</a></td>
                                                    <td>{ticket.citizen_name.clone()}</td>
                                                    <td>
                                                        {topic_text(i18n, ticket.topic)}
                                                        {ticket.application_reference.clone().map(|r| view! { <br /><span class="hint mono">{r}</span> })}
                                                    </td>
                                                    <td>{format_time(ticket.updated_at, locale)}</td>
                                                    <td><TicketBadge status=ticket.status /></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }
                    .into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NoAccess /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/support/<reference>`, `/officer/support/<reference>`: one request, the answer
/// form and "Mark resolved".
#[component]
pub fn SupportDeskTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let location = use_location();
    let base = desk_base(&location.pathname.get_untracked());
    let reference = move || live_param(params, "reference").unwrap_or_default();
    let answer = ServerAction::<AnswerTicket>::new();
    let resolve = ServerAction::<ResolveTicket>::new();
    let problems = FormProblems::new(answer);
    let resolve_problems = FormProblems::new(resolve);
    let ticket = Resource::new_blocking(
        move || (reference(), live_param(query, "done")),
        move |(reference, _)| {
            let here = format!("{base}/{reference}");
            desk_ticket(reference, here)
        },
    );
    view! {
        <p><a href=base>{t!(i18n, support.desk_back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(ticket).await {
                    Ok(TicketDetails { summary, messages }) => {
                        let done = query.read_untracked().get("done");
                        let title = t_string!(i18n, support.ticket_title).replace("{reference}", &summary.reference);
                        let here = format!("{base}/{}", summary.reference);
                        let open = summary.status != TicketStatus::Resolved;
                        // Each form keeps its own copy.
                        let (answer_reference, answer_here) = (summary.reference.clone(), here.clone());
                        view! {
                            <PageTitle title=title.clone() />
                            <div class="narrow">
                                {done.map(|what| view! {
                                    <div class="banner banner--success" role="status">
                                        <p>{if what == "resolved" { t_string!(i18n, support.marked_resolved) } else { t_string!(i18n, support.replied) }}</p>
                                    </div>
                                })}
                                <h1>{title}</h1>
                                <TicketFacts summary=summary.clone() for_staff=true />
                                <Conversation messages for_staff=true />
                                <ErrorSummary problems=resolve_problems />
                                {if open {
                                    view! {
                                        <h2>{t!(i18n, support.answer)}</h2>
                                        <ErrorSummary problems />
                                        <ActionForm action=answer>
                                            <input type="hidden" name="reference" value=answer_reference />
                                            <input type="hidden" name="return_to" value=answer_here />
                                            <MessageField problems label=t_string!(i18n, support.answer).to_string() hint=t_string!(i18n, support.answer_hint).to_string() />
                                            <SubmitButton label=t_string!(i18n, support.send_answer).to_string() />
                                        </ActionForm>
                                        <ActionForm action=resolve>
                                            <input type="hidden" name="reference" value=summary.reference.clone() />
                                            <input type="hidden" name="return_to" value=here />
                                            <button type="submit" class="button button--secondary">{t!(i18n, support.resolve)}</button>
                                        </ActionForm>
                                    }
                                    .into_any()
                                } else {
                                    view! { <p class="hint">{t!(i18n, support.desk_resolved_note)}</p> }.into_any()
                                }}
                            </div>
                        }
                        .into_any()
                    }
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(AppError::Forbidden) => view! { <NoAccess /> }.into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
