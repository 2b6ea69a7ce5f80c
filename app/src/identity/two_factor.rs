//! The second step of login beyond codes by message, and `/account/security`: the default
//! code channel, an authenticator app (set up with the password, switched on by a first
//! right code, switched off with the password and a current code), its backup codes, and
//! whether SMS and email codes stay allowed once the app is on.

use crate::errors::{AppError, Problem};
use crate::identity::accounts::{self, Account};
use crate::identity::activity::{self, SecurityEvent};
use crate::identity::authenticator;
use crate::identity::codes;
use crate::identity::service::Identity;
use crate::identity::sessions::{self, Session};
use crate::messages::notifications::{self, AccountNotice};
use crate::messages::outbox::{self, Channel, Message};
use crate::messages::texts;
use serde::{Deserialize, Serialize};

/// `/account/security` as the citizen sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySettings {
    /// `sms` or `email`.
    pub code_channel: String,
    pub message_codes_allowed: bool,
    pub authenticator_on: bool,
    pub backup_codes_left: i64,
    /// An app is being set up (its QR code is waiting to be scanned and confirmed).
    pub setting_up: bool,
}

/// What the setup page shows until the first code confirms the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorSetup {
    /// The QR code of the `otpauth://` address, as SVG drawn on the server.
    pub qr_svg: String,
    /// The secret in base32, in groups of four, for typing into the app instead.
    pub secret_text: String,
    pub backup_codes: Vec<String>,
}

impl Identity {
    pub(crate) async fn authenticator_on(&self, account_id: i64) -> Result<bool, AppError> {
        Ok(authenticator::find(self.db.pool(), &self.secrets, account_id).await?.is_some_and(|a| a.confirmed))
    }

    pub async fn security_settings(&self, account: &Account) -> Result<SecuritySettings, AppError> {
        let stored = authenticator::find(self.db.pool(), &self.secrets, account.id).await?;
        Ok(SecuritySettings {
            code_channel: account.code_channel.as_str().to_string(),
            message_codes_allowed: account.message_codes_allowed,
            authenticator_on: stored.as_ref().is_some_and(|a| a.confirmed),
            backup_codes_left: authenticator::backup_codes_left(self.db.pool(), account.id).await?,
            setting_up: stored.is_some_and(|a| !a.confirmed),
        })
    }

    /// Saves the default channel for codes, and whether SMS and email codes stay allowed
    /// (they can be turned off only while an authenticator app is on, or nobody could log in).
    pub async fn set_code_settings(&self, account: &Account, channel: &str, allow_messages: bool, client_address: &str) -> Result<(), AppError> {
        let Some(channel) = Channel::parse(channel) else { return Err(AppError::field("channel", Problem::ChooseChannel)) };
        if !allow_messages && !self.authenticator_on(account.id).await? {
            return Err(AppError::field("allow_messages", Problem::NeedsAuthenticator));
        }
        let mut tx = self.db.begin_write().await?;
        accounts::set_code_settings(&mut tx, account.id, channel, allow_messages).await?;
        activity::record(&mut *tx, account.id, SecurityEvent::CodeSettingsChanged, Some(channel.as_str()), Some(client_address), self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts setting up an app, after the password: a new secret and new backup codes.
    pub async fn begin_authenticator(&self, account: &Account, current_password: &str, client_address: &str) -> Result<(), AppError> {
        if self.authenticator_on(account.id).await? {
            return Err(AppError::field("", Problem::AuthenticatorAlreadyOn));
        }
        self.check_current_password(account, current_password, client_address).await?;
        let mut tx = self.db.begin_write().await?;
        authenticator::begin(&mut tx, &self.secrets, account.id, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The app being set up, for the setup page; `None` when none is being set up.
    pub async fn authenticator_setup(&self, account: &Account) -> Result<Option<AuthenticatorSetup>, AppError> {
        let Some(stored) = authenticator::find(self.db.pool(), &self.secrets, account.id).await?.filter(|a| !a.confirmed) else { return Ok(None) };
        let Some((url, secret_text)) = authenticator::enrolment(&stored.secret, &account.masked_id_number()) else { return Err(AppError::Internal) };
        let qr_svg = qrcode::QrCode::new(url.as_bytes())
            .map_err(|_| AppError::Internal)?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build();
        Ok(Some(AuthenticatorSetup { qr_svg, secret_text, backup_codes: stored.pending_backup_codes }))
    }

    /// Switches the app on with its first right code; its backup codes are kept as
    /// fingerprints only from now on. The citizen is told by email and in the portal.
    pub async fn confirm_authenticator(&self, account: &Account, code: &str, client_address: &str) -> Result<(), AppError> {
        let now = self.now();
        let Some(stored) = authenticator::find(self.db.pool(), &self.secrets, account.id).await?.filter(|a| !a.confirmed) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };
        let Some(step) = authenticator::matching_step(&stored.secret, code, now) else {
            return Err(AppError::field("code", if code.trim().is_empty() { Problem::Required } else { Problem::AuthenticatorCodeWrong }));
        };
        let mut tx = self.db.begin_write().await?;
        if !authenticator::use_step(&mut tx, account.id, step).await? {
            return Err(AppError::field("code", Problem::AuthenticatorCodeUsed));
        }
        authenticator::confirm(&mut tx, &self.secrets, account.id, &stored.pending_backup_codes, now).await?;
        self.tell_authenticator_changed_in(&mut tx, account, true, client_address).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Switches the app off: the password and a current code from the app. Codes by SMS and
    /// email are allowed again, or the citizen could not log in at all.
    pub async fn turn_off_authenticator(&self, account: &Account, current_password: &str, code: &str, client_address: &str) -> Result<(), AppError> {
        let now = self.now();
        let Some(stored) = authenticator::find(self.db.pool(), &self.secrets, account.id).await?.filter(|a| a.confirmed) else {
            return Err(AppError::NotFound);
        };
        self.check_current_password(account, current_password, client_address).await?;
        let Some(step) = authenticator::matching_step(&stored.secret, code, now) else {
            return Err(AppError::field("code", if code.trim().is_empty() { Problem::Required } else { Problem::AuthenticatorCodeWrong }));
        };
        let mut tx = self.db.begin_write().await?;
        if !authenticator::use_step(&mut tx, account.id, step).await? {
            return Err(AppError::field("code", Problem::AuthenticatorCodeUsed));
        }
        authenticator::remove(&mut tx, account.id).await?;
        accounts::set_code_settings(&mut tx, account.id, account.code_channel, true).await?;
        self.tell_authenticator_changed_in(&mut tx, account, false, client_address).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tell_authenticator_changed_in(&self, tx: &mut sqlx::Transaction<'static, sqlx::Any>, account: &Account, on: bool, client_address: &str) -> Result<(), AppError> {
        let now = self.now();
        let language = account.language;
        let (event, notice) = if on { (SecurityEvent::AuthenticatorOn, AccountNotice::AuthenticatorOn) } else { (SecurityEvent::AuthenticatorOff, AccountNotice::AuthenticatorOff) };
        activity::record(&mut **tx, account.id, event, None, Some(client_address), now).await?;
        notifications::notify(tx, account.id, notice, "", Some("/account/security"), now).await?;
        let message = Message::email(&account.email, language, texts::authenticator_subject(language), texts::authenticator_changed(language, on));
        outbox::queue(tx, &message.for_account(account.id), now).await?;
        Ok(())
    }

    // ------------------------------------------------------------ login with the app

    /// Login step 2, "Use my authenticator app": nothing is sent; the code step then
    /// accepts the app's code or a backup code.
    pub async fn choose_authenticator(&self, token: Option<&str>) -> Result<(), AppError> {
        let Some(session) = self.session(token).await?.filter(|s| s.stage == sessions::Stage::PasswordVerified) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };
        if !self.authenticator_on(session.account_id.unwrap_or_default()).await? {
            return Err(AppError::field("channel", Problem::ChooseChannel));
        }
        let mut session = session;
        session.flow.with_authenticator = true;
        sessions::save_flow(&self.db, &session).await?;
        Ok(())
    }

    /// Login step 3 with the app: a current code (each time step once), or a backup code
    /// (each once). Too many wrong codes end the login: the password must be given again.
    pub(crate) async fn verify_login_with_authenticator(&self, mut session: Session, account: &Account, code: &str, client_address: &str) -> Result<(String, String), AppError> {
        let now = self.now();
        let Some(stored) = authenticator::find(self.db.pool(), &self.secrets, account.id).await?.filter(|a| a.confirmed) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };
        if code.trim().is_empty() {
            return Err(AppError::field("code", Problem::Required));
        }
        let mut tx = self.db.begin_write().await?;
        let accepted = match authenticator::matching_step(&stored.secret, code, now) {
            Some(step) => authenticator::use_step(&mut tx, account.id, step).await?,
            None => {
                let used = authenticator::use_backup_code(&mut tx, &self.secrets, account.id, code, now).await?;
                if used {
                    activity::record(&mut *tx, account.id, SecurityEvent::BackupCodeUsed, None, Some(client_address), now).await?;
                }
                used
            }
        };
        if accepted {
            let logged_in = self.complete_login_in(&mut tx, &session, account, client_address).await?;
            tx.commit().await?;
            return Ok(logged_in);
        }
        activity::record(&mut *tx, account.id, SecurityEvent::WrongCode, None, Some(client_address), now).await?;
        session.flow.wrong_codes += 1;
        let attempts_left = codes::MAX_WRONG_ENTRIES - session.flow.wrong_codes;
        if attempts_left <= 0 {
            sessions::retire(&mut tx, &session.token_hash).await?;
            tx.commit().await?;
            return Err(AppError::field("", Problem::FlowExpired));
        }
        tx.commit().await?;
        sessions::save_flow(&self.db, &session).await?;
        Err(AppError::field("code", Problem::CodeWrong { attempts_left }))
    }
}
