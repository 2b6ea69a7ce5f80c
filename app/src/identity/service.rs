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

    /// Step 1: checks the details against the registry. Returns the new session's token.
    pub async fn start_registration(&self, token: Option<&str>, account_type: &str, id_number: &str, first_name: &str, year_of_birth: &str) -> Result<String, AppError> {
        let mut problems = Vec::new();
        let citizenship = Citizenship::parse(account_type);
        if citizenship.is_none() {
            problems.push(FieldProblem::new("account_type", Problem::Required));
        }
        let id = IdNumber::parse(id_number);
        if id_number.trim().is_empty() {
            problems.push(FieldProblem::new("id_number", Problem::Required));
        } else if id.is_none() {
            problems.push(FieldProblem::new("id_number", Problem::InvalidIdNumber));
        }
        if first_name.trim().is_empty() {
            problems.push(FieldProblem::new("first_name", Problem::Required));
        }
        let year: Option<i64> = year_of_birth.trim().parse().ok().filter(|y| (1900..=current_year(self.now())).contains(y));
        if year_of_birth.trim().is_empty() {
            problems.push(FieldProblem::new("year_of_birth", Problem::Required));
        } else if year.is_none() {
            problems.push(FieldProblem::new("year_of_birth", Problem::InvalidYearOfBirth));
        }
        let (Some(citizenship), Some(id), Some(year), true) = (citizenship, id, year, problems.is_empty()) else {
            return Err(invalid(problems));
        };

        let person = self.registry.find(id.as_str()).await?;
        let matches = person.as_ref().is_some_and(|p| {
            p.first_name.trim().to_lowercase() == first_name.trim().to_lowercase() && p.year_of_birth == year && p.citizenship == citizenship
        });
        let Some(person) = person.filter(|_| matches) else {
            // Never say which detail was wrong: that would let anyone probe the registry.
            return Err(AppError::field("id_number", Problem::RegistryMismatch));
        };
        if current_year(self.now()) - person.year_of_birth < ADULT_AGE {
            return Err(AppError::field("id_number", Problem::Minor));
        }
        if accounts::id_number_taken(self.db.pool(), &person.id_number).await? {
            return Err(AppError::field("id_number", Problem::AlreadyRegistered));
        }

        self.start_flow(token, Flow { registering_id_number: Some(person.id_number), ..Flow::default() }).await
    }

    /// The registry record step 1 matched, for step 2 to show the full name.
    pub async fn registration_person(&self, token: Option<&str>) -> Result<Option<RegistryPerson>, AppError> {
        let Some(session) = self.session(token).await? else { return Ok(None) };
        let Some(id_number) = session.flow.registering_id_number else { return Ok(None) };
        Ok(self.registry.find(&id_number).await?)
    }

    /// Step 2: contacts and password; creates the account.
    pub async fn complete_registration(&self, token: Option<&str>, client_address: &str, language: Locale, email: &str, phone: &str, password: &str, password_confirm: &str) -> Result<(), AppError> {
        let Some(mut session) = self.session(token).await? else { return Err(AppError::field("", Problem::FlowExpired)) };
        let Some(person) = (match &session.flow.registering_id_number {
            Some(id) => self.registry.find(id).await?,
            None => None,
        }) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };

        let mut problems = Vec::new();
        let email = Email::parse(email);
        if email.is_none() {
            problems.push(FieldProblem::new("email", Problem::InvalidEmail));
        }
        let phone = PhoneNumber::parse(phone);
        if phone.is_none() {
            problems.push(FieldProblem::new("phone", Problem::InvalidPhone));
        }
        if let (Some(email), Some(phone)) = (&email, &phone) {
            // Each try below can answer "already used": limited per address, or the step
            // would list which emails and phones have accounts.
            if let Err(retry_after_seconds) = throttle::hit(&self.db, throttle::REGISTRATION_CONTACTS_PER_ADDRESS, client_address, self.now()).await? {
                return Err(AppError::TooManyRequests { retry_after_seconds });
            }
            let details = PersonalDetails {
                id_number: &person.id_number,
                first_name: &person.first_name,
                surname: &person.surname,
                phone_e164: phone.as_str(),
                email_local_part: email.local_part(),
            };
            if let Err(problem) = check_new_password(password, &details) {
                problems.push(FieldProblem::new("password", problem));
            } else if password != password_confirm {
                problems.push(FieldProblem::new("password_confirm", Problem::PasswordsDiffer));
            }
            if accounts::find_by_identifier(self.db.pool(), &Identifier::Email(email.clone())).await?.is_some() {
                problems.push(FieldProblem::new("email", Problem::EmailTaken));
            }
            if accounts::find_by_identifier(self.db.pool(), &Identifier::Phone(phone.clone())).await?.is_some() {
                problems.push(FieldProblem::new("phone", Problem::PhoneTaken));
            }
        }
        let (Some(email), Some(phone), true) = (email, phone, problems.is_empty()) else {
            return Err(invalid(problems));
        };

        let hash = self.hasher.hash(password).await.map_err(|_| AppError::Internal)?;
        let mut tx = self.db.begin_write().await?;
        if accounts::id_number_taken(&mut *tx, &person.id_number).await? {
            return Err(AppError::field("", Problem::AlreadyRegistered));
        }
        let created = accounts::insert(
            &mut tx,
            &NewAccount {
                id_number: &person.id_number,
                account_type: person.citizenship.as_str(),
                first_name: &person.first_name,
                surname: &person.surname,
                email: email.as_str(),
                phone: phone.as_str(),
                password_hash: &hash,
                role: "citizen",
                language,
            },
            self.now(),
        )
        .await;
        if created.is_err() {
            // A unique constraint raced us (the same email or phone registered a moment ago).
            return Err(AppError::field("", Problem::AlreadyRegistered));
        }
        tx.commit().await?;
        session.flow = Flow::default();
        sessions::save_flow(&self.db, &session).await?;
        Ok(())
    }

    // ------------------------------------------------------------ login

    /// Step 1: identifier and password. Returns the rotated session's token.
    ///
    /// Guessing is limited three ways: per client address, per identifier (wherever the
    /// guesses come from), and by the account's lockout, which is decided by a conditional
    /// update after the hash so that concurrent guesses cannot all slip past it.
    pub async fn log_in(&self, token: Option<&str>, client_address: &str, identifier: &str, password: &str, next: Option<&str>) -> Result<String, AppError> {
        let now = self.now();
        if let Err(retry_after_seconds) = throttle::hit(&self.db, throttle::LOGIN_PER_ADDRESS, client_address, now).await? {
            return Err(AppError::TooManyRequests { retry_after_seconds });
        }
        if identifier.trim().is_empty() || password.is_empty() {
            let mut problems = Vec::new();
            if identifier.trim().is_empty() {
                problems.push(FieldProblem::new("identifier", Problem::Required));
            }
            if password.is_empty() {
                problems.push(FieldProblem::new("password", Problem::Required));
            }
            return Err(invalid(problems));
        }
        let account = self.find_account(identifier).await?;
        let identifier_key = match &account {
            Some(account) => format!("account:{}", account.id),
            None => identifier.trim().to_lowercase(),
        };
        if let Err(retry_after_seconds) = throttle::hit(&self.db, throttle::LOGIN_PER_IDENTIFIER, &identifier_key, now).await? {
            return Err(AppError::TooManyRequests { retry_after_seconds });
        }
        if let Some(until) = account.as_ref().and_then(|a| a.locked_until).filter(|until| *until > now) {
            // Known to be locked already: no need to spend a hash on it.
            return Err(AppError::field("", Problem::Locked { minutes: minutes_until(until, now) }));
        }
        // Always run argon2, with a dummy hash for unknown accounts, so timing tells nothing.
        let verified = self.hasher.verify(password, account.as_ref().map(|a| a.password_hash.as_str())).await;
        let Some(account) = account else {
            return Err(AppError::field("", Problem::WrongCredentials));
        };
        if account.disabled && !matches!(verified, Verified::No) {
            return Err(AppError::field("", Problem::AccountDisabled));
        }
        // Read before the write transaction: loading a session may touch it, which on SQLite
        // would wait for the write lock this transaction holds.
        let old_session = self.session(token).await?;
        let mut tx = self.db.begin_write().await?;
        if let Verified::No = verified {
            let outcome = accounts::record_wrong_password(&mut tx, account.id, now).await?;
            activity::record(&mut *tx, account.id, SecurityEvent::WrongPassword, None, Some(client_address), now).await?;
            tx.commit().await?;
            return Err(AppError::field(
                "",
                match outcome {
                    WrongPassword::Counted => Problem::WrongCredentials,
                    WrongPassword::NowLocked => Problem::Locked { minutes: accounts::LOCK_SECONDS / 60 },
                    WrongPassword::AlreadyLocked { until } => Problem::Locked { minutes: minutes_until(until, now) },
                },
            ));
        }
        // The right password counts only if the account was not locked meanwhile.
        if let Err(until) = accounts::clear_wrong_passwords_unless_locked(&mut tx, account.id, now).await? {
            return Err(AppError::field("", Problem::Locked { minutes: minutes_until(until, now) }));
        }
        if let Verified::YesWithRehash(fresh) = &verified {
            accounts::set_password_hash(&mut tx, account.id, fresh).await?;
        }
        let flow = Flow { next: next.map(str::to_string), ..Flow::default() };
        let new_token = match old_session {
            Some(old) => sessions::rotate(&mut tx, now, &old, Some(account.id), Stage::PasswordVerified, &flow).await?,
            None => sessions::create(&mut tx, now, Some(account.id), Stage::PasswordVerified, &flow, None).await?.0,
        };
        tx.commit().await?;
        Ok(new_token)
    }

    async fn pending_login(&self, token: Option<&str>) -> Result<(Session, Account), AppError> {
        let session = self.session(token).await?.filter(|s| s.stage == Stage::PasswordVerified);
        let Some(session) = session else { return Err(AppError::field("", Problem::FlowExpired)) };
        let account = accounts::find_by_id(self.db.pool(), session.account_id.unwrap_or_default()).await?;
        let Some(account) = account else { return Err(AppError::field("", Problem::FlowExpired)) };
        Ok((session, account))
    }

    /// Step 2's choices: the account's phone and email, masked.
    pub async fn login_destinations(&self, token: Option<&str>) -> Result<Option<CodeDestinations>, AppError> {
        match self.pending_login(token).await {
            Ok((_, account)) => Ok(Some(CodeDestinations {
                phone: mask_phone(&account.phone),
                email: mask_email(&account.email),
                authenticator: self.authenticator_on(account.id).await?,
                message_codes: account.message_codes_allowed,
                default_channel: account.code_channel.as_str().to_string(),
            })),
            Err(AppError::Invalid(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Step 2: sends a login code by SMS or email (also "Resend code"), unless the citizen
    /// turned codes by message off.
    pub async fn send_login_code(&self, token: Option<&str>, channel: &str) -> Result<(), AppError> {
        let Some(channel) = Channel::parse(channel) else { return Err(AppError::field("channel", Problem::ChooseChannel)) };
        let (session, account) = self.pending_login(token).await?;
        if !account.message_codes_allowed {
            return Err(AppError::field("channel", Problem::MessageCodesOff));
        }
        self.send_code(&account, &session.token_hash, Purpose::Login, channel).await
    }

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

    /// Step 3: the code (sent by SMS or email, or from the authenticator app, or a backup
    /// code). Returns the rotated (now logged-in) session's token and where to go.
    pub async fn verify_login_code(&self, token: Option<&str>, code: &str, client_address: &str) -> Result<(String, String), AppError> {
        let (session, account) = self.pending_login(token).await?;
        if session.flow.with_authenticator {
            return self.verify_login_with_authenticator(session, &account, code, client_address).await;
        }
        let Some(code) = codes::typed_code(code) else {
            return Err(AppError::field("code", Problem::CodeFormat));
        };
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let accepted = match codes::verify(&mut tx, account.id, &session.token_hash, Purpose::Login, code, now).await? {
            Ok(accepted) => accepted,
            Err(problem) => {
                activity::record(&mut *tx, account.id, SecurityEvent::WrongCode, None, Some(client_address), now).await?;
                tx.commit().await?;
                return Err(AppError::field("code", problem));
            }
        };
        if accepted.channel == Channel::Sms {
            accounts::mark_phone_verified(&mut tx, account.id).await?;
        }
        let logged_in = self.complete_login_in(&mut tx, &session, &account, client_address).await?;
        tx.commit().await?;
        Ok(logged_in)
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

    pub async fn account_summary(&self, token: Option<&str>) -> Result<Option<AccountSummary>, AppError> {
        Ok(self.current_account(token).await?.map(|account| AccountSummary {
            full_name: format!("{} {}", account.first_name, account.surname),
            masked_id_number: account.masked_id_number(),
            role: account.role,
        }))
    }

    pub async fn log_out(&self, token: Option<&str>) -> Result<(), AppError> {
        if let Some(session) = self.session(token).await? {
            sessions::delete(&self.db, &session.token_hash).await?;
        }
        Ok(())
    }

    // ------------------------------------------------------------ password reset

    /// Step 1: the identifier. The answer is the same whether or not an account exists.
    /// Returns the new session's token.
    pub async fn start_reset(&self, token: Option<&str>, identifier: &str) -> Result<String, AppError> {
        if identifier.trim().is_empty() {
            return Err(AppError::field("identifier", Problem::Required));
        }
        let account = self.find_account(identifier).await?;
        self.start_flow(token, Flow { reset: Some(ResetFlow { account_id: account.map(|a| a.id), ..ResetFlow::default() }), ..Flow::default() }).await
    }

    async fn reset_flow(&self, token: Option<&str>) -> Result<(Session, ResetFlow), AppError> {
        let session = self.session(token).await?;
        let Some((session, reset)) = session.and_then(|s| s.flow.reset.clone().map(|r| (s, r))) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };
        Ok((session, reset))
    }

    /// Step 2: sends a reset code, if there is an account to send it to.
    pub async fn send_reset_code(&self, token: Option<&str>, channel: &str) -> Result<(), AppError> {
        let Some(channel) = Channel::parse(channel) else { return Err(AppError::field("channel", Problem::ChooseChannel)) };
        let (mut session, mut reset) = self.reset_flow(token).await?;
        let account = match reset.account_id {
            Some(id) => accounts::find_by_id(self.db.pool(), id).await?,
            None => None,
        };
        match account {
            Some(account) => self.send_code(&account, &session.token_hash, Purpose::Reset, channel).await,
            None => {
                // No account: apply the same resend rule, send nothing.
                let now = self.now();
                if let Some(last) = reset.last_sent_at.filter(|last| now - last < codes::RESEND_AFTER_SECONDS) {
                    return Err(AppError::field("", Problem::ResendTooSoon { seconds: codes::RESEND_AFTER_SECONDS - (now - last) }));
                }
                reset.last_sent_at = Some(now);
                session.flow.reset = Some(reset);
                sessions::save_flow(&self.db, &session).await?;
                Ok(())
            }
        }
    }

    /// Step 3: the reset code. An unknown account, or a known one this flow sent no code to,
    /// answers exactly as a wrong code for a real one would: the step tells nothing.
    pub async fn verify_reset_code(&self, token: Option<&str>, code: &str) -> Result<(), AppError> {
        let Some(code) = codes::typed_code(code) else {
            return Err(AppError::field("code", Problem::CodeFormat));
        };
        let (mut session, mut reset) = self.reset_flow(token).await?;
        let now = self.now();
        let result = match reset.account_id {
            Some(account_id) => {
                let mut tx = self.db.begin_write().await?;
                let result = codes::verify(&mut tx, account_id, &session.token_hash, Purpose::Reset, code, now).await?;
                tx.commit().await?;
                result
            }
            None => Err(codes::NO_CODE_SENT),
        };
        match result {
            Ok(_) => reset.code_verified = true,
            Err(problem) if problem == codes::NO_CODE_SENT => {
                // Counted in the flow, as `codes::verify` counts a real code's wrong entries.
                reset.wrong_codes += 1;
                let problem = match reset.last_sent_at {
                    Some(sent) if now - sent > codes::VALID_SECONDS => Problem::CodeExpired,
                    _ if reset.wrong_codes >= codes::MAX_WRONG_ENTRIES => Problem::CodeVoided,
                    _ => Problem::CodeWrong { attempts_left: codes::MAX_WRONG_ENTRIES - reset.wrong_codes },
                };
                session.flow.reset = Some(reset);
                sessions::save_flow(&self.db, &session).await?;
                return Err(AppError::field("code", problem));
            }
            Err(problem) => return Err(AppError::field("code", problem)),
        }
        session.flow.reset = Some(reset);
        sessions::save_flow(&self.db, &session).await?;
        Ok(())
    }

    /// Whether this session may choose a new password now.
    pub async fn reset_code_verified(&self, token: Option<&str>) -> Result<bool, AppError> {
        Ok(self.reset_flow(token).await.map(|(_, reset)| reset.code_verified && reset.account_id.is_some()).unwrap_or(false))
    }

    /// Step 4: the new password. Unlocks the account, ends every session, tells the citizen.
    pub async fn set_new_password(&self, token: Option<&str>, password: &str, password_confirm: &str) -> Result<(), AppError> {
        let (session, reset) = self.reset_flow(token).await?;
        let account = match reset.account_id.filter(|_| reset.code_verified) {
            Some(id) => accounts::find_by_id(self.db.pool(), id).await?,
            None => None,
        };
        let Some(account) = account else { return Err(AppError::field("", Problem::FlowExpired)) };
        let hash = self.hash_new_password(&account, password, password_confirm).await?;
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 OR token_hash = $2")
            .bind(account.id)
            .bind(&session.token_hash)
            .execute(&mut *tx)
            .await?;
        self.replace_password_in(&mut tx, &account, &hash, SecurityEvent::PasswordReset, None).await?;
        tx.commit().await?;
        Ok(())
    }

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

    /// Saves the language messages are written in (`en` or `sw`).
    pub async fn set_language(&self, account: &Account, code: &str) -> Result<(), AppError> {
        let Ok(language) = code.parse::<Locale>() else { return Err(AppError::field("language", Problem::Required)) };
        let mut tx = self.db.begin_write().await?;
        accounts::set_language(&mut tx, account.id, language).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account's live sessions, the one asking marked.
    pub async fn account_sessions(&self, account: &Account, token: Option<&str>) -> Result<Vec<crate::identity::api::SessionView>, AppError> {
        let this_one = token.map(|t| sessions::public_id(&sessions::token_hash(t))).unwrap_or_default();
        let parser = woothee::parser::Parser::new();
        Ok(sessions::list_for_account(&self.db, account.id, self.now())
            .await?
            .into_iter()
            .map(|s| crate::identity::api::SessionView {
                device: s.user_agent.as_deref().and_then(|ua| parser.parse(ua)).filter(|r| r.name != "UNKNOWN").map(|r| format!("{} · {}", r.name, r.os)).unwrap_or_default(),
                client_address: s.client_address.unwrap_or_default(),
                started_at: s.created_at,
                last_seen_at: s.last_seen_at,
                this_one: s.public_id == this_one,
                public_id: s.public_id,
            })
            .collect())
    }

    /// Ends one of the account's sessions (never another account's: the id is looked up
    /// within the account).
    pub async fn end_session(&self, account: &Account, public_id: &str) -> Result<(), AppError> {
        if !sessions::end_by_public_id(&self.db, account.id, public_id).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    /// "Log out everywhere else": every session of the account but the one asking.
    pub async fn end_other_sessions(&self, account: &Account, token: Option<&str>) -> Result<u64, AppError> {
        let Some(token) = token else { return Err(AppError::NotLoggedIn) };
        Ok(sessions::end_all_but(self.db.pool(), account.id, &sessions::token_hash(token)).await?)
    }

    /// Changes the password of a logged-in account: the current one first (a wrong one
    /// counts towards the lockout, as at login), the new one by registration's rules,
    /// typed twice. Every other session ends; this one stays. A notice goes by SMS and
    /// email, written in the same transaction.
    pub async fn change_password(&self, account: &Account, token: Option<&str>, client_address: &str, current: &str, password: &str, password_confirm: &str) -> Result<(), AppError> {
        let Some(token) = token else { return Err(AppError::NotLoggedIn) };
        self.check_current_password(account, current, client_address).await?;
        let hash = self.hash_new_password(account, password, password_confirm).await?;
        let mut tx = self.db.begin_write().await?;
        sessions::end_all_but(&mut *tx, account.id, &sessions::token_hash(token)).await?;
        self.replace_password_in(&mut tx, account, &hash, SecurityEvent::PasswordChanged, Some(client_address)).await?;
        tx.commit().await?;
        Ok(())
    }

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
