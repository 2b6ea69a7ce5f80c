//! Reading one cookie from a request: the session, the page language and the hidden
//! service notices all come the same way.

/// The value of the cookie `name` in one `Cookie` header's text.
pub fn cookie_in<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(key, _)| *key == name).map(|(_, value)| value)
}

/// The value of the cookie `name` in a request's `Cookie` headers (a browser may send several).
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(http::header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|header| cookie_in(header, name)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_by_its_whole_name_in_any_header() {
        assert_eq!(cookie_in("a=1; raia_session=abc; b=2", "raia_session"), Some("abc"));
        assert_eq!(cookie_in("xraia_session=abc", "raia_session"), None);
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::COOKIE, "a=1".parse().unwrap());
        headers.append(http::header::COOKIE, "i18n_pref_locale=sw".parse().unwrap());
        assert_eq!(cookie_value(&headers, "i18n_pref_locale").as_deref(), Some("sw"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }
}
