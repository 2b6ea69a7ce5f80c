//! No text Raia takes in ever holds a NUL character, and PostgreSQL refuses one in `TEXT`
//! (SQLite would quietly store it). Bodies that carry one, raw, percent-encoded (`%00`) or
//! escaped in JSON (`\u0000`), are refused with 400 before anything parses them.

pub fn holds_nul(body: &[u8]) -> bool {
    body.contains(&0) || contains(body, b"%00") || contains(body, b"\\u0000")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::holds_nul;

    #[test]
    fn a_nul_is_found_however_it_is_written() {
        assert!(holds_nul(b"reference=a\0b"));
        assert!(holds_nul(b"reference=a%00b"));
        assert!(holds_nul(br#"{"TransID":"QK\u0000X"}"#));
        assert!(!holds_nul(b"reference=RAIA-2026-000100&amount=100"));
        assert!(!holds_nul(b"q=%2500"), "an escaped percent sign followed by 00 is not a NUL");
    }
}
