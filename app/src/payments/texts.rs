//! What payments tell the payer by SMS: a payment that failed, money kept that we could not use.

use crate::i18n::{td_string, Locale};
use crate::messages::texts::fill;
use crate::money::format_kes;
use crate::payments::attention::Reason;

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
    fn a_failed_payment_says_why_in_kiswahili() {
        assert!(payment_failed(Locale::sw, false, 1032, 105_000, "PSP-2026-000001").contains("malipo yalighairiwa kwenye simu"));
    }
}
