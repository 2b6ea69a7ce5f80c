//! At most 20 login attempts a minute from one client address, counted in the database
//! so the limit holds across server processes.

use crate::db::Db;

pub const ATTEMPTS_PER_MINUTE: i64 = 20;

/// Counts an attempt; `Err(seconds)` when the address is over the limit, with the wait.
pub async fn record_login_attempt(db: &Db, ip: &str, now: i64) -> Result<Result<(), i64>, sqlx::Error> {
    let window_start = now - now.rem_euclid(60);
    let mut tx = db.begin_write().await?;
    let attempts: i64 = sqlx::query_scalar(
        "INSERT INTO login_attempts_by_ip (ip, window_start, attempts) VALUES ($1, $2, 1) ON CONFLICT (ip, window_start) DO UPDATE SET attempts = login_attempts_by_ip.attempts + 1 RETURNING attempts",
    )
    .bind(ip)
    .bind(window_start)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM login_attempts_by_ip WHERE ip = $1 AND window_start < $2").bind(ip).bind(window_start).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(if attempts > ATTEMPTS_PER_MINUTE { Err(window_start + 60 - now) } else { Ok(()) })
}
