//! The HTTP side of identity for server functions: the session cookie, the client's
//! address, and the services from context.

use crate::errors::AppError;
use crate::identity::accounts::Account;
use crate::identity::service::Identity;
use axum::extract::ConnectInfo;
use http::header::{ACCEPT, COOKIE, RETRY_AFTER, SET_COOKIE};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::net::SocketAddr;

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

pub fn identity() -> Result<Identity, AppError> {
    use_context::<Identity>().ok_or(AppError::Internal)
}

fn cookie_settings() -> SessionCookie {
    use_context::<SessionCookie>().unwrap_or_else(|| SessionCookie::new(false))
}

/// The account of this request's session. A page asks several times (the header, then each
/// piece of the page's data); the session and account are read from the database once.
pub async fn request_account() -> Result<Option<Account>, AppError> {
    let identity = identity()?;
    let token = session_token();
    match use_context::<AccountOfRequest>() {
        Some(cached) => cached.0.get_or_try_init(|| identity.current_account(token.as_deref())).await.cloned(),
        None => identity.current_account(token.as_deref()).await,
    }
}

/// Where `request_account` keeps its answer; the router provides a new one to every request.
#[derive(Clone, Default)]
pub struct AccountOfRequest(std::sync::Arc<tokio::sync::OnceCell<Option<Account>>>);

/// The language this request's pages are in (see `language::locale_of_request`).
pub fn request_language() -> crate::i18n::Locale {
    let header = |parts: &Parts, name: http::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (cookie, accept) = match use_context::<Parts>() {
        Some(parts) => (header(&parts, COOKIE), header(&parts, http::header::ACCEPT_LANGUAGE)),
        None => (None, None),
    };
    crate::language::locale_of_request(cookie.as_deref(), accept.as_deref())
}

/// The browser's `User-Agent`, or empty.
pub fn user_agent() -> String {
    use_context::<Parts>().and_then(|parts| parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string)).unwrap_or_default()
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

/// The client's address as rate limits count it, put on each request by the server (which
/// knows the trusted proxies): an IPv4 address, or an IPv6 client's /64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// The client's address for rate limits: the server's `ClientAddress`, else the TCP peer.
pub fn client_ip() -> String {
    let Some(parts) = use_context::<Parts>() else { return "unknown".into() };
    if let Some(address) = parts.extensions.get::<ClientAddress>() {
        return address.0.clone();
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// A plain HTML form post (no JavaScript): answers must be redirects to pages.
fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// A server function's arguments did not parse (wrong types, missing, not a form or JSON at
/// all): 400. A plain form post keeps Leptos's redirect back to its page.
pub fn refuse_malformed_arguments() {
    if let Some(response) = use_context::<ResponseOptions>() {
        if !is_plain_form_post() {
            response.set_status(StatusCode::BAD_REQUEST);
        }
    }
}

fn is_post() -> bool {
    use_context::<Parts>().is_some_and(|parts| parts.method == http::Method::POST)
}

/// What a 503 asks a client to wait before trying again: "a few minutes".
pub const UNAVAILABLE_RETRY_AFTER_SECONDS: &str = "120";

/// Gives an error its HTTP status: 422 for what the citizen typed, 429 (with Retry-After)
/// for too many attempts, 500 only for our own failures. Without JavaScript, "too many
/// attempts" becomes a redirect to the page that explains it. 503 (with Retry-After) when
/// the database cannot be reached.
pub fn with_status(error: AppError) -> AppError {
    let Some(response) = use_context::<ResponseOptions>() else { return error };
    let plain_form_post = is_plain_form_post();
    let status = match &error {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::TooManyRequests { retry_after_seconds } => {
            if plain_form_post {
                leptos_axum::redirect(&format!("/too-many-attempts?seconds={retry_after_seconds}"));
                return error;
            }
            if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
                response.insert_header(RETRY_AFTER, value);
            }
            StatusCode::TOO_MANY_REQUESTS
        }
        AppError::NotLoggedIn => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Unavailable => {
            response.insert_header(RETRY_AFTER, HeaderValue::from_static(UNAVAILABLE_RETRY_AFTER_SECONDS));
            StatusCode::SERVICE_UNAVAILABLE
        }
        AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    // A plain form post is redirected back to its page, with the error in the URL. A page
    // (not a post) whose database is unreachable answers 503 all the same: the server then
    // answers with its "try again in a few minutes" page instead.
    let page_without_database = matches!(error, AppError::Unavailable) && !is_post();
    if !plain_form_post || page_without_database {
        response.set_status(status);
    }
    error
}
