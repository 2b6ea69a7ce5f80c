//! The catalogue of government services as data: what each service is, what it costs,
//! when it is paid, and the form a citizen fills in. Loaded from `data/catalogue.toml`
//! (see `catalogue_file`) and shared with the browser for rendering.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A text in English and Kiswahili (Kiswahili falls back to English where the file has none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub sw: String,
}

impl Text {
    pub fn get(&self, locale: Locale) -> String {
        match locale {
            Locale::sw if !self.sw.is_empty() => self.sw.clone(),
            _ => self.en.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub slug: String,
    /// The initials citizens know the agency by (NTSA, KRA).
    pub short_name: String,
    pub name: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: Text,
}

/// A place where documents are collected (Nyayo House, a Huduma Centre).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Centre {
    pub slug: String,
    pub name: String,
    pub town: String,
}

/// One price a service can be bought at (a 34-page passport, a 3-year licence).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeOption {
    pub code: String,
    pub label: Text,
    pub amount_cents: i64,
}

/// When the fee is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentDue {
    /// Free of charge.
    Never,
    /// Before an officer looks at the application.
    OnSubmission,
    /// Once an officer has approved it.
    AfterApproval,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Select,
    Radio,
    Checkbox,
    Phone,
    Email,
    IdNumber,
    /// A choice of the catalogue's collection centres.
    Centre,
    /// A choice of the service's fee options.
    FeeOption,
    File,
}

/// Which dates a date field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRule {
    Past,
    Future,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    pub name: String,
    pub kind: FieldKind,
    pub label: Text,
    pub help: Option<Text>,
    pub required: bool,
    pub choices: Vec<Choice>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub date_rule: Option<DateRule>,
    /// The agency register this answer is checked against (and read from).
    pub lookup: Option<Lookup>,
}

/// Which register a field's answer is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lookup {
    /// A registration number NTSA's vehicle register knows.
    NtsaVehicle,
    /// An instant fine notice: unpaid, and its amount is the fee.
    NtsaFine,
    /// A KRA PIN registered to the citizen's own ID number.
    KraPin,
    /// A business name no registered business has, exactly or nearly.
    BusinessName,
    /// A registration number NTSA's register gives to the citizen themself, with no caveat
    /// standing in the way of a transfer.
    NtsaVehicleOwned,
    /// A driving licence NTSA's register gives to the citizen themself; its classes and expiry
    /// come from the register, never from the form.
    NtsaDrivingLicence,
    /// (An ID number field.) The other party of a transfer: another citizen with a Raia
    /// account, who must confirm it from that account.
    Counterparty,
}

/// Who answers an application once it is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// An officer of the agency reviews it.
    #[default]
    Officer,
    /// The register answers at once (a vehicle search); no officer.
    Register,
}

/// The document an approved (or answered) application issues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentTemplate {
    /// Which drawing: `good_conduct`, `vehicle_search`, `business_name`, `licence_renewal`, `kra_pin`.
    pub template: String,
    pub title: Text,
    /// How long it is valid; `None`: it does not expire.
    pub valid_days: Option<u32>,
    /// The agency requires both languages on it, side by side.
    pub bilingual: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormStep {
    pub title: Text,
    pub fields: Vec<FormField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub slug: String,
    /// The first part of its application references: `PSP` in `PSP-2026-000123`.
    pub reference_prefix: String,
    pub name: Text,
    pub agency: String,
    pub category: String,
    pub summary: Text,
    pub requirements: Vec<Text>,
    pub fees: Vec<FeeOption>,
    pub payment: PaymentDue,
    pub processing_time: Text,
    /// The promise of `processing_time` in calendar days from submission to completion.
    pub processing_days: u32,
    pub collection: bool,
    pub steps: Vec<FormStep>,
    pub declaration: Text,
    pub delivery: Delivery,
    pub document: Option<DocumentTemplate>,
}

impl Service {
    /// The fee is the fine notice's amount (plus the convenience fee), not a catalogue figure.
    pub fn fee_from_notice(&self) -> bool {
        self.fields().any(|f| f.lookup == Some(Lookup::NtsaFine))
    }

    /// A transfer's two fields: the vehicle (the citizen's own) and the other party's ID number.
    pub fn transfer_fields(&self) -> Option<(&FormField, &FormField)> {
        let vehicle = self.fields().find(|f| f.lookup == Some(Lookup::NtsaVehicleOwned))?;
        let counterparty = self.fields().find(|f| f.lookup == Some(Lookup::Counterparty))?;
        Some((vehicle, counterparty))
    }

    pub fn fields(&self) -> impl Iterator<Item = &FormField> {
        self.steps.iter().flat_map(|step| step.fields.iter())
    }

    pub fn fee(&self, code: &str) -> Option<&FeeOption> {
        self.fees.iter().find(|fee| fee.code == code)
    }

    /// The lowest fee, for "from KES 4,550" in lists.
    pub fn lowest_fee_cents(&self) -> Option<i64> {
        self.fees.iter().map(|fee| fee.amount_cents).min()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub agencies: Vec<Agency>,
    pub categories: Vec<Category>,
    pub centres: Vec<Centre>,
    pub services: Vec<Service>,
}

impl Catalogue {
    pub fn service(&self, slug: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.slug == slug)
    }

    pub fn agency(&self, slug: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.slug == slug)
    }

    pub fn centre(&self, slug: &str) -> Option<&Centre> {
        self.centres.iter().find(|c| c.slug == slug)
    }

    /// Services matching every word of `query` (in either language) and the filters.
    pub fn search(&self, query: &str, agency: &str, category: &str) -> Vec<&Service> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.services
            .iter()
            .filter(|s| agency.is_empty() || s.agency == agency)
            .filter(|s| category.is_empty() || s.category == category)
            .filter(|s| {
                let agency = self.agency(&s.agency);
                let haystack = [
                    &s.name.en,
                    &s.name.sw,
                    &s.summary.en,
                    &s.summary.sw,
                    agency.map(|a| &a.short_name).unwrap_or(&String::new()),
                    agency.map(|a| &a.name.en).unwrap_or(&String::new()),
                ]
                .iter()
                .map(|t| t.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
                words.iter().all(|word| haystack.contains(word.as_str()))
            })
            .collect()
    }
}
