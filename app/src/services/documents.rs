//! What an uploaded file may be: its type read from the bytes, never trusted from the
//! file's name, its size and a clean name to show. Where the bytes are kept is
//! `stored_files`.

use crate::errors::Problem;

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
}
