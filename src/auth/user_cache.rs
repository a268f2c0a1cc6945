//! Session users remembered for a few seconds, so a page view reads its session row but not
//! also its user row. This is safe because every change that takes rights away (deactivation,
//! role change, password reset) also deletes that user's sessions, and sessions are still read
//! (or, on PostgreSQL, believed only until a change is announced). Any change to the users table
//! moves the users generation: in this process every state-changing request moves it, and on
//! PostgreSQL a trigger announces changes made by other servers (`db::engine::change_feed`).
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::engine::generations::{Domain, Generations};
use crate::model::platform::user::CurrentUser;

/// The longest a user is remembered, whatever is announced.
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
    generations: Arc<Generations>,
}

impl UserCache {
    /// A cache that follows a database's users generation.
    pub fn following(generations: Arc<Generations>) -> Self {
        Self { entries: Mutex::default(), generations }
    }

    /// The remembered answer for `id`: `Some(None)` means "no valid user", `None` "not known".
    pub fn get(&self, id: i64) -> Option<Option<CurrentUser>> {
        let generation = self.generation();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&id).filter(|e| e.generation == generation && e.loaded_at.elapsed() < TTL).map(|e| e.user.clone())
    }

    /// The generation to pass to `put`: read it before loading, so a write during the load wins.
    pub fn generation(&self) -> u64 {
        self.generations.current(Domain::Users)
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
        self.generations.advance(Domain::Users);
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
            zone: Default::default(),
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
