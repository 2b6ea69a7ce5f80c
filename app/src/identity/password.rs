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
    Ok(())
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
        assert_eq!(check_new_password("twelve chars", &d), Ok(()));
        assert_eq!(check_new_password("1QAZ2WSX3EDC", &d), Err(Problem::PasswordCommon), "case does not hide a common password");
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
