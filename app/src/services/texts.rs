//! What an application's move tells its citizen by SMS, in their language.

use crate::i18n::{td_string, Locale};
use crate::messages::texts::fill;
use crate::money::format_kes;
use crate::services::status::{Action, Status};

/// What an application's move tells its citizen.
pub struct ApplicationMove<'a> {
    pub action: Action,
    pub to: Status,
    pub service: &'a str,
    pub reference: &'a str,
    pub amount_cents: i64,
    pub link: &'a str,
    pub note: Option<&'a str>,
    pub centre: &'a str,
}

/// The SMS for an application's move; none for moves the citizen need not hear of.
pub fn application_moved(l: Locale, m: &ApplicationMove<'_>) -> Option<String> {
    let template = match (m.action, m.to) {
        (Action::Submit, Status::AwaitingPayment) => td_string!(l, messages.submitted_pay).to_string(),
        (Action::Submit, _) => td_string!(l, messages.submitted).to_string(),
        (Action::Resubmit, _) => td_string!(l, messages.resubmitted).to_string(),
        (Action::Withdraw, _) => td_string!(l, messages.withdrawn).to_string(),
        (Action::Confirm, _) => td_string!(l, messages.transfer_accepted).to_string(),
        // The vehicle and the other party's name are in the transfer's own messages.
        (Action::Cancel, _) => return None,
        (Action::Claim, _) => td_string!(l, messages.claimed).to_string(),
        (Action::Approve, Status::AwaitingPayment) => td_string!(l, messages.approved_pay).to_string(),
        (Action::Approve, _) => td_string!(l, messages.approved).to_string(),
        (Action::Reject, _) => td_string!(l, messages.rejected).to_string(),
        (Action::RequestAction, _) => td_string!(l, messages.needs_action).to_string(),
        (Action::MarkReady, _) => td_string!(l, messages.ready).to_string(),
        (Action::Complete, _) => td_string!(l, messages.completed).to_string(),
        (Action::PaymentReceived, _) => td_string!(l, messages.payment_received).to_string(),
        // The document issued with it (or the completed transfer) sends its own message.
        (Action::ReleaseClaim | Action::Deliver, _) => return None,
    };
    let amount = format_kes(m.amount_cents);
    let values = [
        ("service", m.service),
        ("reference", m.reference),
        ("amount", amount.as_str()),
        ("link", m.link),
        ("reason", m.note.unwrap_or("")),
        ("centre", m.centre),
    ];
    Some(fill(&template, &values))
}

/// To the other party of a transfer when the owner starts it.
pub fn transfer_to_accept(l: Locale, seller: &str, vehicle: &str, link: &str) -> String {
    fill(&td_string!(l, messages.transfer_to_accept).to_string(), &[("seller", seller), ("vehicle", vehicle), ("link", link)])
}

/// The code the other party types to accept.
pub fn transfer_code(l: Locale, vehicle: &str, code: &str) -> String {
    fill(&td_string!(l, messages.transfer_code).to_string(), &[("vehicle", vehicle), ("code", code)])
}

pub fn transfer_cancelled(l: Locale, vehicle: &str, reference: &str) -> String {
    fill(&td_string!(l, messages.transfer_cancelled).to_string(), &[("vehicle", vehicle), ("reference", reference)])
}

pub fn transfer_done_seller(l: Locale, buyer: &str, vehicle: &str, reference: &str) -> String {
    fill(&td_string!(l, messages.transfer_done_seller).to_string(), &[("buyer", buyer), ("vehicle", vehicle), ("reference", reference)])
}

pub fn transfer_done_buyer(l: Locale, vehicle: &str, link: &str) -> String {
    fill(&td_string!(l, messages.transfer_done_buyer).to_string(), &[("vehicle", vehicle), ("link", link)])
}
