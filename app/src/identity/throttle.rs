//! Rate limits counted in the database, so that they hold across server processes: a
//! fixed window per (bucket, key), e.g. login attempts per client address.

use crate::db::Db;

/// One limit: at most `max` hits per `window_seconds` for one key.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// What is counted; also the table's partition, so keys of two limits never mix.
    pub bucket: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

/// Password attempts from one client address (an IPv6 client's /64). Generous, so that
/// one guesser behind a shared NAT (a campus, a mobile operator) does not lock out everyone
/// else there: the per-identifier limit and the account lockout stop the guessing.
pub const LOGIN_PER_ADDRESS: Limit = Limit { bucket: "login_address", max: 60, window_seconds: 60 };

/// Password attempts for one identifier (ID number, email or phone, as normalised), from
/// anywhere: spreading guesses over many addresses does not help.
pub const LOGIN_PER_IDENTIFIER: Limit = Limit { bucket: "login_identifier", max: 20, window_seconds: 15 * 60 };

/// Registration's contact step from one address: its "email already used" answers would
/// otherwise tell anyone which emails and phones have accounts.
pub const REGISTRATION_CONTACTS_PER_ADDRESS: Limit = Limit { bucket: "registration_contacts", max: 20, window_seconds: 60 * 60 };

/// Counts a hit; `Err(seconds)` when the key is over the limit, with the wait.
pub async fn hit(db: &Db, limit: Limit, key: &str, now: i64) -> Result<Result<(), i64>, sqlx::Error> {
    let window_start = now - now.rem_euclid(limit.window_seconds);
    let mut tx = db.begin_write().await?;
    let attempts: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limit_hits (bucket, key, window_start, hits) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1 RETURNING hits",
    )
    .bind(limit.bucket)
    .bind(key)
    .bind(window_start)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM rate_limit_hits WHERE bucket = $1 AND key = $2 AND window_start < $3")
        .bind(limit.bucket)
        .bind(key)
        .bind(window_start)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(if attempts > limit.max { Err(window_start + limit.window_seconds - now) } else { Ok(()) })
}
