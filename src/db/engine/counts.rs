//! Cached row counts for big lists. Counting a million devices on every page view would cost more
//! than the page itself, so a count is kept per filter for a short time and dropped as soon as a
//! write changes which rows exist (create, archive, import, purge). A count that has merely aged
//! is still shown while one background task counts again, so no page view waits for a recount
//! of a list that people keep looking at. The sites list's device count per site and a device's
//! health-check count are kept here too, under the same rules.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::engine::count_keys::CountKey;
use crate::db::engine::generations::{Domain, Generations};
use crate::db::engine::id_counts::IdCounts;

/// How long a count may be shown without recounting. Writes that change status (health checks)
/// do not invalidate: a status filter's total may lag by at most this long.
pub const COUNT_TTL: Duration = Duration::from_secs(30);
/// An aged count is shown (and recounted behind the page) for this long; an older one is counted
/// again before it is shown.
pub const STALE_LIMIT: Duration = Duration::from_secs(300);
/// Distinct filters remembered; beyond this the oldest entries go.
const MAX_ENTRIES: usize = 512;
/// Sites whose device counts are remembered (every site at a million devices). Kept apart from
/// the filters so that paging through the sites list never pushes out a fleet-wide total, which
/// costs far more to count again.
const MAX_SITES: usize = 16_384;
/// Devices whose health-check counts are remembered: a device reporting every 30 s has 86,400
/// checks a month, and counting them took PostgreSQL 23 ms.
const MAX_DEVICES: usize = 4_096;

struct Entry {
    total: u64,
    counted_at: Instant,
    generation: u64,
    /// A background recount of this entry is under way.
    recounting: bool,
}

/// What the cache knows about a key.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    Fresh(u64),
    /// Aged but usable; `recount` is true for the one caller that should start the recount.
    Aged {
        total: u64,
        recount: bool,
    },
    Unknown,
}

/// Counts by key, each under its domain's generation (see `Generations`).
pub struct CountCache {
    entries: Mutex<HashMap<CountKey, Entry>>,
    generations: Arc<Generations>,
    /// One count at a time: when many requests miss together, one counts and the rest reuse it.
    counting: tokio::sync::Mutex<()>,
    /// Active devices per site id, for the sites list.
    per_site: IdCounts<MAX_SITES>,
    /// Health checks per device id, for a device's history.
    device_checks: IdCounts<MAX_DEVICES>,
}

impl CountCache {
    /// The cache of `db`'s counts, following its generations. Shared: a recount in the
    /// background holds on to it.
    pub fn new(db: &crate::db::engine::Db) -> Arc<Self> {
        Self::following(db.generations().clone())
    }

    fn following(generations: Arc<Generations>) -> Arc<Self> {
        Arc::new(Self {
            entries: Mutex::default(),
            generations,
            counting: tokio::sync::Mutex::default(),
            per_site: IdCounts::default(),
            device_checks: IdCounts::default(),
        })
    }

    /// A fresh count for `key`, if one is known.
    pub fn get(&self, key: &CountKey) -> Option<u64> {
        let generation = self.generation(key.domain());
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|e| e.generation == generation && e.counted_at.elapsed() < COUNT_TTL).map(|e| e.total)
    }

    /// Remembers `total` for `key`, counted while `generation` was current.
    pub fn put(&self, key: CountKey, total: u64, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            let oldest = entries.iter().min_by_key(|(_, e)| e.counted_at).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, Entry { total, counted_at: Instant::now(), generation, recounting: false });
    }

    /// Fresh, aged (claiming the recount for the first caller to see it aged) or unknown.
    fn lookup(&self, key: &CountKey) -> Lookup {
        let generation = self.generation(key.domain());
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get_mut(key).filter(|e| e.generation == generation) {
            Some(e) if e.counted_at.elapsed() < COUNT_TTL => Lookup::Fresh(e.total),
            Some(e) if e.counted_at.elapsed() < STALE_LIMIT => {
                let recount = !std::mem::replace(&mut e.recounting, true);
                Lookup::Aged { total: e.total, recount }
            }
            _ => Lookup::Unknown,
        }
    }

    /// Counts `count_sql` again and remembers it under `key`; on failure the aged count stays
    /// and the next caller tries again.
    async fn recount(&self, db: &crate::db::engine::Db, key: CountKey, count_sql: crate::db::engine::Sql) {
        let generation = self.generation(key.domain());
        match crate::db::engine::run::fetch_count(db, count_sql).await {
            Ok(total) => self.put(key, total.max(0) as u64, generation),
            Err(e) => {
                tracing::warn!(error = %e, ?key, "background recount failed");
                let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(entry) = entries.get_mut(&key) {
                    entry.recounting = false;
                }
            }
        }
    }

    /// The generation to pass to `put` (read before counting, so a write during the count wins).
    pub fn generation(&self, domain: Domain) -> u64 {
        self.generations.current(domain)
    }

    /// Waits for any count in progress; hold the guard while counting, then `get` again first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn counting(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.counting.lock().await
    }

    /// The result of `count_sql` (a `select count(*)`), from the cache while fresh or aged (then
    /// recounted in the background); else counted once, however many requests ask at the same
    /// moment, and remembered under `key`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn count(
        self: &Arc<Self>,
        db: &crate::db::engine::Db,
        key: CountKey,
        count_sql: crate::db::engine::Sql,
    ) -> crate::db::engine::DbResult<u64> {
        match self.lookup(&key) {
            Lookup::Fresh(total) => return Ok(total),
            Lookup::Aged { total, recount } => {
                if recount {
                    let (cache, db) = (self.clone(), db.clone());
                    tokio::spawn(async move { cache.recount(&db, key, count_sql).await });
                }
                return Ok(total);
            }
            Lookup::Unknown => {}
        }
        let _one_at_a_time = self.counting().await;
        if let Some(total) = self.get(&key) {
            return Ok(total);
        }
        let generation = self.generation(key.domain());
        let total = crate::db::engine::run::fetch_count(db, count_sql).await?.max(0) as u64;
        self.put(key, total, generation);
        Ok(total)
    }

    /// The fresh device count of each site in `ids` (`None` where it must be counted).
    pub fn site_devices(&self, ids: &[i64]) -> Vec<Option<u64>> {
        self.per_site.fresh(ids, self.generation(Domain::Fleet), COUNT_TTL)
    }

    /// Remembers device counts by site id, counted while `generation` was current.
    pub fn put_site_devices(&self, counted: impl IntoIterator<Item = (i64, u64)>, generation: u64) {
        self.per_site.put(counted, generation);
    }

    /// A device's health-check count, if fresh. Checks do not drop it: it may lag by `COUNT_TTL`.
    pub fn device_checks(&self, device_pk: i64) -> Option<u64> {
        self.device_checks.fresh(&[device_pk], self.generation(Domain::Fleet), COUNT_TTL)[0]
    }

    /// Remembers a device's health-check count, counted while `generation` was current.
    pub fn put_device_checks(&self, device_pk: i64, total: u64, generation: u64) {
        self.device_checks.put([(device_pk, total)], generation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::admin::audit::AuditFilter;
    use crate::model::fleet::device_filter::DeviceFilter;

    fn devices() -> CountKey {
        CountKey::Devices(DeviceFilter::default(), String::new())
    }

    fn sites(q: &str) -> CountKey {
        CountKey::Sites { archived: false, q: q.to_string() }
    }

    #[test]
    fn keys_that_joined_text_would_confuse_stay_apart() {
        let cache = CountCache::following(Arc::default());
        let filter = |site: &str, firmware: &str| DeviceFilter {
            site: site.into(),
            firmware: firmware.into(),
            ..DeviceFilter::default()
        };
        let a = CountKey::Devices(filter("a|b", ""), String::new());
        let b = CountKey::Devices(filter("a", "b|"), String::new());
        cache.put(a.clone(), 1, 0);
        assert_eq!((cache.get(&a), cache.get(&b)), (Some(1), None));
    }

    #[test]
    fn each_domain_drops_only_its_own_counts() {
        let cache = CountCache::following(Arc::default());
        let audit = CountKey::AuditEvents(AuditFilter::default(), Default::default());
        cache.put(devices(), 5, cache.generation(Domain::Fleet));
        cache.put(audit.clone(), 9, cache.generation(Domain::Admin));
        cache.generations.advance(Domain::Admin);
        assert_eq!((cache.get(&devices()), cache.get(&audit)), (Some(5), None));
        cache.generations.advance_all();
        assert_eq!(cache.get(&devices()), None);
    }

    #[test]
    fn a_write_during_counting_discards_the_count() {
        let cache = CountCache::following(Arc::default());
        let generation = cache.generation(Domain::Fleet);
        cache.generations.advance(Domain::Fleet);
        cache.put(devices(), 10, generation);
        assert_eq!(cache.get(&devices()), None);
        cache.put(devices(), 11, cache.generation(Domain::Fleet));
        assert_eq!(cache.get(&devices()), Some(11));
        cache.generations.advance(Domain::Fleet);
        assert_eq!(cache.get(&devices()), None);
    }

    /// Makes `key`'s count look `age` old.
    fn age(cache: &CountCache, key: &CountKey, age: Duration) {
        let mut entries = cache.entries.lock().unwrap();
        entries.get_mut(key).unwrap().counted_at = Instant::now() - age;
    }

    #[test]
    fn an_aged_count_is_shown_and_recounted_once() {
        let cache = CountCache::following(Arc::default());
        cache.put(devices(), 10, cache.generation(Domain::Fleet));
        assert_eq!(cache.lookup(&devices()), Lookup::Fresh(10));
        age(&cache, &devices(), COUNT_TTL + Duration::from_secs(1));
        assert_eq!(cache.lookup(&devices()), Lookup::Aged { total: 10, recount: true });
        assert_eq!(cache.lookup(&devices()), Lookup::Aged { total: 10, recount: false }, "one recount at a time");
        cache.put(devices(), 12, cache.generation(Domain::Fleet));
        assert_eq!(cache.lookup(&devices()), Lookup::Fresh(12));
        age(&cache, &devices(), STALE_LIMIT);
        assert_eq!(cache.lookup(&devices()), Lookup::Unknown, "too old to show");
    }

    #[test]
    fn a_write_makes_an_aged_count_unknown() {
        let cache = CountCache::following(Arc::default());
        cache.put(devices(), 10, cache.generation(Domain::Fleet));
        age(&cache, &devices(), COUNT_TTL + Duration::from_secs(1));
        cache.generations.advance(Domain::Fleet);
        assert_eq!(cache.lookup(&devices()), Lookup::Unknown);
    }

    #[test]
    fn site_device_counts_are_kept_apart_and_dropped_by_a_write() {
        let cache = CountCache::following(Arc::default());
        cache.put(devices(), 100, cache.generation(Domain::Fleet));
        cache.put_site_devices((0..(MAX_ENTRIES as i64 * 2)).map(|id| (id, 7)), cache.generation(Domain::Fleet));
        assert_eq!(cache.get(&devices()), Some(100), "site counts do not push out a total");
        assert_eq!(cache.site_devices(&[3, 1_000_000]), vec![Some(7), None]);
        cache.generations.advance(Domain::Fleet);
        assert_eq!(cache.site_devices(&[3]), vec![None]);
    }

    #[test]
    fn device_check_counts_are_kept_apart_and_dropped_by_a_write() {
        let cache = CountCache::following(Arc::default());
        cache.put_site_devices([(5, 7)], cache.generation(Domain::Fleet));
        cache.put_device_checks(5, 86_400, cache.generation(Domain::Fleet));
        assert_eq!((cache.device_checks(5), cache.site_devices(&[5])), (Some(86_400), vec![Some(7)]));
        assert_eq!(cache.device_checks(6), None);
        cache.generations.advance(Domain::Fleet);
        assert_eq!(cache.device_checks(5), None);
    }

    #[test]
    fn per_site_counts_stay_bounded() {
        let cache = CountCache::following(Arc::default());
        cache.put_site_devices((0..(MAX_SITES as i64 + 10)).map(|id| (id, 1)), cache.generation(Domain::Fleet));
        assert!(cache.per_site.len() <= MAX_SITES);
        assert_eq!(cache.site_devices(&[MAX_SITES as i64 + 9]), vec![Some(1)]);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = CountCache::following(Arc::default());
        for i in 0..(MAX_ENTRIES + 10) {
            cache.put(sites(&format!("k{i}")), i as u64, 0);
        }
        assert_eq!(cache.entries.lock().unwrap().len(), MAX_ENTRIES);
        assert_eq!(cache.get(&sites(&format!("k{}", MAX_ENTRIES + 9))), Some((MAX_ENTRIES + 9) as u64));
    }
}
