//! Passwords: argon2id, hashed off the async runtime (it takes tens of milliseconds on purpose).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 10;

/// Hashes running at once: each takes 19 MiB and a core, so a burst of sign-ins waits here
/// instead of growing memory (issue 13).
static ARGON2_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password with a fresh salt (PHC string).
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _slot = ARGON2_SLOTS.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2id()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
    })
    .await?
}

/// Whether `password` matches `phc`; a malformed hash never matches.
pub async fn verify(password: String, phc: String) -> bool {
    let Ok(_slot) = ARGON2_SLOTS.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc).is_ok_and(|parsed| {
            argon2id()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash of nothing anyone knows: verifying against it costs the same as a real check,
/// so an unknown email takes as long as a wrong password.
pub const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2hvd25vdGVzZGVjb3k$gRqEcz8mEWPUHbXqYuOWKvKgfQX+VjZFBR0uUx4b9Ps";

/// Checks a new password; the message says what to do.
pub fn check_new(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!("must be at least {MIN_LENGTH} characters"));
    }
    Ok(())
}

/// Checks a new password and its confirmation, adding what is wrong to `errors` under
/// `password` and `confirm`.
pub fn check_new_pair(password: &str, confirm: &str, errors: &mut crate::validation::FieldErrors) {
    if let Err(e) = check_new(password) {
        errors.add("password", e);
    }
    if password != confirm {
        errors.add("confirm", "does not match the password");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), phc.clone()).await);
        assert!(!verify("wrong horse battery".into(), phc).await);
        assert!(!verify("anything".into(), DECOY_HASH.into()).await);
    }
}
