//! A citizen's identifiers and contacts, parsed once at the edge: once a value has one of
//! these types it is valid everywhere.

use serde::{Deserialize, Serialize};

/// A Kenyan mobile number in E.164 form, e.g. `+254712345678`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts 07XXXXXXXX, 01XXXXXXXX, +2547..., +2541..., 2547..., 2541... (spaces and
    /// dashes ignored).
    pub fn parse(input: &str) -> Option<Self> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let national = if let Some(rest) = digits.strip_prefix("+254") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix("254") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest.to_string()
        } else {
            return None;
        };
        let valid = national.len() == 9
            && national.chars().all(|c| c.is_ascii_digit())
            && (national.starts_with('7') || national.starts_with('1'));
        valid.then(|| PhoneNumber(format!("+254{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+2547*****678`: enough for the citizen to recognise, too little for anyone else.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

pub fn mask_phone(e164: &str) -> String {
    let chars: Vec<char> = e164.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// An email address, lower-cased. Checked for shape only: the code we send proves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Option<Self> {
        // ASCII letters only: Unicode lower-casing turns the Kelvin sign (U+212A) into `k`,
        // so `\u{212A}@example.com` would become the address of whoever owns `k@example.com`.
        let email = input.trim().to_ascii_lowercase();
        let (local, domain) = email.split_once('@')?;
        let valid = !local.is_empty()
            && local.len() <= 64
            && email.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        valid.then_some(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }

    /// `w*****@example.com`.
    pub fn masked(&self) -> String {
        mask_email(&self.0)
    }
}

pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}*****@{domain}")
        }
        None => "*****".into(),
    }
}

/// A national ID number (digits) or an alien card number (letters and digits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn parse(input: &str) -> Option<Self> {
        let id = input.trim();
        // Checked before upper-casing, and upper-cased as ASCII only: Unicode upper-casing
        // turns `ß` into `SS` and `ſ` into `S`, which would make someone else's number.
        let valid = (4..=12).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric());
        valid.then(|| IdNumber(id.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `1234**78`: shown on the dashboard so a citizen can tell it is their account.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 4 {
            return "*".repeat(chars.len());
        }
        let head: String = chars[..2].iter().collect();
        let tail: String = chars[chars.len() - 2..].iter().collect();
        format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
    }
}

/// What a citizen types to log in: their ID number, email or phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identifier {
    Email(Email),
    Phone(PhoneNumber),
    IdNumber(IdNumber),
}

impl Identifier {
    pub fn parse(input: &str) -> Option<Self> {
        let input = input.trim();
        if input.contains('@') {
            return Email::parse(input).map(Identifier::Email);
        }
        if let Some(phone) = PhoneNumber::parse(input) {
            // An 8-digit ID starting with 0 or 254 is not a thing; a 10+ digit phone is.
            if input.chars().filter(char::is_ascii_digit).count() >= 10 {
                return Some(Identifier::Phone(phone));
            }
        }
        IdNumber::parse(input).map(Identifier::IdNumber)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_every_accepted_form_become_e164() {
        for input in ["0712345678", "+254712345678", "254712345678", "0712 345 678", "0112345678", "+254112345678"] {
            let phone = PhoneNumber::parse(input).unwrap_or_else(|| panic!("{input} should parse"));
            assert!(phone.as_str().starts_with("+254") && phone.as_str().len() == 13, "{input} -> {phone:?}");
        }
        assert_eq!(PhoneNumber::parse("0712345678").unwrap().as_str(), "+254712345678");
        for input in ["12345678", "071234567", "07123456789", "+255712345678", "0812345678", "07abc45678", ""] {
            assert_eq!(PhoneNumber::parse(input), None, "{input} must be refused");
        }
    }

    #[test]
    fn masks_show_only_enough_to_recognise() {
        assert_eq!(PhoneNumber::parse("0712345678").unwrap().masked(), "+2547*****678");
        assert_eq!(Email::parse("Wanjiku@Example.com").unwrap().masked(), "w*****@example.com");
        assert_eq!(IdNumber::parse("12345678").unwrap().masked(), "12****78");
    }

    #[test]
    fn emails_are_lowercased_and_checked_for_shape() {
        assert_eq!(Email::parse(" W@Example.COM ").unwrap().as_str(), "w@example.com");
        for bad in ["", "no-at-sign", "@example.com", "a@b", "a@.com", "a b@example.com"] {
            assert_eq!(Email::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn identifiers_are_told_apart() {
        assert!(matches!(Identifier::parse("12345678"), Some(Identifier::IdNumber(_))));
        assert!(matches!(Identifier::parse("fr900100"), Some(Identifier::IdNumber(id)) if id.as_str() == "FR900100"));
        assert!(matches!(Identifier::parse("0712345678"), Some(Identifier::Phone(_))));
        assert!(matches!(Identifier::parse("+254712345678"), Some(Identifier::Phone(_))));
        assert!(matches!(Identifier::parse("w@example.com"), Some(Identifier::Email(_))));
        assert_eq!(Identifier::parse("!!"), None);
    }
}
