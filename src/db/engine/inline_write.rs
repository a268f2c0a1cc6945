//! Short write transactions on SQLite, run on the calling thread through one rusqlite connection
//! kept for them (`Db::begin_short_write`). Through sqlx, each statement of a transaction was a
//! hand-off to a connection's thread and back while the process's writer turn was held, and a
//! device's report is half a dozen statements: the writer turn, not SQLite, set how many reports
//! a second the server could take. One connection also keeps its page cache warm from one
//! transaction to the next (a pool's connections each found theirs emptied by the others'
//! commits). With this (and the agent's reads made inline in the same change), agent-sim's
//! full cycle at 100,000 devices went from 360 to 1,265 devices a second (`make bench`, the
//! same hour). Only transactions of a few indexed statements belong here: the statements block
//! the runtime thread that runs them.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

use super::error::from_rusqlite;
use super::inline::InlineRow;
use super::{DbResult, Sql};

/// The connection's page cache in KiB: a report touches its target, its job, its wave, the
/// timeline's last page and their indexes' paths.
const CACHE_KIB: u32 = 4096;
/// Prepared statements kept: the jobs service's statements, a few dozen shapes.
const STATEMENT_CACHE: usize = 128;

/// The short writers' connection to one SQLite file; cheap to clone.
#[derive(Clone)]
pub struct InlineWriter {
    inner: Arc<Slot>,
}

struct Slot {
    /// `None` for an in-memory database, which only its pool can reach.
    path: Option<PathBuf>,
    idle: Mutex<Option<Connection>>,
}

impl std::fmt::Debug for InlineWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineWriter").field("path", &self.inner.path).finish()
    }
}

impl InlineWriter {
    pub fn new(path: &Path) -> Self {
        let path = (path.to_str() != Some(":memory:")).then(|| path.to_path_buf());
        Self { inner: Arc::new(Slot { path, idle: Mutex::new(None) }) }
    }

    /// Begins an IMMEDIATE transaction. `None` when the caller should take the pool's way: the
    /// database is in memory, or another process (the CLI) holds SQLite's write lock, which
    /// must be waited for on a thread of the pool's and not on the runtime's. The caller holds
    /// the process's writer turn, so the connection is never wanted twice at once.
    pub fn begin(&self) -> DbResult<Option<WriteConn>> {
        let Some(path) = &self.inner.path else { return Ok(None) };
        let idle = self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()).take();
        let conn = match idle {
            Some(conn) => conn,
            None => open(path).map_err(from_rusqlite)?,
        };
        let mut write = WriteConn { conn: Some(conn), home: Arc::clone(&self.inner) };
        match write.conn().execute_batch("begin immediate") {
            Ok(()) => Ok(Some(write)),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                write.give_back();
                Ok(None)
            }
            Err(e) => Err(from_rusqlite(e)),
        }
    }
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    // No waiting in SQLite's busy handler, which would sleep on the runtime's thread: a busy
    // `begin` goes the pool's way instead (see `begin`); inside a transaction nothing waits.
    conn.busy_timeout(Duration::ZERO)?;
    // The pool's settings (WAL is already on: the pool set it).
    conn.execute_batch(&format!(
        "pragma foreign_keys = on; pragma synchronous = normal; pragma trusted_schema = off; \
         pragma wal_autocheckpoint = 0; pragma cache_size = -{CACHE_KIB};"
    ))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// An open transaction on the short writers' connection. Dropped without `commit`, it rolls
/// back; a connection whose rollback failed is closed rather than kept.
pub struct WriteConn {
    conn: Option<Connection>,
    home: Arc<Slot>,
}

impl WriteConn {
    fn conn(&self) -> &Connection {
        self.conn.as_ref().expect("a WriteConn holds its connection until dropped")
    }

    /// Runs a statement; yields the rows it changed.
    pub fn execute(&mut self, sql: &Sql) -> DbResult<u64> {
        let run = || -> rusqlite::Result<u64> {
            let mut statement = self.prepare(sql)?;
            Ok(statement.raw_execute()? as u64)
        };
        run().map_err(from_rusqlite)
    }

    /// Every row of `sql`, decoded.
    pub fn fetch_all<R: InlineRow>(&mut self, sql: &Sql) -> DbResult<Vec<R>> {
        let run = || -> rusqlite::Result<Vec<R>> {
            let mut statement = self.prepare(sql)?;
            let layout = R::layout(&statement)?;
            let mut rows = statement.raw_query();
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(R::from_inline(row, &layout)?);
            }
            Ok(out)
        };
        run().map_err(from_rusqlite)
    }

    /// The first row of `sql`, if any; the statement still runs to its end (an `update …
    /// returning` changes every row it names).
    pub fn fetch_optional<R: InlineRow>(&mut self, sql: &Sql) -> DbResult<Option<R>> {
        Ok(self.fetch_all(sql)?.into_iter().next())
    }

    fn prepare(&self, sql: &Sql) -> rusqlite::Result<rusqlite::CachedStatement<'_>> {
        let mut statement = self.conn().prepare_cached(&super::placeholders::anonymous(sql.text.clone()))?;
        for (i, value) in sql.binds.iter().enumerate() {
            statement.raw_bind_parameter(i + 1, value)?;
        }
        Ok(statement)
    }

    pub fn commit(mut self) -> DbResult<()> {
        self.conn().execute_batch("commit").map_err(from_rusqlite)?;
        self.give_back();
        Ok(())
    }

    fn give_back(&mut self) {
        if let Some(conn) = self.conn.take() {
            *self.home.idle.lock().unwrap_or_else(|e| e.into_inner()) = Some(conn);
        }
    }
}

impl Drop for WriteConn {
    fn drop(&mut self) {
        let Some(conn) = &self.conn else { return };
        if conn.is_autocommit() {
            self.give_back(); // a failed commit that SQLite already rolled back
        } else if let Err(e) = conn.execute_batch("rollback") {
            tracing::warn!(error = %e, "rollback failed; the short writers' connection is closed");
            self.conn = None;
        } else {
            self.give_back();
        }
    }
}
