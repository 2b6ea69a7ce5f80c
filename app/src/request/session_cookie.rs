//! The session cookie: its name and flags, reading the token and writing or clearing it.

use http::header::SET_COOKIE;
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// How the session cookie is written: `__Host-raia_session` with `Secure` in production.
#[derive(Clone, Debug)]
pub struct SessionCookie {
    pub name: String,
    pub secure: bool,
}

impl SessionCookie {
    pub fn new(secure: bool) -> Self {
        // `__Host-` tells the browser: only over HTTPS, only for this exact host, Path=/.
        let name = if secure { "__Host-raia_session" } else { "raia_session" };
        SessionCookie { name: name.to_string(), secure }
    }

    fn header(&self, value: &str, max_age: Option<i64>) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        let max_age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
        format!("{}={value}; HttpOnly; SameSite=Lax; Path=/{secure}{max_age}", self.name)
    }
}

fn cookie_settings() -> SessionCookie {
    use_context::<SessionCookie>().unwrap_or_else(|| SessionCookie::new(false))
}

/// The session token the browser sent, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<Parts>()?;
    token_from_headers(&parts.headers, &cookie_settings())
}

/// The session token in a request's cookies (for handlers outside Leptos).
pub fn token_from_headers(headers: &http::HeaderMap, cookie: &SessionCookie) -> Option<String> {
    crate::cookies::cookie_value(headers, &cookie.name)
}

pub fn set_session_cookie(token: &str) {
    if let Some(response) = use_context::<ResponseOptions>() {
        if let Ok(value) = HeaderValue::from_str(&cookie_settings().header(token, None)) {
            response.append_header(SET_COOKIE, value);
        }
    }
}

pub fn clear_session_cookie() {
    if let Some(response) = use_context::<ResponseOptions>() {
        if let Ok(value) = HeaderValue::from_str(&cookie_settings().header("", Some(0))) {
            response.append_header(SET_COOKIE, value);
        }
    }
}
