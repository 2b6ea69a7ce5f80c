//! One USSD step: find the account the calling phone belongs to, load what the menu may
//! show, and do what the caller chose. Stateless between steps (Africa's Talking sends
//! every answer again each time), so any server process can answer any step.

use crate::db::Db;
use crate::errors::AppError;
use crate::i18n::Locale;
use crate::identity::accounts::{self, Account};
use crate::identity::contact::{Identifier, PhoneNumber};
use crate::payments::service::Payments;
use crate::services::store as applications_store;
use crate::ussd::menu::{self, ApplicationLine, Facts, OpenFee, PaymentStart, Reply, Screen};

/// One step as Africa's Talking posts it.
#[derive(Clone, Debug)]
pub struct Step {
    pub session_id: String,
    pub phone_number: String,
    pub text: String,
}

#[derive(Clone)]
pub struct Ussd {
    pub db: Db,
    pub payments: Payments,
    /// Where a phone with no account is sent: the site's address, without `https://`.
    pub web_address: String,
}

impl Ussd {
    pub async fn answer(&self, step: &Step) -> Result<Screen, AppError> {
        let Some(account) = self.caller(&step.phone_number).await? else {
            return Ok(menu::no_account(&self.web_address));
        };
        let facts = self.facts(&account).await?;
        match menu::reply(&facts, &step.text) {
            Reply::Show(screen) => Ok(screen),
            Reply::Pay(index) => {
                let fee = &facts.fees[index];
                let start = self.push(&account, fee, &step.session_id).await?;
                Ok(menu::after_payment(facts.locale, fee, start))
            }
            Reply::SetLanguage(locale) => {
                let mut tx = self.db.begin_write().await?;
                accounts::set_language(&mut tx, account.id, locale).await?;
                tx.commit().await?;
                Ok(menu::language_saved(locale))
            }
        }
    }

    /// The account whose verified phone is calling. The number comes from the mobile
    /// network through Africa's Talking, not from the caller.
    async fn caller(&self, phone_number: &str) -> Result<Option<Account>, AppError> {
        let Some(phone) = PhoneNumber::parse(phone_number) else { return Ok(None) };
        let account = accounts::find_by_identifier(self.db.pool(), &Identifier::Phone(phone)).await?;
        Ok(account.filter(|account| account.phone_verified && !account.disabled))
    }

    async fn facts(&self, account: &Account) -> Result<Facts, AppError> {
        let locale: Locale = account.language;
        let applications = applications_store::list_for_account(self.db.pool(), account.id)
            .await?
            .into_iter()
            .filter_map(|row| Some(ApplicationLine { reference: row.reference?, status: row.status }))
            .take(menu::APPLICATIONS_SHOWN)
            .collect();
        let fees = self
            .payments
            .open_fees(account)
            .await?
            .into_iter()
            .map(|fee| OpenFee { reference: fee.reference, service: fee.service.get(locale), amount_cents: fee.total_cents })
            .collect();
        Ok(Facts { locale, applications, fees })
    }

    /// One STK push to the calling phone. The attempt's key is this session and this fee:
    /// Africa's Talking posting the same step again gets the same attempt, never a second push.
    async fn push(&self, account: &Account, fee: &OpenFee, session_id: &str) -> Result<PaymentStart, AppError> {
        let key = attempt_key(session_id, &fee.reference);
        match self.payments.pay_mpesa(account, &fee.reference, &account.phone, &key).await {
            Ok(payment_id) => match self.payments.attempt_status(account, &fee.reference, payment_id).await?.as_str() {
                "failed" | "expired" => Ok(PaymentStart::Failed),
                _ => Ok(PaymentStart::Sent),
            },
            Err(AppError::Invalid(_) | AppError::NotFound) => Ok(PaymentStart::NotPossible),
            Err(error) => Err(error),
        }
    }
}

fn attempt_key(session_id: &str, reference: &str) -> String {
    let digest = crate::identity::codes::sha256_hex(format!("{session_id}\n{reference}").as_bytes());
    format!("ussd-{}", &digest[..40])
}

#[cfg(test)]
mod tests {
    use super::attempt_key;

    #[test]
    fn one_key_per_session_and_fee_within_the_limit_for_keys() {
        let key = attempt_key("ATUid_0123456789abcdef0123456789abcdef", "PSP-2026-000001");
        assert_eq!(key, attempt_key("ATUid_0123456789abcdef0123456789abcdef", "PSP-2026-000001"));
        assert_ne!(key, attempt_key("ATUid_0123456789abcdef0123456789abcdef", "PSP-2026-000002"));
        assert_ne!(key, attempt_key("ATUid_other", "PSP-2026-000001"));
        assert!(key.len() <= 64);
    }
}
