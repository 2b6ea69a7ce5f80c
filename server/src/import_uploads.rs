//! `raia-server import-uploads DIR`: brings files kept by an earlier Raia in a folder (each
//! named by the SHA-256 of its content, in a subfolder of its first two hex digits) into
//! the database, where every process now reads them. Safe to run again: a file already
//! there is left as it is.

use raia_app::clock::{Clock, SystemClock};
use raia_app::db::Db;
use raia_app::services::stored_files;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub async fn run(db: &Db, folder: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut imported = 0;
    let mut skipped = Vec::new();
    for path in files_under(folder)? {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // Only a file whose name is its content's digest: a leftover temporary file, or one
        // damaged on disk, would otherwise become a document nobody uploaded.
        let named = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if named != hex::encode(Sha256::digest(&bytes)) {
            skipped.push(path);
            continue;
        }
        let mut tx = db.begin_write().await?;
        stored_files::keep(&mut tx, &bytes, SystemClock.now()).await?;
        tx.commit().await?;
        imported += 1;
    }
    println!("{imported} files imported from {}", folder.display());
    for path in &skipped {
        println!("skipped (its name is not its content's SHA-256): {}", path.display());
    }
    Ok(())
}

fn files_under(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}
