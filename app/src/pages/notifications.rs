//! `/notifications`: everything the portal told the citizen (application events, security
//! notices, payments, support replies),
//! newest first, unread ones marked; mark one or all as read. Plain forms, so it works
//! without JavaScript. The dashboard shows the latest few with the same list.

use crate::components::page_title::PageTitle;
use crate::components::status::{action_text, format_time, StatusBadge};
use crate::i18n::{t, t_string, use_i18n};
use crate::services::api::{notification_centre, MarkNotificationsRead};
use crate::messages::notifications::AccountNotice;
use crate::services::views::{NotificationView, Notified};
use crate::components::page_signals::{live, loaded};
use leptos::prelude::*;

/// Notifications as a list; with `mark_read`, each unread one has its own button.
#[component]
pub fn NotificationList(items: Vec<NotificationView>, #[prop(optional)] mark_read: Option<ServerAction<MarkNotificationsRead>>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <ul class="notification-list">
            {items.into_iter().map(|n| {
                let unread = !n.read;
                // What the hidden part of "Mark as read" names, so each button says which.
                let (what, body) = match n.about {
                    Notified::Application { reference, service_name, action, to_status, note, .. } => (
                        reference.clone(),
                        view! {
                            <p><a href=format!("/applications/{reference}")>{service_name.get(locale)} " " <span class="mono">{reference.clone()}</span></a></p>
                            <p>{action_text(i18n, action)} " " <StatusBadge status=to_status /></p>
                            {note.map(|note| view! { <p class="timeline__note">{note}</p> })}
                        }.into_any(),
                    ),
                    Notified::Account { notice, detail, link } => {
                        let title = account_notice_title(i18n, notice);
                        (
                            title.clone(),
                            view! {
                                <p>{match link {
                                    Some(link) => view! { <a href=link>{title}</a> }.into_any(),
                                    None => view! { <strong>{title}</strong> }.into_any(),
                                }}</p>
                                {(!detail.is_empty()).then(|| view! { <p class="mono">{detail}</p> })}
                            }.into_any(),
                        )
                    }
                };
                view! {
                    <li class:notification--unread=unread>
                        {unread.then(|| view! { <p><span class="tag">{t!(i18n, notifications.new)}</span></p> })}
                        {body}
                        <p class="hint"><time>{format_time(n.at, locale)}</time></p>
                        {mark_read.filter(|_| unread).map(|action| view! {
                            <ActionForm action attr:class="inline-form">
                                <input type="hidden" name="id" value=n.id.to_string() />
                                <button type="submit" class="button button--secondary">
                                    {t!(i18n, notifications.mark_read)}
                                    <span class="visually-hidden">" " {what}</span>
                                </button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// An account notice's words in the page's language.
fn account_notice_title(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, notice: AccountNotice) -> String {
    match notice {
        AccountNotice::PasswordChanged => t_string!(i18n, notifications.password_changed),
        AccountNotice::EmailChanged => t_string!(i18n, notifications.email_changed),
        AccountNotice::PhoneChanged => t_string!(i18n, notifications.phone_changed),
        AccountNotice::AuthenticatorOn => t_string!(i18n, notifications.authenticator_on),
        AccountNotice::AuthenticatorOff => t_string!(i18n, notifications.authenticator_off),
        AccountNotice::PaymentKept => t_string!(i18n, notifications.payment_kept),
        AccountNotice::PaymentFailed => t_string!(i18n, notifications.payment_failed),
        AccountNotice::SupportReply => t_string!(i18n, notifications.support_reply),
        AccountNotice::TransferToAccept => t_string!(i18n, notifications.transfer_to_accept),
        AccountNotice::TransferCancelled => t_string!(i18n, notifications.transfer_cancelled),
        AccountNotice::VehicleReceived => t_string!(i18n, notifications.vehicle_received),
    }
    .to_string()
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark_read = ServerAction::<MarkNotificationsRead>::new();
    let mark_all = ServerAction::<MarkNotificationsRead>::new();
    let items = Resource::new_blocking(move || (live(mark_read.version()), live(mark_all.version())), |_| notification_centre());
    view! {
        <PageTitle title=t_string!(i18n, notifications.title) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(items) = loaded(items).await else { return ().into_any() };
                let any_unread = items.iter().any(|n| !n.read);
                view! {
                    <h1>{t!(i18n, notifications.title)}</h1>
                    <p>{t!(i18n, notifications.lead)}</p>
                    {any_unread.then(|| view! {
                        <ActionForm action=mark_all>
                            <button type="submit" class="button button--secondary">{t!(i18n, notifications.mark_all)}</button>
                        </ActionForm>
                    })}
                    {if items.is_empty() {
                        view! { <p>{t!(i18n, notifications.none)}</p> }.into_any()
                    } else {
                        view! { <NotificationList items mark_read /> }.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
