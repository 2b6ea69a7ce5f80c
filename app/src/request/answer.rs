//! How an answer goes back: an error's HTTP status (or a redirect for a plain form post).

use super::headers::is_post;
use crate::errors::is_plain_form_post;
use crate::errors::AppError;
use http::header::RETRY_AFTER;
use http::{HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

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
