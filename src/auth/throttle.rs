//! Login throttling (AS-4, AS-12, AS-13): at most N failed logins per account per hour, whatever
//! the client address and whichever server it reached (kept in the database:
//! `db::platform::login_failures`), plus a per-client token bucket in this process (a burst,
//! then 429 with Retry-After). Accounts and clients are kept as 16-byte hashes, so anonymous
//! input of any length costs the same few bytes; an attempt in flight holds a slot of its
//! account's limit until it is decided, so concurrent guesses cannot run more verifies than the
//! limit allows.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::db::engine::{Db, DbResult};
use crate::db::platform::login_failures::{self, Reservation};
use crate::model::platform::time::Timestamp;

const WINDOW: Duration = Duration::from_secs(3600);
/// Entries kept before stale ones are pruned, so a flood of names cannot grow memory unbounded.
const PRUNE_AT: usize = 50_000;
const PRUNE_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub failures_per_account_per_hour: usize,
    pub client_burst: f64,
    pub client_refill_per_sec: f64,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self { failures_per_account_per_hour: 100, client_burst: 20.0, client_refill_per_sec: 1.0 / 3.0 }
    }
}

/// A throttle key: the first 16 bytes of the SHA-256 of the lower-cased text.
type Key = [u8; 16];

fn key(text: &str) -> Key {
    let digest = Sha256::digest(text.to_lowercase().as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The answer to "may this attempt run?".
#[derive(Debug)]
pub enum Decision {
    /// It may; the attempt holds one slot of its account's limit until it is decided.
    Allow(Attempt),
    /// Refused; retry after `secs`. `audit` is true for the first refusal of this account and
    /// client in the window, so a flood of refused attempts writes one audit row, not one each.
    Wait { secs: u64, audit: bool },
}

/// An attempt in flight: its slot counts against its account's limit until it succeeds.
#[derive(Debug)]
#[must_use = "say whether the attempt succeeded or failed"]
pub struct Attempt {
    reservation: Reservation,
}

impl Attempt {
    /// The password matched: the slot goes back to the account.
    pub async fn succeeded(self, db: &Db) -> DbResult<()> {
        login_failures::release(db, self.reservation).await
    }

    /// The attempt failed: its slot stays taken, as the recorded failure.
    pub fn failed(self) {}
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Default)]
struct State {
    clients: HashMap<Key, Bucket>,
    /// When a refusal of (account, client) was last audited.
    audited: HashMap<(Key, Key), Instant>,
    pruned: Option<Instant>,
}

pub struct LoginThrottle {
    limits: ThrottleLimits,
    state: Mutex<State>,
}

impl std::fmt::Debug for LoginThrottle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginThrottle").field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self { limits, state: Mutex::new(State::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Decides whether a login attempt may run. Every attempt spends a client token first (a
    /// locked account does not exempt its client); an allowed one reserves an account slot in
    /// the database.
    pub async fn check(&self, db: &Db, account: &str, client: &str) -> DbResult<Decision> {
        let (account, client) = (key(account), key(client));
        // A client out of tokens is audited once per window whatever names it tries, so a flood
        // of new names is not a flood of rows; a locked account once per account and client,
        // which the client's own tokens already bound.
        if let Some(secs) = self.spend_client_token(client) {
            return Ok(Decision::Wait { secs, audit: self.first_refusal(ANY_ACCOUNT, client) });
        }
        let limit = i64::try_from(self.limits.failures_per_account_per_hour).unwrap_or(i64::MAX);
        Ok(match login_failures::reserve(db, &hex(&account), limit, Timestamp::now().unix()).await? {
            Ok(reservation) => Decision::Allow(Attempt { reservation }),
            Err(secs) => Decision::Wait { secs, audit: self.first_refusal(account, client) },
        })
    }

    /// Takes a token from the client's bucket, or says how long until one is there.
    fn spend_client_token(&self, client: Key) -> Option<u64> {
        let (now, limits) = (Instant::now(), self.limits);
        let mut state = self.lock();
        state.prune(now);
        let bucket = state.clients.entry(client).or_insert(Bucket { tokens: limits.client_burst, at: now });
        let refilled = bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * limits.client_refill_per_sec;
        bucket.tokens = refilled.min(limits.client_burst);
        bucket.at = now;
        if bucket.tokens < 1.0 {
            let wait = (1.0 - bucket.tokens) / limits.client_refill_per_sec;
            return Some(wait.ceil().max(1.0) as u64);
        }
        bucket.tokens -= 1.0;
        None
    }

    /// True for the first refusal of (account, client) in a window: that one is audited.
    fn first_refusal(&self, account: Key, client: Key) -> bool {
        let now = Instant::now();
        let mut state = self.lock();
        let last = state.audited.get(&(account, client)).copied();
        let first = last.is_none_or(|at| now.duration_since(at) >= WINDOW);
        if first {
            state.audited.insert((account, client), now);
        }
        first
    }
}

/// The audit key of a refusal by the client's bucket, whatever account it named.
const ANY_ACCOUNT: Key = [0; 16];

impl State {
    /// Drops entries idle for a window, at most every `PRUNE_EVERY` once the maps are large (a
    /// walk of 50,000 entries on every attempt would itself be the cost of a flood).
    fn prune(&mut self, now: Instant) {
        if self.clients.len() + self.audited.len() < PRUNE_AT
            || self.pruned.is_some_and(|at| now.duration_since(at) < PRUNE_EVERY)
        {
            return;
        }
        self.pruned = Some(now);
        let fresh = |t: &Instant| now.duration_since(*t) < WINDOW;
        self.clients.retain(|_, b| fresh(&b.at));
        self.audited.retain(|_, at| fresh(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_client_gets_a_burst_then_waits() {
        let t = LoginThrottle::new(ThrottleLimits { client_burst: 3.0, ..Default::default() });
        let client = key("198.51.100.7");
        for _ in 0..3 {
            assert_eq!(t.spend_client_token(client), None);
        }
        assert!(matches!(t.spend_client_token(client), Some(secs) if secs <= 3));
        assert_eq!(t.spend_client_token(key("198.51.100.8")), None, "another client has its own bucket");
    }

    #[test]
    fn a_refusal_is_audited_once_per_account_client_and_window() {
        let t = LoginThrottle::new(ThrottleLimits::default());
        let client = key("203.0.113.9");
        let audits = (0..1000).filter(|_| t.first_refusal(ANY_ACCOUNT, client)).count();
        assert_eq!(audits, 1);
        assert!(t.first_refusal(key("alice"), client), "a locked account is audited apart");
        assert!(!t.first_refusal(key("ALICE"), client), "names are compared without case");
    }
}
