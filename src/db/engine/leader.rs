//! Which server runs the background work (scheduled backups, maintenance, the session sweep)
//! when several share one PostgreSQL database: the one that holds an advisory lock on a
//! connection of its own. The others try again every `retry`; when the leader dies its
//! connection closes, PostgreSQL releases the lock, and the next try takes it over.
//!
//! A leader that merely loses its network is dropped by PostgreSQL's keepalives on that
//! connection (10 s idle, then 3 probes 5 s apart: 25 s), while it stops believing it leads
//! within one unanswered ping (`retry`, at most 5 s), so two servers never both act as leader.
//! Each run also asks the database first (`confirm`), not a flag. SQLite has one server per
//! file (the data directory's lock), so there this process always leads.
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{watch, Mutex, Notify};

use super::Db;

/// The advisory lock's key: "backroom" in ASCII. Advisory locks belong to one database, so
/// servers of other databases on the same PostgreSQL never contend for it.
const LOCK_KEY: i64 = 0x6261_636b_726f_6f6d;
/// How often a follower tries the lock and a leader proves it still holds it.
pub const RETRY: Duration = Duration::from_secs(5);

/// Cheap to clone; every background task asks it before each run.
#[derive(Clone, Debug)]
pub struct Leadership {
    leading: watch::Sender<bool>,
    /// Ends the competition (`resign`).
    stop: Arc<Notify>,
    /// The lock's connection (PostgreSQL), shared with `confirm`.
    conn: Option<Arc<Mutex<Option<PgConnection>>>>,
}

impl Leadership {
    /// Starts competing for the lock on PostgreSQL (trying every `retry`); on SQLite, leads.
    pub fn start(db: &Db, retry: Duration) -> Self {
        match (db, tokio::runtime::Handle::try_current()) {
            (Db::Postgres(pool, ..), Ok(runtime)) => {
                let conn = Arc::new(Mutex::new(None));
                let this = Self { leading: watch::Sender::new(false), stop: Arc::default(), conn: Some(conn) };
                let options = (*pool.connect_options()).clone();
                runtime.spawn(this.clone().compete(options, retry, pool.clone()));
                this
            }
            (Db::Postgres(..), Err(_)) => Self { leading: watch::Sender::new(false), stop: Arc::default(), conn: None },
            (Db::Sqlite(..), _) => Self { leading: watch::Sender::new(true), stop: Arc::default(), conn: None },
        }
    }

    /// What this process last knew: whether it holds the lock.
    pub fn is_leader(&self) -> bool {
        *self.leading.borrow()
    }

    /// Asks the database whether this process holds the lock right now (on SQLite: yes). A
    /// background task calls it before each run, so a leader that lost its connection a moment
    /// ago does not run what its successor will.
    pub async fn confirm(&self) -> bool {
        let Some(conn) = &self.conn else { return self.is_leader() };
        let mut guard = conn.lock().await;
        let Some(held) = guard.as_mut() else { return false };
        let ask = sqlx::query_scalar::<_, bool>(
            "select exists (select 1 from pg_locks where locktype = 'advisory' and granted \
             and pid = pg_backend_pid() and objsubid = 1 \
             and ((classid::bigint << 32) | objid::bigint) = $1)",
        )
        .bind(LOCK_KEY)
        .fetch_one(held);
        let holds = matches!(tokio::time::timeout(RETRY, ask).await, Ok(Ok(true)));
        if !holds {
            *guard = None;
            self.leading.send_replace(false);
        }
        holds
    }

    /// Waits until this process leads (tests).
    pub async fn leading(&self) {
        let _ = self.leading.subscribe().wait_for(|l| *l).await;
    }

    /// Lets go of the lock and stops competing, as a server that dies does (tests; `serve`
    /// simply exits).
    pub async fn resign(&self) {
        self.stop.notify_one();
        self.let_go().await;
    }

    async fn let_go(&self) {
        if let Some(conn) = &self.conn {
            if let Some(held) = conn.lock().await.take() {
                let _ = held.close().await;
            }
        }
        self.leading.send_replace(false);
    }

    async fn compete(self, options: PgConnectOptions, retry: Duration, pool: sqlx::PgPool) {
        tokio::select! {
            () = pool.close_event() => {}
            () = self.stop.notified() => {}
            () = self.keep_competing(options, retry) => {}
        }
        self.let_go().await;
    }

    async fn keep_competing(&self, options: PgConnectOptions, retry: Duration) {
        let conn = self.conn.clone().unwrap_or_default();
        loop {
            if conn.lock().await.is_none() {
                match options.connect().await {
                    Ok(fresh) => *conn.lock().await = keepalives(fresh).await,
                    Err(e) => tracing::warn!(error = %e, "leader election: cannot connect"),
                }
            }
            if self.is_leader() {
                if !self.confirm().await {
                    tracing::warn!("this server lost the scheduler lock; background work stops here");
                }
            } else if self.try_lock(&conn).await {
                tracing::info!("this server holds the scheduler lock and runs the background work");
                self.leading.send_replace(true);
            }
            tokio::time::sleep(retry).await;
        }
    }

    async fn try_lock(&self, conn: &Mutex<Option<PgConnection>>) -> bool {
        let mut guard = conn.lock().await;
        let Some(held) = guard.as_mut() else { return false };
        let attempt = sqlx::query_scalar::<_, bool>("select pg_try_advisory_lock($1)").bind(LOCK_KEY).fetch_one(held);
        match tokio::time::timeout(RETRY, attempt).await {
            Ok(Ok(got)) => got,
            _ => {
                *guard = None;
                false
            }
        }
    }
}

/// Makes PostgreSQL notice a vanished leader within 25 s (see the module's note).
async fn keepalives(mut conn: PgConnection) -> Option<PgConnection> {
    let set = "set tcp_keepalives_idle = 10; set tcp_keepalives_interval = 5; set tcp_keepalives_count = 3";
    match sqlx::raw_sql(set).execute(&mut conn).await {
        Ok(_) => Some(conn),
        Err(e) => {
            tracing::warn!(error = %e, "leader election: cannot set keepalives");
            None
        }
    }
}
