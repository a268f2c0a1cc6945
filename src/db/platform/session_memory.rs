//! The session rows this process read or wrote lately, as stored: to skip a save that would
//! only move the expiry by less than a minute, and (while `session_watch` is live) to answer a
//! load without reading the row again.
use std::collections::HashMap;
use std::sync::Mutex;

/// Session data as tower-sessions holds it.
pub type SessionData = HashMap<String, serde_json::Value>;

/// Remembered sessions before old entries are dropped.
const MAX_ENTRIES: usize = 10_000;

struct Remembered {
    data: SessionData,
    /// The stored expiry, in Unix seconds.
    expires: i64,
    /// The watch generation the row was read or written under; `None` when the watch was off,
    /// and then the entry never answers a load.
    generation: Option<u64>,
}

#[derive(Default)]
pub struct RecentSessions {
    entries: Mutex<HashMap<String, Remembered>>,
}

impl std::fmt::Debug for RecentSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecentSessions").finish_non_exhaustive()
    }
}

impl RecentSessions {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Remembered>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes what the row `key` holds now. `generation` must be read before the row was.
    pub fn remember(&self, key: &str, data: SessionData, expires: i64, generation: Option<u64>) {
        let mut entries = self.entries();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key.to_string(), Remembered { data, expires, generation });
    }

    /// True when the row already holds `data` and an expiry less than `within` seconds older.
    pub fn is_fresh(&self, key: &str, data: &SessionData, expires: i64, within: i64) -> bool {
        self.entries().get(key).is_some_and(|r| r.data == *data && (0..within).contains(&(expires - r.expires)))
    }

    /// The row's data and expiry, if read under `generation` and not expired at `now`.
    pub fn answer(&self, key: &str, generation: u64, now: i64) -> Option<(SessionData, i64)> {
        let entries = self.entries();
        let r = entries.get(key).filter(|r| r.generation == Some(generation) && r.expires > now)?;
        Some((r.data.clone(), r.expires))
    }

    pub fn forget(&self, key: &str) {
        self.entries().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_row_read_under_the_current_generation_and_unexpired_answers() {
        let recent = RecentSessions::default();
        let data: SessionData = [("auth".to_string(), serde_json::json!(1))].into();
        let other: SessionData = [("auth".to_string(), serde_json::json!(2))].into();
        recent.remember("k", data.clone(), 100, Some(3));
        assert_eq!(recent.answer("k", 3, 99), Some((data.clone(), 100)));
        assert_eq!(recent.answer("k", 4, 99), None, "a later generation");
        assert_eq!(recent.answer("k", 3, 100), None, "expired");
        assert!(recent.is_fresh("k", &data, 130, 60));
        assert!(!recent.is_fresh("k", &other, 130, 60), "changed data");
        assert!(!recent.is_fresh("k", &data, 160, 60), "a minute later");
        recent.remember("k", data.clone(), 100, None);
        assert_eq!(recent.answer("k", 3, 99), None, "read while the watch was off");
        recent.forget("k");
        assert!(!recent.is_fresh("k", &data, 130, 60));
    }
}
