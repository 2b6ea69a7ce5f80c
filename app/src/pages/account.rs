//! `/account`: the citizen's details (from the registry, read-only), their contacts, and
//! the language Raia writes to them in. `/account/sessions`: where they are logged in,
//! with a way to log any of it out. Plain forms: both work without JavaScript.

use crate::components::forms::{ErrorSummary, Field, FormProblems, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::{my_account, ChangePassword, my_sessions, EndOtherSessions, EndSession, SetMessageLanguage};
use crate::components::page_signals::{live, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SetMessageLanguage>::new();
    let problems = FormProblems::new(save);
    let change = ServerAction::<ChangePassword>::new();
    // Each form's problems come back for its own action only.
    let password_problems = FormProblems::new(change);
    let account = Resource::new_blocking(|| (), |_| my_account());
    view! {
        <PageTitle title=t_string!(i18n, account.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(me) = loaded(account).await else { return ().into_any() };
                let saved = query.read_untracked().get("saved");
                view! {
                    {saved.map(|what| view! {
                        <div class="banner banner--success" role="status">
                            <p>{match what.as_str() {
                                "password" => t_string!(i18n, account.saved_password),
                                "email" => t_string!(i18n, account.saved_email),
                                "phone" => t_string!(i18n, account.saved_phone),
                                _ => t_string!(i18n, account.saved_language),
                            }}</p>
                        </div>
                    })}
                    <h1>{t!(i18n, account.title)}</h1>
                    <h2>{t!(i18n, account.details)}</h2>
                    <dl class="summary-list">
                        <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, account.name)}</dt><dd class="summary-list__value">{me.full_name.clone()}</dd></div>
                        <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, account.id_number)}</dt><dd class="summary-list__value mono">{me.masked_id_number.clone()}</dd></div>
                        <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, account.email)}</dt><dd class="summary-list__value">{me.email.clone()}</dd><dd class="summary-list__action"><a href="/account/email">{t!(i18n, account.change)}<span class="visually-hidden">" " {t!(i18n, account.email)}</span></a></dd></div>
                        <div class="summary-list__row"><dt class="summary-list__key">{t!(i18n, account.phone)}</dt><dd class="summary-list__value">{me.phone.clone()}</dd><dd class="summary-list__action"><a href="/account/phone">{t!(i18n, account.change)}<span class="visually-hidden">" " {t!(i18n, account.phone)}</span></a></dd></div>
                    </dl>
                    <p class="hint">{t!(i18n, account.from_registry)}</p>
                    <ErrorSummary problems />
                    <ActionForm action=save>
                        <Radios
                            problems
                            name="language"
                            legend=t_string!(i18n, account.language_legend).to_string()
                            hint=Some(t_string!(i18n, account.language_hint).to_string())
                            options=vec![("en", t_string!(i18n, account.english).to_string()), ("sw", t_string!(i18n, account.kiswahili).to_string())]
                            selected=Some(me.language.clone())
                        />
                        <SubmitButton label=t_string!(i18n, account.save).to_string() />
                    </ActionForm>
                    <h2>{t!(i18n, account.password_title)}</h2>
                    <p>{t!(i18n, account.password_lead)}</p>
                    <ErrorSummary problems=password_problems />
                    <ActionForm action=change>
                        <Field problems=password_problems name="current_password" input_type="password" autocomplete="current-password" label=t_string!(i18n, account.current_password).to_string() />
                        <Field problems=password_problems name="password" input_type="password" autocomplete="new-password" label=t_string!(i18n, account.new_password).to_string() hint=Some(t_string!(i18n, account.new_password_hint).to_string()) />
                        <Field problems=password_problems name="password_confirm" input_type="password" autocomplete="new-password" label=t_string!(i18n, account.confirm_password).to_string() />
                        <SubmitButton label=t_string!(i18n, account.change_password).to_string() />
                    </ActionForm>
                    <h2>{t!(i18n, account.security_title)}</h2>
                    <p><a href="/account/security">{t!(i18n, account.security_link)}</a></p>
                    <h2>{t!(i18n, account.sessions_title)}</h2>
                    <p><a href="/account/sessions">{t!(i18n, account.sessions_link)}</a></p>
                    <h2>{t!(i18n, my_data.title)}</h2>
                    <p><a href="/account/data">{t!(i18n, account.my_data_link)}</a></p>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn AccountSessionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let end = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let sessions = Resource::new_blocking(move || (live(end.version()), live(end_others.version())), |_| my_sessions());
    view! {
        <PageTitle title=t_string!(i18n, account.sessions_title) />
        <p><a href="/account">{t!(i18n, account.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(sessions) = loaded(sessions).await else { return ().into_any() };
                let locale = i18n.get_locale_untracked();
                let ended = query.read_untracked().get("ended");
                let others = sessions.iter().filter(|s| !s.this_one).count();
                view! {
                    {ended.map(|which| view! {
                        <div class="banner banner--success" role="status">
                            <p>{if which == "others" { t_string!(i18n, account.ended_others) } else { t_string!(i18n, account.ended) }}</p>
                        </div>
                    })}
                    <h1>{t!(i18n, account.sessions_title)}</h1>
                    <p>{t!(i18n, account.sessions_lead)}</p>
                    <ul class="session-list">
                        {sessions.into_iter().map(|s| {
                            let device = if s.device.is_empty() { t_string!(i18n, account.unknown_device).to_string() } else { s.device.clone() };
                            view! {
                                <li class="session">
                                    <p class="session__device">
                                        <strong>{device.clone()}</strong>
                                        {s.this_one.then(|| view! { " " <span class="tag">{t!(i18n, account.this_device)}</span> })}
                                    </p>
                                    <dl class="session__facts">
                                        <div><dt>{t!(i18n, account.address)}</dt><dd class="mono">{s.client_address.clone()}</dd></div>
                                        <div><dt>{t!(i18n, account.started)}</dt><dd>{format_time(s.started_at, locale)}</dd></div>
                                        <div><dt>{t!(i18n, account.last_seen)}</dt><dd>{format_time(s.last_seen_at, locale)}</dd></div>
                                    </dl>
                                    {(!s.this_one).then(|| view! {
                                        <ActionForm action=end attr:class="inline-form">
                                            <input type="hidden" name="session" value=s.public_id.clone() />
                                            <button type="submit" class="button button--secondary">
                                                {t!(i18n, account.end)}
                                                <span class="visually-hidden">" " {device.clone()}</span>
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {if others > 0 {
                        view! {
                            <ActionForm action=end_others>
                                <SubmitButton label=t_string!(i18n, account.end_others).to_string() />
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p>{t!(i18n, account.only_this)}</p> }.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
