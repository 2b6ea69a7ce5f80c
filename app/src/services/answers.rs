//! Checking a citizen's answers against the rules the catalogue gives each field: the
//! same rules the form shows, applied on the server. Answers are kept cleaned (a phone
//! number in E.164, a date as YYYY-MM-DD).

pub use crate::calendar::days_from_civil;
use crate::errors::{FieldProblem, Problem};
use crate::identity::contact::{Email, IdNumber, PhoneNumber};
use crate::services::catalogue::{Catalogue, DateRule, FieldKind, FormField, Service};
pub use crate::services::views::Answers;
use std::collections::{HashMap, HashSet};

pub use crate::services::views::{NOTICE_AMOUNT_CENTS, NOTICE_DATE, NOTICE_OFFENCE_EN, NOTICE_OFFENCE_SW, NOTICE_VEHICLE};

/// What checking needs besides the answers: the centres to choose from and today's date.
pub struct Context<'a> {
    pub catalogue: &'a Catalogue,
    /// Days since 1970-01-01 (UTC).
    pub today: i64,
}

pub use crate::calendar::parse_date;

/// A day as answers keep it: `YYYY-MM-DD`.
pub fn format_date(days: i64) -> String {
    let (year, month, day) = crate::calendar::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Checks one answer; returns it cleaned, or the problem to show beside the field.
pub fn check_field(service: &Service, field: &FormField, value: &str, context: &Context) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return if field.required && field.kind != FieldKind::File { Err(Problem::Required) } else { Ok(String::new()) };
    }
    let chars = value.chars().count() as u32;
    match field.kind {
        FieldKind::Text => {
            if let Some(min) = field.min_length.filter(|min| chars < *min) {
                return Err(Problem::TextTooShort { min: min.into() });
            }
            if let Some(max) = field.max_length.filter(|max| chars > *max) {
                return Err(Problem::TextTooLong { max: max.into() });
            }
            Ok(value.to_string())
        }
        FieldKind::Number => {
            let number: i64 = value.replace([',', ' '], "").parse().map_err(|_| Problem::NotANumber)?;
            let (min, max) = (field.min.unwrap_or(i64::MIN), field.max.unwrap_or(i64::MAX));
            if number < min || number > max {
                return Err(Problem::NumberOutOfRange { min, max });
            }
            Ok(number.to_string())
        }
        FieldKind::Date => {
            let days = parse_date(value).ok_or(Problem::InvalidDate)?;
            match field.date_rule {
                Some(DateRule::Past) if days >= context.today => Err(Problem::DateMustBePast),
                Some(DateRule::Future) if days <= context.today => Err(Problem::DateMustBeFuture),
                // Kept in one form, whichever was typed (`1990-1-5` is `1990-01-05`).
                _ => Ok(format_date(days)),
            }
        }
        FieldKind::Select | FieldKind::Radio => field.choices.iter().find(|c| c.value == value).map(|c| c.value.clone()).ok_or(Problem::InvalidChoice),
        FieldKind::Centre => context.catalogue.centre(value).map(|c| c.slug.clone()).ok_or(Problem::InvalidChoice),
        FieldKind::FeeOption => service.fee(value).map(|f| f.code.clone()).ok_or(Problem::InvalidChoice),
        FieldKind::Checkbox => Ok("yes".to_string()),
        FieldKind::Phone => PhoneNumber::parse(value).map(|p| p.as_str().to_string()).ok_or(Problem::InvalidPhone),
        FieldKind::Email => Email::parse(value).map(|e| e.as_str().to_string()).ok_or(Problem::InvalidEmail),
        FieldKind::IdNumber => IdNumber::parse(value).map(|id| id.as_str().to_string()).ok_or(Problem::InvalidIdNumber),
        // Files come through their own upload; their answer is never typed.
        FieldKind::File => Ok(String::new()),
    }
}

/// Checks the answers to one step. On success, the step's cleaned answers (blank ones left out).
pub fn check_step(service: &Service, step: usize, submitted: &HashMap<String, String>, documents: &HashSet<String>, context: &Context) -> Result<Answers, Vec<FieldProblem>> {
    let Some(step) = service.steps.get(step) else { return Err(vec![FieldProblem::new("", Problem::FlowExpired)]) };
    let mut cleaned = Answers::new();
    let mut problems = Vec::new();
    for field in &step.fields {
        if field.kind == FieldKind::File {
            if field.required && !documents.contains(&field.name) {
                problems.push(FieldProblem::new(&field.name, Problem::FileRequired));
            }
            continue;
        }
        let value = submitted.get(&field.name).map(String::as_str).unwrap_or("");
        match check_field(service, field, value, context) {
            Ok(clean) if clean.is_empty() => {}
            Ok(clean) => {
                cleaned.insert(field.name.clone(), clean);
            }
            Err(problem) => problems.push(FieldProblem::new(&field.name, problem)),
        }
    }
    if problems.is_empty() { Ok(cleaned) } else { Err(problems) }
}

/// The first step (0-based) whose saved answers do not pass, if any.
pub fn first_incomplete_step(service: &Service, answers: &Answers, documents: &HashSet<String>, context: &Context) -> Option<usize> {
    let submitted: HashMap<String, String> = answers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    (0..service.steps.len()).find(|step| check_step(service, *step, &submitted, documents, context).is_err())
}

/// The fee the answers choose: the chosen option, or the only one.
pub fn chosen_fee_cents(service: &Service, answers: &Answers) -> i64 {
    if service.fee_from_notice() {
        // What the register said the notice demands, written beside the answers when checked.
        let notice = answers.get(NOTICE_AMOUNT_CENTS).and_then(|cents| cents.parse::<i64>().ok());
        return notice.map(|cents| cents + crate::money::CONVENIENCE_FEE_CENTS).unwrap_or(0);
    }
    let chosen = service.fields().find(|f| f.kind == FieldKind::FeeOption).and_then(|f| answers.get(&f.name)).and_then(|code| service.fee(code));
    chosen.or(service.fees.first()).map(|fee| fee.amount_cents).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::catalogue_file;

    fn catalogue() -> Catalogue {
        catalogue_file::parse(catalogue_file::BUILT_IN).expect("the shipped catalogue is valid")
    }

    fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    // 2026-11-22
    const TODAY: i64 = 20_779;

    #[test]
    fn dates_are_real_calendar_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2026-11-22"), Some(TODAY));
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_date("2025-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("22/11/2026"), None);
        assert_eq!(parse_date("2026-04-31"), None);
        assert_eq!(parse_date("1990-1-5"), parse_date("1990-01-05"));
        assert_eq!(format_date(parse_date("1990-1-5").unwrap()), "1990-01-05");
        for bad in ["+2026-11-22", "2026-+1-22", "2026-11-22-1", "02026-11-22", "2026-11-9223372036854775807", "２０２６-11-22"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_passport_step_reports_each_problem_beside_its_field() {
        let catalogue = catalogue();
        let passport = catalogue.service("passport").unwrap();
        let context = Context { catalogue: &catalogue, today: TODAY };
        let problems = check_step(passport, 0, &answers(&[("date_of_birth", "2030-01-01"), ("place_of_birth", "N"), ("marital_status", "complicated")]), &HashSet::new(), &context).unwrap_err();
        let by_field: HashMap<_, _> = problems.iter().map(|p| (p.field.as_str(), p.problem.clone())).collect();
        assert_eq!(by_field["date_of_birth"], Problem::DateMustBePast);
        assert_eq!(by_field["place_of_birth"], Problem::TextTooShort { min: 2 });
        assert_eq!(by_field["marital_status"], Problem::InvalidChoice);
        assert_eq!(by_field["occupation"], Problem::Required);
    }

    #[test]
    fn good_answers_come_back_cleaned() {
        let catalogue = catalogue();
        let passport = catalogue.service("passport").unwrap();
        let context = Context { catalogue: &catalogue, today: TODAY };
        let step = check_step(passport, 2, &answers(&[("emergency_contact_name", " Achieng Otieno "), ("emergency_contact_phone", "0712 345 678"), ("collection_centre", "nyayo-house")]), &HashSet::new(), &context).unwrap();
        assert_eq!(step["emergency_contact_name"], "Achieng Otieno");
        assert_eq!(step["emergency_contact_phone"], "+254712345678");
        let numbers = catalogue.service("business-name").unwrap();
        let problems = check_step(numbers, 0, &answers(&[("proposed_name", "Mama Mboga Ltd"), ("nature_of_business", "Groceries"), ("kra_pin", "A012345678Z"), ("partners", "forty")]), &HashSet::new(), &context).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("partners", Problem::NotANumber)]);
        let problems = check_step(numbers, 0, &answers(&[("proposed_name", "Mama Mboga Ltd"), ("nature_of_business", "Groceries"), ("kra_pin", "A012345678Z"), ("partners", "21")]), &HashSet::new(), &context).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("partners", Problem::NumberOutOfRange { min: 1, max: 20 })]);
    }

    #[test]
    fn required_files_and_the_chosen_fee() {
        let catalogue = catalogue();
        let passport = catalogue.service("passport").unwrap();
        let context = Context { catalogue: &catalogue, today: TODAY };
        let problems = check_step(passport, 3, &HashMap::new(), &HashSet::from(["photo".to_string()]), &context).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("id_copy", Problem::FileRequired)]);
        let chosen: Answers = [("booklet".to_string(), "50-pages".to_string())].into();
        assert_eq!(chosen_fee_cents(passport, &chosen), 605_000);
        assert_eq!(chosen_fee_cents(passport, &Answers::new()), 455_000);
        assert_eq!(first_incomplete_step(passport, &Answers::new(), &HashSet::new(), &context), Some(0));
    }
}
