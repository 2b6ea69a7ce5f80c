//! How an `AppError` crosses a server function's wire (JSON), and the one transport failure
//! that is the caller's fault: arguments that do not parse are a 400, not Leptos's 500.

use super::AppError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
#[cfg(feature = "ssr")]
use http::header::ACCEPT;
#[cfg(feature = "ssr")]
use http::StatusCode;
#[cfg(feature = "ssr")]
use leptos::prelude::use_context;
#[cfg(feature = "ssr")]
use leptos_axum::ResponseOptions;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // Arguments that do not parse are the caller's mistake: 400, not Leptos's blanket 500.
        #[cfg(feature = "ssr")]
        if matches!(value, ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_)) {
            refuse_malformed_arguments();
        }
        AppError::Transport(value)
    }
}

/// A plain HTML form post (no JavaScript): answers must be redirects to pages.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// A server function's arguments did not parse (wrong types, missing, not a form or JSON at
/// all): 400. A plain form post keeps Leptos's redirect back to its page.
#[cfg(feature = "ssr")]
pub fn refuse_malformed_arguments() {
    if let Some(response) = use_context::<ResponseOptions>() {
        if !is_plain_form_post() {
            response.set_status(StatusCode::BAD_REQUEST);
        }
    }
}
