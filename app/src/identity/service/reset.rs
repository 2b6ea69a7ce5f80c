//! Resetting a forgotten password: a code to a contact on the account, then a new password.

use super::*;

impl Identity {
    /// Step 1: the identifier. The answer is the same whether or not an account exists.
    /// Returns the new session's token.
    pub async fn start_reset(&self, token: Option<&str>, identifier: &str) -> Result<String, AppError> {
        if identifier.trim().is_empty() {
            return Err(AppError::field("identifier", Problem::Required));
        }
        let account = self.find_account(identifier).await?;
        self.start_flow(token, Flow { reset: Some(ResetFlow { account_id: account.map(|a| a.id), ..ResetFlow::default() }), ..Flow::default() }).await
    }

    pub(super) async fn reset_flow(&self, token: Option<&str>) -> Result<(Session, ResetFlow), AppError> {
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
}
