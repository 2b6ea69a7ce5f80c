//! Document keys and the signed payload a document's QR code carries: a JWS (RFC 7515,
//! compact) signed with Ed25519 (`alg` EdDSA, RFC 8037), naming its key by `kid`. The public
//! keys are published as a JWK set, so anyone verifies a document with no network. Keys
//! rotate: the newest signs, the older ones stay published (with their validity) to verify
//! what they signed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// What the QR code says about a document. Short names: the QR code stays small.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The document's template: `good_conduct`, `vehicle_search`, …
    pub typ: String,
    /// Its number, `DOC-2026-000123`.
    pub no: String,
    /// The holder's name, masked: `WAN**** KAM**`.
    pub hn: String,
    /// Issued, `YYYY-MM-DD`.
    pub iss: String,
    /// Expires, `YYYY-MM-DD`, if it does.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exp: Option<String>,
    /// The issuing agency (`dci`).
    pub ag: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    kid: String,
}

/// A key as published: who it is, and the days it signed (or signs) documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedKey {
    pub kid: String,
    pub key: VerifyingKey,
    /// `YYYY-MM-DD`.
    pub not_before: String,
    /// `YYYY-MM-DD`; `None` for the key signing now.
    pub not_after: Option<String>,
}

#[derive(Clone)]
pub struct DocumentKeys {
    signing_kid: String,
    signing: SigningKey,
    published: Vec<PublishedKey>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("DOCUMENT_SIGNING_KEY must be KID:SEED:YYYY-MM-DD (SEED: 32 bytes in base64url)")]
    SigningKey,
    #[error("DOCUMENT_RETIRED_KEYS entries must be KID:X:FROM:UNTIL (X: the 32-byte public key in base64url)")]
    RetiredKey,
}

/// Names the keys, never the signing seed.
impl std::fmt::Debug for DocumentKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentKeys").field("signing_kid", &self.signing_kid).field("published", &self.published.iter().map(|k| &k.kid).collect::<Vec<_>>()).finish()
    }
}

/// Why a payload is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("not a Raia document code")]
    Malformed,
    #[error("signed with a key Raia does not publish")]
    UnknownKey,
    #[error("the signature does not match: altered or forged")]
    BadSignature,
}

/// The development key's seed: published here, so a production server refuses it.
pub const DEV_SEED: [u8; 32] = *b"raia-development-document-key-00";
pub const DEV_KID: &str = "raia-dev-1";

fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10 && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

fn decode_key(text: &str) -> Option<[u8; 32]> {
    URL_SAFE_NO_PAD.decode(text.trim()).ok()?.try_into().ok()
}

impl DocumentKeys {
    pub fn new(kid: &str, seed: [u8; 32], not_before: &str, retired: Vec<PublishedKey>) -> Self {
        let signing = SigningKey::from_bytes(&seed);
        let mut published = vec![PublishedKey { kid: kid.to_string(), key: signing.verifying_key(), not_before: not_before.to_string(), not_after: None }];
        published.extend(retired);
        DocumentKeys { signing_kid: kid.to_string(), signing, published }
    }

    pub fn development() -> Self {
        DocumentKeys::new(DEV_KID, DEV_SEED, "2026-01-01", Vec::new())
    }

    pub fn is_development(&self) -> bool {
        self.signing.to_bytes() == DEV_SEED
    }

    /// From `DOCUMENT_SIGNING_KEY` (`KID:SEED:FROM`) and `DOCUMENT_RETIRED_KEYS` (`KID:X:FROM:UNTIL,…`).
    pub fn from_settings(signing: &str, retired: Option<&str>) -> Result<Self, KeyError> {
        let parts: Vec<&str> = signing.trim().split(':').collect();
        let [kid, seed, from] = parts[..] else { return Err(KeyError::SigningKey) };
        let seed = decode_key(seed).ok_or(KeyError::SigningKey)?;
        if kid.is_empty() || !is_iso_date(from) {
            return Err(KeyError::SigningKey);
        }
        let mut old = Vec::new();
        for entry in retired.unwrap_or("").split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let parts: Vec<&str> = entry.split(':').collect();
            let [kid, x, from, until] = parts[..] else { return Err(KeyError::RetiredKey) };
            let key = decode_key(x).and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok()).ok_or(KeyError::RetiredKey)?;
            if !is_iso_date(from) || !is_iso_date(until) {
                return Err(KeyError::RetiredKey);
            }
            old.push(PublishedKey { kid: kid.to_string(), key, not_before: from.to_string(), not_after: Some(until.to_string()) });
        }
        Ok(DocumentKeys::new(kid, seed, from, old))
    }

    /// A new random key, as the two lines an operator sets (`raia-server new-document-key`).
    pub fn generate(kid: &str, from: &str) -> (String, String) {
        use rand::RngCore;
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        let key = SigningKey::from_bytes(&seed);
        (format!("{kid}:{}:{from}", URL_SAFE_NO_PAD.encode(seed)), URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes()))
    }

    pub fn signing_kid(&self) -> &str {
        &self.signing_kid
    }

    pub fn published(&self) -> &[PublishedKey] {
        &self.published
    }

    /// The compact JWS for these claims.
    pub fn sign(&self, claims: &Claims) -> String {
        let header = Header { alg: "EdDSA".into(), kid: self.signing_kid.clone() };
        let signing_input = format!("{}.{}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap_or_default()), URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default()));
        let signature = self.signing.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    /// The claims of a genuine payload; a refusal for anything altered, forged or unreadable.
    pub fn verify(&self, jws: &str) -> Result<Claims, Refused> {
        verify_with(&self.published, jws)
    }

    /// `/.well-known/raia-document-keys.json`: a JWK set (RFC 7517, OKP keys of RFC 8037)
    /// with each key's validity.
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self
            .published
            .iter()
            .map(|k| {
                serde_json::json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "alg": "EdDSA",
                    "use": "sig",
                    "kid": k.kid,
                    "x": URL_SAFE_NO_PAD.encode(k.key.to_bytes()),
                    "not_before": k.not_before,
                    "not_after": k.not_after,
                })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

/// Verifies with published keys only: what an offline verifier holding the JWK set does.
pub fn verify_with(keys: &[PublishedKey], jws: &str) -> Result<Claims, Refused> {
    let mut parts = jws.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else { return Err(Refused::Malformed) };
    let header: Header = URL_SAFE_NO_PAD.decode(header).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).ok_or(Refused::Malformed)?;
    if header.alg != "EdDSA" {
        return Err(Refused::Malformed);
    }
    let key = keys.iter().find(|k| k.kid == header.kid).ok_or(Refused::UnknownKey)?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD.decode(signature).ok().and_then(|b| b.try_into().ok()).ok_or(Refused::Malformed)?;
    let signing_input = &jws.trim()[..jws.trim().rfind('.').unwrap_or(0)];
    key.key.verify(signing_input.as_bytes(), &Signature::from_bytes(&signature)).map_err(|_| Refused::BadSignature)?;
    let claims = URL_SAFE_NO_PAD.decode(payload).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).ok_or(Refused::Malformed)?;
    Ok(claims)
}

/// Reads a JWK set as published, for verifiers that hold only it.
pub fn keys_from_jwks(jwks: &serde_json::Value) -> Vec<PublishedKey> {
    jwks["keys"]
        .as_array()
        .map(|keys| {
            keys.iter()
                .filter(|k| k["kty"] == "OKP" && k["crv"] == "Ed25519")
                .filter_map(|k| {
                    let bytes = decode_key(k["x"].as_str()?)?;
                    Some(PublishedKey {
                        kid: k["kid"].as_str()?.to_string(),
                        key: VerifyingKey::from_bytes(&bytes).ok()?,
                        not_before: k["not_before"].as_str().unwrap_or("").to_string(),
                        not_after: k["not_after"].as_str().map(String::from),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `Wanjiku Kamau` → `WAN**** KAM**`: enough for a verifier to match the ID card they
/// hold, not enough to read a stranger's name off a photo of the code.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let upper: Vec<char> = word.to_uppercase().chars().collect();
            upper.iter().enumerate().map(|(i, c)| if i < 3 { *c } else { '*' }).collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims { typ: "good_conduct".into(), no: "DOC-2026-000001".into(), hn: mask_name("Wanjiku Kamau"), iss: "2026-12-04".into(), exp: Some("2027-06-05".into()), ag: "dci".into() }
    }

    #[test]
    fn a_signed_payload_verifies_with_the_published_keys_alone() {
        let keys = DocumentKeys::development();
        let jws = keys.sign(&claims());
        let published = keys_from_jwks(&keys.jwks());
        assert_eq!(verify_with(&published, &jws), Ok(claims()));
        assert_eq!(claims().hn, "WAN**** KAM**");
    }

    #[test]
    fn altered_or_forged_payloads_are_refused() {
        let keys = DocumentKeys::development();
        let jws = keys.sign(&claims());
        let parts: Vec<&str> = jws.split('.').collect();
        let mut altered = claims();
        altered.exp = Some("2099-01-01".into());
        let altered_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&altered).unwrap());
        assert_eq!(keys.verify(&format!("{}.{altered_payload}.{}", parts[0], parts[2])), Err(Refused::BadSignature));
        // Signed by someone else's key under our key id.
        let forger = DocumentKeys::new(DEV_KID, [7; 32], "2026-01-01", Vec::new());
        assert_eq!(keys.verify(&forger.sign(&claims())), Err(Refused::BadSignature));
        assert_eq!(keys.verify("not.a.code"), Err(Refused::Malformed));
        assert_eq!(keys.verify(""), Err(Refused::Malformed));
    }

    #[test]
    fn a_rotated_key_still_verifies_what_it_signed() {
        let old = DocumentKeys::new("raia-2026", [1; 32], "2026-01-01", Vec::new());
        let signed_before = old.sign(&claims());
        let old_x = URL_SAFE_NO_PAD.encode(old.published()[0].key.to_bytes());
        let new_seed = URL_SAFE_NO_PAD.encode([2u8; 32]);
        let new = DocumentKeys::from_settings(&format!("raia-2027:{new_seed}:2027-01-01"), Some(&format!("raia-2026:{old_x}:2026-01-01:2026-12-31"))).unwrap();
        assert_eq!(new.signing_kid(), "raia-2027");
        assert_eq!(new.verify(&signed_before), Ok(claims()));
        assert!(new.verify(&new.sign(&claims())).is_ok());
        assert_eq!(new.jwks()["keys"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn bad_key_settings_are_named() {
        assert_eq!(DocumentKeys::from_settings("only-a-kid", None).err(), Some(KeyError::SigningKey));
        let seed = URL_SAFE_NO_PAD.encode([3u8; 32]);
        assert_eq!(DocumentKeys::from_settings(&format!("k:{seed}:2026-01-01"), Some("k0:short:2025-01-01:2025-12-31")).err(), Some(KeyError::RetiredKey));
    }
}
