//! One-time codes: 6 random digits, valid 10 minutes, single use, bound to one login (or
//! reset) attempt, stored hashed and compared in constant time. Five wrong entries void
//! the code; a new one may be sent after 30 seconds, at most five an hour per account.

use crate::errors::Problem;
use crate::messages::outbox::Channel;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};
use subtle::ConstantTimeEq;

pub const VALID_SECONDS: i64 = 10 * 60;
pub const MAX_WRONG_ENTRIES: i64 = 5;
pub const RESEND_AFTER_SECONDS: i64 = 30;
pub const MAX_PER_HOUR: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Login,
    Reset,
    /// Proves a new email address or phone number is the citizen's.
    Contact,
    /// The other party of a transfer (a vehicle's buyer) agrees to it.
    Transfer,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::Reset => "reset",
            Purpose::Contact => "contact",
            Purpose::Transfer => "transfer",
        }
    }
}

/// A one-time code as typed: six digits, spaces around them ignored; `None` is
/// `Problem::CodeFormat`, told before any attempt is counted.
pub fn typed_code(text: &str) -> Option<&str> {
    let code = text.trim();
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hash_code(salt: &str, code: &str) -> String {
    format!("{salt}${}", sha256_hex(format!("{salt}{code}").as_bytes()))
}

fn code_matches(stored: &str, code: &str) -> bool {
    let Some((salt, _)) = stored.split_once('$') else { return false };
    hash_code(salt, code).as_bytes().ct_eq(stored.as_bytes()).into()
}

/// Whether a new code may be sent for this flow now; `Err` says how long to wait.
pub async fn check_send_allowed(tx: &mut Transaction<'static, Any>, account_id: i64, flow_id: &str, now: i64) -> Result<Result<(), Problem>, sqlx::Error> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(created_at) FROM one_time_codes WHERE flow_id = $1")
        .bind(flow_id)
        .fetch_one(&mut **tx)
        .await?;
    if let Some(last) = last {
        if now - last < RESEND_AFTER_SECONDS {
            return Ok(Err(Problem::ResendTooSoon { seconds: RESEND_AFTER_SECONDS - (now - last) }));
        }
    }
    let rows = sqlx::query("SELECT created_at FROM one_time_codes WHERE account_id = $1 AND created_at > $2 ORDER BY created_at ASC")
        .bind(account_id)
        .bind(now - 3600)
        .fetch_all(&mut **tx)
        .await?;
    if rows.len() as i64 >= MAX_PER_HOUR {
        let oldest: i64 = rows[0].get("created_at");
        let minutes = ((oldest + 3600 - now) + 59) / 60;
        return Ok(Err(Problem::TooManyCodes { minutes: minutes.max(1) }));
    }
    Ok(Ok(()))
}

/// Makes a new code for this flow (voiding any earlier one) and returns it, to be sent.
pub async fn issue(tx: &mut Transaction<'static, Any>, account_id: i64, flow_id: &str, purpose: Purpose, channel: Channel, now: i64) -> Result<String, sqlx::Error> {
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000));
    let salt = hex::encode(rand::rngs::OsRng.gen::<[u8; 16]>());
    sqlx::query("UPDATE one_time_codes SET voided = 1 WHERE flow_id = $1 AND used_at IS NULL")
        .bind(flow_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO one_time_codes (account_id, flow_id, purpose, channel, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(account_id)
        .bind(flow_id)
        .bind(purpose.as_str())
        .bind(channel.as_str())
        .bind(hash_code(&salt, &code))
        .bind(now)
        .bind(now + VALID_SECONDS)
        .execute(&mut **tx)
        .await?;
    Ok(code)
}

/// What `verify` answers when the flow sent no code: the caller decides what the citizen sees
/// (for a reset, the same as a wrong code, so that it says nothing about the account).
pub const NO_CODE_SENT: Problem = Problem::FlowExpired;

/// The outcome of entering a code.
#[derive(Debug, PartialEq, Eq)]
pub struct Accepted {
    pub account_id: i64,
    pub channel: Channel,
}

/// Checks a code typed in this flow for this account; a right code is used up, a wrong one
/// counted. A code matches only the account, the flow and the purpose it was issued for.
/// `Err(NoCodeSent)` when this flow has sent that account no code of this purpose.
pub async fn verify(tx: &mut Transaction<'static, Any>, account_id: i64, flow_id: &str, purpose: Purpose, code: &str, now: i64) -> Result<Result<Accepted, Problem>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, account_id, channel, code_hash, expires_at, attempts, voided, used_at FROM one_time_codes \
         WHERE flow_id = $1 AND purpose = $2 AND account_id = $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(flow_id)
    .bind(purpose.as_str())
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(Err(NO_CODE_SENT));
    };
    let id: i64 = row.get("id");
    if row.get::<i64, _>("voided") != 0 || row.get::<Option<i64>, _>("used_at").is_some() {
        return Ok(Err(Problem::CodeVoided));
    }
    if now > row.get::<i64, _>("expires_at") {
        return Ok(Err(Problem::CodeExpired));
    }
    if code_matches(&row.get::<String, _>("code_hash"), code) {
        sqlx::query("UPDATE one_time_codes SET used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut **tx).await?;
        let channel = Channel::parse(&row.get::<String, _>("channel")).unwrap_or(Channel::Sms);
        return Ok(Ok(Accepted { account_id: row.get("account_id"), channel }));
    }
    let attempts = row.get::<i64, _>("attempts") + 1;
    let voided = attempts >= MAX_WRONG_ENTRIES;
    sqlx::query("UPDATE one_time_codes SET attempts = $1, voided = $2 WHERE id = $3")
        .bind(attempts)
        .bind(if voided { 1_i64 } else { 0 })
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(Err(if voided { Problem::CodeVoided } else { Problem::CodeWrong { attempts_left: MAX_WRONG_ENTRIES - attempts } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_compared_through_their_salted_hash() {
        let stored = hash_code("abcd", "123456");
        assert!(!stored.contains("123456"));
        assert!(code_matches(&stored, "123456"));
        assert!(!code_matches(&stored, "123457"));
        assert!(!code_matches("garbage", "123456"));
    }
}
