//! Locks that hold across every server sharing one PostgreSQL database: a session-level
//! advisory lock taken on a connection of its own, released when the holder drops it, or by
//! PostgreSQL when the holder dies (its connection closes). On SQLite there is one server per
//! file (`file_lock`), so taking one always succeeds.
use sqlx::postgres::PgConnection;
use sqlx::{ConnectOptions, Connection};

use super::{Db, DbResult};

/// What a lock guards; each has its own advisory key.
#[derive(Clone, Copy, Debug)]
pub enum Guarded {
    /// A backup or a restore of this database (heavy, and a restore must race nothing).
    BackupOrRestore,
}

impl Guarded {
    /// "backup01" in ASCII; the scheduler's lock (`leader`) has a key of its own.
    fn key(self) -> i64 {
        match self {
            Guarded::BackupOrRestore => 0x6261_636b_7570_3031,
        }
    }
}

/// Held while it lives: dropping it closes its connection, which releases the lock.
#[derive(Debug)]
pub struct ClusterLock {
    _conn: Option<PgConnection>,
}

/// Takes the lock for `what`, or `None` when another server holds it.
pub async fn try_take(db: &Db, what: Guarded) -> DbResult<Option<ClusterLock>> {
    let Db::Postgres(pool, ..) = db else { return Ok(Some(ClusterLock { _conn: None })) };
    let mut conn = pool.connect_options().connect().await?;
    let got: bool = sqlx::query_scalar("select pg_try_advisory_lock($1)").bind(what.key()).fetch_one(&mut conn).await?;
    if got {
        Ok(Some(ClusterLock { _conn: Some(conn) }))
    } else {
        let _ = conn.close().await;
        Ok(None)
    }
}

/// Whether some server holds the lock for `what` right now (PostgreSQL; on SQLite the one
/// process knows for itself, so this says no).
pub async fn held(db: &Db, what: Guarded) -> DbResult<bool> {
    let Db::Postgres(pool, ..) = db else { return Ok(false) };
    let held = sqlx::query_scalar(
        "select exists (select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 1 \
         and database = (select oid from pg_database where datname = current_database()) \
         and ((classid::bigint << 32) | objid::bigint) = $1)",
    )
    .bind(what.key())
    .fetch_one(pool)
    .await?;
    Ok(held)
}
