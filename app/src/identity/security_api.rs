//! The account centre's security server functions: `/account/security` (code channel,
//! authenticator app), contact changes and `/account/activity`. Each authorises first
//! (`logged_in`), then calls the service; the rules live there.

use crate::errors::AppError;
use crate::identity::activity::ActivityView;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::identity::web::identity;
#[cfg(feature = "ssr")]
use crate::request::{client_ip, session_token, set_session_cookie, user_agent, with_status};
#[cfg(feature = "ssr")]
use crate::identity::web::logged_in;

/// `/account/security` as the citizen sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityView {
    pub code_channel: String,
    pub message_codes_allowed: bool,
    pub authenticator_on: bool,
    pub backup_codes_left: i64,
    pub setting_up: bool,
}

#[server(endpoint = "account/security")]
pub async fn my_security() -> Result<SecurityView, AppError> {
    let account = logged_in("/account/security").await?;
    let s = identity()?.security_settings(&account).await.map_err(with_status)?;
    Ok(SecurityView { code_channel: s.code_channel, message_codes_allowed: s.message_codes_allowed, authenticator_on: s.authenticator_on, backup_codes_left: s.backup_codes_left, setting_up: s.setting_up })
}

/// The default code channel and, with an app on, whether SMS and email codes stay allowed
/// (a checkbox: absent when unchecked).
#[server(endpoint = "account/security/codes")]
pub async fn save_code_settings(channel: Option<String>, allow_messages: Option<String>) -> Result<(), AppError> {
    let account = logged_in("/account/security").await?;
    let identity = identity()?;
    // Without an app on, the form has no checkbox: messages stay allowed.
    let app_on = identity.authenticator_on(account.id).await.map_err(with_status)?;
    let allow = !app_on || allow_messages.is_some();
    identity.set_code_settings(&account, channel.as_deref().unwrap_or_default(), allow, &client_ip()).await.map_err(with_status)?;
    leptos_axum::redirect("/account/security?saved=codes");
    Ok(())
}

#[server(endpoint = "account/authenticator/begin")]
pub async fn begin_authenticator(current_password: String) -> Result<(), AppError> {
    let account = logged_in("/account/security").await?;
    identity()?.begin_authenticator(&account, &current_password, &client_ip()).await.map_err(with_status)?;
    leptos_axum::redirect("/account/security/authenticator");
    Ok(())
}

/// What the setup page shows: the QR code (SVG drawn on the server), the secret as text,
/// the backup codes. `None` when no app is being set up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupView {
    pub qr_svg: String,
    pub secret_text: String,
    pub backup_codes: Vec<String>,
}

#[server(endpoint = "account/authenticator/setup")]
pub async fn authenticator_setup() -> Result<Option<SetupView>, AppError> {
    let account = logged_in("/account/security/authenticator").await?;
    let setup = identity()?.authenticator_setup(&account).await.map_err(with_status)?;
    Ok(setup.map(|s| SetupView { qr_svg: s.qr_svg, secret_text: s.secret_text, backup_codes: s.backup_codes }))
}

#[server(endpoint = "account/authenticator/confirm")]
pub async fn confirm_authenticator(code: String) -> Result<(), AppError> {
    let account = logged_in("/account/security/authenticator").await?;
    identity()?.confirm_authenticator(&account, &code, &client_ip()).await.map_err(with_status)?;
    leptos_axum::redirect("/account/security?saved=authenticator");
    Ok(())
}

#[server(endpoint = "account/authenticator/off")]
pub async fn turn_off_authenticator(current_password: String, code: String) -> Result<(), AppError> {
    let account = logged_in("/account/security").await?;
    identity()?.turn_off_authenticator(&account, &current_password, &code, &client_ip()).await.map_err(with_status)?;
    leptos_axum::redirect("/account/security?saved=off");
    Ok(())
}

// ---------------------------------------------------------------- contacts

/// Step 1 of changing the email (`kind` = `email`, field `email`) or the phone (`phone`).
#[server(endpoint = "account/contact/start")]
pub async fn start_contact_change(kind: String, email: Option<String>, phone: Option<String>, current_password: String) -> Result<(), AppError> {
    let account = logged_in("/account").await?;
    let Some(contact) = crate::identity::contact_change::contact_kind(&kind) else { return Err(with_status(AppError::NotFound)) };
    let value = email.or(phone).unwrap_or_default();
    let identity = identity()?;
    let token = identity.start_contact_change(&account, session_token().as_deref(), contact, &value, &current_password, &client_ip()).await.map_err(with_status)?;
    // The rotated session must still be recognisable at /account/sessions.
    crate::identity::sessions::describe(&identity.db, &token, &user_agent(), &client_ip()).await.map_err(|e| with_status(e.into()))?;
    set_session_cookie(&token);
    leptos_axum::redirect("/account/contact/confirm");
    Ok(())
}

/// The change waiting for its code: `email` or `phone`, and the new one masked.
#[server(endpoint = "account/contact/pending")]
pub async fn pending_contact_change() -> Result<Option<(String, String)>, AppError> {
    logged_in("/account").await?;
    let pending = identity()?.pending_contact_change(session_token().as_deref()).await.map_err(with_status)?;
    Ok(pending.map(|(kind, masked)| (crate::identity::contact_change::kind_name(kind).to_string(), masked)))
}

#[server(endpoint = "account/contact/confirm")]
pub async fn confirm_contact_change(code: String) -> Result<(), AppError> {
    let account = logged_in("/account").await?;
    let kind = identity()?.confirm_contact_change(&account, session_token().as_deref(), &code, &client_ip()).await.map_err(with_status)?;
    leptos_axum::redirect(&format!("/account?saved={}", crate::identity::contact_change::kind_name(kind)));
    Ok(())
}

#[server(endpoint = "account/contact/resend")]
pub async fn resend_contact_code() -> Result<(), AppError> {
    let account = logged_in("/account").await?;
    identity()?.resend_contact_code(&account, session_token().as_deref()).await.map_err(with_status)?;
    leptos_axum::redirect("/account/contact/confirm?resent=1");
    Ok(())
}

// ---------------------------------------------------------------- activity

#[server(endpoint = "account/activity")]
pub async fn my_activity() -> Result<Vec<ActivityView>, AppError> {
    let account = logged_in("/account/activity").await?;
    let identity = identity()?;
    Ok(crate::identity::activity::latest(identity.db.pool(), account.id).await.map_err(|e| with_status(e.into()))?)
}
