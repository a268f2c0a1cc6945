//! Session users remembered for a few seconds, so a page view reads its session row but not
//! also its user row. This is safe because every change that takes rights away (deactivation,
//! role change, password reset) also deletes that user's sessions, and sessions are still read
//! on every request. What the cache may hold back is display data, and only for `TTL` in another
//! process: in this one, every state-changing request forgets everything.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::model::platform::user::CurrentUser;

/// The longest a change made by another server process goes unseen.
pub const TTL: Duration = Duration::from_secs(5);
/// Users remembered at most; when full, the cache starts over.
const MAX_ENTRIES: usize = 10_000;

struct Entry {
    /// `None`: no such user, or not allowed in (inactive, unknown role).
    user: Option<CurrentUser>,
    loaded_at: Instant,
    generation: u64,
}

#[derive(Default)]
pub struct UserCache {
    entries: Mutex<HashMap<i64, Entry>>,
    generation: AtomicU64,
}

impl UserCache {
    /// The remembered answer for `id`: `Some(None)` means "no valid user", `None` "not known".
    pub fn get(&self, id: i64) -> Option<Option<CurrentUser>> {
        let generation = self.generation();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&id).filter(|e| e.generation == generation && e.loaded_at.elapsed() < TTL).map(|e| e.user.clone())
    }

    /// The generation to pass to `put`: read it before loading, so a write during the load wins.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn put(&self, id: i64, user: Option<CurrentUser>, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(id, Entry { user, loaded_at: Instant::now(), generation });
    }

    /// Forgets every user (after any request that may have changed one).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::platform::user::Role;

    fn ana() -> CurrentUser {
        CurrentUser {
            id: 7,
            username: "ana".into(),
            full_name: String::new(),
            role: Role::Staff,
            must_change_password: false,
        }
    }

    #[test]
    fn a_write_during_a_load_discards_what_was_loaded() {
        let cache = UserCache::default();
        let before = cache.generation();
        cache.invalidate();
        cache.put(7, Some(ana()), before);
        assert_eq!(cache.get(7), None);
        cache.put(7, Some(ana()), cache.generation());
        assert_eq!(cache.get(7), Some(Some(ana())));
        cache.put(8, None, cache.generation());
        assert_eq!(cache.get(8), Some(None));
        cache.invalidate();
        assert_eq!(cache.get(7), None);
    }
}
