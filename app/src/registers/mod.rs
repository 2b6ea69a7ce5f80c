//! Agencies' registers: the systems of record that say what a vehicle is and who owns it,
//! what a fine notice demands, whose a KRA PIN is, which business names are taken. Raia
//! never takes these facts from the person asking.
//!
//! One interface ([`Registers`]), two kinds behind it: the embedded register in Raia's own
//! database (`embedded`, the default, filled from CSV extracts), and an agency's own API
//! over HTTP (`http`). Every call goes through [`logged::Logged`], which records who asked
//! and why.

pub mod breaker;
pub mod embedded;
pub mod http;
pub mod import;
pub mod logged;
pub mod orders;

use serde::{Deserialize, Serialize};

/// A vehicle as NTSA's register holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    pub registration_number: String,
    pub make: String,
    pub model: String,
    pub year: i64,
    pub colour: String,
    /// The full chassis number; pages and documents show it masked (`mask_chassis`).
    pub chassis_number: String,
    pub logbook_number: String,
    pub owner_id_number: String,
    pub owner_name: String,
    /// `valid`, `expired` or `none`.
    pub insurance_status: String,
    /// `YYYY-MM-DD`, when the register knows one.
    pub insurance_expiry: Option<String>,
    /// Caveats and encumbrances (a bank's interest, a court order); empty when none.
    pub caveats: Vec<String>,
}

/// An instant fine notice, as NTSA's register holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fine {
    pub notice_number: String,
    pub offence_en: String,
    pub offence_sw: String,
    pub amount_cents: i64,
    pub vehicle: String,
    /// `YYYY-MM-DD`.
    pub offence_date: String,
    pub paid: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrivingLicence {
    pub licence_number: String,
    pub id_number: String,
    /// `B, C1`.
    pub classes: String,
    /// `YYYY-MM-DD`.
    pub expires_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KraPin {
    pub pin: String,
    pub id_number: String,
    /// `active` or `dormant`.
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessName {
    pub number: String,
    pub name: String,
    pub owner_id_numbers: Vec<String>,
    /// `registered` or `deregistered`.
    pub status: String,
}

/// What paying a notice asks of the register: the reference is Raia's invoice number, so
/// asking twice for the same payment is answered "paid" both times and pays once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinePayment {
    pub reference: String,
    pub amount_cents: i64,
    pub paid_at: i64,
}

/// The register's answer to a payment of a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FineSettlement {
    /// Paid by this payment (now, or when it was asked before).
    Paid,
    /// Paid already by another payment (at a police station, or another application).
    PaidByOther,
    /// The notice does not exist.
    Unknown,
    /// The amount is not what the notice demands.
    AmountDiffers,
}

/// A change of owner, as the register records it once NTSA has approved the transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerChange {
    pub registration_number: String,
    pub from_id_number: String,
    pub to_id_number: String,
    pub to_name: String,
    /// Raia's transfer reference: asking twice changes the owner once.
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OwnerChangeOutcome {
    Changed,
    /// The vehicle is not (any more) the seller's: nothing changed.
    NotTheOwner,
    Unknown,
}

/// Who asked, and why: written beside every call (`register_calls`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asker {
    /// The logged-in account, or none (a worker, an import).
    pub account_id: Option<i64>,
    /// `vehicle-search VHS-2026-000012`, `fine lookup`, …
    pub purpose: String,
}

impl Asker {
    pub fn account(account_id: i64, purpose: impl Into<String>) -> Self {
        Asker { account_id: Some(account_id), purpose: purpose.into() }
    }

    pub fn system(purpose: impl Into<String>) -> Self {
        Asker { account_id: None, purpose: purpose.into() }
    }
}

/// Why a register could not answer. Never "not found": that is `Ok(None)`.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Timed out, refused, answered 5xx, or the circuit is open: try again later.
    #[error("the agency's register is not answering: {0}")]
    NotAnswering(String),
    /// Answered, but with something we cannot read.
    #[error("the agency's register answered something unreadable: {0}")]
    Malformed(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<RegisterError> for crate::errors::AppError {
    fn from(error: RegisterError) -> Self {
        tracing::warn!(%error, "register call failed");
        match error {
            RegisterError::Database(error) => error.into(),
            // The page says the agency is not answering: the same as "try again shortly".
            RegisterError::NotAnswering(_) | RegisterError::Malformed(_) => crate::errors::AppError::field("", crate::errors::Problem::AgencyNotAnswering),
        }
    }
}

/// The registers Raia reads and writes. Keys arrive as typed (`kda 123a`) and are matched
/// the way the agency writes them (`KDA 123A`).
#[async_trait::async_trait]
pub trait Registers: Send + Sync {
    async fn vehicle(&self, registration_number: &str, asker: &Asker) -> Result<Option<Vehicle>, RegisterError>;
    async fn vehicles_owned_by(&self, id_number: &str, asker: &Asker) -> Result<Vec<Vehicle>, RegisterError>;
    async fn change_owner(&self, change: &OwnerChange, asker: &Asker) -> Result<OwnerChangeOutcome, RegisterError>;
    async fn fine(&self, notice_number: &str, asker: &Asker) -> Result<Option<Fine>, RegisterError>;
    async fn pay_fine(&self, notice_number: &str, payment: &FinePayment, asker: &Asker) -> Result<FineSettlement, RegisterError>;
    async fn driving_licence(&self, licence_number: &str, asker: &Asker) -> Result<Option<DrivingLicence>, RegisterError>;
    async fn kra_pin(&self, pin: &str, asker: &Asker) -> Result<Option<KraPin>, RegisterError>;
    /// Registered names equal to `name` or nearly so (see `similar_name_key`).
    async fn business_names_like(&self, name: &str, asker: &Asker) -> Result<Vec<BusinessName>, RegisterError>;
}

/// `kda 123a`, `KDA123A` and ` KDA  123A ` are one registration number: `KDA 123A`.
pub fn normalise_registration(text: &str) -> String {
    let compact: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    // Kenyan plates: three letters, then the rest (KDA 123A); other shapes stay compact.
    if compact.len() > 3 && compact[..3].chars().all(|c| c.is_ascii_alphabetic()) {
        format!("{} {}", &compact[..3], &compact[3..])
    } else {
        compact
    }
}

/// Notice numbers, PINs and licence numbers: upper case, no spaces.
pub fn normalise_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase()
}

/// A chassis number with all but its last four characters hidden: `*************4821`.
pub fn mask_chassis(chassis: &str) -> String {
    let count = chassis.chars().count();
    chassis.chars().enumerate().map(|(i, c)| if i + 4 < count { '*' } else { c }).collect()
}

/// The key two business names share when a citizen would take one for the other: case,
/// punctuation, spaces and the words every name may carry ("enterprises", "limited") do
/// not tell them apart.
pub fn similar_name_key(name: &str) -> String {
    const FILLER: [&str; 8] = ["the", "enterprises", "enterprise", "limited", "ltd", "company", "co", "and"];
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !FILLER.contains(word))
        .collect::<Vec<_>>()
        .join("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_matched_as_the_agency_writes_them() {
        assert_eq!(normalise_registration("kda123a"), "KDA 123A");
        assert_eq!(normalise_registration(" KDA  123A "), "KDA 123A");
        assert_eq!(normalise_key(" ntsa 0012 "), "NTSA0012");
        assert_eq!(mask_chassis("JTDBR32E720012345"), "*************2345");
        assert_eq!(mask_chassis("AB1"), "AB1");
    }

    #[test]
    fn near_identical_business_names_share_a_key() {
        assert_eq!(similar_name_key("Mama Mboga Enterprises"), similar_name_key("MAMA-MBOGA LTD"));
        assert_eq!(similar_name_key("The Mama Mboga Co."), "mamamboga");
        assert_ne!(similar_name_key("Mama Mboga"), similar_name_key("Baba Mboga"));
    }
}
