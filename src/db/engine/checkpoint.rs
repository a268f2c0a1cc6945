//! WAL checkpoints for SQLite, off the writers' path. Left to SQLite, the connection whose
//! commit pushes the WAL past 1,000 pages copies it into the database and fsyncs both files
//! before its commit returns, so a busy writer (health ingest) stalls on disk flushes. Pool
//! connections are opened with automatic checkpoints off, and one task checkpoints instead.
use std::time::Duration;

use sqlx::SqlitePool;

/// How often the task looks at the WAL; a checkpoint with nothing to copy costs a few µs.
const EVERY: Duration = Duration::from_millis(200);

/// Past this many WAL frames (128 MB of 4 KB pages) a checkpoint waits for readers, so that a
/// WAL that never gets fully copied (readers always pinning it) cannot grow without bound.
const RESTART_AFTER_FRAMES: i64 = 32_768;

/// What one checkpoint did: frames in the WAL, and how many of them are now in the database.
/// `busy` when another connection was checkpointing: then nothing was done and both counts are -1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpointed {
    pub busy: bool,
    pub wal_frames: i64,
    pub copied_frames: i64,
}

async fn checkpoint(pool: &SqlitePool, mode: &str) -> sqlx::Result<Checkpointed> {
    let sql = sqlx::AssertSqlSafe(format!("pragma wal_checkpoint({mode})"));
    let (busy, wal_frames, copied_frames): (i64, i64, i64) = sqlx::query_as(sql).fetch_one(pool).await?;
    Ok(Checkpointed { busy: busy != 0, wal_frames, copied_frames })
}

/// Copies what it can of the WAL into the database without blocking writers (PASSIVE), or
/// waiting for readers (RESTART) once the WAL has grown past `RESTART_AFTER_FRAMES`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn checkpoint_once(pool: &SqlitePool) -> sqlx::Result<Checkpointed> {
    let passive = checkpoint(pool, "passive").await?;
    if passive.wal_frames > RESTART_AFTER_FRAMES {
        return checkpoint(pool, "restart").await;
    }
    Ok(passive)
}

/// Checkpoints `pool` every `EVERY` until the pool is closed (call inside a tokio runtime).
pub fn spawn(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !pool.is_closed() {
            tick.tick().await;
            if pool.is_closed() {
                break;
            }
            match checkpoint_once(&pool).await {
                Ok(_) | Err(sqlx::Error::PoolClosed) => {}
                Err(e) => tracing::warn!(%e, "WAL checkpoint failed"),
            }
        }
    });
}
