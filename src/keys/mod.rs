//! The installation's secret key (made by the baseline migration with `randomblob`), for tokens
//! that must come back unchanged: CSRF cookies and unsubscribe links.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use subtle::ConstantTimeEq;

mod store;

type HmacSha256 = Hmac<Sha256>;

/// An HMAC-SHA256 key; `Debug` never shows it.
#[derive(Clone)]
pub struct SiteKey([u8; 32]);

impl std::fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteKey(…)")
    }
}

impl SiteKey {
    /// Reads the key the migration created.
    pub async fn load(conn: &mut SqliteConnection) -> anyhow::Result<Self> {
        let bytes = store::site_key(conn).await?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("server_keys.site is not 32 bytes"))?;
        Ok(Self(key))
    }

    /// A key from bytes (tests, benchmarks).
    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self(key)
    }

    /// The URL-safe signature of `purpose` + `message`.
    pub fn sign(&self, purpose: &str, message: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, message).finalize().into_bytes())
    }

    /// Whether `signature` is `sign(purpose, message)`, compared in constant time.
    pub fn verify(&self, purpose: &str, message: &str, signature: &str) -> bool {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        self.mac(purpose, message).verify_slice(&bytes).is_ok()
    }

    fn mac(&self, purpose: &str, message: &str) -> HmacSha256 {
        // A key of 32 bytes is always a valid HMAC key.
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("any key length works");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(message.as_bytes());
        mac
    }
}

/// 32 random bytes from the OS, URL-safe base64: a token nobody can guess.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing leaves nothing safe to do but stop.
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The hex SHA-256 of a token: what the database stores instead of the token.
pub fn hash_token(token: &str) -> String {
    sha256_hex(token)
}

/// The hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    hex_of(&Sha256::digest(text.as_bytes()))
}

/// Compares two strings in constant time.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_checks_only_for_its_purpose_and_message() {
        let key = SiteKey::from_bytes([7; 32]);
        let signature = key.sign("unsubscribe", "42");
        assert!(key.verify("unsubscribe", "42", &signature));
        assert!(!key.verify("unsubscribe", "43", &signature));
        assert!(!key.verify("csrf", "42", &signature));
        assert!(!SiteKey::from_bytes([8; 32]).verify("unsubscribe", "42", &signature));
        assert!(!key.verify("unsubscribe", "42", "not base64!"));
    }

    #[test]
    fn tokens_are_random_and_hashes_are_stable() {
        assert_ne!(random_token(), random_token());
        assert_eq!(hash_token("abc"), hash_token("abc"));
        assert_eq!(hash_token("abc").len(), 64);
    }
}
