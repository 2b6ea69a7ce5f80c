//! Secrets the server must read back (an authenticator app's secret) are sealed with the
//! server's `SECRETS_KEY` (XChaCha20-Poly1305) before they reach the database, so a copy
//! of the database alone cannot make codes. Secrets it only compares (backup codes) are
//! fingerprinted with the same key, so a copy of the database cannot be searched for them
//! offline either.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The key every process of one Raia shares: 32 bytes, given as 64 hex characters.
#[derive(Clone)]
pub struct SecretsKey([u8; 32]);

/// Never printed, whatever prints the configuration.
impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(..)")
    }
}

/// Development's key: published, so never accepted in prod (see the server's config).
pub const DEV_SECRETS_KEY: &str = "6465762d6f6e6c792d6b65792d6e6f742d666f722d70726f64756374696f6e21";

const SEALED_PREFIX: &str = "v1:";

impl SecretsKey {
    pub fn from_hex(text: &str) -> Option<SecretsKey> {
        let bytes = hex::decode(text.trim()).ok()?;
        Some(SecretsKey(bytes.try_into().ok()?))
    }

    pub fn dev() -> SecretsKey {
        SecretsKey::from_hex(DEV_SECRETS_KEY).expect("the dev key is 32 bytes")
    }

    /// `v1:` and the nonce and ciphertext in base64.
    pub fn seal(&self, plaintext: &[u8]) -> String {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = XChaCha20Poly1305::new((&self.0).into()).encrypt(XNonce::from_slice(&nonce), plaintext).expect("sealing a short secret cannot fail");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The plaintext, or `None` when it was sealed with another key or altered.
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(sealed.strip_prefix(SEALED_PREFIX)?).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        XChaCha20Poly1305::new((&self.0).into()).decrypt(XNonce::from_slice(nonce), ciphertext).ok()
    }

    /// A keyed fingerprint of a secret that is only ever compared, for one purpose.
    pub fn fingerprint(&self, purpose: &str, secret: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(self.0);
        hash.update(purpose.as_bytes());
        hash.update([0]);
        hash.update(secret.as_bytes());
        hex::encode(hash.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_unaltered() {
        let key = SecretsKey::dev();
        let sealed = key.seal(b"JBSWY3DPEHPK3PXP");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.open(&sealed).as_deref(), Some(&b"JBSWY3DPEHPK3PXP"[..]));
        let other = SecretsKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(other.open(&sealed), None);
        let mut altered = sealed.clone();
        altered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert_eq!(key.open(&altered), None);
        assert_eq!(key.open("garbage"), None);
    }

    #[test]
    fn keys_are_exactly_32_bytes_of_hex() {
        assert!(SecretsKey::from_hex(&"0f".repeat(32)).is_some());
        assert!(SecretsKey::from_hex(&"0f".repeat(31)).is_none());
        assert!(SecretsKey::from_hex("not hex").is_none());
    }
}
