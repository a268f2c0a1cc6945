//! Secrets shown exactly once (new API tokens): kept in memory for the user who made them until
//! their next page view takes them, and never written to the database or the URL.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A secret not taken within this time is dropped.
const KEEP_FOR: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct OneTimeSecrets {
    secrets: Mutex<HashMap<(i64, String), (String, Instant)>>,
}

impl OneTimeSecrets {
    pub fn put(&self, user_id: i64, key: &str, secret: String) {
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        secrets.retain(|_, (_, at)| at.elapsed() < KEEP_FOR);
        secrets.insert((user_id, key.to_string()), (secret, Instant::now()));
    }

    /// The secret for this user and key, removed as it is read.
    pub fn take(&self, user_id: i64, key: &str) -> Option<String> {
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        secrets.remove(&(user_id, key.to_string())).filter(|(_, at)| at.elapsed() < KEEP_FOR).map(|(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_secret_is_given_once_and_only_to_its_user() {
        let secrets = super::OneTimeSecrets::default();
        secrets.put(1, "pos-1", "brt_x".into());
        assert_eq!(secrets.take(2, "pos-1"), None);
        assert_eq!(secrets.take(1, "pos-1").as_deref(), Some("brt_x"));
        assert_eq!(secrets.take(1, "pos-1"), None);
    }
}
