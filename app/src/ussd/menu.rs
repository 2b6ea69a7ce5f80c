//! The USSD menu as a pure function: from what we know of the caller's account and the
//! answers typed so far (Africa's Talking's `text`: every answer joined by `*`) to the next
//! screen, or to the one thing the caller asked us to do. Nothing here reads the database or
//! remembers anything between steps: each step replays the answers from the start, so any
//! server process can answer any step.
//!
//! Screens say no more than a reference, a service, a status and an amount: a phone's
//! screen is read by whoever holds the phone.

use crate::components::status::status_word;
use crate::i18n::{td_string, Locale};
use crate::messages::texts::fill;
use crate::money::format_kes;
use crate::services::status::Status;

/// The most characters a USSD screen may hold, `CON `/`END ` included.
pub const SCREEN_LIMIT: usize = 182;
/// Applications listed under "My applications", newest first.
pub const APPLICATIONS_SHOWN: usize = 5;
/// Fees offered under "Pay a fee" (four fit on a screen with room to spare); a citizen
/// rarely owes more than one or two at a time.
pub const FEES_OFFERED: usize = 4;
/// Longer answers than this are not a person pressing keys.
const MAX_TEXT: usize = 160;

/// What the menu knows of the caller, loaded afresh at every step.
#[derive(Clone, Debug)]
pub struct Facts {
    pub locale: Locale,
    /// The latest applications that have a reference (drafts have none), newest first.
    pub applications: Vec<ApplicationLine>,
    /// Fees the citizen can pay now, in a stable order (oldest application first).
    pub fees: Vec<OpenFee>,
}

#[derive(Clone, Debug)]
pub struct ApplicationLine {
    pub reference: String,
    pub status: Status,
}

#[derive(Clone, Debug)]
pub struct OpenFee {
    pub reference: String,
    pub service: String,
    pub amount_cents: i64,
}

/// One screen: `CON` lets the caller answer, `END` closes the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    pub ends: bool,
    pub text: String,
}

impl Screen {
    fn more(text: String) -> Screen {
        Screen { ends: false, text }
    }

    fn end(text: String) -> Screen {
        Screen { ends: true, text }
    }

    /// The body Africa's Talking expects.
    pub fn to_response(&self) -> String {
        format!("{} {}", if self.ends { "END" } else { "CON" }, self.text)
    }
}

/// What the caller's answers lead to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Show(Screen),
    /// Send an M-Pesa push for this fee (index into `Facts::fees`) to the caller's phone.
    Pay(usize),
    /// Write messages to this account in this language from now on.
    SetLanguage(Locale),
}

/// Where in the menu the caller stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Main,
    /// My applications, starting at this one (a second page when five do not fit).
    Applications { from: usize },
    Fees,
    ConfirmFee(usize),
    Language,
}

enum Next {
    Go(Place),
    /// Not an answer this screen offers: show it again, saying so.
    Refuse,
    Finish(Reply),
}

pub fn reply(facts: &Facts, text: &str) -> Reply {
    let l = facts.locale;
    if text.len() > MAX_TEXT {
        return Reply::Show(Screen::end(td_string!(l, ussd.dial_again).to_string()));
    }
    let answers: Vec<&str> = if text.is_empty() { Vec::new() } else { text.split('*').collect() };
    let mut place = Place::Main;
    let mut refused = false;
    for (index, answer) in answers.iter().enumerate() {
        match next(facts, place, answer.trim()) {
            Next::Go(to) => {
                place = to;
                refused = false;
            }
            Next::Refuse => refused = true,
            // A session that ended has no more answers; a replayed or forged `text` does.
            Next::Finish(_) if index + 1 < answers.len() => return Reply::Show(Screen::end(td_string!(l, ussd.dial_again).to_string())),
            Next::Finish(reply) => return reply,
        }
    }
    Reply::Show(render(facts, place, refused))
}

fn next(facts: &Facts, place: Place, answer: &str) -> Next {
    match (place, answer) {
        (Place::Main, "1") => Next::Go(Place::Applications { from: 0 }),
        (Place::Main, "2") => Next::Go(Place::Fees),
        (Place::Main, "3") => Next::Go(Place::Language),
        (Place::Main, "0") => Next::Finish(Reply::Show(Screen::end(td_string!(facts.locale, ussd.goodbye).to_string()))),
        (Place::Applications { from }, "9") => {
            let shown = applications_page(facts, from, true).shown;
            if from + shown < facts.applications.len().min(APPLICATIONS_SHOWN) { Next::Go(Place::Applications { from: from + shown }) } else { Next::Refuse }
        }
        (Place::Applications { .. } | Place::Fees | Place::Language, "0") => Next::Go(Place::Main),
        (Place::Fees, choice) => match choice.parse::<usize>() {
            Ok(n) if (1..=offered_fees(facts)).contains(&n) && choice.len() == 1 => Next::Go(Place::ConfirmFee(n - 1)),
            _ => Next::Refuse,
        },
        (Place::ConfirmFee(index), "1") => Next::Finish(Reply::Pay(index)),
        (Place::ConfirmFee(_), "0") => Next::Go(Place::Fees),
        (Place::Language, "1") => Next::Finish(Reply::SetLanguage(Locale::en)),
        (Place::Language, "2") => Next::Finish(Reply::SetLanguage(Locale::sw)),
        _ => Next::Refuse,
    }
}

fn offered_fees(facts: &Facts) -> usize {
    facts.fees.len().min(FEES_OFFERED)
}

fn render(facts: &Facts, place: Place, refused: bool) -> Screen {
    let l = facts.locale;
    let body = match place {
        Place::Main => td_string!(l, ussd.main).to_string(),
        Place::Applications { from } => applications_page(facts, from, refused).text,
        Place::Fees => fees_screen(facts, refused),
        Place::ConfirmFee(index) => {
            let fee = &facts.fees[index];
            let confirm = td_string!(l, ussd.pay_confirm).to_string();
            let amount = format_kes(fee.amount_cents);
            let text = fill(&confirm, &[("amount", &amount), ("reference", &fee.reference), ("service", &fee.service)]);
            // A long service name gives way before the amount and the reference do.
            if text.chars().count() + 4 + refusal_room(l, refused) > SCREEN_LIMIT {
                fill(&confirm, &[("amount", &amount), ("reference", &fee.reference), ("service", &shorten(&fee.service, 24))])
            } else {
                text
            }
        }
        Place::Language => td_string!(l, ussd.language_choose).to_string(),
    };
    // Lists put "choose a number" in place of their heading, to leave room for their lines.
    let text = if refused && !matches!(place, Place::Applications { .. } | Place::Fees) { format!("{}\n{body}", td_string!(l, ussd.invalid)) } else { body };
    Screen::more(text)
}

fn refusal_room(l: Locale, refused: bool) -> usize {
    if refused { td_string!(l, ussd.invalid).chars().count() + 1 } else { 0 }
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_string();
    }
    let kept: String = text.chars().take(most - 1).collect();
    format!("{}…", kept.trim_end())
}

fn fees_screen(facts: &Facts, refused: bool) -> String {
    let l = facts.locale;
    let invalid = td_string!(l, ussd.invalid).to_string();
    if facts.fees.is_empty() {
        let nothing = format!("{}\n{}", td_string!(l, ussd.nothing_to_pay), td_string!(l, ussd.back));
        return if refused { format!("{invalid}\n{nothing}") } else { nothing };
    }
    let mut lines = vec![if refused { invalid } else { td_string!(l, ussd.pay_choose).to_string() }];
    for (n, fee) in facts.fees.iter().take(FEES_OFFERED).enumerate() {
        lines.push(format!("{} {} {}", n + 1, fee.reference, format_kes(fee.amount_cents)));
    }
    lines.push(td_string!(l, ussd.back).to_string());
    lines.join("\n")
}

struct Page {
    text: String,
    shown: usize,
}

/// As many of the latest applications as fit on one screen from `from`, with "9 More"
/// when some are left. The room is counted as if the "choose a number" line were there, so
/// the pages stay the same whether or not the caller mistyped.
fn applications_page(facts: &Facts, from: usize, refused: bool) -> Page {
    let l = facts.locale;
    let heading = if refused { td_string!(l, ussd.invalid).to_string() } else { td_string!(l, ussd.applications).to_string() };
    let back = td_string!(l, ussd.back).to_string();
    let more = td_string!(l, ussd.more).to_string();
    let listed: Vec<&ApplicationLine> = facts.applications.iter().take(APPLICATIONS_SHOWN).collect();
    if listed.is_empty() {
        let none = format!("{}\n{back}", td_string!(l, ussd.no_applications));
        return Page { text: if refused { format!("{heading}\n{none}") } else { none }, shown: 0 };
    }
    let widest_heading = td_string!(l, ussd.invalid).chars().count().max(td_string!(l, ussd.applications).chars().count());
    let mut room = SCREEN_LIMIT - 4 - widest_heading - 1 - back.chars().count() - 1 - more.chars().count() - 1;
    let mut lines = Vec::new();
    for application in listed.iter().skip(from) {
        let line = format!("{} {}", application.reference, status_word(l, application.status));
        let cost = line.chars().count() + 1;
        // Always one per page, so a page can never be empty.
        if cost > room && !lines.is_empty() {
            break;
        }
        room = room.saturating_sub(cost);
        lines.push(line);
    }
    let shown = lines.len();
    let mut text = vec![heading];
    text.extend(lines);
    if from + shown < listed.len() {
        text.push(more);
    }
    text.push(back);
    Page { text: text.join("\n"), shown }
}

/// What happened when the caller chose to pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentStart {
    /// The push is on its way (or one already was, for this fee).
    Sent,
    /// Paid already, or the fee can no longer be paid here.
    NotPossible,
    /// M-Pesa or our side failed; nothing was charged.
    Failed,
}

pub fn after_payment(l: Locale, fee: &OpenFee, start: PaymentStart) -> Screen {
    let amount = format_kes(fee.amount_cents);
    let text = match start {
        PaymentStart::Sent => fill(&td_string!(l, ussd.pay_sent).to_string(), &[("amount", &amount), ("reference", &fee.reference)]),
        PaymentStart::NotPossible => td_string!(l, ussd.pay_not_possible).to_string(),
        PaymentStart::Failed => td_string!(l, ussd.pay_failed).to_string(),
    };
    Screen::end(text)
}

/// Said in the language just chosen.
pub fn language_saved(l: Locale) -> Screen {
    Screen::end(td_string!(l, ussd.language_saved).to_string())
}

/// A phone with no account: where to find Raia, in both languages (we know no preference).
pub fn no_account(web_address: &str) -> Screen {
    let text = format!("{}\n{}", td_string!(Locale::en, ussd.no_account), td_string!(Locale::sw, ussd.no_account));
    Screen::end(fill(&text, &[("web", web_address)]))
}

/// Our side failed (the database is away): both languages, nothing else.
pub fn unavailable() -> Screen {
    Screen::end(format!("{}\n{}", td_string!(Locale::en, ussd.unavailable), td_string!(Locale::sw, ussd.unavailable)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: [Locale; 2] = [Locale::en, Locale::sw];

    fn application(n: i64, status: Status) -> ApplicationLine {
        ApplicationLine { reference: format!("PSP-2026-{n:06}"), status }
    }

    fn fee(n: i64, service: &str) -> OpenFee {
        OpenFee { reference: format!("DLR-2026-{n:06}"), service: service.to_string(), amount_cents: 455_000 }
    }

    fn facts(l: Locale) -> Facts {
        Facts {
            locale: l,
            applications: vec![application(1, Status::UnderReview), application(2, Status::AwaitingPayment)],
            fees: vec![fee(2, "Driving licence renewal")],
        }
    }

    /// Five applications with the longest status words there are.
    fn busiest(l: Locale) -> Facts {
        Facts {
            locale: l,
            applications: (1..=7).map(|n| application(n, Status::ReadyForCollection)).collect(),
            fees: (1..=7).map(|n| fee(n, "Certificate of good conduct from the Directorate of Criminal Investigations")).collect(),
        }
    }

    fn screen(facts: &Facts, text: &str) -> Screen {
        match reply(facts, text) {
            Reply::Show(screen) => screen,
            other => panic!("{text:?} led to {other:?}, not a screen"),
        }
    }

    #[test]
    fn the_first_screen_is_the_main_menu_in_the_accounts_language() {
        let en = screen(&facts(Locale::en), "");
        assert!(!en.ends);
        assert!(en.text.contains("1 My applications") && en.text.contains("2 Pay a fee") && en.text.contains("3 Language") && en.text.contains("0 Exit"), "{}", en.text);
        let sw = screen(&facts(Locale::sw), "");
        assert!(sw.text.contains("1 Maombi yangu") && sw.text.contains("2 Lipa ada"), "{}", sw.text);
    }

    #[test]
    fn my_applications_lists_references_and_statuses_in_words() {
        let shown = screen(&facts(Locale::en), "1");
        assert!(shown.text.contains("PSP-2026-000001 Under review"), "{}", shown.text);
        assert!(shown.text.contains("PSP-2026-000002 Awaiting payment"), "{}", shown.text);
        assert!(!shown.text.contains("9 More"), "{}", shown.text);
        let sw = screen(&facts(Locale::sw), "1");
        assert!(sw.text.contains("PSP-2026-000001 Inakaguliwa"), "{}", sw.text);
        assert_eq!(screen(&facts(Locale::en), "1*0"), screen(&facts(Locale::en), ""));
    }

    #[test]
    fn the_latest_five_are_all_reachable_when_they_do_not_fit_on_one_screen() {
        for l in LOCALES {
            let facts = busiest(l);
            let mut seen = Vec::new();
            let mut text = "1".to_string();
            for _ in 0..APPLICATIONS_SHOWN {
                let page = screen(&facts, &text);
                seen.extend((1..=7).map(|n| format!("PSP-2026-{n:06}")).filter(|r| page.text.contains(r.as_str())));
                if !page.text.contains(td_string!(l, ussd.more)) {
                    break;
                }
                text.push_str("*9");
            }
            seen.dedup();
            assert_eq!(seen, (1..=5).map(|n| format!("PSP-2026-{n:06}")).collect::<Vec<_>>(), "{l:?}");
        }
    }

    #[test]
    fn no_applications_says_so() {
        let empty = Facts { locale: Locale::en, applications: vec![], fees: vec![] };
        assert_eq!(screen(&empty, "1").text, "You have no applications yet.\n0 Back");
        assert_eq!(screen(&empty, "2").text, "You have no fees to pay.\n0 Back");
    }

    #[test]
    fn paying_a_fee_asks_for_confirmation_then_asks_for_the_push() {
        let facts = facts(Locale::en);
        let list = screen(&facts, "2");
        assert!(list.text.contains("1 DLR-2026-000002 KES 4,550"), "{}", list.text);
        let confirm = screen(&facts, "2*1");
        assert!(confirm.text.contains("KES 4,550") && confirm.text.contains("DLR-2026-000002") && confirm.text.contains("Driving licence renewal"), "{}", confirm.text);
        assert_eq!(reply(&facts, "2*1*1"), Reply::Pay(0));
        assert_eq!(screen(&facts, "2*1*0"), list);
        // Only the fees listed can be chosen.
        assert!(screen(&facts, "2*2").text.starts_with("Choose a number from the list."));
        assert!(screen(&facts, "2*01").text.starts_with("Choose a number from the list."));
    }

    #[test]
    fn language_is_chosen_and_confirmed_in_the_new_language() {
        assert_eq!(reply(&facts(Locale::en), "3*2"), Reply::SetLanguage(Locale::sw));
        assert_eq!(reply(&facts(Locale::sw), "3*1"), Reply::SetLanguage(Locale::en));
        assert_eq!(language_saved(Locale::sw).text, "Sasa Raia itakuandikia kwa Kiswahili.");
        assert!(language_saved(Locale::sw).ends);
    }

    #[test]
    fn exit_ends_the_session() {
        let bye = screen(&facts(Locale::en), "0");
        assert!(bye.ends);
        assert_eq!(bye.to_response(), "END Thank you for using Raia.");
    }

    #[test]
    fn garbage_and_empty_answers_show_the_same_screen_again_saying_so() {
        let facts = facts(Locale::en);
        for text in ["7", "", "*", "1*x", "abc", "2*1*5", "3*", "1*9", "💥", "1*2*3*"] {
            let shown = screen(&facts, text);
            assert!(!shown.ends, "{text:?}: {}", shown.text);
            if !text.is_empty() {
                assert!(shown.text.starts_with("Choose a number from the list."), "{text:?}: {}", shown.text);
            }
        }
        // A trailing `*` is an empty answer on the screen reached so far.
        assert!(screen(&facts, "1*").text.contains("PSP-2026-000001"));
        // A mistake can be followed by a right answer.
        assert_eq!(screen(&facts, "5*1"), screen(&facts, "1"));
    }

    #[test]
    fn answers_after_the_session_ended_do_nothing() {
        let facts = facts(Locale::en);
        for text in ["2*1*1*1", "3*2*1", "0*1", "2*1*1*2*1*1"] {
            let ended = screen(&facts, text);
            assert!(ended.ends, "{text:?}");
            assert_eq!(ended.text, "Please dial again to start over.");
        }
        assert!(screen(&facts, &"1*0*".repeat(60)).ends);
    }

    #[test]
    fn every_screen_fits_a_phone_in_both_languages() {
        let long_address = "https://raia.ecitizen.go.ke";
        for l in LOCALES {
            for facts in [facts(l), busiest(l), Facts { locale: l, applications: vec![], fees: vec![] }] {
                let mut paths: Vec<String> = vec![String::new()];
                for first in ["1", "2", "3", "0", "x"] {
                    paths.push(first.into());
                    for second in ["1", "2", "5", "9", "0", "x"] {
                        paths.push(format!("{first}*{second}"));
                        for third in ["1", "9", "0", "x"] {
                            paths.push(format!("{first}*{second}*{third}"));
                        }
                    }
                }
                for path in &paths {
                    let shown = match reply(&facts, path) {
                        Reply::Show(screen) => screen,
                        Reply::Pay(index) => after_payment(l, &facts.fees[index], PaymentStart::Sent),
                        Reply::SetLanguage(chosen) => language_saved(chosen),
                    };
                    let length = shown.to_response().chars().count();
                    assert!(length <= SCREEN_LIMIT, "{l:?} {path:?}: {length} characters\n{}", shown.text);
                }
            }
            for start in [PaymentStart::Sent, PaymentStart::NotPossible, PaymentStart::Failed] {
                let fee = &busiest(l).fees[0];
                assert!(after_payment(l, fee, start).to_response().chars().count() <= SCREEN_LIMIT);
            }
        }
        assert!(no_account(long_address).to_response().chars().count() <= SCREEN_LIMIT);
        assert!(unavailable().to_response().chars().count() <= SCREEN_LIMIT);
    }

    #[test]
    fn a_phone_with_no_account_learns_where_raia_is_and_nothing_else() {
        let shown = no_account("raia.go.ke");
        assert!(shown.ends);
        assert!(shown.text.contains("raia.go.ke"));
        assert!(!shown.text.contains("1 "), "no menu: {}", shown.text);
    }
}
