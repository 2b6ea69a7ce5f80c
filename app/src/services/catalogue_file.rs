//! Reading the catalogue file (TOML) and checking it before Raia serves anything: a
//! broken catalogue stops the start-up with every problem named, never a half-working portal.

use crate::services::catalogue::{Agency, Catalogue, Category, Centre, Choice, DateRule, Delivery, DocumentTemplate, FeeOption, FieldKind, FormField, FormStep, Lookup, PaymentDue, Service, Text};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;

/// The catalogue shipped with Raia.
pub const BUILT_IN: &str = include_str!("../../data/catalogue.toml");

#[derive(Debug, PartialEq, Eq)]
pub struct CatalogueError(pub Vec<String>);

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service catalogue has {} problem(s):", self.0.len())?;
        for problem in &self.0 {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogueError {}

/// A text in the file: one string (English only) or `{ en = "...", sw = "..." }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum FileText {
    English(String),
    Both { en: String, sw: Option<String> },
}

impl From<FileText> for Text {
    fn from(text: FileText) -> Text {
        match text {
            FileText::English(en) => Text { en, sw: String::new() },
            FileText::Both { en, sw } => Text { en, sw: sw.unwrap_or_default() },
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCatalogue {
    #[serde(default)]
    agencies: Vec<FileAgency>,
    #[serde(default)]
    categories: Vec<FileCategory>,
    #[serde(default)]
    centres: Vec<Centre>,
    #[serde(default)]
    services: Vec<FileService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAgency {
    slug: String,
    short_name: String,
    name: FileText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCategory {
    slug: String,
    name: FileText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileService {
    slug: String,
    reference_prefix: String,
    name: FileText,
    agency: String,
    category: String,
    summary: FileText,
    #[serde(default)]
    requirements: Vec<FileText>,
    payment: PaymentDue,
    /// Where the fee figures come from (kept in the file for whoever updates them).
    #[serde(default)]
    fee_source: Option<String>,
    #[serde(default)]
    fees: Vec<FileFee>,
    processing_time: FileText,
    /// `processing_time` as a number: calendar days from submission to completion.
    processing_days: u32,
    #[serde(default)]
    collection: bool,
    declaration: FileText,
    #[serde(default)]
    steps: Vec<FileStep>,
    #[serde(default)]
    delivery: Delivery,
    document: Option<FileDocument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDocument {
    template: String,
    title: FileText,
    valid_days: Option<u32>,
    #[serde(default)]
    bilingual: bool,
}

/// The document drawings Raia has (`issued::pdf`).
pub const DOCUMENT_TEMPLATES: [&str; 5] = ["good_conduct", "vehicle_search", "business_name", "licence_renewal", "kra_pin"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFee {
    code: String,
    label: FileText,
    /// Whole shillings, as fee schedules publish them.
    kes: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStep {
    title: FileText,
    #[serde(default)]
    fields: Vec<FileField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileField {
    name: String,
    kind: FieldKind,
    label: FileText,
    help: Option<FileText>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    choices: Vec<FileChoice>,
    min_length: Option<u32>,
    max_length: Option<u32>,
    min: Option<i64>,
    max: Option<i64>,
    date: Option<DateRule>,
    lookup: Option<Lookup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileChoice {
    value: String,
    label: FileText,
}

/// The largest fee a catalogue may set: far beyond any government fee, and small enough
/// that its cents, times any number of applications, stay countable.
pub const MAX_FEE_KES: i64 = 1_000_000_000;

/// The longest promise a service may make: a year.
pub const MAX_PROCESSING_DAYS: u32 = 365;

fn is_slug(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_field_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Notes each value seen; says which ones repeat.
fn check_unique<'a>(problems: &mut Vec<String>, what: &str, values: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for value in values {
        if !seen.insert(value) {
            problems.push(format!("{what} `{value}` appears more than once"));
        }
    }
}

/// Parses and checks a catalogue file.
pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
    let file: FileCatalogue = toml::from_str(text).map_err(|e| CatalogueError(vec![e.to_string().trim().replace('\n', " ")]))?;
    let mut problems = Vec::new();

    if file.services.is_empty() {
        problems.push("no services: add at least one [[services]]".to_string());
    }
    check_unique(&mut problems, "agency", file.agencies.iter().map(|a| a.slug.as_str()));
    check_unique(&mut problems, "category", file.categories.iter().map(|c| c.slug.as_str()));
    check_unique(&mut problems, "centre", file.centres.iter().map(|c| c.slug.as_str()));
    check_unique(&mut problems, "service", file.services.iter().map(|s| s.slug.as_str()));
    check_unique(&mut problems, "reference_prefix", file.services.iter().map(|s| s.reference_prefix.as_str()));
    for slug in file.agencies.iter().map(|a| &a.slug).chain(file.categories.iter().map(|c| &c.slug)).chain(file.centres.iter().map(|c| &c.slug)) {
        if !is_slug(slug) {
            problems.push(format!("`{slug}` is not a slug (lowercase letters, digits and dashes)"));
        }
    }

    let agencies: HashSet<&str> = file.agencies.iter().map(|a| a.slug.as_str()).collect();
    let categories: HashSet<&str> = file.categories.iter().map(|c| c.slug.as_str()).collect();
    for service in &file.services {
        check_service(&mut problems, service, &agencies, &categories, !file.centres.is_empty());
    }
    if !problems.is_empty() {
        return Err(CatalogueError(problems));
    }

    Ok(Catalogue {
        agencies: file.agencies.into_iter().map(|a| Agency { slug: a.slug, short_name: a.short_name, name: a.name.into() }).collect(),
        categories: file.categories.into_iter().map(|c| Category { slug: c.slug, name: c.name.into() }).collect(),
        centres: file.centres,
        services: file.services.into_iter().map(service_from_file).collect(),
    })
}

fn check_service(problems: &mut Vec<String>, service: &FileService, agencies: &HashSet<&str>, categories: &HashSet<&str>, have_centres: bool) {
    let at = format!("service `{}`", service.slug);
    let mut say = |problem: String| problems.push(format!("{at}: {problem}"));
    if !is_slug(&service.slug) {
        say("the slug must be lowercase letters, digits and dashes".into());
    }
    let prefix = &service.reference_prefix;
    if !(2..=4).contains(&prefix.len()) || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
        say(format!("reference_prefix `{prefix}` must be 2 to 4 capital letters"));
    }
    if !agencies.contains(service.agency.as_str()) {
        say(format!("agency `{}` is not in [[agencies]]", service.agency));
    }
    if !categories.contains(service.category.as_str()) {
        say(format!("category `{}` is not in [[categories]]", service.category));
    }
    let fine_fields = service.steps.iter().flat_map(|s| s.fields.iter()).filter(|f| f.lookup == Some(Lookup::NtsaFine)).count();
    match (service.payment, service.fees.is_empty(), fine_fields) {
        (_, _, n) if n > 1 => say("at most one field may look up a fine notice".into()),
        (_, false, 1) => say("a fine's amount comes from its notice: list no fees".into()),
        (PaymentDue::OnSubmission, true, 1) => {}
        (_, true, 1) => say("a fine is paid on submission".into()),
        (PaymentDue::Never, false, _) => say("payment = \"never\" but fees are listed".into()),
        (PaymentDue::OnSubmission | PaymentDue::AfterApproval, true, _) => say("a paid service needs at least one [[services.fees]]".into()),
        _ => {}
    }
    let has = |lookup| service.steps.iter().flat_map(|s| s.fields.iter()).filter(|f| f.lookup == Some(lookup)).count();
    if (has(Lookup::NtsaVehicleOwned), has(Lookup::Counterparty)) != (0, 0) && ((has(Lookup::NtsaVehicleOwned), has(Lookup::Counterparty)) != (1, 1) || service.payment != PaymentDue::OnSubmission) {
        say("a transfer has one `ntsa_vehicle_owned` field, one `counterparty` field, and payment = \"on_submission\"".into());
    }
    if service.delivery == Delivery::Register && (service.payment != PaymentDue::OnSubmission || service.document.is_none()) {
        say("delivery = \"register\" needs payment = \"on_submission\" and a [services.document] to issue".into());
    }
    if let Some(document) = &service.document {
        if !DOCUMENT_TEMPLATES.contains(&document.template.as_str()) {
            say(format!("document template `{}` is not one of {}", document.template, DOCUMENT_TEMPLATES.join(", ")));
        }
    }
    if !service.fees.is_empty() || fine_fields == 1 {
        if service.fee_source.as_deref().unwrap_or("").trim().is_empty() {
            say("fee_source must say where the fee figures come from".into());
        }
    }
    let mut codes = HashSet::new();
    for fee in &service.fees {
        if fee.kes <= 0 {
            say(format!("fee `{}` must cost more than KES 0", fee.code));
        }
        // Counted in cents from here on: a figure beyond that would overflow.
        if fee.kes > MAX_FEE_KES {
            say(format!("fee `{}` must be at most KES {MAX_FEE_KES}", fee.code));
        }
        if !codes.insert(fee.code.as_str()) {
            say(format!("fee code `{}` appears more than once", fee.code));
        }
    }
    if !(1..=MAX_PROCESSING_DAYS).contains(&service.processing_days) {
        say(format!("processing_days must be from 1 to {MAX_PROCESSING_DAYS} (calendar days from submission to completion)"));
    }
    if service.steps.is_empty() {
        say("the form needs at least one [[services.steps]]".into());
    }
    let fields: Vec<&FileField> = service.steps.iter().flat_map(|s| s.fields.iter()).collect();
    for (index, step) in service.steps.iter().enumerate() {
        if step.fields.is_empty() {
            say(format!("step {} has no fields", index + 1));
        }
    }
    let mut names = HashSet::new();
    for field in &fields {
        if !is_field_name(&field.name) {
            say(format!("field name `{}` must be lowercase letters, digits and underscores", field.name));
        }
        if !names.insert(field.name.as_str()) {
            say(format!("field `{}` appears more than once", field.name));
        }
        for problem in field_problems(field, have_centres) {
            say(format!("field `{}`: {problem}", field.name));
        }
    }
    let fee_fields = fields.iter().filter(|f| f.kind == FieldKind::FeeOption).count();
    match (service.fees.len() > 1, fee_fields) {
        (true, 1) | (false, 0) => {}
        (true, _) => say("several fees need exactly one field of kind \"fee_option\" to choose between them".into()),
        (false, _) => say("a fee_option field needs at least two fees to choose from".into()),
    }
}

fn field_problems(field: &FileField, have_centres: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let needs_choices = matches!(field.kind, FieldKind::Select | FieldKind::Radio);
    if needs_choices && field.choices.len() < 2 {
        problems.push("needs at least two choices".to_string());
    }
    if !needs_choices && !field.choices.is_empty() {
        problems.push("only select and radio fields have choices".to_string());
    }
    let text_like = matches!(field.kind, FieldKind::Text);
    if !text_like && (field.min_length.is_some() || field.max_length.is_some()) {
        problems.push("min_length and max_length are for text fields".to_string());
    }
    if let (Some(min), Some(max)) = (field.min_length, field.max_length) {
        if min > max {
            problems.push("min_length is more than max_length".to_string());
        }
    }
    if field.kind != FieldKind::Number && (field.min.is_some() || field.max.is_some()) {
        problems.push("min and max are for number fields".to_string());
    }
    if let (Some(min), Some(max)) = (field.min, field.max) {
        if min > max {
            problems.push("min is more than max".to_string());
        }
    }
    if field.kind != FieldKind::Date && field.date.is_some() {
        problems.push("`date` is for date fields".to_string());
    }
    if field.lookup.is_some() && field.kind != FieldKind::Text && (field.lookup, field.kind) != (Some(Lookup::Counterparty), FieldKind::IdNumber) {
        problems.push("only text fields look up a register (and an id_number field names a counterparty)".to_string());
    }
    if field.kind == FieldKind::Centre && !have_centres {
        problems.push("a centre field needs [[centres]]".to_string());
    }
    problems
}

fn service_from_file(service: FileService) -> Service {
    Service {
        slug: service.slug,
        reference_prefix: service.reference_prefix,
        name: service.name.into(),
        agency: service.agency,
        category: service.category,
        summary: service.summary.into(),
        requirements: service.requirements.into_iter().map(Text::from).collect(),
        fees: service.fees.into_iter().map(|f| FeeOption { code: f.code, label: f.label.into(), amount_cents: f.kes * 100 }).collect(),
        payment: service.payment,
        processing_time: service.processing_time.into(),
        processing_days: service.processing_days,
        collection: service.collection,
        declaration: service.declaration.into(),
        delivery: service.delivery,
        document: service.document.map(|d| DocumentTemplate { template: d.template, title: d.title.into(), valid_days: d.valid_days, bilingual: d.bilingual }),
        steps: service
            .steps
            .into_iter()
            .map(|step| FormStep {
                title: step.title.into(),
                fields: step
                    .fields
                    .into_iter()
                    .map(|f| FormField {
                        name: f.name,
                        kind: f.kind,
                        label: f.label.into(),
                        help: f.help.map(Text::from),
                        required: f.required,
                        choices: f.choices.into_iter().map(|c| Choice { value: c.value, label: c.label.into() }).collect(),
                        min_length: f.min_length,
                        max_length: f.max_length,
                        min: f.min,
                        max: f.max,
                        date_rule: f.date,
                        lookup: f.lookup,
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_valid_and_complete() {
        let catalogue = parse(BUILT_IN).expect("valid");
        for slug in ["passport", "id-replacement", "driving-licence-renewal", "vehicle-search", "ntsa-fines", "good-conduct", "business-name", "kra-pin-link", "kmlttb-licence-renewal"] {
            assert!(catalogue.service(slug).is_some(), "{slug} is in the catalogue");
        }
        assert!(catalogue.centres.len() >= 5);
        let passport = catalogue.service("passport").unwrap();
        assert_eq!(passport.fees.iter().map(|f| f.amount_cents).collect::<Vec<_>>(), vec![455_000, 605_000, 755_000]);
        assert!(passport.fields().any(|f| f.kind == FieldKind::File));
    }

    const SMALL: &str = r#"
[[agencies]]
slug = "ntsa"
short_name = "NTSA"
name = "National Transport and Safety Authority"

[[categories]]
slug = "transport"
name = "Transport"

[[services]]
slug = "vehicle-search"
reference_prefix = "VHS"
name = "Vehicle search"
agency = "ntsa"
category = "transport"
summary = "Search"
payment = "on_submission"
fee_source = "NTSA"
processing_time = "Same day"
processing_days = 1
declaration = "True"

[[services.fees]]
code = "search"
label = "Search"
kes = 550

[[services.steps]]
title = "Vehicle"

[[services.steps.fields]]
name = "registration_number"
kind = "text"
label = "Registration number"
required = true
"#;

    fn problems_of(text: &str) -> Vec<String> {
        parse(text).expect_err("the catalogue is refused").0
    }

    #[test]
    fn a_small_valid_file_loads_with_cents() {
        let catalogue = parse(SMALL).unwrap();
        assert_eq!(catalogue.service("vehicle-search").unwrap().fees[0].amount_cents, 55_000);
        // One language given: Kiswahili falls back to English.
        assert_eq!(catalogue.services[0].name.get(crate::i18n::Locale::sw), "Vehicle search");
    }

    #[test]
    fn broken_files_are_refused_with_every_problem_named() {
        let broken = SMALL.replace("agency = \"ntsa\"", "agency = \"ntsb\"").replace("kes = 550", "kes = 0").replace("fee_source = \"NTSA\"", "");
        let problems = problems_of(&broken);
        assert!(problems.iter().any(|p| p.contains("agency `ntsb` is not in [[agencies]]")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("must cost more than KES 0")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("fee_source")), "{problems:?}");
    }

    #[test]
    fn the_promise_in_days_is_a_day_to_a_year() {
        assert_eq!(parse(SMALL).unwrap().services[0].processing_days, 1);
        for days in ["0", "366"] {
            let broken = SMALL.replace("processing_days = 1", &format!("processing_days = {days}"));
            assert!(problems_of(&broken).iter().any(|p| p.contains("processing_days must be from 1 to 365")), "{days}");
        }
        let negative = SMALL.replace("processing_days = 1", "processing_days = -3");
        assert!(problems_of(&negative)[0].contains("processing_days"));
        assert_eq!(parse(&SMALL.replace("processing_days = 1", "processing_days = 365")).unwrap().services[0].processing_days, 365);
    }

    #[test]
    fn field_rules_must_fit_their_kind() {
        let broken = SMALL.replace("kind = \"text\"", "kind = \"select\"");
        assert!(problems_of(&broken).iter().any(|p| p.contains("needs at least two choices")));
        let broken = SMALL.replace("required = true", "required = true\ndate = \"past\"");
        assert!(problems_of(&broken).iter().any(|p| p.contains("`date` is for date fields")));
        let twice = format!("{SMALL}\n[[services.steps.fields]]\nname = \"registration_number\"\nkind = \"text\"\nlabel = \"Again\"\n");
        assert!(problems_of(&twice).iter().any(|p| p.contains("field `registration_number` appears more than once")));
    }

    #[test]
    fn unknown_keys_and_bad_syntax_are_named() {
        let typo = SMALL.replace("processing_time", "procesing_time");
        assert!(problems_of(&typo)[0].contains("procesing_time"));
        let without_promise = SMALL.replace("processing_days = 1\n", "");
        assert!(problems_of(&without_promise)[0].contains("processing_days"), "the promise in days is required");
        assert!(!problems_of("[[services]\nslug =").is_empty());
        let unknown_kind = SMALL.replace("kind = \"text\"", "kind = \"signature\"");
        assert!(problems_of(&unknown_kind)[0].contains("signature"));
    }
}
