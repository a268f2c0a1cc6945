//! The time the jobs rules read: the system clock in a server, a clock a test sets and moves
//! (TTL, leases and deadlines are tested by moving it, never by sleeping).
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::model::platform::time::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Seconds since the epoch when fixed by a test; `None` follows the system clock.
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock that stands at `at` until a test moves it.
    pub fn fixed(at: Timestamp) -> Self {
        Clock { fixed: Some(Arc::new(AtomicI64::new(at.unix()))) }
    }

    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(secs) => Timestamp::from_unix(secs.load(Ordering::SeqCst)).unwrap_or_else(Timestamp::now),
            None => Timestamp::now(),
        }
    }

    /// Moves a fixed clock forward (a system clock moves by itself; this does nothing to it).
    pub fn advance(&self, secs: i64) {
        if let Some(fixed) = &self.fixed {
            fixed.fetch_add(secs, Ordering::SeqCst);
        }
    }
}
