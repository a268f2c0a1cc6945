//! Argon2id hashing on the blocking pool, at most one hash per core at a time (AS-1, LD-1).
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// The outcome of checking a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    No,
    /// Correct; carries a fresh hash when the stored one used weaker parameters (AS-2).
    Yes {
        rehash: Option<String>,
    },
}

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    verifies: Arc<AtomicU64>,
    /// Verified against when the user does not exist, so both paths cost one hash (AS-6).
    dummy_hash: Arc<String>,
}

fn hasher() -> Argon2<'static> {
    // The RustCrypto defaults: m = 19456 KiB, t = 2, p = 1 (OWASP's minimum for argon2id).
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// True when a stored hash is not argon2id with at least the current parameters.
fn is_weaker(parsed: &PasswordHash<'_>) -> bool {
    let current = Params::default();
    let Ok(params) = Params::try_from(parsed) else { return true };
    parsed.algorithm.as_str() != "argon2id"
        || params.m_cost() < current.m_cost()
        || params.t_cost() < current.t_cost()
        || params.p_cost() < current.p_cost()
}

impl Passwords {
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let dummy = hash_now("backroom-dummy-password-never-matches").unwrap_or_default();
        Self {
            permits: Arc::new(Semaphore::new(cores)),
            verifies: Arc::new(AtomicU64::new(0)),
            dummy_hash: Arc::new(dummy),
        }
    }

    /// How many verifications ran since start (tests count them: AS-6).
    pub fn verify_count(&self) -> u64 {
        self.verifies.load(Ordering::SeqCst)
    }

    /// Hashes a new password with the current policy.
    pub async fn hash(&self, password: String) -> Result<String, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || hash_now(&password).map_err(|e| e.to_string()))
            .await
            .map_err(|e| e.to_string())?
    }

    /// Checks `password` against `stored`, or against the dummy hash when `stored` is `None`.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Verified {
        let Ok(_permit) = self.permits.acquire().await else { return Verified::No };
        self.verifies.fetch_add(1, Ordering::SeqCst);
        let is_real = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.as_str().to_string());
        let outcome = tokio::task::spawn_blocking(move || {
            let Ok(parsed) = PasswordHash::new(&hash) else { return Verified::No };
            if hasher().verify_password(password.as_bytes(), &parsed).is_err() {
                return Verified::No;
            }
            let rehash = if is_weaker(&parsed) { hash_now(&password).ok() } else { None };
            Verified::Yes { rehash }
        })
        .await
        .unwrap_or(Verified::No);
        if is_real {
            outcome
        } else {
            Verified::No
        }
    }
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stored_hash_is_argon2id_with_policy_parameters() {
        let pw = Passwords::new();
        let hash = pw.hash("correct horse battery".into()).await.unwrap();
        let parsed = PasswordHash::new(&hash).unwrap();
        let params = Params::try_from(&parsed).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(params.m_cost() >= 19456 && params.t_cost() >= 2 && params.p_cost() >= 1);
    }

    #[tokio::test]
    async fn weak_hash_verifies_and_asks_for_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8, 1, 1, None).unwrap());
        let salt = SaltString::generate(&mut OsRng);
        let stored = weak.hash_password(b"a long password", &salt).unwrap().to_string();
        let pw = Passwords::new();
        let Verified::Yes { rehash: Some(fresh) } = pw.verify("a long password".into(), Some(stored)).await else {
            panic!("expected a rehash")
        };
        assert_eq!(pw.verify("a long password".into(), Some(fresh)).await, Verified::Yes { rehash: None });
    }

    #[tokio::test]
    async fn unknown_user_costs_one_verify_and_never_matches() {
        let pw = Passwords::new();
        let dummy_password = "backroom-dummy-password-never-matches".to_string();
        assert_eq!(pw.verify(dummy_password, None).await, Verified::No);
        assert_eq!(pw.verify_count(), 1);
    }
}
