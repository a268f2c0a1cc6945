//! Login throttling (AS-4): at most N failed logins per account per hour, whatever the client
//! address, plus a per-client token bucket (a burst, then 429 with Retry-After).
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(3600);
/// Entries kept before stale ones are pruned, so a flood of names cannot grow memory unbounded.
const PRUNE_AT: usize = 50_000;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Refused; retry after this many seconds.
    Wait(u64),
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Default)]
struct State {
    failures: HashMap<String, VecDeque<Instant>>,
    clients: HashMap<String, Bucket>,
}

pub struct LoginThrottle {
    limits: ThrottleLimits,
    state: Mutex<State>,
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self { limits, state: Mutex::new(State::default()) }
    }

    /// Decides whether a login attempt may run; an allowed attempt spends one client token.
    pub fn check(&self, account: &str, client: &str) -> Decision {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.prune(now);
        if let Some(list) = state.failures.get_mut(&account.to_lowercase()) {
            while list.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                list.pop_front();
            }
            if list.len() >= self.limits.failures_per_account_per_hour {
                let oldest = list.front().copied().unwrap_or(now);
                return Decision::Wait((WINDOW - now.duration_since(oldest)).as_secs().max(1));
            }
        }
        let limits = self.limits;
        let bucket = state.clients.entry(client.to_string()).or_insert(Bucket { tokens: limits.client_burst, at: now });
        let refilled = bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * limits.client_refill_per_sec;
        bucket.tokens = refilled.min(limits.client_burst);
        bucket.at = now;
        if bucket.tokens < 1.0 {
            let wait = (1.0 - bucket.tokens) / limits.client_refill_per_sec;
            return Decision::Wait(wait.ceil().max(1.0) as u64);
        }
        bucket.tokens -= 1.0;
        Decision::Allow
    }

    /// Counts a failed attempt against the account (existing or not: the answer must not differ).
    pub fn record_failure(&self, account: &str) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.failures.entry(account.to_lowercase()).or_default().push_back(Instant::now());
    }
}

impl State {
    fn prune(&mut self, now: Instant) {
        if self.failures.len() + self.clients.len() < PRUNE_AT {
            return;
        }
        self.failures.retain(|_, list| list.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        self.clients.retain(|_, b| now.duration_since(b.at) < WINDOW);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_101st_failure_in_an_hour_is_refused_from_any_client() {
        let t = LoginThrottle::new(ThrottleLimits::default());
        for i in 0..100 {
            assert_eq!(t.check("alice", &format!("10.0.0.{i}")), Decision::Allow);
            t.record_failure("Alice");
        }
        assert!(matches!(t.check("ALICE", "192.0.2.1"), Decision::Wait(s) if s > 3000));
        assert_eq!(t.check("bob", "192.0.2.1"), Decision::Allow);
    }

    #[test]
    fn one_client_gets_a_burst_then_waits() {
        let t = LoginThrottle::new(ThrottleLimits { client_burst: 3.0, ..Default::default() });
        for _ in 0..3 {
            assert_eq!(t.check("x", "198.51.100.7"), Decision::Allow);
        }
        assert!(matches!(t.check("y", "198.51.100.7"), Decision::Wait(_)));
    }
}
