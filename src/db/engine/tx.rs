//! Write transactions: `Db::begin_write` gives a `Tx` whose statements are `Sql` values, so
//! a multi-step write is a plain `async fn(tx: &mut Tx)` with its audit row inside it.
use super::inline::InlineRow;
use super::inline_write::WriteConn;
use super::run::{bind_values, BothRows};
use std::sync::Arc;

use super::change_feed;
use super::generations::{Domain, Generations};
use super::{placeholders, Db, DbError, DbResult, Sql};

/// SQLite has one writer at a time. Writers of this process queue here instead of in SQLite's
/// busy handler, which sleeps in steps of up to 100 ms and so leaves the lock idle between them.
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits for this process's turn to write to SQLite (see `SQLITE_WRITER`).
pub async fn sqlite_writer() -> tokio::sync::MutexGuard<'static, ()> {
    SQLITE_WRITER.lock().await
}

/// `sqlite_writer` for a thread outside the async runtime (the health-check writer).
pub fn sqlite_writer_blocking() -> tokio::sync::MutexGuard<'static, ()> {
    SQLITE_WRITER.blocking_lock()
}

/// One write transaction on either engine. On SQLite it holds this process's writer turn and
/// began `IMMEDIATE` (writers queue instead of failing on lock upgrade); on PostgreSQL it is a
/// READ COMMITTED transaction (end a read with `Db::lock_for_update` where a write depends on
/// it). Dropped without `commit`, it rolls back. Its commit drops the cached counts of the
/// domains it said it `changes`, in this process and (PostgreSQL) in every server listening.
pub struct Tx {
    open: Open,
    generations: Arc<Generations>,
    changes: Vec<Domain>,
}

enum Open {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>, tokio::sync::MutexGuard<'static, ()>),
    /// A short write on the calling thread (`Db::begin_short_write`); the connection is
    /// dropped (rolled back) before the turn.
    Inline(WriteConn, tokio::sync::MutexGuard<'static, ()>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    /// Committed or handed to the rollback (see `Drop`).
    Done,
}

impl Db {
    /// Begins a write transaction (see `Tx`); refused while a restore pauses writes.
    pub async fn begin_write(&self) -> DbResult<Tx> {
        if self.generations().writes_paused() {
            return Err(DbError::Paused);
        }
        let open = match self {
            Db::Sqlite(pool, ..) => {
                let turn = sqlite_writer().await;
                Open::Sqlite(pool.begin_with("begin immediate").await?, turn)
            }
            Db::Postgres(pool, ..) => Open::Postgres(pool.begin().await?),
        };
        Ok(Tx { open, generations: self.generations().clone(), changes: Vec::new() })
    }

    /// `begin_write` for a transaction of a few statements on indexed rows (a device's report
    /// on its work): on a SQLite file its statements run on the calling thread, through the
    /// short writers' connection (`inline_write`), while it holds the writer turn.
    pub async fn begin_short_write(&self) -> DbResult<Tx> {
        let Db::Sqlite(pool, _, _, writer) = self else { return self.begin_write().await };
        if self.generations().writes_paused() {
            return Err(DbError::Paused);
        }
        let turn = sqlite_writer().await;
        let open = match writer.begin()? {
            Some(conn) => Open::Inline(conn, turn),
            // In memory, or another process writes: the pool's connection waits for it.
            None => Open::Sqlite(pool.begin_with("begin immediate").await?, turn),
        };
        Ok(Tx { open, generations: self.generations().clone(), changes: Vec::new() })
    }
}

/// The same body on whichever transaction `tx` holds; `$conn` names its connection.
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match &mut $tx.open {
            Open::Sqlite(tx, _) => {
                let $conn = &mut **tx;
                $body
            }
            Open::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
            Open::Inline(..) | Open::Done => return Err(DbError::Unavailable),
        }
    };
}

impl Tx {
    /// Runs a statement; yields the rows it changed.
    pub async fn execute(&mut self, sql: Sql) -> DbResult<u64> {
        if let Open::Inline(conn, _) = &mut self.open {
            return conn.execute(&sql);
        }
        Ok(on_tx!(self, |conn| bind_values!(placeholders::query(sql.text), sql.binds)
            .execute(conn)
            .await?
            .rows_affected()))
    }

    /// The first row, decoded; `NotFound` when there is none.
    pub async fn fetch_one<R: BothRows + InlineRow>(&mut self, sql: Sql) -> DbResult<R> {
        self.fetch_optional(sql).await?.ok_or(DbError::NotFound)
    }

    /// The first row, if any, decoded.
    pub async fn fetch_optional<R: BothRows + InlineRow>(&mut self, sql: Sql) -> DbResult<Option<R>> {
        if let Open::Inline(conn, _) = &mut self.open {
            return conn.fetch_optional(&sql);
        }
        Ok(on_tx!(self, |conn| bind_values!(placeholders::query_as::<_, R>(sql.text), sql.binds)
            .fetch_optional(conn)
            .await?))
    }

    /// Every row, decoded.
    pub async fn fetch_all<R: BothRows + InlineRow>(&mut self, sql: Sql) -> DbResult<Vec<R>> {
        if let Open::Inline(conn, _) = &mut self.open {
            return conn.fetch_all(&sql);
        }
        Ok(on_tx!(self, |conn| bind_values!(placeholders::query_as::<_, R>(sql.text), sql.binds)
            .fetch_all(conn)
            .await?))
    }

    /// What a read that a write depends on ends with to lock the rows of table `alias` (see
    /// `Db::lock_for_update`): ` for update of <alias>` on PostgreSQL, which also leaves the
    /// outer-joined rows of a read unlocked; nothing on SQLite, whose writers take turns.
    pub fn lock_rows_of(&self, alias: &str) -> String {
        match self.open {
            Open::Postgres(..) => format!(" for update of {alias}"),
            _ => String::new(),
        }
    }

    /// Says that this transaction adds, removes or moves rows that `domain`'s cached counts
    /// count; they are dropped when it commits.
    pub fn changes(&mut self, domain: Domain) {
        if !self.changes.contains(&domain) {
            self.changes.push(domain);
        }
    }

    /// Makes every change of the transaction durable (and frees SQLite's writer turn), then
    /// drops the counts of the domains it changed.
    pub async fn commit(mut self) -> DbResult<()> {
        match std::mem::replace(&mut self.open, Open::Done) {
            Open::Sqlite(tx, _turn) => tx.commit().await?,
            Open::Inline(conn, _turn) => conn.commit()?,
            Open::Postgres(mut tx) => {
                if !self.changes.is_empty() {
                    // Sent from inside: the other servers hear it when the change is visible.
                    let notice = change_feed::notice(&self.generations, &self.changes);
                    sqlx::query("select pg_notify($1, $2)")
                        .bind(change_feed::CHANNEL)
                        .bind(notice)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?
            }
            Open::Done => return Err(DbError::Unavailable),
        }
        for domain in std::mem::take(&mut self.changes) {
            self.generations.advance(domain);
        }
        Ok(())
    }
}

impl Drop for Tx {
    /// A transaction dropped without commit (an error, or a request cut off mid-write) rolls
    /// back. On SQLite the writer's turn is held until the rollback has run: released at once,
    /// the next writer's `begin immediate` would meet this one's lock and sit in the busy handler.
    fn drop(&mut self) {
        match std::mem::replace(&mut self.open, Open::Done) {
            Open::Sqlite(tx, turn) => {
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(async move {
                        if let Err(e) = tx.rollback().await {
                            tracing::warn!(error = %e, "rollback failed");
                        }
                        drop(turn);
                    });
                }
            }
            Open::Inline(conn, turn) => {
                drop(conn); // rolls back here, on this thread
                drop(turn);
            }
            Open::Postgres(_) | Open::Done => {}
        }
    }
}
