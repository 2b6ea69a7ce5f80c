//! An authenticator app (RFC 6238 TOTP, via `totp-rs`): 6 digits, a 30-second step, one
//! step of drift either way, and a step once accepted never accepted again (the check and
//! the "used" mark are one conditional update, so two requests racing with one code cannot
//! both pass). With it come ten single-use backup codes, stored as keyed fingerprints.

use crate::identity::sealing::SecretsKey;
use rand::{Rng, RngCore};
use sqlx::{Any, Executor, Row, Transaction};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

pub const STEP_SECONDS: i64 = 30;
/// Steps either side of now that are accepted (a phone's clock a little off).
pub const DRIFT_STEPS: i64 = 1;
pub const BACKUP_CODE_COUNT: usize = 10;
const ISSUER: &str = "Raia";
const BACKUP_PURPOSE: &str = "backup-code";
/// Letters and digits nobody confuses (no 0/o, 1/l/i).
const BACKUP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new secret: 160 random bits, as RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

fn totp(secret: &[u8], label: &str) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, DRIFT_STEPS as u8, STEP_SECONDS as u64, secret.to_vec(), Some(ISSUER.into()), label.replace(':', "")).ok()
}

/// What the citizen's app needs: the `otpauth://` address (for the QR code) and the
/// secret in base32, in groups of four for typing.
pub fn enrolment(secret: &[u8], label: &str) -> Option<(String, String)> {
    let totp = totp(secret, label)?;
    let base32 = totp.get_secret_base32();
    let grouped = base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    Some((totp.get_url(), grouped))
}

/// The code an app shows at `unix_seconds` (tests compute codes with it too).
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    totp(secret, "x").map(|t| t.generate(unix_seconds.max(0) as u64)).unwrap_or_default()
}

/// The time step a typed code belongs to (now, or one step either side), if any.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = now / STEP_SECONDS;
    (current - DRIFT_STEPS..=current + DRIFT_STEPS).find(|step| bool::from(code_at(secret, step * STEP_SECONDS).as_bytes().ct_eq(code.as_bytes())))
}

/// `abcd-efgh-jkmn`: about 59 bits, easy to read aloud and type.
pub fn new_backup_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..BACKUP_CODE_COUNT)
        .map(|_| {
            let letters: String = (0..12).map(|_| BACKUP_ALPHABET[rng.gen_range(0..BACKUP_ALPHABET.len())] as char).collect();
            format!("{}-{}-{}", &letters[0..4], &letters[4..8], &letters[8..12])
        })
        .collect()
}

/// A backup code as typed: case, spaces and dashes do not matter; anything else makes it
/// not a code (rather than being dropped, so `abcd!efgh?jkmn` is not taken as a code).
pub fn normalise_backup_code(typed: &str) -> Option<String> {
    if !typed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c.is_whitespace()) {
        return None;
    }
    let letters: String = typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    (letters.len() == 12 && letters.bytes().all(|b| BACKUP_ALPHABET.contains(&b))).then(|| format!("{}-{}-{}", &letters[0..4], &letters[4..8], &letters[8..12]))
}

// ---------------------------------------------------------------- storage

/// The account's authenticator as stored.
pub struct Stored {
    pub secret: Vec<u8>,
    pub confirmed: bool,
    /// Backup codes, kept sealed only until the app is confirmed (so the setup page can
    /// show them again if reloaded); afterwards only their fingerprints remain.
    pub pending_backup_codes: Vec<String>,
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(executor: E, key: &SecretsKey, account_id: i64) -> Result<Option<Stored>, sqlx::Error> {
    let row = sqlx::query("SELECT sealed_secret, confirmed_at, sealed_backup_codes FROM authenticators WHERE account_id = $1").bind(account_id).fetch_optional(executor).await?;
    Ok(row.and_then(|row| {
        let secret = key.open(&row.get::<String, _>("sealed_secret"))?;
        let pending_backup_codes = row
            .get::<Option<String>, _>("sealed_backup_codes")
            .and_then(|sealed| key.open(&sealed))
            .map(|bytes| String::from_utf8_lossy(&bytes).split(',').map(str::to_string).collect())
            .unwrap_or_default();
        Some(Stored { secret, confirmed: row.get::<Option<i64>, _>("confirmed_at").is_some(), pending_backup_codes })
    }))
}

/// Starts (or restarts) setting up an app: a new secret and new backup codes, not yet on.
/// Does nothing if an app is already on.
pub async fn begin(tx: &mut Transaction<'static, Any>, key: &SecretsKey, account_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM authenticators WHERE account_id = $1 AND confirmed_at IS NULL").bind(account_id).execute(&mut **tx).await?;
    let on: Option<i64> = sqlx::query_scalar("SELECT account_id FROM authenticators WHERE account_id = $1").bind(account_id).fetch_optional(&mut **tx).await?;
    if on.is_some() {
        return Ok(());
    }
    sqlx::query("INSERT INTO authenticators (account_id, sealed_secret, sealed_backup_codes, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(key.seal(&new_secret()))
        .bind(key.seal(new_backup_codes().join(",").as_bytes()))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks a time step used; `false` when it (or a later one) was used already.
pub async fn use_step(tx: &mut Transaction<'static, Any>, account_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query("UPDATE authenticators SET last_used_step = $1 WHERE account_id = $2 AND last_used_step < $1").bind(step).bind(account_id).execute(&mut **tx).await?;
    Ok(updated.rows_affected() == 1)
}

/// Switches the app on and stores its backup codes' fingerprints (the sealed copies go).
pub async fn confirm(tx: &mut Transaction<'static, Any>, key: &SecretsKey, account_id: i64, backup_codes: &[String], now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE authenticators SET confirmed_at = $1, sealed_backup_codes = NULL WHERE account_id = $2").bind(now).bind(account_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM backup_codes WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    for code in backup_codes {
        sqlx::query("INSERT INTO backup_codes (account_id, code_hash) VALUES ($1, $2)").bind(account_id).bind(key.fingerprint(BACKUP_PURPOSE, code)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Uses up a backup code; `false` when it is not one of the account's unused codes.
pub async fn use_backup_code(tx: &mut Transaction<'static, Any>, key: &SecretsKey, account_id: i64, code: &str, now: i64) -> Result<bool, sqlx::Error> {
    let Some(code) = normalise_backup_code(code) else { return Ok(false) };
    let updated = sqlx::query("UPDATE backup_codes SET used_at = $1 WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(now)
        .bind(account_id)
        .bind(key.fingerprint(BACKUP_PURPOSE, &code))
        .execute(&mut **tx)
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// How many backup codes are left.
pub async fn backup_codes_left<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM backup_codes WHERE account_id = $1 AND used_at IS NULL").bind(account_id).fetch_one(executor).await
}

/// Switches the app off: its secret and backup codes go.
pub async fn remove(tx: &mut Transaction<'static, Any>, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM backup_codes WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM authenticators WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238's SHA-1 test secret and vectors (the last 6 digits of its 8-digit codes).
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_rfc_6238() {
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
        assert_eq!(code_at(RFC_SECRET, 1111111109), "081804");
        assert_eq!(code_at(RFC_SECRET, 1234567890), "005924");
    }

    #[test]
    fn one_step_of_drift_either_way_is_accepted_and_no_more() {
        let now = 1_800_000_015;
        let step = now / STEP_SECONDS;
        for drift in -1..=1 {
            let code = code_at(RFC_SECRET, (step + drift) * STEP_SECONDS);
            assert_eq!(matching_step(RFC_SECRET, &code, now), Some(step + drift));
        }
        for drift in [-3, -2, 2, 3] {
            let code = code_at(RFC_SECRET, (step + drift) * STEP_SECONDS);
            // A far step's code could equal a near one's by chance (1 in 10^6 per step).
            if matching_step(RFC_SECRET, &code, now).is_some() {
                assert_ne!(matching_step(RFC_SECRET, &code, now), Some(step + drift));
            }
        }
        assert_eq!(matching_step(RFC_SECRET, "12345", now), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now), None);
    }

    #[test]
    fn the_enrolment_address_names_raia_and_carries_the_secret() {
        let (url, grouped) = enrolment(RFC_SECRET, "12****78").unwrap();
        assert!(url.starts_with("otpauth://totp/Raia:12%2A%2A%2A%2A78?"), "{url}");
        assert!(url.contains("issuer=Raia"));
        assert_eq!(grouped.replace(' ', ""), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn backup_codes_are_ten_distinct_and_forgiving_to_type() {
        let codes = new_backup_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), 10);
        let code = &codes[0];
        assert_eq!(normalise_backup_code(&code.to_uppercase().replace('-', " ")).as_ref(), Some(code));
        assert_eq!(normalise_backup_code("abcd-efgh-jkm0"), None);
        assert_eq!(normalise_backup_code("short"), None);
    }
}
