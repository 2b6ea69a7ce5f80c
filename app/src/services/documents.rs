//! Uploaded files, stored outside the database in a folder of their own, each under the
//! SHA-256 of its content (the same photo uploaded twice is stored once). The type is
//! read from the bytes, never trusted from the file's name.

use crate::errors::Problem;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Makes the names of temporary files unique within the process.
static TEMPORARY_NAMES: AtomicU64 = AtomicU64::new(0);

fn temporary_name(sha256: &str, kind: &str) -> String {
    format!("{sha256}.{}.{}.{kind}", std::process::id(), TEMPORARY_NAMES.fetch_add(1, Ordering::Relaxed))
}

pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The types Raia accepts, by what the content starts with.
pub fn sniff_content_type(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    match kind.mime_type() {
        "image/jpeg" => Some("image/jpeg"),
        "image/png" => Some("image/png"),
        "application/pdf" => Some("application/pdf"),
        _ => None,
    }
}

/// Checks an upload; its content type when it may be stored.
pub fn check_upload(bytes: &[u8]) -> Result<&'static str, Problem> {
    if bytes.is_empty() {
        return Err(Problem::FileRequired);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Problem::FileTooLarge);
    }
    sniff_content_type(bytes).ok_or(Problem::FileWrongType)
}

/// A name safe to show and to send back in Content-Disposition.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ')).take(80).collect();
    if cleaned.trim().is_empty() { "document".to_string() } else { cleaned.trim().to_string() }
}

#[derive(Clone, Debug)]
pub struct DocumentStore {
    root: PathBuf,
}

impl DocumentStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DocumentStore { root: root.into() }
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        // Only ever a hex digest: never a path a caller could steer.
        (sha256.len() == 64 && sha256.chars().all(|c| c.is_ascii_hexdigit())).then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Stores the bytes (once per content) and returns their SHA-256.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.path_of(&sha256).expect("a digest is a valid name");
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha256);
        }
        let dir = path.parent().expect("stored under a folder");
        tokio::fs::create_dir_all(dir).await?;
        // Write to a temporary name, then rename: a reader never sees half a file. When the
        // disk is full the write stops part way: the part written is removed, so a failed
        // upload leaves nothing behind.
        let temporary = dir.join(temporary_name(&sha256, "part"));
        let written = match tokio::fs::write(&temporary, bytes).await {
            Ok(()) => tokio::fs::rename(&temporary, &path).await,
            Err(error) => Err(error),
        };
        if let Err(error) = written {
            let _ = tokio::fs::remove_file(&temporary).await;
            return Err(error);
        }
        Ok(sha256)
    }

    pub async fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self.path_of(sha256).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not a digest"))?;
        tokio::fs::read(path).await
    }

    /// Whether the file of this content is stored.
    pub async fn contains(&self, sha256: &str) -> bool {
        match self.path_of(sha256) {
            Some(path) => tokio::fs::try_exists(path).await.unwrap_or(false),
            None => false,
        }
    }

    /// The first half of deleting a file: moves it out of readers' way under a name of its
    /// own, for `discard` or `restore`. `None` when it is not there.
    pub async fn set_aside(&self, sha256: &str) -> std::io::Result<Option<PathBuf>> {
        let Some(path) = self.path_of(sha256) else { return Ok(None) };
        let aside = path.with_file_name(temporary_name(sha256, "gone"));
        match tokio::fs::rename(&path, &aside).await {
            Ok(()) => Ok(Some(aside)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub async fn discard(&self, aside: &Path) -> std::io::Result<()> {
        tokio::fs::remove_file(aside).await
    }

    /// Puts a file set aside back (over a copy stored again meanwhile: the same bytes).
    pub async fn restore(&self, sha256: &str, aside: &Path) -> std::io::Result<()> {
        let path = self.path_of(sha256).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not a digest"))?;
        tokio::fs::rename(aside, path).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(check_upload(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok("image/png"));
        assert_eq!(check_upload(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Ok("image/jpeg"));
        assert_eq!(check_upload(b"%PDF-1.7\n%\xe2\xe3"), Ok("application/pdf"));
        assert_eq!(check_upload(b"MZ\x90\0 a Windows program named photo.jpg"), Err(Problem::FileWrongType));
        assert_eq!(check_upload(b"<html><script>alert(1)</script>"), Err(Problem::FileWrongType));
        assert_eq!(check_upload(b""), Err(Problem::FileRequired));
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(check_upload(&big), Err(Problem::FileTooLarge));
    }

    #[test]
    fn names_lose_their_paths_and_odd_characters() {
        assert_eq!(clean_file_name("C:\\Users\\me\\photo.jpg"), "photo.jpg");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("\"quote\";.pdf"), "quote.pdf");
        assert_eq!(clean_file_name(""), "document");
    }

    #[tokio::test]
    async fn the_same_content_is_stored_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("raia-docs-{}", std::process::id()));
        let store = DocumentStore::new(&dir);
        let first = store.put(b"%PDF-1.7 one").await.unwrap();
        let second = store.put(b"%PDF-1.7 one").await.unwrap();
        assert_eq!(first, second);
        assert_eq!(store.get(&first).await.unwrap(), b"%PDF-1.7 one");
        assert!(store.get("../../etc/passwd").await.is_err());
        // Deleting: set aside, then discarded or put back.
        let aside = store.set_aside(&first).await.unwrap().expect("it was there");
        assert!(!store.contains(&first).await);
        store.restore(&first, &aside).await.unwrap();
        assert!(store.contains(&first).await);
        let aside = store.set_aside(&first).await.unwrap().unwrap();
        store.discard(&aside).await.unwrap();
        assert!(!store.contains(&first).await);
        assert!(store.set_aside(&first).await.unwrap().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}
