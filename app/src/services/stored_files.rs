//! The bytes of uploaded files (application documents, support screenshots), kept in the
//! database every Raia process shares, one row per content under its SHA-256: the same
//! photo uploaded twice is kept once. A file is written in the same transaction as the row
//! that names it, so no row ever points at a file another process cannot see, and a
//! backup of the database holds the files too.

use crate::db::Db;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Transaction};

/// Keeps the bytes (once per content) within `tx` and returns their SHA-256.
///
/// The write takes the file's row lock even when the content is already there (`DO UPDATE`,
/// not `DO NOTHING`): `remove_if_unused` takes the same lock first, so it cannot delete a
/// file that an upload still committing is about to point at.
pub async fn keep(tx: &mut Transaction<'static, Any>, bytes: &[u8], now: i64) -> Result<String, sqlx::Error> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    sqlx::query(
        "INSERT INTO stored_files (sha256, bytes, size_bytes, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256) DO UPDATE SET sha256 = excluded.sha256",
    )
    .bind(&sha256)
    .bind(bytes.to_vec())
    .bind(bytes.len() as i64)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(sha256)
}

/// The bytes of a kept file; `None` when no file of that content is kept.
pub async fn read<'e, E: Executor<'e, Database = Any>>(executor: E, sha256: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT bytes FROM stored_files WHERE sha256 = $1").bind(sha256).fetch_optional(executor).await
}

/// Deletes a kept file that no application document or support screenshot names any more.
pub async fn remove_if_unused(db: &Db, sha256: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    // The row lock first (see `keep`); the count after it is a statement of its own, so on
    // PostgreSQL it sees a document committed while we waited for the lock.
    sqlx::query("UPDATE stored_files SET sha256 = sha256 WHERE sha256 = $1").bind(sha256).execute(&mut *tx).await?;
    let in_use: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM application_documents WHERE sha256 = $1 UNION ALL SELECT 1 FROM support_attachments WHERE sha256 = $1 LIMIT 1",
    )
    .bind(sha256)
    .fetch_optional(&mut *tx)
    .await?;
    if in_use.is_none() {
        sqlx::query("DELETE FROM stored_files WHERE sha256 = $1").bind(sha256).execute(&mut *tx).await?;
    }
    tx.commit().await
}
