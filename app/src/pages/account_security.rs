//! `/account/security`: where login codes go, and an authenticator app with backup codes.
//! `/account/security/authenticator`: setting the app up (QR code drawn on the server, the
//! secret as text, backup codes to write down, a first code to switch it on).
//! `/account/activity`: security events, newest first. All plain forms.

use crate::components::forms::{ErrorSummary, Field, FormProblems, PasswordField, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::i18n::{t, t_string, use_i18n, Locale};
use leptos_i18n::I18nContext;
use crate::identity::activity::SecurityEvent;
use crate::identity::security_api::{authenticator_setup, my_activity, my_security, BeginAuthenticator, ConfirmAuthenticator, SaveCodeSettings, TurnOffAuthenticator};
use crate::components::page_signals::loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountSecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveCodeSettings>::new();
    let save_problems = FormProblems::new(save);
    let begin = ServerAction::<BeginAuthenticator>::new();
    let begin_problems = FormProblems::new(begin);
    let off = ServerAction::<TurnOffAuthenticator>::new();
    let off_problems = FormProblems::new(off);
    let settings = Resource::new_blocking(|| (), |_| my_security());
    view! {
        <PageTitle title=t_string!(i18n, security.title) />
        <p><a href="/account">{t!(i18n, account.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(me) = loaded(settings).await else { return ().into_any() };
                let saved = query.read_untracked().get("saved").map(|what| match what.as_str() {
                    "authenticator" => t_string!(i18n, security.saved_on).to_string(),
                    "off" => t_string!(i18n, security.saved_off).to_string(),
                    _ => t_string!(i18n, security.saved_codes).to_string(),
                });
                view! {
                    {saved.map(|text| view! { <div class="banner banner--success" role="status"><p>{text}</p></div> })}
                    <h1>{t!(i18n, security.title)}</h1>
                    <h2>{t!(i18n, security.app_title)}</h2>
                    {if me.authenticator_on {
                        view! {
                            <p><span class="tag">{t!(i18n, security.app_on)}</span></p>
                            <p>{t_string!(i18n, security.backup_left).replace("{count}", &me.backup_codes_left.to_string())}</p>
                            <h3>{t!(i18n, security.off_title)}</h3>
                            <p>{t!(i18n, security.off_lead)}</p>
                            <ErrorSummary problems=off_problems />
                            <ActionForm action=off>
                                <PasswordField problems=off_problems name="current_password" autocomplete="current-password" label=t_string!(i18n, account.current_password).to_string() />
                                <Field problems=off_problems name="code" label=t_string!(i18n, security.app_code).to_string() inputmode="numeric" autocomplete="one-time-code" maxlength="6" class="input--code" spellcheck_off=true />
                                <button type="submit" class="button button--warning" data-pending-label=t_string!(i18n, forms.please_wait)>{t!(i18n, security.turn_off)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <p>{t!(i18n, security.app_lead)}</p>
                            {me.setting_up.then(|| view! {
                                <p><a href="/account/security/authenticator">{t!(i18n, security.continue_setup)}</a></p>
                            })}
                            <ErrorSummary problems=begin_problems />
                            <ActionForm action=begin>
                                <PasswordField problems=begin_problems name="current_password" autocomplete="current-password" label=t_string!(i18n, account.current_password).to_string() hint=Some(t_string!(i18n, security.password_first).to_string()) />
                                <SubmitButton label=t_string!(i18n, security.set_up).to_string() />
                            </ActionForm>
                        }.into_any()
                    }}
                    <h2>{t!(i18n, security.codes_title)}</h2>
                    <ErrorSummary problems=save_problems />
                    <ActionForm action=save>
                        <Radios
                            problems=save_problems
                            name="channel"
                            legend=t_string!(i18n, security.channel_legend).to_string()
                            hint=Some(t_string!(i18n, security.channel_hint).to_string())
                            options=vec![("sms", t_string!(i18n, security.by_sms).to_string()), ("email", t_string!(i18n, security.by_email).to_string())]
                            selected=Some(me.code_channel.clone())
                        />
                        {me.authenticator_on.then(|| view! {
                            <div class="form-group" class:form-group--error=move || save_problems.for_field("allow_messages").is_some()>
                                <div class="checkbox">
                                    <input type="checkbox" id="allow_messages" name="allow_messages" value="yes" checked=me.message_codes_allowed />
                                    <label for="allow_messages">{t!(i18n, security.allow_messages)}</label>
                                </div>
                                <p class="hint">{t!(i18n, security.allow_messages_hint)}</p>
                            </div>
                        })}
                        <SubmitButton label=t_string!(i18n, account.save).to_string() />
                    </ActionForm>
                    <h2>{t!(i18n, security.more_title)}</h2>
                    <ul>
                        <li><a href="/account/activity">{t!(i18n, activity.title)}</a></li>
                        <li><a href="/account/sessions">{t!(i18n, account.sessions_title)}</a></li>
                    </ul>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn AuthenticatorSetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmAuthenticator>::new();
    let problems = FormProblems::new(confirm);
    let setup = Resource::new_blocking(|| (), |_| authenticator_setup());
    view! {
        <PageTitle title=t_string!(i18n, security.setup_title) />
        <p><a href="/account/security">{t!(i18n, security.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(setup) = loaded(setup).await else { return ().into_any() };
                let Some(setup) = setup else {
                    return view! {
                        <h1>{t!(i18n, security.setup_title)}</h1>
                        <p>{t!(i18n, security.no_setup)}</p>
                        <p><a class="button button--primary" href="/account/security">{t!(i18n, security.back)}</a></p>
                    }.into_any();
                };
                view! {
                    <ErrorSummary problems />
                    <h1>{t!(i18n, security.setup_title)}</h1>
                    <ol class="setup-steps">
                        <li>
                            <h2>{t!(i18n, security.step_install)}</h2>
                            <p>{t!(i18n, security.step_install_text)}</p>
                        </li>
                        <li>
                            <h2>{t!(i18n, security.step_scan)}</h2>
                            <div class="qr" role="img" aria-label=t_string!(i18n, security.qr_label) inner_html=setup.qr_svg.clone()></div>
                            <p>{t!(i18n, security.step_scan_text)}</p>
                            <p class="secret-text mono" data-testid="authenticator-secret">{setup.secret_text.clone()}</p>
                        </li>
                        <li>
                            <h2>{t!(i18n, security.step_backup)}</h2>
                            <p>{t!(i18n, security.step_backup_text)}</p>
                            <ul class="backup-codes mono">
                                {setup.backup_codes.iter().map(|code| view! { <li>{code.clone()}</li> }).collect_view()}
                            </ul>
                        </li>
                        <li>
                            <h2>{t!(i18n, security.step_confirm)}</h2>
                            <ActionForm action=confirm>
                                <Field problems name="code" label=t_string!(i18n, security.app_code).to_string() hint=Some(t_string!(i18n, security.app_code_hint).to_string())
                                    inputmode="numeric" autocomplete="one-time-code" maxlength="6" class="input--code" spellcheck_off=true />
                                <SubmitButton label=t_string!(i18n, security.switch_on).to_string() />
                            </ActionForm>
                        </li>
                    </ol>
                }
                .into_any()
            })}
        </Suspense>
    }
}

fn event_text(i18n: I18nContext<Locale>, event: SecurityEvent, detail: &str) -> String {
    let text = match event {
        SecurityEvent::LoggedIn => t_string!(i18n, activity.logged_in),
        SecurityEvent::WrongPassword => t_string!(i18n, activity.wrong_password),
        SecurityEvent::WrongCode => t_string!(i18n, activity.wrong_code),
        SecurityEvent::CodeSent if detail == "email" => t_string!(i18n, activity.code_sent_email),
        SecurityEvent::CodeSent => t_string!(i18n, activity.code_sent_sms),
        SecurityEvent::PasswordChanged => t_string!(i18n, activity.password_changed),
        SecurityEvent::PasswordReset => t_string!(i18n, activity.password_reset),
        SecurityEvent::EmailChanged => t_string!(i18n, activity.email_changed),
        SecurityEvent::PhoneChanged => t_string!(i18n, activity.phone_changed),
        SecurityEvent::AuthenticatorOn => t_string!(i18n, activity.authenticator_on),
        SecurityEvent::AuthenticatorOff => t_string!(i18n, activity.authenticator_off),
        SecurityEvent::BackupCodeUsed => t_string!(i18n, activity.backup_code_used),
        SecurityEvent::CodeSettingsChanged => t_string!(i18n, activity.code_settings_changed),
        SecurityEvent::Payment => t_string!(i18n, activity.payment),
        SecurityEvent::DataDownloaded => t_string!(i18n, activity.data_downloaded),
    };
    text.to_string()
}

#[component]
pub fn AccountActivityPage() -> impl IntoView {
    let i18n = use_i18n();
    let events = Resource::new_blocking(|| (), |_| my_activity());
    view! {
        <PageTitle title=t_string!(i18n, activity.title) />
        <p><a href="/account">{t!(i18n, account.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(events) = loaded(events).await else { return ().into_any() };
                let locale = i18n.get_locale_untracked();
                view! {
                    <h1>{t!(i18n, activity.title)}</h1>
                    <p>{t!(i18n, activity.lead)} " " <a href="/account/sessions">{t!(i18n, activity.sessions_link)}</a></p>
                    <table class="table">
                        <caption class="visually-hidden">{t!(i18n, activity.title)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, activity.when)}</th>
                            <th scope="col">{t!(i18n, activity.what)}</th>
                            <th scope="col">{t!(i18n, activity.address)}</th>
                        </tr></thead>
                        <tbody>
                            {events.into_iter().map(|e| {
                                let text = event_text(i18n, e.event, &e.detail);
                                // A masked new contact or a receipt number says which.
                                let detail = (!matches!(e.event, SecurityEvent::CodeSent | SecurityEvent::CodeSettingsChanged) && !e.detail.is_empty()).then(|| e.detail.clone());
                                view! {
                                    <tr class:activity--warning=e.event.is_warning()>
                                        <td>{format_time(e.at, locale)}</td>
                                        <td>{text} {detail.map(|d| view! { " " <span class="mono">{d}</span> })}</td>
                                        <td class="mono">{e.client_address.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            })}
        </Suspense>
    }
}
