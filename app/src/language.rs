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
