//! Citizens' accounts: creation, look-up by any identifier, lockout after wrong passwords.

use crate::i18n::{I18nLocaleTrait, Locale};
use crate::identity::contact::Identifier;
use sqlx::{Any, Executor, Row, Transaction};

/// Five wrong passwords in a row lock the account for fifteen minutes.
pub const MAX_WRONG_PASSWORDS: i64 = 5;
pub const LOCK_SECONDS: i64 = 15 * 60;

#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub id_number: String,
    pub first_name: String,
    pub surname: String,
    pub email: String,
    pub phone: String,
    pub phone_verified: bool,
    pub password_hash: String,
    pub role: String,
    pub failed_password_attempts: i64,
    pub locked_until: Option<i64>,
    /// The agency an officer works for; none for citizens and admins.
    pub agency: Option<String>,
    pub disabled: bool,
    /// The language messages to this account are written in.
    pub language: Locale,
    /// Where login codes go unless the citizen chooses otherwise.
    pub code_channel: crate::messages::outbox::Channel,
    /// Whether codes by SMS and email are allowed (the citizen may turn them off once an
    /// authenticator app is on).
    pub message_codes_allowed: bool,
}

impl Account {
    /// `12****78`: enough for the citizen to recognise, never the whole number.
    pub fn masked_id_number(&self) -> String {
        crate::identity::contact::IdNumber::parse(&self.id_number).map(|id| id.masked()).unwrap_or_default()
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.surname)
    }

    pub fn is_officer(&self) -> bool {
        self.role == ROLE_OFFICER && self.agency.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.role == ROLE_ADMIN
    }

    /// What a phone files this account's offline drafts under: the same for every session
    /// of the account, and it names nobody (a digest, not the ID number or the account's id).
    pub fn device_tag(&self) -> String {
        let digest = crate::identity::codes::sha256_hex(format!("raia offline drafts\n{}\n{}", self.id, self.id_number).as_bytes());
        digest[..20].to_string()
    }
}

pub const ROLE_CITIZEN: &str = "citizen";
pub const ROLE_OFFICER: &str = "officer";
pub const ROLE_ADMIN: &str = "admin";

const COLUMNS: &str = "id, id_number, first_name, surname, email, phone, phone_verified, password_hash, role, failed_password_attempts, locked_until, agency, disabled, preferred_language, code_channel, message_codes_allowed";

fn from_row(row: &sqlx::any::AnyRow) -> Account {
    Account {
        id: row.get("id"),
        id_number: row.get("id_number"),
        first_name: row.get("first_name"),
        surname: row.get("surname"),
        email: row.get("email"),
        phone: row.get("phone"),
        phone_verified: row.get::<i64, _>("phone_verified") != 0,
        password_hash: row.get("password_hash"),
        role: row.get("role"),
        failed_password_attempts: row.get("failed_password_attempts"),
        locked_until: row.get("locked_until"),
        agency: row.get("agency"),
        disabled: row.get::<i64, _>("disabled") != 0,
        language: row.get::<String, _>("preferred_language").parse().unwrap_or_default(),
        code_channel: crate::messages::outbox::Channel::parse(&row.get::<String, _>("code_channel")).unwrap_or(crate::messages::outbox::Channel::Sms),
        message_codes_allowed: row.get::<i64, _>("message_codes_allowed") != 0,
    }
}

pub async fn find_by_identifier<'e, E: Executor<'e, Database = Any>>(executor: E, identifier: &Identifier) -> Result<Option<Account>, sqlx::Error> {
    let (column, value) = match identifier {
        Identifier::Email(email) => ("email", email.as_str()),
        Identifier::Phone(phone) => ("phone", phone.as_str()),
        Identifier::IdNumber(id) => ("id_number", id.as_str()),
    };
    // A closed account answers to nothing: its contacts are gone and its ID number may register again.
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE {column} = $1 AND closed_at IS NULL")).bind(value).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find_by_id<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1")).bind(id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn id_number_taken<'e, E: Executor<'e, Database = Any>>(executor: E, id_number: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id_number = $1 AND closed_at IS NULL").bind(id_number).fetch_one(executor).await?;
    Ok(count > 0)
}

pub struct NewAccount<'a> {
    pub id_number: &'a str,
    pub account_type: &'a str,
    pub first_name: &'a str,
    pub surname: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub language: Locale,
}

/// A new account; or, for a citizen whose closed account has this ID number, that account
/// opened again with the new contacts and password (the records kept when it closed are
/// theirs again). Any other clash of ID number, email or phone is an error.
pub async fn insert(tx: &mut Transaction<'static, Any>, account: &NewAccount<'_>, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO accounts (id_number, account_type, first_name, surname, email, phone, password_hash, role, created_at, preferred_language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (id_number) DO UPDATE SET account_type = excluded.account_type, first_name = excluded.first_name, surname = excluded.surname, \
             email = excluded.email, phone = excluded.phone, password_hash = excluded.password_hash, preferred_language = excluded.preferred_language, \
             phone_verified = 0, failed_password_attempts = 0, locked_until = NULL, code_channel = 'sms', message_codes_allowed = 1, closed_at = NULL \
         WHERE accounts.closed_at IS NOT NULL AND excluded.role = 'citizen' \
         RETURNING id",
    )
    .bind(account.id_number)
    .bind(account.account_type)
    .bind(account.first_name)
    .bind(account.surname)
    .bind(account.email)
    .bind(account.phone)
    .bind(account.password_hash)
    .bind(account.role)
    .bind(now)
    .bind(account.language.as_str())
    .fetch_one(&mut **tx)
    .await
}

/// What counting a wrong password did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrongPassword {
    Counted,
    /// This was the fifth in a row: the account is locked from now.
    NowLocked,
    /// Locked already (by a concurrent guess, maybe): this guess was not judged.
    AlreadyLocked { until: i64 },
}

/// The lock's end, when the account is locked at `now`.
async fn locked_until(tx: &mut Transaction<'static, Any>, account_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let until: Option<i64> = sqlx::query_scalar("SELECT locked_until FROM accounts WHERE id = $1").bind(account_id).fetch_one(&mut **tx).await?;
    Ok(until.filter(|until| *until > now))
}

/// Counts a wrong password; the fifth in a row locks the account. The count and the lock are
/// one conditional update each, so however many guesses arrive at once, only those before
/// the lock are counted and the rest find the account locked.
pub async fn record_wrong_password(tx: &mut Transaction<'static, Any>, account_id: i64, now: i64) -> Result<WrongPassword, sqlx::Error> {
    let attempts: Option<i64> = sqlx::query_scalar(
        "UPDATE accounts SET failed_password_attempts = failed_password_attempts + 1 \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_password_attempts",
    )
    .bind(account_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(attempts) = attempts else {
        return Ok(WrongPassword::AlreadyLocked { until: locked_until(tx, account_id, now).await?.unwrap_or(now + LOCK_SECONDS) });
    };
    if attempts >= MAX_WRONG_PASSWORDS {
        sqlx::query("UPDATE accounts SET locked_until = $1, failed_password_attempts = 0 WHERE id = $2")
            .bind(now + LOCK_SECONDS)
            .bind(account_id)
            .execute(&mut **tx)
            .await?;
        return Ok(WrongPassword::NowLocked);
    }
    Ok(WrongPassword::Counted)
}

/// After a right password: clears the count, unless the account is locked (`Err(until)`).
pub async fn clear_wrong_passwords_unless_locked(tx: &mut Transaction<'static, Any>, account_id: i64, now: i64) -> Result<Result<(), i64>, sqlx::Error> {
    let changed = sqlx::query("UPDATE accounts SET failed_password_attempts = 0, locked_until = NULL WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)")
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if changed == 1 {
        return Ok(Ok(()));
    }
    Ok(Err(locked_until(tx, account_id, now).await?.unwrap_or(now)))
}

/// After a password reset: the count and any lock are cleared.
pub async fn clear_wrong_passwords(tx: &mut Transaction<'static, Any>, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET failed_password_attempts = 0, locked_until = NULL WHERE id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_password_hash(tx: &mut Transaction<'static, Any>, account_id: i64, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2").bind(hash).bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn mark_phone_verified(tx: &mut Transaction<'static, Any>, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET phone_verified = 1 WHERE id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_language(tx: &mut Transaction<'static, Any>, account_id: i64, language: Locale) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET preferred_language = $1 WHERE id = $2").bind(language.as_str()).bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

/// Where login codes go by default, and whether SMS and email codes are allowed at all.
pub async fn set_code_settings(tx: &mut Transaction<'static, Any>, account_id: i64, channel: crate::messages::outbox::Channel, message_codes_allowed: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET code_channel = $1, message_codes_allowed = $2 WHERE id = $3")
        .bind(channel.as_str())
        .bind(i64::from(message_codes_allowed))
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A confirmed new email address. `Err` when another account has it (a unique constraint).
pub async fn set_email(tx: &mut Transaction<'static, Any>, account_id: i64, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET email = $1 WHERE id = $2").bind(email).bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

/// A confirmed new phone number: proven by the code sent to it, so it counts as verified.
pub async fn set_phone(tx: &mut Transaction<'static, Any>, account_id: i64, phone: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET phone = $1, phone_verified = 1 WHERE id = $2").bind(phone).bind(account_id).execute(&mut **tx).await?;
    Ok(())
}
