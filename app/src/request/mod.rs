//! The request below every domain: who sent it (session cookie, client address), in which
//! language, how it wants answers (a plain form post or a script), and how an error becomes
//! an HTTP status. It knows HTTP and Leptos's context, and no domain: identity builds "the
//! logged-in account" and its guards on top of it (`identity::web`).

mod answer;
mod headers;
mod session_cookie;

pub use crate::errors::{is_plain_form_post, refuse_malformed_arguments};
pub use answer::{with_status, UNAVAILABLE_RETRY_AFTER_SECONDS};
pub use headers::{client_ip, is_post, request_language, user_agent, ClientAddress};
pub use session_cookie::{clear_session_cookie, session_token, set_session_cookie, token_from_headers, SessionCookie};

use crate::errors::AppError;

/// A shared service the server put into the request's context (`server/src/router.rs`).
/// Missing means the server was wired wrongly: our failure, a 500.
pub fn service<T: Clone + Send + Sync + 'static>() -> Result<T, AppError> {
    leptos::prelude::use_context::<T>().ok_or(AppError::Internal)
}
