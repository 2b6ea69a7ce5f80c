//! Logging in: identifier and password (with lockout), then a one-time code by SMS, email or app; logging out.

use super::*;

impl Identity {
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

    pub(super) async fn pending_login(&self, token: Option<&str>) -> Result<(Session, Account), AppError> {
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

    pub async fn log_out(&self, token: Option<&str>) -> Result<(), AppError> {
        if let Some(session) = self.session(token).await? {
            sessions::delete(&self.db, &session.token_hash).await?;
        }
        Ok(())
    }
}
