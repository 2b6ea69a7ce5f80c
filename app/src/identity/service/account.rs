//! The account centre: language, sessions on other devices, changing the password.

use super::*;

impl Identity {
    pub async fn account_summary(&self, token: Option<&str>) -> Result<Option<AccountSummary>, AppError> {
        Ok(self.current_account(token).await?.map(|account| AccountSummary {
            full_name: format!("{} {}", account.first_name, account.surname),
            masked_id_number: account.masked_id_number(),
            role: account.role,
        }))
    }

    /// Saves the language messages are written in (`en` or `sw`).
    pub async fn set_language(&self, account: &Account, code: &str) -> Result<(), AppError> {
        let Ok(language) = code.parse::<Locale>() else { return Err(AppError::field("language", Problem::Required)) };
        let mut tx = self.db.begin_write().await?;
        accounts::set_language(&mut tx, account.id, language).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account's live sessions, the one asking marked.
    pub async fn account_sessions(&self, account: &Account, token: Option<&str>) -> Result<Vec<crate::identity::views::SessionView>, AppError> {
        let this_one = token.map(|t| sessions::public_id(&sessions::token_hash(t))).unwrap_or_default();
        let parser = woothee::parser::Parser::new();
        Ok(sessions::list_for_account(&self.db, account.id, self.now())
            .await?
            .into_iter()
            .map(|s| crate::identity::views::SessionView {
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
}
