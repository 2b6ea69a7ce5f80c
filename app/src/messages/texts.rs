//! What messages say, in the recipient's language. The words live in the locale files
//! (`messages.*`) like every other string; `{name}` placeholders are filled here.

use crate::i18n::{td_string, Locale};

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

pub fn account_closed_subject(l: Locale) -> String {
    td_string!(l, messages.account_closed_subject).to_string()
}

/// The notice that an account was closed, by SMS (within 160 characters) and email.
pub fn account_closed(l: Locale) -> String {
    td_string!(l, messages.account_closed).to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kiswahili_code_message_is_in_kiswahili() {
        assert_eq!(login_code(Locale::sw, "123456"), "Msimbo wako wa kuingia Raia ni 123456. Utaisha baada ya dakika 10. Usimpe mtu: wafanyakazi wa Raia hawatauomba kamwe.");
        assert!(login_code(Locale::en, "123456").starts_with("Your Raia login code is 123456."));
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
