//! The identity flows as plain Rust: registration, login with password and one-time code,
//! password reset, sessions. Server functions parse, call one of these, and map the result.

use crate::clock::Clock;
use crate::db::Db;
use crate::errors::{AppError, FieldProblem, Problem};
use crate::identity::accounts::{self, Account, NewAccount, WrongPassword};
use crate::identity::activity::{self, SecurityEvent};
use crate::identity::codes::{self, Purpose};
use crate::identity::contact::{mask_email, mask_phone, Email, IdNumber, Identifier, PhoneNumber};
use crate::i18n::Locale;
use crate::messages::notifications::{self, AccountNotice};
use crate::messages::outbox::{self, Channel, Message};
use crate::messages::texts;
use crate::identity::password::{check_new_password, PasswordHasher, PersonalDetails, Verified};
use crate::identity::registry::{Citizenship, PopulationRegistry, RegistryPerson};
use crate::identity::sessions::{self, Flow, ResetFlow, Session, Stage};
use crate::identity::throttle;
use std::sync::Arc;

mod registration;
mod login;
mod reset;
mod account;

/// Citizens under this age cannot hold an account.
const ADULT_AGE: i64 = 18;

#[derive(Clone)]
pub struct Identity {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub registry: Arc<dyn PopulationRegistry>,
    pub hasher: PasswordHasher,
    /// Seals authenticator secrets and fingerprints backup codes.
    pub secrets: crate::identity::sealing::SecretsKey,
}

/// The citizen as the dashboard shows them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountSummary {
    pub full_name: String,
    pub masked_id_number: String,
    pub role: String,
}

/// Where a one-time code can go, masked.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeDestinations {
    pub phone: String,
    pub email: String,
    /// The account has an authenticator app on: login offers it first.
    pub authenticator: bool,
    /// Codes by SMS and email are allowed (the citizen may turn them off once the app is on).
    pub message_codes: bool,
    /// `sms` or `email`: the citizen's default.
    pub default_channel: String,
}

fn current_year(now: i64) -> i64 {
    crate::calendar::year_of(now)
}

/// Whole minutes left of a lock, rounded up.
fn minutes_until(until: i64, now: i64) -> i64 {
    ((until - now) + 59) / 60
}

fn invalid(problems: Vec<FieldProblem>) -> AppError {
    AppError::Invalid(problems)
}

impl Identity {
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The live session for a cookie token, if any.
    pub async fn session(&self, token: Option<&str>) -> Result<Option<Session>, AppError> {
        match token {
            Some(token) if !token.is_empty() => Ok(sessions::load(&self.db, self.now(), token).await?),
            _ => Ok(None),
        }
    }

    /// Starts a flow (registration, password reset) in a new anonymous session: the old
    /// session, if any, ends and every code issued to it is void, so nothing proven in one
    /// flow carries over to another. Returns the new session's token.
    async fn start_flow(&self, token: Option<&str>, flow: Flow) -> Result<String, AppError> {
        // Read before the write transaction (loading may touch the session; see `log_in`).
        let old_session = self.session(token).await?;
        let mut tx = self.db.begin_write().await?;
        if let Some(old) = old_session {
            sessions::retire(&mut tx, &old.token_hash).await?;
        }
        let (token, _) = sessions::create(&mut tx, self.now(), None, Stage::Anonymous, &flow, None).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account an identifier (ID number, email or phone, as typed) belongs to, if any.
    async fn find_account(&self, identifier: &str) -> Result<Option<Account>, AppError> {
        match Identifier::parse(identifier) {
            Some(identifier) => Ok(accounts::find_by_identifier(self.db.pool(), &identifier).await?),
            None => Ok(None),
        }
    }

    // ------------------------------------------------------------ registration

    // ------------------------------------------------------------ login

    /// Sends a login or reset code to the account's own phone or email.
    async fn send_code(&self, account: &Account, flow_id: &str, purpose: Purpose, channel: Channel) -> Result<(), AppError> {
        let to = match channel {
            Channel::Sms => account.phone.as_str(),
            Channel::Email => account.email.as_str(),
        };
        self.send_code_to(account, flow_id, purpose, channel, to).await
    }

    /// Issues a code for this flow (within the resend limits) and queues it to `to`, in the
    /// account's language, in one transaction.
    pub(crate) async fn send_code_to(&self, account: &Account, flow_id: &str, purpose: Purpose, channel: Channel, to: &str) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        if let Err(problem) = codes::check_send_allowed(&mut tx, account.id, flow_id, now).await? {
            return Err(AppError::field("", problem));
        }
        let code = codes::issue(&mut tx, account.id, flow_id, purpose, channel, now).await?;
        let language = account.language;
        let body = match purpose {
            Purpose::Login => texts::login_code(language, &code),
            Purpose::Reset => texts::reset_code(language, &code),
            Purpose::Contact => texts::contact_code(language, if channel == Channel::Email { texts::ContactKind::Email } else { texts::ContactKind::Phone }, &code),
            // A transfer's code is sent by the transfer itself (services), never from here.
            Purpose::Transfer => return Err(AppError::field("", Problem::NotAllowedNow)),
        };
        let message = match channel {
            Channel::Sms => Message::sms(to, language, body),
            Channel::Email => Message::email(to, language, texts::code_subject(language), body),
        };
        outbox::queue(&mut tx, &message.for_account(account.id).secret(), now).await?;
        activity::record(&mut *tx, account.id, SecurityEvent::CodeSent, Some(channel.as_str()), None, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The last step of every login: the session rotates to a logged-in one, and the login
    /// is recorded. Returns the new token and where to go.
    pub(crate) async fn complete_login_in(&self, tx: &mut sqlx::Transaction<'static, sqlx::Any>, session: &Session, account: &Account, client_address: &str) -> Result<(String, String), AppError> {
        let now = self.now();
        let next = session.flow.next.clone().unwrap_or_else(|| "/dashboard".into());
        let new_token = sessions::rotate(tx, now, session, Some(account.id), Stage::Authenticated, &Flow::default()).await?;
        activity::record(&mut **tx, account.id, SecurityEvent::LoggedIn, None, Some(client_address), now).await?;
        Ok((new_token, next))
    }

    /// The logged-in account, if this token belongs to one.
    pub async fn current_account(&self, token: Option<&str>) -> Result<Option<Account>, AppError> {
        let Some(session) = self.session(token).await?.filter(|s| s.stage == Stage::Authenticated) else { return Ok(None) };
        let account = accounts::find_by_id(self.db.pool(), session.account_id.unwrap_or_default()).await?;
        // A disabled account's sessions end at once, whatever their age.
        Ok(account.filter(|a| !a.disabled))
    }

    // ------------------------------------------------------------ password reset

    /// Checks a new password by registration's rules, given the account's own details, and
    /// that it was typed the same twice; its hash.
    async fn hash_new_password(&self, account: &Account, password: &str, password_confirm: &str) -> Result<String, AppError> {
        let email = Email::parse(&account.email);
        let details = PersonalDetails {
            id_number: &account.id_number,
            first_name: &account.first_name,
            surname: &account.surname,
            phone_e164: &account.phone,
            email_local_part: email.as_ref().map(Email::local_part).unwrap_or_default(),
        };
        if let Err(problem) = check_new_password(password, &details) {
            return Err(AppError::field("password", problem));
        }
        if password != password_confirm {
            return Err(AppError::field("password_confirm", Problem::PasswordsDiffer));
        }
        self.hasher.hash(password).await.map_err(|_| AppError::Internal)
    }

    /// Stores a new password hash, unlocks the account and tells the citizen by SMS and
    /// email, in the caller's transaction (which also ends the sessions it must).
    async fn replace_password_in(&self, tx: &mut sqlx::Transaction<'static, sqlx::Any>, account: &Account, hash: &str, event: SecurityEvent, client_address: Option<&str>) -> Result<(), AppError> {
        let now = self.now();
        accounts::set_password_hash(tx, account.id, hash).await?;
        accounts::clear_wrong_passwords(tx, account.id).await?;
        activity::record(&mut **tx, account.id, event, None, client_address, now).await?;
        notifications::notify(tx, account.id, AccountNotice::PasswordChanged, "", Some("/account/activity"), now).await?;
        let language = account.language;
        let body = texts::password_changed(language);
        outbox::queue(tx, &Message::sms(&account.phone, language, body.clone()).for_account(account.id), now).await?;
        outbox::queue(tx, &Message::email(&account.email, language, texts::password_changed_subject(language), body).for_account(account.id), now).await?;
        Ok(())
    }

    // ------------------------------------------------------------ the account centre

    /// Asks a logged-in citizen for their password again before a sensitive change (the
    /// field is `current_password`). A wrong one counts towards the lockout, as at login.
    pub(crate) async fn check_current_password(&self, account: &Account, current: &str, client_address: &str) -> Result<(), AppError> {
        let now = self.now();
        if current.is_empty() {
            return Err(AppError::field("current_password", Problem::Required));
        }
        if let Some(until) = account.locked_until.filter(|until| *until > now) {
            return Err(AppError::field("current_password", Problem::Locked { minutes: minutes_until(until, now) }));
        }
        if let Verified::No = self.hasher.verify(current, Some(&account.password_hash)).await {
            let mut tx = self.db.begin_write().await?;
            let outcome = accounts::record_wrong_password(&mut tx, account.id, now).await?;
            activity::record(&mut *tx, account.id, SecurityEvent::WrongPassword, None, Some(client_address), now).await?;
            tx.commit().await?;
            return Err(AppError::field(
                "current_password",
                match outcome {
                    WrongPassword::Counted => Problem::WrongPassword,
                    WrongPassword::NowLocked => Problem::Locked { minutes: accounts::LOCK_SECONDS / 60 },
                    WrongPassword::AlreadyLocked { until } => Problem::Locked { minutes: minutes_until(until, now) },
                },
            ));
        }
        Ok(())
    }
}
