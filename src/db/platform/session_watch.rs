//! Whether this process may answer a session from memory. On PostgreSQL a trigger announces
//! every change to the sessions table (`NOTIFY backroom_sessions`, migration 0009), whichever
//! process made it; a listener here counts those announcements, and the session store serves
//! a session from memory only while nothing was announced since it read the row. Without a
//! live listener (SQLite, or PostgreSQL while the listening connection is down) every request
//! reads its session row, as before: SQLite reads it in microseconds on the calling thread.
//!
//! What this allows: a change made by another process (the CLI, a second server) is seen once
//! its notification arrives, which PostgreSQL sends at commit; in this process the middleware
//! also moves the generation after every state-changing request, so nothing waits on delivery.
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tokio::sync::watch;

use crate::db::engine::Db;

/// The channel the sessions trigger notifies.
pub const CHANNEL: &str = "backroom_sessions";
/// The pause before listening again after the listening connection failed.
const RETRY_AFTER: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct State {
    /// A listener is subscribed: a change anywhere moves `generation`.
    live: bool,
    /// Moves on every announced (or possibly missed) change.
    generation: u64,
}

/// Shared by the session store (which reads it) and the middleware (which moves it); cheap to clone.
#[derive(Debug, Clone)]
pub struct SessionWatch {
    state: watch::Sender<State>,
}

impl SessionWatch {
    /// A watch that is never live: every session is read from the database.
    pub fn off() -> Self {
        Self { state: watch::Sender::new(State::default()) }
    }

    /// Starts listening when `db` is PostgreSQL and a runtime is running; else `off`.
    pub fn start(db: &Db) -> Self {
        let watch = Self::off();
        if let (Db::Postgres(pool, ..), Ok(runtime)) = (db, tokio::runtime::Handle::try_current()) {
            runtime.spawn(listen(pool.clone(), watch.clone()));
        }
        watch
    }

    /// The current generation, if sessions may be answered from memory at all.
    pub fn current(&self) -> Option<u64> {
        let state = *self.state.borrow();
        state.live.then_some(state.generation)
    }

    /// Forgets everything remembered so far (after a change this process made or may have missed).
    pub fn invalidate(&self) {
        self.state.send_modify(|s| s.generation = s.generation.wrapping_add(1));
    }

    /// Waits until the listener is subscribed (tests, to know a cache is in play).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn live(&self) {
        let _ = self.state.subscribe().wait_for(|s| s.live).await;
    }

    /// Waits until the generation differs from `seen` (tests, to see a notification land).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn moved_from(&self, seen: u64) {
        let _ = self.state.subscribe().wait_for(|s| s.generation != seen).await;
    }

    fn set_live(&self, live: bool) {
        self.state.send_modify(|s| {
            s.live = live;
            s.generation = s.generation.wrapping_add(1);
        });
    }
}

/// Counts notifications until the app's pool closes, listening again after a failure.
async fn listen(pool: PgPool, watch: SessionWatch) {
    // A connection of its own: the listener holds it for good, and the app's pool keeps all of its.
    let own = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_lazy_with((*pool.connect_options()).clone());
    tokio::select! {
        () = pool.close_event() => {}
        () = keep_listening(&own, &watch) => {}
    }
    watch.set_live(false);
    own.close().await;
}

async fn keep_listening(own: &PgPool, watch: &SessionWatch) {
    loop {
        match subscribe(own).await {
            Ok(mut listener) => {
                watch.set_live(true);
                let error = follow(&mut listener, watch).await;
                watch.set_live(false);
                tracing::warn!(%error, "session notifications stopped; sessions are read from the database");
            }
            Err(error) => tracing::warn!(%error, "cannot listen for session changes"),
        }
        tokio::time::sleep(RETRY_AFTER).await;
    }
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Moves the generation on every notification until the connection fails for good.
async fn follow(listener: &mut PgListener, watch: &SessionWatch) -> sqlx::Error {
    loop {
        match listener.try_recv().await {
            Ok(Some(_)) => watch.invalidate(),
            // The connection dropped and was made again: what was sent meanwhile is lost.
            Ok(None) => watch.invalidate(),
            Err(error) => return error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SessionWatch;

    #[test]
    fn an_off_watch_never_answers_from_memory() {
        let watch = SessionWatch::off();
        assert_eq!(watch.current(), None);
        watch.invalidate();
        assert_eq!(watch.current(), None);
        watch.set_live(true);
        let first = watch.current().expect("live");
        watch.invalidate();
        assert_ne!(watch.current(), Some(first));
        watch.set_live(false);
        assert_eq!(watch.current(), None);
    }
}
