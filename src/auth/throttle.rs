//! Login throttling (AS-4, AS-12, AS-13): at most N failed logins per account per hour, whatever
//! the client address, plus a per-client token bucket (a burst, then 429 with Retry-After).
//! Accounts and clients are kept as 16-byte hashes, so anonymous input of any length costs the
//! same few bytes; an attempt in flight holds a slot of its account's limit until it is decided,
//! so concurrent guesses cannot run more verifies than the limit allows.
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

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

/// The answer to "may this attempt run?".
#[derive(Debug)]
pub enum Decision<'a> {
    /// It may; the attempt holds one slot of its account's limit until it is dropped or failed.
    Allow(Attempt<'a>),
    /// Refused; retry after `secs`. `audit` is true for the first refusal of this account and
    /// client in the window, so a flood of refused attempts writes one audit row, not one each.
    Wait { secs: u64, audit: bool },
}

/// An attempt in flight: it counts against its account's limit until it ends.
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: Key,
}

impl Attempt<'_> {
    /// The attempt failed: its reserved slot becomes a recorded failure.
    pub fn failed(self) {
        let mut state = self.throttle.lock();
        state.accounts.entry(self.account).or_default().failures.push_back(Instant::now());
        // Drop releases the reservation.
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        let mut state = self.throttle.lock();
        if let Some(account) = state.accounts.get_mut(&self.account) {
            account.in_flight = account.in_flight.saturating_sub(1);
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Default)]
struct Account {
    failures: VecDeque<Instant>,
    in_flight: usize,
}

#[derive(Default)]
struct State {
    accounts: HashMap<Key, Account>,
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
    /// locked account does not exempt its client); an allowed one reserves an account slot.
    pub fn check(&self, account: &str, client: &str) -> Decision<'_> {
        let (now, account, client) = (Instant::now(), key(account), key(client));
        let limit = self.limits.failures_per_account_per_hour;
        let mut state = self.lock();
        state.prune(now);
        // A client out of tokens is audited once per window whatever names it tries, so a flood
        // of new names is not a flood of rows; a locked account once per account and client,
        // which the client's own tokens already bound.
        let (wait, audit_key) = match state.spend_client_token(client, self.limits, now) {
            Some(secs) => (Some(secs), (ANY_ACCOUNT, client)),
            None => (state.account_wait(account, limit, now), (account, client)),
        };
        match wait {
            Some(secs) => {
                let last = state.audited.get(&audit_key).copied();
                let audit = last.is_none_or(|at| now.duration_since(at) >= WINDOW);
                if audit {
                    state.audited.insert(audit_key, now);
                }
                Decision::Wait { secs, audit }
            }
            None => {
                state.accounts.entry(account).or_default().in_flight += 1;
                Decision::Allow(Attempt { throttle: self, account })
            }
        }
    }
}

/// The audit key of a refusal by the client's bucket, whatever account it named.
const ANY_ACCOUNT: Key = [0; 16];

impl State {
    /// Takes a token from the client's bucket, or says how long until one is there.
    fn spend_client_token(&mut self, client: Key, limits: ThrottleLimits, now: Instant) -> Option<u64> {
        let bucket = self.clients.entry(client).or_insert(Bucket { tokens: limits.client_burst, at: now });
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

    /// How long until the account may be tried again, if its failures and attempts in flight
    /// fill its limit.
    fn account_wait(&mut self, account: Key, limit: usize, now: Instant) -> Option<u64> {
        let entry = self.accounts.entry(account).or_default();
        while entry.failures.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            entry.failures.pop_front();
        }
        (entry.failures.len() + entry.in_flight >= limit).then(|| {
            let oldest = entry.failures.front().copied().unwrap_or(now);
            (WINDOW.saturating_sub(now.duration_since(oldest))).as_secs().max(1)
        })
    }

    /// Drops entries idle for a window, at most every `PRUNE_EVERY` once the maps are large (a
    /// walk of 50,000 entries on every attempt would itself be the cost of a flood).
    fn prune(&mut self, now: Instant) {
        if self.accounts.len() + self.clients.len() + self.audited.len() < PRUNE_AT
            || self.pruned.is_some_and(|at| now.duration_since(at) < PRUNE_EVERY)
        {
            return;
        }
        self.pruned = Some(now);
        let fresh = |t: &Instant| now.duration_since(*t) < WINDOW;
        self.accounts.retain(|_, a| a.in_flight > 0 || a.failures.back().is_some_and(fresh));
        self.clients.retain(|_, b| fresh(&b.at));
        self.audited.retain(|_, at| fresh(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(d: Decision<'_>) -> Attempt<'_> {
        match d {
            Decision::Allow(attempt) => attempt,
            Decision::Wait { .. } => panic!("refused"),
        }
    }

    #[test]
    fn the_101st_failure_in_an_hour_is_refused_from_any_client() {
        let t = LoginThrottle::new(ThrottleLimits::default());
        for i in 0..100 {
            allowed(t.check("Alice", &format!("10.0.0.{i}"))).failed();
        }
        assert!(matches!(t.check("ALICE", "192.0.2.1"), Decision::Wait { secs, audit: true } if secs > 3000));
        assert!(matches!(t.check("alice", "192.0.2.1"), Decision::Wait { audit: false, .. }));
        drop(allowed(t.check("bob", "192.0.2.1")));
    }

    #[test]
    fn attempts_in_flight_hold_their_slots() {
        let t = LoginThrottle::new(ThrottleLimits { failures_per_account_per_hour: 3, ..Default::default() });
        allowed(t.check("carol", "10.0.0.1")).failed();
        let (a, b) = (allowed(t.check("carol", "10.0.0.2")), allowed(t.check("carol", "10.0.0.3")));
        assert!(matches!(t.check("carol", "10.0.0.4"), Decision::Wait { .. }));
        drop(a);
        b.failed();
        let c = allowed(t.check("carol", "10.0.0.5"));
        assert!(matches!(t.check("carol", "10.0.0.6"), Decision::Wait { .. }));
        drop(c);
    }

    #[test]
    fn one_client_gets_a_burst_then_waits_even_for_a_locked_account() {
        let t = LoginThrottle::new(ThrottleLimits {
            client_burst: 3.0,
            failures_per_account_per_hour: 1,
            ..Default::default()
        });
        allowed(t.check("x", "198.51.100.7")).failed();
        for _ in 0..2 {
            assert!(matches!(t.check("x", "198.51.100.7"), Decision::Wait { secs, .. } if secs > 60));
        }
        assert!(matches!(t.check("y", "198.51.100.7"), Decision::Wait { secs, .. } if secs <= 3));
    }

    #[test]
    fn a_client_out_of_tokens_is_audited_once_whatever_names_it_tries() {
        let t = LoginThrottle::new(ThrottleLimits { client_burst: 2.0, ..Default::default() });
        drop(allowed(t.check("a", "203.0.113.9")));
        drop(allowed(t.check("b", "203.0.113.9")));
        let audits = (0..1000)
            .filter(|i| matches!(t.check(&format!("name{i}"), "203.0.113.9"), Decision::Wait { audit: true, .. }))
            .count();
        assert_eq!(audits, 1);
    }
}
