//! The language a citizen reads Raia in: English or Kiswahili.
//!
//! The choice is kept in the cookie that `leptos_i18n` reads (`Accept-Language` is the
//! fallback), and is changed by a plain link to `/lang/<code>?next=<path>`, so switching
//! works without JavaScript.

/// Cookie that `leptos_i18n` reads the preferred locale from.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// A year: long enough to be remembered, short enough to be renewed.
pub const LOCALE_COOKIE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

/// The path of the link that switches to `locale` and comes back to `current_path`.
pub fn switch_href(locale_code: &str, current_path: &str) -> String {
    format!("/lang/{locale_code}?next={}", encode_query_value(current_path))
}

/// Where to go after switching: only a path on this site, never another host
/// (an open redirect would let a phishing link borrow Raia's address).
pub fn safe_return_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.starts_with("/lang/")
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/",
    }
}

/// The language a request asks for, as the pages choose it: the cookie first, then the
/// first of `Accept-Language`'s languages that Raia speaks, then English. Saved as a new
/// account's language, so its messages come in the language it registered in.
pub fn locale_of_request(cookie_header: Option<&str>, accept_language: Option<&str>) -> crate::i18n::Locale {
    use crate::i18n::Locale;
    let chosen = |code: &str| match code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase().as_str() {
        "sw" => Some(Locale::sw),
        "en" => Some(Locale::en),
        _ => None,
    };
    let from_cookie = cookie_header.and_then(|header| crate::cookies::cookie_in(header, LOCALE_COOKIE)).and_then(chosen);
    let from_header = || accept_language.into_iter().flat_map(|header| header.split(',')).find_map(|item| chosen(item.split(';').next().unwrap_or("")));
    from_cookie.or_else(from_header).unwrap_or(Locale::en)
}

/// Percent-encodes the characters that would end or confuse a query value.
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switch_link_keeps_the_page_and_its_query() {
        assert_eq!(switch_href("sw", "/services?q=passport&x=1"), "/lang/sw?next=/services%3Fq%3Dpassport%26x%3D1");
        assert_eq!(switch_href("en", "/"), "/lang/en?next=/");
    }

    #[test]
    fn the_cookie_then_accept_language_choose_the_language() {
        use crate::i18n::Locale;
        assert_eq!(locale_of_request(Some("a=1; i18n_pref_locale=sw"), Some("en-GB,en")), Locale::sw);
        assert_eq!(locale_of_request(None, Some("fr-FR, sw-KE;q=0.8, en;q=0.5")), Locale::sw);
        assert_eq!(locale_of_request(Some("i18n_pref_locale=xx"), Some("de")), Locale::en);
    }

    #[test]
    fn return_path_stays_on_this_site() {
        assert_eq!(safe_return_path(Some("/services?q=id")), "/services?q=id");
        assert_eq!(safe_return_path(Some("//evil.example/")), "/");
        assert_eq!(safe_return_path(Some("/\\evil.example")), "/");
        assert_eq!(safe_return_path(Some("https://evil.example/")), "/");
        assert_eq!(safe_return_path(Some("/lang/sw")), "/");
        assert_eq!(safe_return_path(Some("/a\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_return_path(None), "/");
    }
}
