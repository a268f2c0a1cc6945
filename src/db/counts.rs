//! Cached row counts for big lists. Counting a million devices on every page view would cost more
//! than the page itself, so a count is kept per filter for a short time and dropped as soon as a
//! write changes which rows exist (create, archive, import, purge).
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a count may be shown without recounting. Writes that change status (health checks)
/// do not invalidate: a status filter's total may lag by at most this long.
pub const COUNT_TTL: Duration = Duration::from_secs(30);
/// Distinct filters remembered; beyond this the oldest entries go.
const MAX_ENTRIES: usize = 512;

struct Entry {
    total: u64,
    counted_at: Instant,
    generation: u64,
}

/// Counts by filter key, with a generation that writers bump.
#[derive(Default)]
pub struct CountCache {
    entries: Mutex<HashMap<String, Entry>>,
    generation: AtomicU64,
    /// One count at a time: when many requests miss together, one counts and the rest reuse it.
    counting: tokio::sync::Mutex<()>,
}

impl CountCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A fresh count for `key`, if one is known.
    pub fn get(&self, key: &str) -> Option<u64> {
        let generation = self.generation.load(Ordering::Acquire);
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|e| e.generation == generation && e.counted_at.elapsed() < COUNT_TTL).map(|e| e.total)
    }

    /// Remembers `total` for `key`, counted while `generation` was current.
    pub fn put(&self, key: String, total: u64, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            let oldest = entries.iter().min_by_key(|(_, e)| e.counted_at).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, Entry { total, counted_at: Instant::now(), generation });
    }

    /// The generation to pass to `put` (read before counting, so a write during the count wins).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Waits for any count in progress; hold the guard while counting, then `get` again first.
    pub async fn counting(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.counting.lock().await
    }

    /// The result of `count_sql` (a `select count(*)`), from the cache while fresh; else counted
    /// once, however many requests ask at the same moment, and remembered under `key`.
    pub async fn count(&self, db: &super::Db, key: String, count_sql: super::Sql) -> super::DbResult<u64> {
        if let Some(total) = self.get(&key) {
            return Ok(total);
        }
        let _one_at_a_time = self.counting().await;
        if let Some(total) = self.get(&key) {
            return Ok(total);
        }
        let generation = self.generation();
        let total = super::sql::fetch_count(db, count_sql).await?.max(0) as u64;
        self.put(key, total, generation);
        Ok(total)
    }

    /// Forgets every count: the set of rows changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_during_counting_discards_the_count() {
        let cache = CountCache::new();
        let generation = cache.generation();
        cache.invalidate();
        cache.put("devices".into(), 10, generation);
        assert_eq!(cache.get("devices"), None);
        cache.put("devices".into(), 11, cache.generation());
        assert_eq!(cache.get("devices"), Some(11));
        cache.invalidate();
        assert_eq!(cache.get("devices"), None);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = CountCache::new();
        for i in 0..(MAX_ENTRIES + 10) {
            cache.put(format!("k{i}"), i as u64, 0);
        }
        assert_eq!(cache.entries.lock().unwrap().len(), MAX_ENTRIES);
        assert_eq!(cache.get(&format!("k{}", MAX_ENTRIES + 9)), Some((MAX_ENTRIES + 9) as u64));
    }
}
