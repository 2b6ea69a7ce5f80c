//! Who is asking: the account of this request's session, and the guards every server
//! function starts with (`logged_in`, `admin_in`). Built on `crate::request`.

use crate::errors::AppError;
use crate::identity::accounts::Account;
use crate::identity::service::Identity;
use crate::request::{session_token, with_status};
use leptos::prelude::*;

pub fn identity() -> Result<Identity, AppError> {
    crate::request::service::<Identity>()
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

/// The logged-in account; otherwise a redirect to the login page that comes back to `return_to`.
pub async fn logged_in(return_to: &str) -> Result<Account, AppError> {
    // A database that cannot be reached makes the whole page a 503 (see `with_status`).
    match request_account().await.map_err(with_status)? {
        Some(account) => Ok(account),
        None => {
            let back = crate::language::safe_return_path(Some(return_to));
            leptos_axum::redirect(&format!("/login?next={}", crate::language::encode_query_value(back)));
            Err(with_status(AppError::NotLoggedIn))
        }
    }
}

/// The logged-in admin; anyone else logged in is refused with 403.
pub async fn admin_in(return_to: &str) -> Result<Account, AppError> {
    let account = logged_in(return_to).await?;
    if !account.is_admin() {
        return Err(with_status(AppError::Forbidden));
    }
    Ok(account)
}
