//! Whether this process may answer a session from memory. On PostgreSQL every change to the
//! sessions table, by whichever process, is announced (a trigger, migration 0012) and heard by
//! this server's change listener (`db::engine::change_feed`), which moves the sessions
//! generation; the session store serves a session from memory only while nothing moved it since
//! it read the row. Without a listener that hears (SQLite, or PostgreSQL while the listening
//! connection is down) every request reads its session row, as before: SQLite reads it in
//! microseconds on the calling thread.
//!
//! What this allows: a change made by another process (the CLI, a second server) is seen once
//! its notice arrives, which PostgreSQL sends at commit; in this process the middleware also
//! moves the generation after every state-changing request, so nothing waits on delivery.
use std::sync::Arc;

use crate::db::engine::change_feed;
use crate::db::engine::generations::{Domain, Generations};
use crate::db::engine::Db;

/// Shared by the session store (which reads it) and the middleware (which moves it); cheap to clone.
#[derive(Debug, Clone)]
pub struct SessionWatch {
    generations: Arc<Generations>,
}

impl SessionWatch {
    /// Follows `db`'s sessions generation, starting its change listener if it has none yet.
    pub fn start(db: &Db) -> Self {
        change_feed::start(db);
        Self { generations: db.generations().clone() }
    }

    /// The current generation, if sessions may be answered from memory at all.
    pub fn current(&self) -> Option<u64> {
        let from_memory = self.generations.is_shared() && self.generations.trusted();
        from_memory.then(|| self.generations.current(Domain::Sessions))
    }

    /// Forgets everything remembered so far (after a change this process made or may have missed).
    pub fn invalidate(&self) {
        self.generations.advance(Domain::Sessions);
    }

    /// Waits until the listener hears other processes (tests, to know a cache is in play).
    pub async fn live(&self) {
        self.generations.heard().await;
    }

    /// How many moves so far (pass to `moved_from`).
    pub fn moves(&self) -> u64 {
        self.generations.moves()
    }

    /// Waits until a generation moves after `seen` (tests, to see a notice land).
    pub async fn moved_from(&self, seen: u64) {
        self.generations.moved_from(seen).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_come_from_memory_only_on_a_shared_database_that_is_heard() {
        let local = SessionWatch { generations: Arc::default() };
        assert_eq!(local.current(), None, "SQLite reads every session");
        let shared = SessionWatch { generations: Arc::new(Generations::shared()) };
        assert_eq!(shared.current(), None, "not yet heard");
        shared.generations.set_hearing(true);
        let first = shared.current().expect("heard");
        assert_eq!(shared.current(), Some(first));
        shared.invalidate();
        assert_ne!(shared.current(), Some(first));
        shared.generations.set_hearing(false);
        assert_eq!(shared.current(), None);
    }
}
