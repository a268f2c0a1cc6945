//! The database room: `Db` over native SQLite and PostgreSQL pools. All SQL lives below here.
//! One query body serves both engines through the `on_db!` / `in_tx!` macros.
pub mod api_tokens;
pub mod audit;
pub mod audit_list;
pub mod bulk;
pub mod check_writer;
pub mod checkpoint;
pub mod connect;
pub mod counts;
pub mod device_page;
pub mod device_write;
pub mod devices;
pub mod fleet_csv;
pub mod health;
pub mod health_ingest;
mod id_counts;
pub mod inline;
pub mod json_rows;
pub mod keyset;
pub mod maintenance;
pub mod placeholders;
pub mod seed;
pub mod session_list;
pub mod session_memory;
pub mod session_watch;
pub mod sessions;
pub mod site_write;
pub mod sites;
pub mod sql;
pub mod sqlite_checks;
pub mod user_admin;
pub mod users;

use sqlx::{PgPool, SqlitePool};

pub use connect::{connect, DbOptions};
pub use sql::{Sql, Value};

/// Lower-case hex SHA-256: how session ids and API tokens are stored (never in clear).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A connection pool on one of the two engines. SQLite also has inline readers for short reads.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, inline::InlineReads),
    Postgres(PgPool),
}

impl Db {
    /// A SQLite pool with inline readers of its file.
    pub fn sqlite(pool: SqlitePool) -> Self {
        let reads = inline::InlineReads::new(pool.connect_options().get_filename());
        Db::Sqlite(pool, reads)
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// The clause a read-modify-write transaction ends its read with, so no other writer can
    /// change the row between the read and the write: ` for update` on PostgreSQL (READ
    /// COMMITTED would let two transactions read the same value); nothing on SQLite, whose
    /// write transactions begin IMMEDIATE and so run one at a time.
    pub fn lock_for_update(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "",
            Db::Postgres(_) => " for update",
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p, _) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// Runs the same body against whichever pool `db` holds; `$pool` names the concrete pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool, _) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// After a bulk load: PostgreSQL plans from statistics that autovacuum refreshes only a minute
/// or so later, and until then it misjudges prefix searches over the new rows by 40× (a device
/// search walked 100,000 rows: 97 ms, then 0.5 ms after ANALYZE). SQLite keeps its planner's
/// defaults, which the list queries are tuned for.
pub async fn refresh_statistics_after_bulk_load(db: &Db) -> DbResult<()> {
    if let Db::Postgres(pool) = db {
        sqlx::query("analyze").execute(pool).await?;
    }
    Ok(())
}

/// After seeding: PostgreSQL also VACUUMs, which sets the visibility map. Until then an
/// index-only scan (the sites table's per-site facts) still reads the heap row of every entry,
/// and autovacuum would start on its own a while later, beside whatever runs next. VACUUM
/// cannot run in a transaction, hence the simple protocol.
pub async fn vacuum_after_seed(db: &Db) -> DbResult<()> {
    if let Db::Postgres(pool) = db {
        sqlx::raw_sql("vacuum (analyze)").execute(pool).await?;
    }
    Ok(())
}

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

/// Runs the body inside one write transaction (SQLite: `BEGIN IMMEDIATE`, so writers queue on
/// the busy timeout instead of failing on lock upgrade). Commits when the body returns `Ok`.
#[macro_export]
macro_rules! in_tx {
    ($db:expr, |$tx:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool, _) => {
                let _writer = $crate::db::sqlite_writer().await;
                #[allow(unused_mut)]
                let mut $tx = pool.begin_with("begin immediate").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::db::Db::Postgres(pool) => {
                #[allow(unused_mut)]
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// Errors of the database room. Callers map them to user-facing errors; details are logged.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A unique constraint failed; SQLite gives no constraint name, so callers say which field.
    #[error("duplicate value")]
    Duplicate,
    #[error("referenced row is missing or still in use")]
    ForeignKey,
    /// A device named a site that does not exist or is archived.
    #[error("no such active site")]
    MissingSite,
    /// The change would leave no active admin.
    #[error("last active admin")]
    LastAdmin,
    #[error("pool exhausted or database unreachable")]
    Unavailable,
    #[error("{0}")]
    Startup(String),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
    /// An error of the rusqlite connection that stores health checks on SQLite.
    #[error("database error: {0}")]
    Driver(#[source] rusqlite::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => DbError::Unavailable,
            sqlx::Error::Database(db) if db.is_unique_violation() => DbError::Duplicate,
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => DbError::ForeignKey,
            _ => DbError::Other(err),
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

impl From<DbError> for crate::error::AppError {
    /// Database facts become user-safe errors; anything unexpected is logged in full here.
    fn from(err: DbError) -> Self {
        use crate::error::AppError;
        match err {
            DbError::NotFound => AppError::NotFound,
            DbError::Unavailable => {
                tracing::warn!("database unavailable");
                AppError::Unavailable
            }
            DbError::Duplicate => AppError::Conflict("That value is already taken.".to_string()),
            DbError::ForeignKey => AppError::Conflict("That record is referenced elsewhere.".to_string()),
            DbError::LastAdmin => {
                AppError::Conflict("This is the last active admin. Make another user an admin first.".to_string())
            }
            DbError::MissingSite => AppError::invalid("site", "There is no active site with this id."),
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}
