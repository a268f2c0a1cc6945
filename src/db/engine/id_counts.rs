//! Counts kept per row id (a site's devices, a device's health checks), each kind in a map of
//! its own with a bound, so that many pages viewed never push out a list's total.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Counted {
    total: u64,
    counted_at: Instant,
    generation: u64,
}

/// At most `CAP` counts by id; when full, the map starts again from empty (cheaper than finding
/// the oldest, and each of these counts is quick to make again).
#[derive(Default)]
pub struct IdCounts<const CAP: usize> {
    entries: Mutex<HashMap<i64, Counted>>,
}

impl<const CAP: usize> IdCounts<CAP> {
    /// The count of each of `ids` made under `generation` less than `ttl` ago, else `None`.
    pub fn fresh(&self, ids: &[i64], generation: u64, ttl: Duration) -> Vec<Option<u64>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = |id: &i64| entries.get(id).filter(|e| e.generation == generation && e.counted_at.elapsed() < ttl);
        ids.iter().map(|id| fresh(id).map(|e| e.total)).collect()
    }

    /// Remembers counts by id, made while `generation` was current.
    pub fn put(&self, counted: impl IntoIterator<Item = (i64, u64)>, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for (id, total) in counted {
            if entries.len() >= CAP && !entries.contains_key(&id) {
                entries.clear();
            }
            entries.insert(id, Counted { total, counted_at: Instant::now(), generation });
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }
}
