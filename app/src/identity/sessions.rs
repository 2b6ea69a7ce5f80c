//! Server-side sessions in the database. The browser holds only a random 256-bit token;
//! the table holds its SHA-256, so a copy of the database cannot be used to log in.
//! A session also carries where a citizen is in a multi-step flow (registration,
//! login, password reset), so no step's state lives in process memory.

use crate::db::Db;
use crate::identity::codes::sha256_hex;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

/// A session unused for this long ends.
pub const IDLE_TIMEOUT_SECONDS: i64 = 30 * 60;
/// A session ends this long after login, used or not.
pub const ABSOLUTE_TIMEOUT_SECONDS: i64 = 12 * 60 * 60;
/// Don't rewrite `last_seen_at` on every request: once a minute is precise enough.
const TOUCH_AFTER_SECONDS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Not logged in; may be part-way through registration or a password reset.
    Anonymous,
    /// The password was right; the one-time code is still to come.
    PasswordVerified,
    /// Logged in.
    Authenticated,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Anonymous => "anonymous",
            Stage::PasswordVerified => "password_verified",
            Stage::Authenticated => "authenticated",
        }
    }

    fn parse(text: &str) -> Stage {
        match text {
            "password_verified" => Stage::PasswordVerified,
            "authenticated" => Stage::Authenticated,
            _ => Stage::Anonymous,
        }
    }
}

/// Where the citizen is in a multi-step flow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// Registration: the registry record that matched step 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registering_id_number: Option<String>,
    /// Login: where to go once the code is right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Password reset: the account found for the identifier (None when there is none,
    /// which the citizen is never told).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<ResetFlow>,
    /// Login: the citizen chose to confirm with their authenticator app (or a backup code).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub with_authenticator: bool,
    /// Login with an authenticator: wrong codes so far (the app's codes cannot be voided
    /// like a sent one, so the flow itself ends after too many).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub wrong_codes: i64,
    /// A change of email or phone waiting for the code sent to the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_change: Option<ContactChange>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChange {
    /// `email` or `phone`.
    pub kind: String,
    /// The new address or number, parsed (E.164 for a phone).
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetFlow {
    pub account_id: Option<i64>,
    pub code_verified: bool,
    /// For an identifier with no account: the same limits as for a real one, kept here.
    pub last_sent_at: Option<i64>,
    pub wrong_codes: i64,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub token_hash: String,
    pub account_id: Option<i64>,
    pub stage: Stage,
    pub flow: Flow,
    pub created_at: i64,
    pub last_seen_at: i64,
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// Starts a session and returns the token for the cookie.
pub async fn create(tx: &mut Transaction<'static, Any>, now: i64, account_id: Option<i64>, stage: Stage, flow: &Flow, created_at: Option<i64>) -> Result<(String, Session), sqlx::Error> {
    let token = new_token();
    let session = Session {
        token_hash: token_hash(&token),
        account_id,
        stage,
        flow: flow.clone(),
        created_at: created_at.unwrap_or(now),
        last_seen_at: now,
    };
    sqlx::query("INSERT INTO sessions (token_hash, account_id, stage, flow, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&session.token_hash)
        .bind(session.account_id)
        .bind(stage.as_str())
        .bind(serde_json::to_string(flow).unwrap_or_default())
        .bind(session.created_at)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok((token, session))
}

/// Finds the live session for a token, ending it if it timed out.
pub async fn load(db: &Db, now: i64, token: &str) -> Result<Option<Session>, sqlx::Error> {
    let hash = token_hash(token);
    let Some(row) = sqlx::query("SELECT account_id, stage, flow, created_at, last_seen_at FROM sessions WHERE token_hash = $1")
        .bind(&hash)
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let session = Session {
        token_hash: hash,
        account_id: row.get("account_id"),
        stage: Stage::parse(&row.get::<String, _>("stage")),
        flow: row.get::<Option<String>, _>("flow").and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default(),
        created_at: row.get("created_at"),
        last_seen_at: row.get("last_seen_at"),
    };
    if now - session.last_seen_at > IDLE_TIMEOUT_SECONDS || now - session.created_at > ABSOLUTE_TIMEOUT_SECONDS {
        delete(db, &session.token_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at >= TOUCH_AFTER_SECONDS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2").bind(now).bind(&session.token_hash).execute(db.pool()).await?;
    }
    Ok(Some(session))
}

/// Replaces a session with a new token (after each login step), keeping its start time.
pub async fn rotate(tx: &mut Transaction<'static, Any>, now: i64, old: &Session, account_id: Option<i64>, stage: Stage, flow: &Flow) -> Result<String, sqlx::Error> {
    retire(tx, &old.token_hash).await?;
    let (token, _) = create(tx, now, account_id, stage, flow, Some(old.created_at)).await?;
    Ok(token)
}

/// Ends a session and voids every one-time code issued to it: a code proves something only
/// to the session (the flow) it was sent for, so a successor session cannot use it.
pub async fn retire(tx: &mut Transaction<'static, Any>, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE one_time_codes SET voided = 1 WHERE flow_id = $1 AND used_at IS NULL").bind(token_hash).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut **tx).await?;
    Ok(())
}

pub async fn save_flow(db: &Db, session: &Session) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET flow = $1 WHERE token_hash = $2")
        .bind(serde_json::to_string(&session.flow).unwrap_or_default())
        .bind(&session.token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(db.pool()).await?;
    Ok(())
}

pub async fn delete_all_for_account(tx: &mut Transaction<'static, Any>, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

/// The characters of a session's token hash that name it on `/account/sessions`: enough to
/// tell sessions apart, and (a hash of a hash) of no use for taking one over.
const PUBLIC_ID_LENGTH: usize = 16;

/// A logged-in session as its owner sees it.
#[derive(Clone, Debug)]
pub struct SessionListing {
    pub public_id: String,
    pub user_agent: Option<String>,
    pub client_address: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub fn public_id(token_hash: &str) -> String {
    token_hash.chars().take(PUBLIC_ID_LENGTH).collect()
}

/// Remembers the browser and address a session logged in from.
pub async fn describe(db: &Db, token: &str, user_agent: &str, client_address: &str) -> Result<(), sqlx::Error> {
    let user_agent: String = user_agent.chars().take(300).collect();
    sqlx::query("UPDATE sessions SET user_agent = $1, client_address = $2 WHERE token_hash = $3")
        .bind(user_agent)
        .bind(client_address)
        .bind(token_hash(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The account's live logged-in sessions, most recently used first.
pub async fn list_for_account(db: &Db, account_id: i64, now: i64) -> Result<Vec<SessionListing>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT token_hash, user_agent, client_address, created_at, last_seen_at FROM sessions \
         WHERE account_id = $1 AND stage = $2 AND last_seen_at >= $3 AND created_at >= $4 ORDER BY last_seen_at DESC",
    )
    .bind(account_id)
    .bind(Stage::Authenticated.as_str())
    .bind(now - IDLE_TIMEOUT_SECONDS)
    .bind(now - ABSOLUTE_TIMEOUT_SECONDS)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| SessionListing {
            public_id: public_id(&row.get::<String, _>("token_hash")),
            user_agent: row.get("user_agent"),
            client_address: row.get("client_address"),
            created_at: row.get("created_at"),
            last_seen_at: row.get("last_seen_at"),
        })
        .collect())
}

/// Ends one of the account's sessions, named by its public id. False when there is none.
pub async fn end_by_public_id(db: &Db, account_id: i64, public_id: &str) -> Result<bool, sqlx::Error> {
    if public_id.len() != PUBLIC_ID_LENGTH || !public_id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let ended = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND substr(token_hash, 1, CAST($3 AS INTEGER)) = $2")
        .bind(account_id)
        .bind(public_id)
        .bind(PUBLIC_ID_LENGTH as i64)
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok(ended > 0)
}

/// Ends every session of the account but the one named. Returns how many ended.
pub async fn end_all_but<'e, E: sqlx::Executor<'e, Database = Any>>(executor: E, account_id: i64, keep_token_hash: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2").bind(account_id).bind(keep_token_hash).execute(executor).await?.rows_affected())
}
