//! Identity's server functions: each parses, calls the service, sets the cookie and
//! says where to go next. They are public endpoints: every rule lives in the service.

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::identity::views::SessionView;

#[cfg(feature = "ssr")]
use crate::identity::web::{identity, request_account};
#[cfg(feature = "ssr")]
use crate::request::{clear_session_cookie, client_ip, request_language, user_agent, with_status, session_token, set_session_cookie};
#[cfg(feature = "ssr")]
use crate::language::safe_return_path;

/// The masked places a code can be sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destinations {
    pub phone: String,
    pub email: String,
    /// An authenticator app is on: offered first.
    pub authenticator: bool,
    /// Codes by SMS and email are allowed.
    pub message_codes: bool,
    /// `sms` or `email`, chosen at `/account/security`.
    pub default_channel: String,
}

/// What the dashboard shows of the citizen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenSummary {
    pub full_name: String,
    pub masked_id_number: String,
}

#[server(endpoint = "register/start")]
pub async fn start_registration(
    // Optional: a plain form sends no field for an unchecked radio, and that is the
    // citizen's "Required", not a malformed request.
    account_type: Option<String>,
    id_number: String,
    first_name: String,
    year_of_birth: String,
) -> Result<(), AppError> {
    let identity = identity()?;
    let account_type = account_type.unwrap_or_default();
    let token = identity.start_registration(session_token().as_deref(), &account_type, &id_number, &first_name, &year_of_birth).await.map_err(with_status)?;
    set_session_cookie(&token);
    leptos_axum::redirect("/register/details");
    Ok(())
}

/// The full name the registry holds for the ID validated in step 1.
#[server(endpoint = "register/person")]
pub async fn registration_person() -> Result<Option<String>, AppError> {
    let person = identity()?.registration_person(session_token().as_deref()).await.map_err(with_status)?;
    Ok(person.map(|p| format!("{} {}", p.first_name, p.surname)))
}

#[server(endpoint = "register/complete")]
pub async fn complete_registration(email: String, phone: String, password: String, password_confirm: String) -> Result<(), AppError> {
    identity()?
        .complete_registration(session_token().as_deref(), &client_ip(), request_language(), &email, &phone, &password, &password_confirm)
        .await
        .map_err(with_status)?;
    leptos_axum::redirect("/login?registered=1");
    Ok(())
}

#[server(endpoint = "login/password")]
pub async fn log_in(identifier: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let next = safe_return_path(next.as_deref()).to_string();
    let next = (next != "/").then_some(next);
    let token = identity()?
        .log_in(session_token().as_deref(), &client_ip(), &identifier, &password, next.as_deref())
        .await
        .map_err(with_status)?;
    set_session_cookie(&token);
    leptos_axum::redirect("/login/method");
    Ok(())
}

#[server(endpoint = "login/destinations")]
pub async fn login_destinations() -> Result<Option<Destinations>, AppError> {
    let found = identity()?.login_destinations(session_token().as_deref()).await.map_err(with_status)?;
    Ok(found.map(|d| Destinations { phone: d.phone, email: d.email, authenticator: d.authenticator, message_codes: d.message_codes, default_channel: d.default_channel }))
}

/// Which flow a one-time code belongs to: `login` or `reset` (a hidden field of the form).
#[cfg(feature = "ssr")]
fn is_reset(purpose: &str) -> bool {
    purpose == "reset"
}

/// Sends (or resends) a one-time code for the login or the password reset in progress.
#[server(endpoint = "code/send")]
pub async fn send_code(purpose: String, channel: Option<String>) -> Result<(), AppError> {
    let identity = identity()?;
    // An unchecked radio sends nothing: the service answers "choose how".
    let channel = channel.unwrap_or_default();
    let token = session_token();
    let via = if channel == "email" { "email" } else { "sms" };
    if !is_reset(&purpose) && channel == "app" {
        // Nothing to send: the app shows the code.
        identity.choose_authenticator(token.as_deref()).await.map_err(with_status)?;
        leptos_axum::redirect("/login/code?via=app");
        return Ok(());
    }
    if is_reset(&purpose) {
        identity.send_reset_code(token.as_deref(), &channel).await.map_err(with_status)?;
        leptos_axum::redirect(&format!("/forgot-password/code?via={via}"));
    } else {
        identity.send_login_code(token.as_deref(), &channel).await.map_err(with_status)?;
        leptos_axum::redirect(&format!("/login/code?via={via}"));
    }
    Ok(())
}

/// Checks the one-time code of the login (then logs in) or of the password reset.
#[server(endpoint = "code/verify")]
pub async fn verify_code(purpose: String, code: String) -> Result<(), AppError> {
    let identity = identity()?;
    let token = session_token();
    if is_reset(&purpose) {
        identity.verify_reset_code(token.as_deref(), &code).await.map_err(with_status)?;
        leptos_axum::redirect("/forgot-password/new-password");
    } else {
        let (token, next) = identity.verify_login_code(token.as_deref(), &code, &client_ip()).await.map_err(with_status)?;
        // What lets the citizen recognise this session among their others.
        crate::identity::sessions::describe(&identity.db, &token, &user_agent(), &client_ip()).await.map_err(|e| with_status(e.into()))?;
        set_session_cookie(&token);
        leptos_axum::redirect(safe_return_path(Some(&next)));
    }
    Ok(())
}

/// The logged-in citizen, or a redirect to the login page that comes back to `return_to`.
#[server(endpoint = "me")]
pub async fn current_citizen(return_to: String) -> Result<Option<CitizenSummary>, AppError> {
    let summary = identity()?.account_summary(session_token().as_deref()).await.map_err(with_status)?;
    if summary.is_none() {
        let back = safe_return_path(Some(&return_to));
        leptos_axum::redirect(&format!("/login?next={}", crate::language::encode_query_value(back)));
    }
    Ok(summary.map(|s| CitizenSummary { full_name: s.full_name, masked_id_number: s.masked_id_number }))
}

/// Who is logged in, as the header needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    pub first_name: String,
    /// `citizen`, `officer` or `admin`.
    pub role: String,
    /// Notifications not yet read.
    pub unread: i64,
    /// Files the account's offline drafts on this phone (see `Account::device_tag`).
    pub device_tag: String,
}

/// The logged-in person for the header, or nothing (never a redirect).
#[server(endpoint = "session")]
pub async fn signed_in() -> Result<Option<Visitor>, AppError> {
    let Some(account) = request_account().await.map_err(with_status)? else { return Ok(None) };
    let db = crate::request::service::<crate::db::Db>()?;
    let unread = crate::messages::notifications::unread(db.pool(), account.id).await.map_err(|e| with_status(e.into()))?;
    let device_tag = account.device_tag();
    Ok(Some(Visitor { first_name: account.first_name, role: account.role, unread, device_tag }))
}

#[server(endpoint = "logout")]
pub async fn log_out() -> Result<(), AppError> {
    identity()?.log_out(session_token().as_deref()).await.map_err(with_status)?;
    clear_session_cookie();
    leptos_axum::redirect("/login?logged_out=1");
    Ok(())
}

#[server(endpoint = "reset/start")]
pub async fn start_reset(identifier: String) -> Result<(), AppError> {
    let token = identity()?.start_reset(session_token().as_deref(), &identifier).await.map_err(with_status)?;
    set_session_cookie(&token);
    leptos_axum::redirect("/forgot-password/method");
    Ok(())
}

#[server(endpoint = "reset/ready")]
pub async fn reset_ready() -> Result<bool, AppError> {
    identity()?.reset_code_verified(session_token().as_deref()).await.map_err(with_status)
}

#[server(endpoint = "reset/password")]
pub async fn set_new_password(password: String, password_confirm: String) -> Result<(), AppError> {
    identity()?.set_new_password(session_token().as_deref(), &password, &password_confirm).await.map_err(with_status)?;
    clear_session_cookie();
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

// ---------------------------------------------------------------- the account centre

/// The logged-in account as `/account` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub full_name: String,
    pub masked_id_number: String,
    pub email: String,
    pub phone: String,
    /// `en` or `sw`.
    pub language: String,
}

#[server(endpoint = "account")]
pub async fn my_account() -> Result<AccountDetails, AppError> {
    let account = crate::identity::web::logged_in("/account").await?;
    Ok(AccountDetails {
        full_name: account.full_name(),
        masked_id_number: account.masked_id_number(),
        email: account.email.clone(),
        phone: account.phone.clone(),
        language: account.language.to_string(),
    })
}

/// The language Raia writes to the citizen in (SMS and email).
#[server(endpoint = "account/language")]
pub async fn set_message_language(language: Option<String>) -> Result<(), AppError> {
    let account = crate::identity::web::logged_in("/account").await?;
    identity()?.set_language(&account, language.as_deref().unwrap_or_default()).await.map_err(with_status)?;
    leptos_axum::redirect("/account?saved=language");
    Ok(())
}


#[server(endpoint = "account/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    let account = crate::identity::web::logged_in("/account/sessions").await?;
    identity()?.account_sessions(&account, session_token().as_deref()).await.map_err(with_status)
}

#[server(endpoint = "account/sessions/end")]
pub async fn end_session(session: String) -> Result<(), AppError> {
    let account = crate::identity::web::logged_in("/account/sessions").await?;
    identity()?.end_session(&account, &session).await.map_err(with_status)?;
    leptos_axum::redirect("/account/sessions?ended=1");
    Ok(())
}

#[server(endpoint = "account/sessions/end-others")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    let account = crate::identity::web::logged_in("/account/sessions").await?;
    identity()?.end_other_sessions(&account, session_token().as_deref()).await.map_err(with_status)?;
    leptos_axum::redirect("/account/sessions?ended=others");
    Ok(())
}

#[server(endpoint = "account/password")]
pub async fn change_password(current_password: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let account = crate::identity::web::logged_in("/account").await?;
    identity()?.change_password(&account, session_token().as_deref(), &client_ip(), &current_password, &password, &password_confirm).await.map_err(with_status)?;
    leptos_axum::redirect("/account?saved=password");
    Ok(())
}
