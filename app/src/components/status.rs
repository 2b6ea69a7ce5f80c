//! How statuses and moves read: a badge with colour, icon and words (never colour alone),
//! the timeline of an application, and times in East Africa Time.

use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::money::format_kes;
use crate::services::status::{Action, Actor, Status, Tone};
use crate::services::views::TimelineEntry;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn status_text(i18n: I18nContext<Locale>, status: Status) -> String {
    status_word(i18n.get_locale(), status)
}

/// A status in words: the same words on the pages and on a feature phone's USSD screen.
pub fn status_word(l: Locale, status: Status) -> String {
    match status {
        Status::Draft => td_string!(l, status.draft),
        Status::AwaitingConfirmation => td_string!(l, status.awaiting_confirmation),
        Status::Submitted => td_string!(l, status.submitted),
        Status::UnderReview => td_string!(l, status.under_review),
        Status::ActionRequired => td_string!(l, status.action_required),
        Status::Approved => td_string!(l, status.approved),
        Status::AwaitingPayment => td_string!(l, status.awaiting_payment),
        Status::Paid => td_string!(l, status.paid),
        Status::ReadyForCollection => td_string!(l, status.ready_for_collection),
        Status::Completed => td_string!(l, status.completed),
        Status::Rejected => td_string!(l, status.rejected),
        Status::Withdrawn => td_string!(l, status.withdrawn),
    }
    .to_string()
}

pub fn action_text(i18n: I18nContext<Locale>, action: Action) -> String {
    match action {
        Action::Submit => t_string!(i18n, action.submit),
        Action::Withdraw => t_string!(i18n, action.withdraw),
        Action::Resubmit => t_string!(i18n, action.resubmit),
        Action::Claim => t_string!(i18n, action.claim),
        Action::Approve => t_string!(i18n, action.approve),
        Action::Reject => t_string!(i18n, action.reject),
        Action::RequestAction => t_string!(i18n, action.request_action),
        Action::MarkReady => t_string!(i18n, action.mark_ready),
        Action::Complete => t_string!(i18n, action.complete),
        Action::PaymentReceived => t_string!(i18n, action.payment_received),
        Action::ReleaseClaim => t_string!(i18n, action.release_claim),
        Action::Deliver => t_string!(i18n, action.deliver),
        Action::Confirm => t_string!(i18n, action.confirm),
        Action::Cancel => t_string!(i18n, action.cancel),
    }
    .to_string()
}

/// What the citizen should do next, if anything ("Pay KES 4,550", "Correct your application").
pub fn next_step_text(i18n: I18nContext<Locale>, status: Status, amount_due_cents: i64) -> Option<String> {
    match status {
        Status::Draft => Some(t_string!(i18n, status.next_draft).to_string()),
        Status::AwaitingPayment => Some(t_string!(i18n, status.next_pay).to_string().replace("{amount}", &format_kes(amount_due_cents))),
        Status::AwaitingConfirmation => Some(t_string!(i18n, status.next_wait_buyer).to_string()),
        Status::ActionRequired => Some(t_string!(i18n, status.next_correct).to_string()),
        Status::ReadyForCollection => Some(t_string!(i18n, status.next_collect).to_string()),
        _ => None,
    }
}

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Done => "badge badge--done",
        Tone::Pending => "badge badge--pending",
        Tone::Attention => "badge badge--attention",
        Tone::Neutral => "badge badge--neutral",
    }
}

#[component]
fn ToneIcon(tone: Tone) -> impl IntoView {
    let path = match tone {
        Tone::Done => "M3 8.5 L6.5 12 L13 4.5",
        Tone::Pending => "M8 4 V8 L10.5 10.5 M8 1.5 A6.5 6.5 0 1 0 8.01 1.5",
        Tone::Attention => "M8 3.5 V9 M8 11.5 V12.5",
        Tone::Neutral => "M4 8 H12",
    };
    view! {
        <svg class="badge__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let tone = status.tone();
    view! {
        <strong class=tone_class(tone) data-status=status.as_str()>
            <ToneIcon tone />
            {move || status_text(i18n, status)}
        </strong>
    }
}

const MONTHS_EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MONTHS_SW: [&str; 12] = ["Januari", "Februari", "Machi", "Aprili", "Mei", "Juni", "Julai", "Agosti", "Septemba", "Oktoba", "Novemba", "Desemba"];

/// A moment in East Africa Time (UTC+3 all year): "22 November 2026, 14:05".
pub fn format_time(unix_seconds: i64, locale: Locale) -> String {
    let local = unix_seconds + crate::calendar::EAT_OFFSET_SECONDS;
    let (year, month, day) = crate::calendar::civil_from_days(local.div_euclid(86_400));
    let seconds = local.rem_euclid(86_400);
    let months = if locale == Locale::sw { MONTHS_SW } else { MONTHS_EN };
    format!("{day} {} {year}, {:02}:{:02}", months[(month - 1) as usize], seconds / 3600, (seconds % 3600) / 60)
}

/// Every change of an application, oldest first: when, who, what, and the officer's note.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .map(|entry| {
                    let who = match (entry.actor, entry.actor_name.clone()) {
                        (Actor::Officer, Some(name)) => t_string!(i18n, timeline.by_officer).to_string().replace("{name}", &name),
                        (Actor::Officer, None) => t_string!(i18n, timeline.by_an_officer).to_string(),
                        // A party to a transfer is named; the applicant is "the applicant".
                        (Actor::Citizen, Some(name)) => t_string!(i18n, timeline.by_person).to_string().replace("{name}", &name),
                        (Actor::Citizen, None) => t_string!(i18n, timeline.by_citizen).to_string(),
                        (Actor::System, _) => t_string!(i18n, timeline.by_system).to_string(),
                    };
                    view! {
                        <li class="timeline__item">
                            <p class="timeline__what">
                                <strong>{action_text(i18n, entry.action)}</strong>
                                " "
                                <StatusBadge status=entry.to_status />
                            </p>
                            <p class="timeline__meta">
                                <time>{format_time(entry.at, i18n.get_locale_untracked())}</time>
                                " · "
                                {who}
                            </p>
                            {entry.note.map(|note| view! { <p class="timeline__note">{note}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_east_africa_time() {
        // 2026-11-22 11:05 UTC is 14:05 in Nairobi.
        assert_eq!(format_time(1_795_345_500, Locale::en), "22 November 2026, 14:05");
        assert_eq!(format_time(1_795_345_500, Locale::sw), "22 Novemba 2026, 14:05");
        // 22:30 UTC on 31 December is already the new year in Nairobi.
        assert_eq!(format_time(1_767_220_200, Locale::en), "1 January 2026, 01:30");
    }
}
