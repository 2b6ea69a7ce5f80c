//! Password rules (NIST 800-63B, as login.gov applies them) and hashing (argon2id with
//! OWASP's parameters), run off the async runtime with bounded concurrency so a burst of
//! logins cannot starve browsing or paying.

use crate::errors::Problem;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::collections::HashSet;
use std::sync::{Arc, LazyLock};
use tokio::sync::Semaphore;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

/// The 10,000 most common passwords (from zxcvbn's list, MIT licence), lower-cased.
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../../data/common-passwords.txt").lines().map(str::trim).filter(|l| !l.is_empty()).collect());

/// What we know of the citizen, so the password does not contain it.
pub struct PersonalDetails<'a> {
    pub id_number: &'a str,
    pub first_name: &'a str,
    pub surname: &'a str,
    pub phone_e164: &'a str,
    pub email_local_part: &'a str,
}

/// Checks a new password; the first rule it breaks says why it is refused.
pub fn check_new_password(password: &str, details: &PersonalDetails) -> Result<(), Problem> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Problem::PasswordTooShort);
    }
    if length > MAX_LENGTH {
        return Err(Problem::PasswordTooLong);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(lower.as_str()) {
        return Err(Problem::PasswordCommon);
    }
    let contains = |part: &str| part.chars().count() >= 3 && lower.contains(&part.to_lowercase());
    if contains(details.id_number) {
        return Err(Problem::PasswordContainsIdNumber);
    }
    if contains(details.first_name) || contains(details.surname) {
        return Err(Problem::PasswordContainsName);
    }
    // The phone in any written form: its last nine digits are in all of them.
    let phone_digits: String = details.phone_e164.chars().filter(char::is_ascii_digit).collect();
    let national = &phone_digits[phone_digits.len().saturating_sub(9)..];
    let password_digits: String = password.chars().filter(char::is_ascii_digit).collect();
    if national.len() == 9 && password_digits.contains(national) {
        return Err(Problem::PasswordContainsPhone);
    }
    if contains(details.email_local_part) {
        return Err(Problem::PasswordContainsEmail);
    }
    match strength::weakness(password, details) {
        Some(reason) => Err(Problem::PasswordGuessable { reason }),
        None => Ok(()),
    }
}

/// The strength estimate (zxcvbn), beside the list and the personal-details rules above.
pub mod strength {
    use super::PersonalDetails;
    use crate::errors::WeakPassword;
    use std::collections::HashMap;
    use std::sync::LazyLock;
    use zxcvbn::feedback::Warning;
    use zxcvbn::Score;

    /// Below this score (0 to 4) a password is refused. 4 means at least 10^10 guesses. The
    /// common choice, 3 (10^8), accepts `Mombasa12345!`, `habariyako123` and `Kenya2026Kenya`,
    /// which sit exactly at 10^8 because zxcvbn barely knows our words; at 4 they are refused
    /// while three or four unrelated words in either language (10^10 to 10^19) still pass.
    pub const MIN_SCORE: Score = Score::Four;

    /// Words zxcvbn's English lists lack, most common first: our list of Kiswahili and Kenyan
    /// words, then the registry's names, then every word of the Kiswahili locale.
    pub static LOCAL_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let curated = include_str!("../../data/local-words.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string);
        let names = crate::identity::registry::SEED_CSV.lines().skip(1).flat_map(|line| line.split(',').skip(1).take(2).map(|name| name.trim().to_lowercase()));
        let mut words: Vec<String> = Vec::new();
        for word in curated.chain(names).chain(words_by_frequency(include_str!("../../locales/sw.json"))) {
            if word.chars().count() >= 3 && !words.contains(&word) {
                words.push(word);
            }
        }
        words
    });

    /// The words of a text (letters only, lower case, four or more), most frequent first.
    fn words_by_frequency(text: &str) -> Vec<String> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 4) {
            *counts.entry(word.to_lowercase()).or_default() += 1;
        }
        let mut words: Vec<(String, usize)> = counts.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.into_iter().map(|(word, _)| word).collect()
    }

    /// Why the password is too easy to guess, or `None` when it is strong enough.
    pub fn weakness(password: &str, details: &PersonalDetails) -> Option<WeakPassword> {
        let phone_digits: String = details.phone_e164.chars().filter(char::is_ascii_digit).collect();
        let national = phone_digits.get(phone_digits.len().saturating_sub(9)..).unwrap_or_default().to_string();
        let personal = [details.first_name, details.surname, details.id_number, details.email_local_part, &phone_digits, &national];
        // The citizen's own details rank first: they are the first thing a guesser tries.
        let inputs: Vec<&str> = personal.into_iter().filter(|p| !p.is_empty()).chain(LOCAL_WORDS.iter().map(String::as_str)).collect();
        let estimate = zxcvbn::zxcvbn(password, &inputs);
        if estimate.score() >= MIN_SCORE {
            return None;
        }
        Some(match estimate.feedback().and_then(|f| f.warning()) {
            Some(Warning::StraightRowsOfKeysAreEasyToGuess | Warning::ShortKeyboardPatternsAreEasyToGuess) => WeakPassword::KeyboardPattern,
            Some(Warning::RepeatsLikeAaaAreEasyToGuess | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess) => WeakPassword::Repeats,
            Some(Warning::SequencesLikeAbcAreEasyToGuess) => WeakPassword::Sequence,
            Some(Warning::ThisIsATop10Password | Warning::ThisIsATop100Password | Warning::ThisIsACommonPassword | Warning::ThisIsSimilarToACommonlyUsedPassword) => {
                WeakPassword::CommonPassword
            }
            Some(Warning::AWordByItselfIsEasyToGuess) => WeakPassword::SingleWord,
            Some(Warning::NamesAndSurnamesByThemselvesAreEasyToGuess | Warning::CommonNamesAndSurnamesAreEasyToGuess) => WeakPassword::Names,
            Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => WeakPassword::Dates,
            None => WeakPassword::TooPredictable,
        })
    }
}

/// Hashes and verifies on the blocking thread pool, at most `permits` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A real hash of a random password, checked against when the account does not exist,
    /// so that "no such account" takes as long as "wrong password".
    dummy_hash: Arc<String>,
}

#[derive(Debug)]
pub struct HashingFailed;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, HashingFailed> {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|_| HashingFailed)
}

/// Whether a stored hash was made with weaker (older) parameters than today's.
fn is_outdated(hash: &PasswordHash) -> bool {
    let current = argon2();
    let params = current.params();
    hash.algorithm.as_str() != "argon2id"
        || hash.params.get_decimal("m").is_none_or(|m| m < params.m_cost())
        || hash.params.get_decimal("t").is_none_or(|t| t < params.t_cost())
}

/// The result of checking a password.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, and here is a fresh hash with today's parameters to store.
    YesWithRehash(String),
}

impl PasswordHasher {
    pub fn new(permits: usize) -> Self {
        let dummy = hash_now("raia-dummy-password-never-used").expect("argon2 works");
        PasswordHasher { permits: Arc::new(Semaphore::new(permits.max(1))), dummy_hash: Arc::new(dummy) }
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashingFailed> {
        let _permit = self.permits.acquire().await.map_err(|_| HashingFailed)?;
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|_| HashingFailed)?
    }

    /// Checks `password` against `stored` (or against the dummy hash when there is no account).
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Verified {
        let Ok(_permit) = self.permits.acquire().await else { return Verified::No };
        let password = password.to_string();
        let exists = stored.is_some();
        let stored = stored.map(str::to_string).unwrap_or_else(|| self.dummy_hash.to_string());
        let result = tokio::task::spawn_blocking(move || {
            let Ok(parsed) = PasswordHash::new(&stored) else { return Verified::No };
            if argon2().verify_password(password.as_bytes(), &parsed).is_err() {
                return Verified::No;
            }
            if is_outdated(&parsed) {
                match hash_now(&password) {
                    Ok(fresh) => Verified::YesWithRehash(fresh),
                    Err(_) => Verified::Yes,
                }
            } else {
                Verified::Yes
            }
        })
        .await
        .unwrap_or(Verified::No);
        if exists { result } else { Verified::No }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanjiku() -> PersonalDetails<'static> {
        PersonalDetails {
            id_number: "12345678",
            first_name: "Wanjiku",
            surname: "Kamau",
            phone_e164: "+254722000111",
            email_local_part: "wanjiku.k",
        }
    }

    #[test]
    fn each_refusal_says_why() {
        let d = wanjiku();
        assert_eq!(check_new_password("short", &d), Err(Problem::PasswordTooShort));
        assert_eq!(check_new_password(&"a".repeat(129), &d), Err(Problem::PasswordTooLong));
        assert_eq!(check_new_password("1qaz2wsx3edc", &d), Err(Problem::PasswordCommon));
        assert_eq!(check_new_password("my id is 12345678!", &d), Err(Problem::PasswordContainsIdNumber));
        assert_eq!(check_new_password("WANJIKU loves tea", &d), Err(Problem::PasswordContainsName));
        assert_eq!(check_new_password("tea with kamau now", &d), Err(Problem::PasswordContainsName));
        assert_eq!(check_new_password("call 0722 000111 now", &d), Err(Problem::PasswordContainsPhone));
        assert_eq!(check_new_password("x wanjiku.k at home", &d), Err(Problem::PasswordContainsName));
        assert_eq!(check_new_password("mail: Wanjiku.K!!", &d), Err(Problem::PasswordContainsName));
        assert_eq!(check_new_password("correct horse battery staple", &d), Ok(()));
        // No composition rules: a long lower-case phrase is fine, spaces and all.
        assert_eq!(check_new_password("purple tea, loud rain", &d), Ok(()));
        assert_eq!(check_new_password("1QAZ2WSX3EDC", &d), Err(Problem::PasswordCommon), "case does not hide a common password");
    }

    /// Refused and accepted examples, each with the reason the citizen is given.
    #[test]
    fn guessable_passwords_are_refused_with_a_reason_and_passphrases_welcome() {
        use crate::errors::WeakPassword::*;
        // Someone whose details appear in none of the examples, so only the estimate speaks.
        let d = PersonalDetails { id_number: "29384756", first_name: "Chebet", surname: "Langat", phone_e164: "+254799111222", email_local_part: "cl" };
        let refused = |reason| Err(Problem::PasswordGuessable { reason });
        let table: &[(&str, Result<(), Problem>)] = &[
            ("password1234", refused(CommonPassword)),
            ("123456789012", refused(Sequence)),
            ("abcdefghijkl", refused(Sequence)),
            ("aaaaaaaaaaaa", refused(Repeats)),
            ("abcabcabcabc", refused(Repeats)),
            ("kenya kenya kenya", refused(Repeats)),
            ("qwertyuiopas", refused(CommonPassword)),
            ("zxcvbnm,./asdf", refused(KeyboardPattern)),
            ("nakupenda2026", refused(TooPredictable)),
            ("Mombasa12345!", refused(TooPredictable)),
            ("habariyako123", refused(TooPredictable)),
            ("Nairobi2026!!", refused(TooPredictable)),
            ("correct horse battery staple", Ok(())),
            ("sunrise over the rift valley", Ok(())),
            ("maize fields after the long rains", Ok(())),
            ("a quiet morning in nyeri", Ok(())),
            ("maasai mara at dawn", Ok(())),
            ("chai ya asubuhi na mandazi moto", Ok(())),
            ("nyumba yangu nzuri sana", Ok(())),
            ("harambee stars 2026", Ok(())),
            ("x7#kP9!qLm2z", Ok(())),
            ("Harambee demo 2026", Ok(())),
            ("Raia staff demo 2026", Ok(())),
        ];
        let mut wrong = Vec::new();
        for (password, expected) in table {
            let got = check_new_password(password, &d);
            if &got != expected {
                wrong.push(format!("{password:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
        // A name and a run of digits reads to zxcvbn as a common password or as a sequence,
        // equally likely: which one it reports varies from run to run, and both are true.
        let got = check_new_password("otieno1234567", &d);
        assert!(matches!(got, Err(Problem::PasswordGuessable { reason: CommonPassword | Sequence })), "{got:?}");
    }

    #[test]
    fn a_kiswahili_word_is_as_weak_as_an_english_one() {
        let d = wanjiku();
        let english = zxcvbn::zxcvbn("hello12345678", &[]).guesses();
        let inputs: Vec<&str> = strength::LOCAL_WORDS.iter().map(String::as_str).collect();
        let kiswahili = zxcvbn::zxcvbn("jambo12345678", &inputs).guesses();
        assert!(kiswahili <= english * 10, "jambo… {kiswahili} guesses against hello… {english}");
        assert!(strength::weakness("jambo12345678", &d).is_some());
        assert!(strength::LOCAL_WORDS.iter().any(|w| w == "otieno"), "the registry's names are in");
        assert!(strength::LOCAL_WORDS.iter().any(|w| w == "nenosiri"), "the locale's words are in");
    }

    #[test]
    fn email_local_part_is_refused() {
        let d = PersonalDetails { email_local_part: "zebra99", ..wanjiku() };
        assert_eq!(check_new_password("I like zebra99 a lot", &d), Err(Problem::PasswordContainsEmail));
    }

    #[test]
    fn the_common_list_is_shipped_whole() {
        assert_eq!(COMMON_PASSWORDS.len(), 10_000);
        assert!(COMMON_PASSWORDS.contains("password"));
    }

    #[tokio::test]
    async fn hashes_verify_and_old_parameters_are_upgraded() {
        let hasher = PasswordHasher::new(2);
        let hash = hasher.hash("correct horse battery staple").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert_eq!(hasher.verify("correct horse battery staple", Some(&hash)).await, Verified::Yes);
        assert_eq!(hasher.verify("wrong horse battery staple", Some(&hash)).await, Verified::No);
        assert_eq!(hasher.verify("correct horse battery staple", None).await, Verified::No);

        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8_192, 1, 1, None).unwrap())
            .hash_password(b"correct horse battery staple", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        match hasher.verify("correct horse battery staple", Some(&weak)).await {
            Verified::YesWithRehash(fresh) => assert!(fresh.contains("m=19456,t=2,p=1")),
            other => panic!("expected a rehash, got {other:?}"),
        }
    }
}
