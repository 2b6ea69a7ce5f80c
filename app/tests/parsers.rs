//! Every parser and validator that reads what a citizen, an admin or a payment provider
//! sends, tried on inputs nobody would write by hand (`proptest`): none panics on any
//! string (NUL, a megabyte, scripts from all over Unicode); a valid value comes out in one
//! canonical form that parses again to itself; and an invalid one is refused, never
//! quietly read as some other value (`ß` as `SS`, `-10.50` as -950 cents).
//!
//! 256 cases per property keeps the file to a few seconds.
#![cfg(feature = "ssr")]

use proptest::prelude::*;
use raia_app::calendar::{civil_from_days, days_from_civil};
use raia_app::identity::authenticator::{matching_step, normalise_backup_code};
use raia_app::identity::codes::typed_code;
use raia_app::identity::contact::{Email, IdNumber, Identifier, PhoneNumber};
use raia_app::identity::registry::{self, Citizenship};
use raia_app::language::{encode_query_value, locale_of_request, safe_return_path};
use raia_app::messages::africas_talking::outcome_of_answer;
use raia_app::messages::delivery::Outcome;
use raia_app::messages::outbox::Channel;
use raia_app::payments::daraja::{parse_amount, C2bConfirmation, StkCallback, StkCallbackEnvelope, MAX_CENTS};
use raia_app::payments::gateway::{card_brand, last_four, luhn_valid};
use raia_app::payments::service::valid_expiry;
use raia_app::services::answers::{check_field, check_step, format_date, parse_date, Context};
use raia_app::money::format_kes;
use raia_app::services::catalogue::{Catalogue, FieldKind};
use raia_app::services::catalogue_file;
use raia_app::services::status::Status;
use raia_app::status::notices::parse_local_time;
use raia_app::support::service::{check_message, typed_reference, MESSAGE_MAX};
use raia_app::support::views::{TicketStatus, Topic};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// Strings of every kind: anything Unicode (NUL and control characters included), and
/// shapes close to what the parsers expect, where the interesting mistakes hide.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 +()\\-]{0,20}",
        "[0-9]{1,20}(\\.[0-9]{0,4})?",
        "[+-]?[0-9]{1,22}-[+-]?[0-9]{1,22}-[+-]?[0-9]{1,22}",
        "[a-zA-Z0-9.@\\-_ ]{0,40}",
        "[\\x00-\\x7f]{0,30}",
        // Letters whose Unicode case mapping turns into other letters, or into ASCII.
        "[0-9a-zA-Zß\u{017F}\u{212A}\u{0130}\u{0131}\u{FB01}\u{FF10}-\u{FF19}\u{0660}-\u{0669} \\-@.]{0,16}",
    ]
}

/// Inputs every parser gets besides the random ones: the nastiest shapes, once each.
fn extreme_inputs() -> Vec<String> {
    vec![
        String::new(),
        "\0".into(),
        "0712\0345678".into(),
        "\u{FEFF}0712345678".into(),
        "a".repeat(1 << 20),
        "9".repeat(100_000),
        format!("2026-11-{}", "9".repeat(40)),
        "-".repeat(10_000),
        "\u{202E}8765432170".into(),
        "ẞ".repeat(1000),
        "\u{1F600}@\u{1F600}.\u{1F600}".into(),
    ]
}

/// Every string parser at once: none may panic, whatever it is given.
fn parse_with_everything(text: &str) {
    let _ = PhoneNumber::parse(text);
    let _ = Email::parse(text);
    let _ = IdNumber::parse(text);
    let _ = Identifier::parse(text);
    let _ = parse_date(text);
    let _ = parse_local_time(text);
    let _ = parse_amount(text);
    let _ = typed_code(text);
    let _ = normalise_backup_code(text);
    let _ = matching_step(b"12345678901234567890", text, 1_795_345_500);
    let _ = typed_reference(text);
    let _ = check_message(text);
    let _ = safe_return_path(Some(text));
    let _ = encode_query_value(text);
    let _ = locale_of_request(Some(text), Some(text));
    let _ = raia_app::cookies::cookie_in(text, "raia_session");
    let _ = luhn_valid(text);
    let _ = card_brand(text);
    let _ = last_four(text);
    let _ = valid_expiry(text, 1_795_345_500);
    let _ = Status::parse(text);
    let _ = Topic::parse(text);
    let _ = TicketStatus::parse(text);
    let _ = Channel::parse(text);
    let _ = Citizenship::parse(text);
    let _ = registry::parse_csv(text);
    let _ = catalogue_file::parse(text);
    let _ = outcome_of_answer(text.as_bytes());
    let _ = serde_json::from_str::<StkCallbackEnvelope>(text);
    let _ = serde_json::from_str::<C2bConfirmation>(text);
    let catalogue = catalogue();
    let context = Context { catalogue, today: TODAY };
    for service in &catalogue.services {
        for field in service.fields() {
            let _ = check_field(service, field, text, &context);
        }
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| catalogue_file::parse(catalogue_file::BUILT_IN).expect("the shipped catalogue is valid"))
}

/// 2026-11-22, in days since 1970.
const TODAY: i64 = 20_779;

#[test]
fn the_extreme_inputs_are_refused_without_a_panic() {
    for text in extreme_inputs() {
        parse_with_everything(&text);
        assert_eq!(PhoneNumber::parse(&text), None);
        assert_eq!(IdNumber::parse(&text), None);
        assert_eq!(parse_date(&text), None);
        assert_eq!(parse_amount(&text), None);
    }
    // Nesting deeper than any real payload: serde_json stops at its depth limit.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(serde_json::from_str::<StkCallbackEnvelope>(&deep).is_err());
    assert_eq!(outcome_of_answer(deep.as_bytes()), Outcome::Retry("Africa's Talking's answer was not understood".into()));
    // Bytes that are not UTF-8 at all.
    assert!(serde_json::from_slice::<StkCallbackEnvelope>(b"{\"Body\":\xff\xfe}").is_err());
    assert!(matches!(outcome_of_answer(b"\xff\xfe\0"), Outcome::Retry(_)));
}

/// What these properties found, kept as examples so they never come back unnoticed.
#[test]
fn the_traps_found_so_far_stay_closed() {
    // Unicode case mapping made other people's identifiers.
    assert_eq!(IdNumber::parse("12ß45"), None, "not 12SS45");
    assert_eq!(IdNumber::parse("\u{017F}1234"), None, "not S1234");
    assert_eq!(Email::parse("\u{212A}@example.com").map(|e| e.as_str().to_string()), Some("\u{212A}@example.com".to_string()), "not k@example.com");
    // Signs, stray characters and long runs of digits in dates and amounts.
    assert_eq!(parse_date("2026-01-9223372036854775807"), None, "overflowed (a panic, or a wrong day in release)");
    assert_eq!(parse_date("+2026-+1-+5"), None);
    assert_eq!(parse_local_time("9223372036854775807-01-01T00:00"), None, "overflowed");
    assert_eq!(parse_amount("-10.50"), None, "was -950 cents");
    assert_eq!(parse_amount("1.999"), None, "was 199 cents");
    assert_eq!(parse_amount("1.-5"), None, "was 95 cents");
    assert_eq!(parse_amount("92233720368547758.00"), None, "overflowed");
    let with = |value: serde_json::Value| stk_callback(0, Some(vec![("Amount", Some(value))])).amount_cents();
    assert_eq!(with(serde_json::json!(i64::MAX)), None, "overflowed");
    assert_eq!(with(serde_json::json!(-5)), None);
    assert_eq!(with(serde_json::json!(12.345)), None, "was rounded to 1235 cents");
    assert_eq!(with(serde_json::json!(0.29)), Some(29));
    assert_eq!(format_kes(-125_000), "KES -1,250", "was KES -,1250");
    assert!(catalogue_file::parse(&SMALL_CATALOGUE.replace("KES", &i64::MAX.to_string()).replace("MIN", "1").replace("MAX", "2")).is_err(), "overflowed at start-up");
    // A backup code with other characters in it is not a code.
    assert_eq!(normalise_backup_code("abcd!efgh?jkmn"), None);
    // An answer keeps one form of a date.
    let catalogue = catalogue();
    let passport = catalogue.service("passport").unwrap();
    let birth = passport.fields().find(|f| f.kind == FieldKind::Date).unwrap();
    assert_eq!(check_field(passport, birth, "1990-1-5", &Context { catalogue, today: TODAY }), Ok("1990-01-05".to_string()));
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_parser_panics_on_any_string(text in any_text()) {
        parse_with_everything(&text);
    }

    // ------------------------------------------------------------------ phone numbers

    #[test]
    fn every_accepted_way_of_writing_a_kenyan_mobile_becomes_one_e164_number(
        prefix in prop::sample::select(vec!["0", "+254", "254", "+254 ", "(+254) "]),
        first in prop::sample::select(vec!['7', '1']),
        rest in "[0-9]{8}",
        separator in prop::sample::select(vec!["", " ", "-"]),
    ) {
        let national = format!("{first}{rest}");
        let typed = format!("{prefix}{}{separator}{}{separator}{}", &national[..3], &national[3..6], &national[6..]);
        let phone = PhoneNumber::parse(&typed).expect("a valid mobile number");
        prop_assert_eq!(phone.as_str(), format!("+254{national}"));
        prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Some(phone));
    }

    #[test]
    fn a_phone_number_is_never_read_as_other_digits(text in any_text()) {
        if let Some(phone) = PhoneNumber::parse(&text) {
            let national = phone.as_str().strip_prefix("+254").expect("E.164 Kenyan");
            prop_assert!(national.len() == 9 && national.bytes().all(|b| b.is_ascii_digit()));
            // Only separators were dropped: the digits typed are a prefix and exactly these nine.
            prop_assert!(text.chars().all(|c| c.is_ascii_digit() || " -()+".contains(c)), "{text:?}");
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            let typed_prefix = digits.strip_suffix(national).expect("the number's digits, in order");
            prop_assert!(["", "0", "254"].contains(&typed_prefix), "{text:?}");
            prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Some(phone.clone()));
        }
    }

    // ------------------------------------------------------------------ email

    #[test]
    fn an_email_is_only_trimmed_and_lower_cased(text in any_text()) {
        if let Some(email) = Email::parse(&text) {
            prop_assert_eq!(email.as_str(), text.trim().to_ascii_lowercase());
            prop_assert_eq!(Email::parse(email.as_str()), Some(email.clone()));
        }
    }

    #[test]
    fn ordinary_addresses_are_accepted_in_lower_case(local in "[A-Za-z0-9._%+\\-]{1,30}", domain in "[A-Za-z0-9\\-]{1,20}", tld in "[A-Za-z]{2,6}") {
        let typed = format!(" {local}@{domain}.{tld} ");
        let email = Email::parse(&typed).expect("an ordinary address");
        prop_assert_eq!(email.as_str(), typed.trim().to_ascii_lowercase());
    }

    // ------------------------------------------------------------------ ID numbers

    #[test]
    fn an_id_number_is_only_trimmed_and_upper_cased(text in any_text()) {
        if let Some(id) = IdNumber::parse(&text) {
            prop_assert_eq!(id.as_str(), text.trim().to_ascii_uppercase());
            prop_assert!((4..=12).contains(&id.as_str().len()));
            prop_assert_eq!(IdNumber::parse(id.as_str()), Some(id.clone()));
        }
    }

    #[test]
    fn national_and_alien_numbers_are_accepted(id in "[A-Za-z0-9]{4,12}") {
        prop_assert_eq!(IdNumber::parse(&format!(" {id}\t")).map(|id| id.as_str().to_string()), Some(id.to_ascii_uppercase()));
    }

    #[test]
    fn an_identifier_is_what_its_own_parser_says(text in any_text()) {
        match Identifier::parse(&text) {
            Some(Identifier::Phone(phone)) => prop_assert_eq!(PhoneNumber::parse(text.trim()), Some(phone)),
            Some(Identifier::Email(email)) => prop_assert_eq!(Email::parse(text.trim()), Some(email)),
            Some(Identifier::IdNumber(id)) => prop_assert_eq!(IdNumber::parse(text.trim()), Some(id)),
            None => {}
        }
    }

    // ------------------------------------------------------------------ dates

    #[test]
    fn days_and_civil_dates_convert_both_ways(days in -1_000_000i64..1_000_000) {
        let (year, month, day) = civil_from_days(days);
        prop_assert!((1..=12).contains(&month) && (1..=31).contains(&day));
        prop_assert_eq!(days_from_civil(year, month, day), days);
    }

    #[test]
    fn a_date_in_range_round_trips_padded_or_not(days in days_from_civil(1900, 1, 1)..=days_from_civil(2200, 12, 31)) {
        let canonical = format_date(days);
        prop_assert_eq!(parse_date(&canonical), Some(days));
        let (year, month, day) = civil_from_days(days);
        prop_assert_eq!(parse_date(&format!(" {year}-{month}-{day} ")), Some(days));
    }

    #[test]
    fn a_date_is_read_as_exactly_the_day_typed(text in any_text()) {
        if let Some(days) = parse_date(&text) {
            let numbers: Vec<i64> = text.trim().split('-').map(|part| part.parse().expect("digits")).collect();
            let (year, month, day) = civil_from_days(days);
            prop_assert_eq!(numbers, vec![year, month, day]);
            prop_assert!(text.trim().bytes().all(|b| b.is_ascii_digit() || b == b'-'), "{text:?}");
        }
    }

    #[test]
    fn any_numbers_in_a_date_are_checked_not_overflowed(year in prop_oneof![any::<i64>(), 1890i64..2210], month in prop_oneof![any::<i64>(), -1i64..14], day in prop_oneof![any::<i64>(), -1i64..33]) {
        let days = parse_date(&format!("{year}-{month}-{day}"));
        prop_assert_eq!(days.is_some(), (1900..=2200).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= 31 && civil_from_days(days_from_civil(year, month, day)) == (year, month, day));
        let _ = parse_local_time(&format!("{year}-{month}-{day}T{month}:{day}"));
    }

    #[test]
    fn a_notice_time_is_the_minute_typed_in_east_africa_time(days in days_from_civil(2000, 1, 1)..days_from_civil(2100, 1, 1), hour in 0i64..24, minute in 0i64..60) {
        let (year, month, day) = civil_from_days(days);
        let typed = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}");
        prop_assert_eq!(parse_local_time(&typed), Some(days * 86_400 + hour * 3_600 + minute * 60 - 3 * 3_600));
        prop_assert_eq!(parse_local_time(&format!("{typed}:00")), parse_local_time(&typed));
    }

    // ------------------------------------------------------------------ money (integer cents)

    #[test]
    fn amounts_as_daraja_writes_them_are_exact_cents(cents in 0i64..=MAX_CENTS) {
        prop_assert_eq!(parse_amount(&format!("{}.{:02}", cents / 100, cents % 100)), Some(cents));
        let shillings = cents / 100;
        prop_assert_eq!(parse_amount(&shillings.to_string()), Some(shillings * 100));
        prop_assert_eq!(parse_amount(&format!("{shillings}.{}", (cents % 100) / 10)), Some(shillings * 100 + (cents % 100) / 10 * 10));
    }

    #[test]
    fn an_amount_is_read_as_exactly_the_figure_written(text in any_text()) {
        if let Some(cents) = parse_amount(&text) {
            let figure = text.trim();
            prop_assert!(cents >= 0 && figure.bytes().all(|b| b.is_ascii_digit() || b == b'.'), "{text:?}");
            let (whole, fraction) = figure.split_once('.').unwrap_or((figure, ""));
            let expected = whole.parse::<i128>().unwrap() * 100 + format!("{fraction:0<2}").parse::<i128>().unwrap();
            prop_assert_eq!(i128::from(cents), expected);
        }
    }

    #[test]
    fn shillings_shown_to_citizens_read_back_as_the_same_cents(cents in prop_oneof![any::<i64>(), -1_000_000i64..1_000_000]) {
        let shown = format_kes(cents);
        let grouped = shown.strip_prefix("KES ").expect("KES first");
        let (negative, grouped) = grouped.strip_prefix('-').map_or((false, grouped), |rest| (true, rest));
        prop_assert_eq!(negative, cents < 0, "{}", shown);
        // Thousands grouped by commas: one to three digits, then threes.
        let shillings = grouped.split('.').next().unwrap_or_default();
        let groups: Vec<&str> = shillings.split(',').collect();
        prop_assert!((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3), "{}", shown);
        let figure = grouped.replace(',', "");
        if cents.unsigned_abs() <= MAX_CENTS as u64 {
            prop_assert_eq!(parse_amount(&figure), Some(cents.unsigned_abs() as i64), "{}", shown);
        }
    }

    #[test]
    fn an_stk_amount_is_whole_cents_or_nothing(shillings in any::<i64>(), float in any::<f64>(), cents in 0i64..1_000_000_000_000) {
        let with = |value: serde_json::Value| stk_callback(0, Some(vec![("Amount", Some(value))]));
        let expected = shillings.checked_mul(100).filter(|c| (0..=MAX_CENTS).contains(c));
        prop_assert_eq!(with(serde_json::json!(shillings)).amount_cents(), expected);
        prop_assert_eq!(with(serde_json::json!(cents as f64 / 100.0)).amount_cents(), Some(cents));
        if let Some(read) = serde_json::Number::from_f64(float).and_then(|n| with(serde_json::Value::Number(n)).amount_cents()) {
            prop_assert!(read >= 0 && ((read as f64) - float * 100.0).abs() < 1e-3 * (1.0 + float.abs()), "{float} read as {read}");
        }
    }

    #[test]
    fn card_numbers_pass_luhn_only_with_their_check_digit(body in "[0-9]{11,18}", wrong in 1u32..10) {
        let check = luhn_check_digit(&body);
        let number = format!("{body}{check}");
        let spaced = format!("{} {}", &number[..4], &number[4..]);
        let mistyped = format!("{body}{}", (check + wrong) % 10);
        prop_assert!(luhn_valid(&number));
        prop_assert!(luhn_valid(&spaced));
        prop_assert!(!luhn_valid(&mistyped));
        prop_assert_eq!(last_four(&number), number[number.len() - 4..].to_string());
    }

    // ------------------------------------------------------------------ the catalogue's forms

    #[test]
    fn an_answer_is_cleaned_once_and_its_clean_form_passes_unchanged(text in prop_oneof![any_text(), answer_like()]) {
        let catalogue = catalogue();
        let context = Context { catalogue, today: TODAY };
        for service in &catalogue.services {
            for field in service.fields() {
                let Ok(clean) = check_field(service, field, &text, &context) else { continue };
                if clean.is_empty() {
                    continue;
                }
                prop_assert_eq!(check_field(service, field, &clean, &context), Ok(clean.clone()), "{}.{}", service.slug, field.name);
                let typed = text.trim();
                match field.kind {
                    FieldKind::Text | FieldKind::Select | FieldKind::Radio | FieldKind::Centre | FieldKind::FeeOption => { prop_assert_eq!(clean.as_str(), typed); }
                    FieldKind::Number => { prop_assert_eq!(clean.parse::<i64>().ok(), typed.replace([',', ' '], "").parse::<i64>().ok()); }
                    FieldKind::Date => { prop_assert_eq!(parse_date(&clean), parse_date(typed)); }
                    FieldKind::Phone => { prop_assert_eq!(Some(clean.clone()), PhoneNumber::parse(typed).map(|p| p.as_str().to_string())); }
                    FieldKind::Email => { prop_assert_eq!(clean.clone(), typed.to_ascii_lowercase()); }
                    FieldKind::IdNumber => { prop_assert_eq!(clean.clone(), typed.to_ascii_uppercase()); }
                    FieldKind::Checkbox => { prop_assert_eq!(clean.as_str(), "yes"); }
                    FieldKind::File => { prop_assert!(false, "a file's answer is never typed"); }
                }
            }
        }
    }

    #[test]
    fn a_step_of_random_answers_is_checked_without_a_panic(answers in prop::collection::hash_map("[a-z_]{1,25}", prop_oneof![any_text(), answer_like()], 0..12), step in 0usize..8) {
        let catalogue = catalogue();
        let context = Context { catalogue, today: TODAY };
        let with_real_names: HashMap<String, String> = catalogue.services.iter().flat_map(|s| s.fields()).map(|f| f.name.clone()).zip(answers.values().cloned().cycle()).collect();
        for service in &catalogue.services {
            let _ = check_step(service, step, &answers, &HashSet::new(), &context);
            if let Ok(cleaned) = check_step(service, step, &with_real_names, &HashSet::new(), &context) {
                let again: HashMap<String, String> = cleaned.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                prop_assert_eq!(check_step(service, step, &again, &HashSet::new(), &context).ok(), Some(cleaned));
            }
        }
    }

    #[test]
    fn a_catalogue_fee_of_any_size_is_refused_or_counted_exactly(kes in any::<i64>(), min in any::<i64>(), max in any::<i64>()) {
        let file = SMALL_CATALOGUE.replace("KES", &kes.to_string()).replace("MIN", &min.to_string()).replace("MAX", &max.to_string());
        match catalogue_file::parse(&file) {
            Ok(catalogue) => {
                prop_assert!(kes > 0 && min <= max);
                prop_assert_eq!(catalogue.services[0].fees[0].amount_cents, kes * 100);
            }
            Err(problems) => prop_assert!(kes <= 0 || min > max || kes > catalogue_file::MAX_FEE_KES, "{problems}"),
        }
    }

    // ------------------------------------------------------------------ Daraja (M-Pesa) callbacks

    #[test]
    fn any_bytes_posted_as_a_callback_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(envelope) = serde_json::from_slice::<StkCallbackEnvelope>(&bytes) {
            read_everything(&envelope.body.stk_callback);
        }
        if let Ok(confirmation) = serde_json::from_slice::<C2bConfirmation>(&bytes) {
            let _ = confirmation.amount_cents();
        }
    }

    #[test]
    fn any_json_posted_as_a_callback_is_read_or_refused(value in json_value(true)) {
        let text = value.to_string();
        if let Ok(envelope) = serde_json::from_str::<StkCallbackEnvelope>(&text) {
            read_everything(&envelope.body.stk_callback);
        }
        let _ = serde_json::from_str::<C2bConfirmation>(&text).map(|c| c.amount_cents());
        sent_only_when_accepted(text.as_bytes())?;
    }

    #[test]
    fn a_callback_reads_back_exactly_as_daraja_sent_it(
        result_code in any::<i64>(),
        ids in ("\\PC{0,30}", "\\PC{0,30}", "\\PC{0,60}"),
        // A `"Value": null` reads as no value, as Daraja means it: not generated here.
        // No floats either: serde_json reads some back a unit in the last place away (its
        // exact float parsing is a feature Raia does not turn on); Daraja's amounts are whole.
        items in prop::option::of(prop::collection::vec((prop::sample::select(vec!["Amount", "MpesaReceiptNumber", "PhoneNumber", "TransactionDate", "Balance"]), prop::option::of(json_value(false)).prop_map(|v| v.filter(|v| !v.is_null()))), 0..6)),
    ) {
        let mut callback = stk_callback(result_code, items);
        callback.merchant_request_id = ids.0;
        callback.checkout_request_id = ids.1;
        callback.result_desc = ids.2;
        let posted = serde_json::to_vec(&serde_json::json!({ "Body": { "stkCallback": &callback } })).unwrap();
        let read = serde_json::from_slice::<StkCallbackEnvelope>(&posted).expect("what Daraja sends is read").body.stk_callback;
        read_everything(&read);
        prop_assert_eq!(read, callback);
    }

    #[test]
    fn a_c2b_confirmation_reads_back_exactly(fields in prop::collection::vec("\\PC{0,20}", 8), cents in 0i64..=MAX_CENTS) {
        let confirmation = C2bConfirmation {
            transaction_type: fields[0].clone(),
            trans_id: fields[1].clone(),
            trans_time: fields[2].clone(),
            trans_amount: format!("{}.{:02}", cents / 100, cents % 100),
            business_short_code: fields[4].clone(),
            bill_ref_number: fields[5].clone(),
            msisdn: fields[6].clone(),
            first_name: fields[7].clone(),
        };
        let read: C2bConfirmation = serde_json::from_str(&serde_json::to_string(&confirmation).unwrap()).unwrap();
        prop_assert_eq!(read.amount_cents(), Some(cents));
        prop_assert_eq!(read, confirmation);
    }

    // ------------------------------------------------------------------ Africa's Talking answers

    #[test]
    fn an_africas_talking_status_code_decides_sent_retry_or_failed(status_code in prop_oneof![90i64..110, 400i64..520, any::<i64>()], status in "\\PC{0,20}", message_id in prop::option::of("\\PC{0,20}")) {
        let body = serde_json::json!({ "SMSMessageData": { "Message": "Sent to 1/1", "Recipients": [{ "statusCode": status_code, "status": status, "number": "+254712345678", "messageId": message_id }] } });
        let outcome = outcome_of_answer(body.to_string().as_bytes());
        match status_code {
            100..=102 => prop_assert_eq!(outcome, Outcome::Sent(message_id.filter(|id| !id.is_empty() && id != "None"))),
            405 | 500 | 501 | 502 => prop_assert!(matches!(outcome, Outcome::Retry(_))),
            _ => prop_assert!(matches!(outcome, Outcome::Failed(_))),
        }
    }

    #[test]
    fn an_africas_talking_answer_not_understood_is_tried_again_never_taken_as_sent(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        sent_only_when_accepted(&bytes)?;
    }

    // ------------------------------------------------------------------ codes and references

    #[test]
    fn a_one_time_code_is_six_digits_as_typed(text in any_text(), code in "[0-9]{6}") {
        if let Some(read) = typed_code(&text) {
            prop_assert_eq!(read, text.trim());
            prop_assert!(read.len() == 6 && read.bytes().all(|b| b.is_ascii_digit()));
        }
        let typed = format!(" {code}\n");
        prop_assert_eq!(typed_code(&typed), Some(code.as_str()));
    }

    #[test]
    fn an_authenticator_code_is_matched_only_when_six_digits(text in any_text()) {
        let secret = b"12345678901234567890";
        if matching_step(secret, &text, 1_795_345_500).is_some() {
            let digits = text.trim().replace(' ', "");
            prop_assert!(digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()), "{text:?}");
        }
    }

    #[test]
    fn a_backup_code_may_differ_in_case_spaces_and_dashes_only(letters in "[abcdefghjkmnpqrstuvwxyz23456789]{12}", upper in any::<bool>(), separator in prop::sample::select(vec!["-", " ", "", " - "]), text in any_text()) {
        let canonical = format!("{}-{}-{}", &letters[..4], &letters[4..8], &letters[8..]);
        let typed = format!("{}{separator}{}{separator}{}", &letters[..4], &letters[4..8], &letters[8..]);
        let typed = if upper { typed.to_ascii_uppercase() } else { typed };
        prop_assert_eq!(normalise_backup_code(&typed), Some(canonical.clone()));
        prop_assert_eq!(normalise_backup_code(&canonical), Some(canonical));
        if let Some(code) = normalise_backup_code(&text) {
            prop_assert!(text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c.is_whitespace()), "{text:?}");
            let typed_letters: String = text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
            prop_assert_eq!(code.replace('-', ""), typed_letters);
        }
    }

    #[test]
    fn a_reference_is_only_trimmed_and_upper_cased(text in any_text(), prefix in "[A-Z]{2,4}", year in 2000i64..2100, number in 1i64..1_000_000) {
        if let Some(reference) = typed_reference(&text) {
            prop_assert_eq!(&reference, &text.trim().to_ascii_uppercase());
            prop_assert_eq!(typed_reference(&reference), Some(reference.clone()));
        }
        let reference = raia_app::services::service::format_reference(&prefix, year, number);
        prop_assert_eq!(typed_reference(&format!("  {}  ", reference.to_ascii_lowercase())), Some(reference));
    }

    #[test]
    fn a_support_message_is_kept_as_typed_less_the_spaces_around(text in any_text()) {
        if let Ok(message) = check_message(&text) {
            prop_assert_eq!(message.as_str(), text.trim());
            prop_assert!(!message.is_empty() && message.chars().count() <= MESSAGE_MAX);
        }
    }

    #[test]
    fn a_return_path_never_leaves_the_site(text in prop_oneof![any_text(), "[/\\\\]{1,3}[a-z.:@]{0,20}"]) {
        let path = safe_return_path(Some(&text));
        prop_assert!(path == "/" || path == text);
        prop_assert!(path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") && !path.chars().any(char::is_control));
    }

    #[test]
    fn a_query_value_is_encoded_so_it_decodes_to_itself(text in any_text()) {
        let encoded = encode_query_value(&text);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~/%".contains(&b)));
        prop_assert_eq!(percent_decode(&encoded), text.into_bytes());
    }

    #[test]
    fn stored_names_of_states_read_back_as_themselves(text in any_text()) {
        if let Some(status) = Status::parse(&text) { prop_assert_eq!(status.as_str(), text.as_str()); }
        if let Some(topic) = Topic::parse(&text) { prop_assert_eq!(topic.as_str(), text.as_str()); }
        if let Some(status) = TicketStatus::parse(&text) { prop_assert_eq!(status.as_str(), text.as_str()); }
        if let Some(channel) = Channel::parse(&text) { prop_assert_eq!(channel.as_str(), text.as_str()); }
        if let Some(citizenship) = Citizenship::parse(&text) { prop_assert_eq!(citizenship.as_str(), text.trim()); }
    }
}

// ---------------------------------------------------------------------- helpers

/// Values shaped like the catalogue's answers: choices, numbers, dates, phones, emails.
fn answer_like() -> impl Strategy<Value = String> {
    let choices: Vec<String> = catalogue()
        .services
        .iter()
        .flat_map(|s| s.fields().flat_map(|f| f.choices.iter().map(|c| c.value.clone())).chain(s.fees.iter().map(|f| f.code.clone())))
        .chain(catalogue().centres.iter().map(|c| c.slug.clone()))
        .collect();
    prop_oneof![
        prop::sample::select(choices).prop_map(|c| format!(" {c}")),
        "-?[0-9]{1,3}(,[0-9]{3}){0,7}",
        "[+-]?[0-9 ,]{1,25}",
        "(19|20|21)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}",
        "0[17][0-9]{8}",
        "[a-z]{1,8}@[a-z]{1,8}\\.ke",
        "[A-Za-z0-9]{3,13}",
        "\\PC{0,300}",
    ]
}

fn stk_callback(result_code: i64, items: Option<Vec<(&str, Option<serde_json::Value>)>>) -> StkCallback {
    let metadata = items.map(|items| serde_json::json!({ "Item": items.into_iter().map(|(name, value)| match value {
        Some(value) => serde_json::json!({ "Name": name, "Value": value }),
        None => serde_json::json!({ "Name": name }),
    }).collect::<Vec<_>>() }));
    let mut callback = serde_json::json!({ "MerchantRequestID": "m", "CheckoutRequestID": "ws_CO_1", "ResultCode": result_code, "ResultDesc": "d" });
    if let Some(metadata) = metadata {
        callback["CallbackMetadata"] = metadata;
    }
    serde_json::from_value(callback).expect("a callback")
}

/// Africa's Talking's answer counts as sent only when it is JSON naming an accepted status.
fn sent_only_when_accepted(body: &[u8]) -> Result<(), TestCaseError> {
    if let Outcome::Sent(_) = outcome_of_answer(body) {
        let value: serde_json::Value = serde_json::from_slice(body).expect("only a JSON answer says sent");
        let code = value["SMSMessageData"]["Recipients"][0]["statusCode"].as_i64();
        prop_assert!(matches!(code, Some(100..=102)), "{value}");
    }
    Ok(())
}

fn read_everything(callback: &StkCallback) {
    if let Some(cents) = callback.amount_cents() {
        assert!((0..=MAX_CENTS).contains(&cents), "{cents}");
    }
    let _ = callback.receipt_number();
    if let Some(phone) = callback.phone_number() {
        let _ = PhoneNumber::parse(&phone);
    }
}

/// Any JSON value, nested a few levels, with the names Daraja and Africa's Talking use.
fn json_value(with_floats: bool) -> impl Strategy<Value = serde_json::Value> {
    let name = prop_oneof![
        prop::sample::select(vec!["Body", "stkCallback", "CheckoutRequestID", "MerchantRequestID", "ResultCode", "ResultDesc", "CallbackMetadata", "Item", "Name", "Value", "Amount", "TransAmount", "SMSMessageData", "Recipients", "statusCode"]).prop_map(String::from),
        "\\PC{0,8}",
    ]
    .boxed();
    let float = any::<f64>().prop_map(move |f| serde_json::Number::from_f64(f).filter(|_| with_floats).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null));
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        float,
        any_text().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec((name.clone(), inner), 0..6).prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn luhn_check_digit(body: &str) -> u32 {
    let sum: u32 = body.chars().rev().enumerate().map(|(i, c)| {
        let d = c.to_digit(10).unwrap();
        if i % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
    }).sum();
    (10 - sum % 10) % 10
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            decoded.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    decoded
}

/// A catalogue of one service whose fee and number bounds the property fills in.
const SMALL_CATALOGUE: &str = r#"
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
kes = KES

[[services.steps]]
title = "Vehicle"

[[services.steps.fields]]
name = "vehicles"
kind = "number"
label = "How many vehicles"
required = true
min = MIN
max = MAX
"#;
