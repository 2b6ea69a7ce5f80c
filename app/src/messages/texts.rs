//! What messages say, in the recipient's language. The words live in the locale files
//! (`messages.*`) like every other string; `{name}` placeholders are filled here.

use crate::i18n::{td_string, Locale};
use crate::payments::attention::Reason;
use crate::services::catalogue::format_kes;
use crate::services::status::{Action, Status};

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

pub fn code_subject(l: Locale) -> String {
    td_string!(l, messages.code_subject).to_string()
}

pub fn login_code(l: Locale, code: &str) -> String {
    fill(&td_string!(l, messages.login_code).to_string(), &[("code", code)])
}

pub fn reset_code(l: Locale, code: &str) -> String {
    fill(&td_string!(l, messages.reset_code).to_string(), &[("code", code)])
}

pub fn password_changed_subject(l: Locale) -> String {
    td_string!(l, messages.password_changed_subject).to_string()
}

pub fn password_changed(l: Locale) -> String {
    td_string!(l, messages.password_changed).to_string()
}

/// Which contact a contact-change message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    Email,
    Phone,
}

fn contact_word(l: Locale, kind: ContactKind) -> String {
    match kind {
        ContactKind::Email => td_string!(l, messages.what_email).to_string(),
        ContactKind::Phone => td_string!(l, messages.what_phone).to_string(),
    }
}

/// The code sent to a new email address or phone number to prove it is the citizen's.
pub fn contact_code(l: Locale, kind: ContactKind, code: &str) -> String {
    fill(&td_string!(l, messages.contact_code).to_string(), &[("what", &contact_word(l, kind)), ("code", code)])
}

pub fn contact_changed_subject(l: Locale) -> String {
    td_string!(l, messages.contact_changed_subject).to_string()
}

/// The notice to the old address or number: what changed, to what (masked).
pub fn contact_changed(l: Locale, kind: ContactKind, new_masked: &str) -> String {
    fill(&td_string!(l, messages.contact_changed).to_string(), &[("what", &contact_word(l, kind)), ("new", new_masked)])
}

pub fn authenticator_subject(l: Locale) -> String {
    td_string!(l, messages.authenticator_subject).to_string()
}

pub fn authenticator_changed(l: Locale, on: bool) -> String {
    if on { td_string!(l, messages.authenticator_on).to_string() } else { td_string!(l, messages.authenticator_off).to_string() }
}

pub fn staff_account_opened(l: Locale, first_name: &str) -> String {
    fill(&td_string!(l, messages.staff_account_opened).to_string(), &[("name", first_name)])
}

pub fn support_reply_subject(l: Locale, reference: &str) -> String {
    fill(&td_string!(l, messages.support_reply_subject).to_string(), &[("reference", reference)])
}

/// The email a staff answer on a support ticket sends its citizen, with the answer itself.
pub fn support_reply(l: Locale, reference: &str, reply: &str, link: &str) -> String {
    fill(&td_string!(l, messages.support_reply).to_string(), &[("reference", reference), ("reply", reply), ("link", link)])
}

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
        (Action::Claim, _) => td_string!(l, messages.claimed).to_string(),
        (Action::Approve, Status::AwaitingPayment) => td_string!(l, messages.approved_pay).to_string(),
        (Action::Approve, _) => td_string!(l, messages.approved).to_string(),
        (Action::Reject, _) => td_string!(l, messages.rejected).to_string(),
        (Action::RequestAction, _) => td_string!(l, messages.needs_action).to_string(),
        (Action::MarkReady, _) => td_string!(l, messages.ready).to_string(),
        (Action::Complete, _) => td_string!(l, messages.completed).to_string(),
        (Action::PaymentReceived, _) => td_string!(l, messages.payment_received).to_string(),
        (Action::ReleaseClaim, _) => return None,
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

/// Why a payment did not go through, from the provider's result code.
fn payment_failure_reason(l: Locale, code: i64) -> String {
    match code {
        1 => td_string!(l, messages.fail_funds),
        1032 => td_string!(l, messages.fail_cancelled),
        1037 | 1036 => td_string!(l, messages.fail_no_answer),
        2001 => td_string!(l, messages.fail_pin),
        51 => td_string!(l, messages.fail_card_funds),
        5 => td_string!(l, messages.fail_declined),
        _ => td_string!(l, messages.fail_other),
    }
    .to_string()
}

/// A payment that did not complete. `unconfirmed`: the provider never said, so we cannot
/// say that nothing was taken.
pub fn payment_failed(l: Locale, unconfirmed: bool, code: i64, amount_cents: i64, reference: &str) -> String {
    let amount = format_kes(amount_cents);
    if unconfirmed {
        return fill(&td_string!(l, messages.payment_unconfirmed).to_string(), &[("amount", &amount), ("reference", reference)]);
    }
    let reason = payment_failure_reason(l, code);
    fill(&td_string!(l, messages.payment_failed).to_string(), &[("amount", &amount), ("reference", reference), ("reason", &reason)])
}

fn kept_reason(l: Locale, reason: Reason) -> String {
    match reason {
        Reason::NoSuchInvoice => td_string!(l, messages.kept_no_such_invoice),
        Reason::AmountDiffers => td_string!(l, messages.kept_amount_differs),
        Reason::InvoiceAlreadyPaid => td_string!(l, messages.kept_invoice_already_paid),
        Reason::InvoiceClosed => td_string!(l, messages.kept_invoice_closed),
        Reason::UnknownPush => td_string!(l, messages.kept_unknown_push),
    }
    .to_string()
}

/// Money received but not used, in one SMS: the account number a payer typed is cut short.
pub fn money_kept(l: Locale, cents: i64, receipt: Option<&str>, account_number: Option<&str>, reason: Reason) -> String {
    const ACCOUNT_SHOWN: usize = 12;
    let receipt = receipt.map(|r| fill(&td_string!(l, messages.money_kept_receipt).to_string(), &[("receipt", r)])).unwrap_or_default();
    let account = match account_number.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) if a.chars().count() > ACCOUNT_SHOWN => format!("{}…", a.chars().take(ACCOUNT_SHOWN).collect::<String>()),
        Some(a) => a.to_string(),
        None => String::new(),
    };
    let account = if account.is_empty() { account } else { fill(&td_string!(l, messages.money_kept_account).to_string(), &[("account", &account)]) };
    let amount = format_kes(cents);
    let reason = kept_reason(l, reason);
    fill(&td_string!(l, messages.money_kept).to_string(), &[("amount", &amount), ("receipt", &receipt), ("account", &account), ("reason", &reason)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_money_says_what_happened_in_one_sms_in_both_languages() {
        let sms = money_kept(Locale::en, 4_600_00, Some("QAB12CD34E"), Some("RA2600000001"), Reason::InvoiceAlreadyPaid);
        assert_eq!(sms, "Raia: we received KES 4,600 (M-Pesa QAB12CD34E) for RA2600000001 but could not use it: the invoice was already paid. We will refund it within 7 days.");
        assert!(!money_kept(Locale::en, 700_00, Some("QAB12CD34E"), None, Reason::UnknownPush).contains(" for "), "no account number: none shown");
        // The longest: the largest M-Pesa payment, an account number typed as long as Daraja allows.
        for l in [Locale::en, Locale::sw] {
            for reason in [Reason::NoSuchInvoice, Reason::AmountDiffers, Reason::InvoiceAlreadyPaid, Reason::InvoiceClosed, Reason::UnknownPush] {
                for account in [Some("RA2600000001"), Some("ACCOUNT-NUMBER-20-CH"), None] {
                    let sms = money_kept(l, 250_000_00, Some("QAB12CD34E"), account, reason);
                    assert!(sms.chars().count() <= 160, "{} characters: {sms}", sms.chars().count());
                }
            }
        }
    }

    #[test]
    fn a_kiswahili_code_message_is_in_kiswahili() {
        assert_eq!(login_code(Locale::sw, "123456"), "Msimbo wako wa kuingia Raia ni 123456. Utaisha baada ya dakika 10. Usimpe mtu: wafanyakazi wa Raia hawatauomba kamwe.");
        assert!(login_code(Locale::en, "123456").starts_with("Your Raia login code is 123456."));
        assert!(payment_failed(Locale::sw, false, 1032, 105_000, "PSP-2026-000001").contains("malipo yalighairiwa kwenye simu"));
    }

    #[test]
    fn contact_messages_fit_one_sms_in_both_languages() {
        for l in [Locale::en, Locale::sw] {
            let code = contact_code(l, ContactKind::Phone, "123456");
            assert!(code.contains("123456") && code.chars().count() <= 160, "{code}");
            let notice = contact_changed(l, ContactKind::Phone, "+2547******78");
            assert!(notice.contains("+2547******78") && notice.chars().count() <= 160, "{notice}");
        }
        assert!(contact_code(Locale::sw, ContactKind::Phone, "123456").contains("nambari ya simu"));
    }

    #[test]
    fn a_support_reply_quotes_the_answer_in_the_citizens_language() {
        let email = support_reply(Locale::sw, "TKT-2026-000007", "Tumeona malipo yako.", "https://raia.example/support/TKT-2026-000007");
        assert!(email.contains("TKT-2026-000007") && email.contains("Tumeona malipo yako.") && email.contains("https://raia.example/support/TKT-2026-000007"), "{email}");
        assert!(support_reply_subject(Locale::sw, "TKT-2026-000007").starts_with("Raia: "));
        assert_ne!(support_reply(Locale::en, "TKT-2026-000007", "x", "y"), support_reply(Locale::sw, "TKT-2026-000007", "x", "y"));
    }
}
