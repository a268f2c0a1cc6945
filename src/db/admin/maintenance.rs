//! The statements of a maintenance run (DB-6): retention deletes in bounded chunks, each its
//! own short write transaction, the engine's statistics and free-page upkeep, and the record
//! of each run.
use std::time::{Duration, Instant};

use crate::db::engine::generations::Domain;
use crate::db::engine::{Db, DbResult, Sql};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::platform::time::Timestamp;

/// What one chunk deleted and how long its write transaction held the lock (queueing for the
/// process's SQLite writer included, so the figure errs high).
#[derive(Debug, Clone, Copy)]
pub struct Chunk {
    pub removed: u64,
    pub held: Duration,
}

/// The lowest device id at or above `from` (the check sweep walks the ids that exist, however
/// sparse: an import may bring ids up to the largest integer).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn next_device_pk(db: &Db, from: i64) -> DbResult<Option<i64>> {
    let sql = "select min(id) from devices where id >= $1";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).bind(from).fetch_one(pool).await?))
}

/// Deletes at most `limit` health checks older than `cutoff` of the devices whose ids lie in
/// [`from`, `to`] (both included): the (device_id, checked_at) index finds them, so no index is
/// added for the sweep's sake (it would cost every ingested check).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete_old_checks(db: &Db, from: i64, to: i64, cutoff: Timestamp, limit: i64) -> DbResult<Chunk> {
    let sql = "delete from health_checks where id in (select id from health_checks \
               where device_id >= $1 and device_id <= $2 and checked_at < $3 limit $4)";
    let started = Instant::now();
    let mut tx = db.begin_write().await?;
    let removed = tx.execute(Sql::with(sql, [from.into(), to.into(), cutoff.into(), limit.into()])).await?;
    if removed > 0 {
        tx.changes(Domain::Fleet);
    }
    tx.commit().await?;
    Ok(Chunk { removed, held: started.elapsed() })
}

/// Deletes at most `limit` of the oldest audit rows from before `cutoff`; returns the chunk
/// and the times of the first and last row it removed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete_old_audit(
    db: &Db,
    cutoff: Timestamp,
    limit: i64,
) -> DbResult<(Chunk, Option<(Timestamp, Timestamp)>)> {
    let range = "select min(at), max(at) from (select at from audit_log where at < $1 order by at, id limit $2) oldest";
    let delete = "delete from audit_log where id in (select id from audit_log where at < $1 order by at, id limit $2)";
    let started = Instant::now();
    let mut tx = db.begin_write().await?;
    let span: (Option<Timestamp>, Option<Timestamp>) =
        tx.fetch_one(Sql::with(range, [cutoff.into(), limit.into()])).await?;
    let removed = tx.execute(Sql::with(delete, [cutoff.into(), limit.into()])).await?;
    if removed > 0 {
        tx.changes(Domain::Admin);
    }
    tx.commit().await?;
    let span = match span {
        (Some(first), Some(last)) => Some((first, last)),
        _ => None,
    };
    Ok((Chunk { removed, held: started.elapsed() }, span))
}

/// Refreshes the planner's statistics: `PRAGMA optimize` on SQLite, `ANALYZE` on PostgreSQL.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn refresh_statistics(db: &Db) -> DbResult<()> {
    match db {
        Db::Postgres(pool, ..) => sqlx::query("analyze").execute(pool).await?.rows_affected(),
        Db::Sqlite(pool, ..) => sqlx::query("pragma optimize").execute(pool).await?.rows_affected(),
    };
    Ok(())
}

/// SQLite: gives at most `pages` free pages back to the file system, as one short write (the
/// file must keep its free pages for incremental vacuum). `None` when there is nothing to give
/// back, or the engine or the file does not do it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn give_back_free_pages(db: &Db, pages: i64) -> DbResult<Option<Chunk>> {
    let Db::Sqlite(pool, ..) = db else { return Ok(None) };
    let mode: i64 = sqlx::query_scalar("pragma auto_vacuum").fetch_one(pool).await?;
    let free: i64 = sqlx::query_scalar("pragma freelist_count").fetch_one(pool).await?;
    if mode != 2 || free == 0 {
        return Ok(None);
    }
    let started = Instant::now();
    let _writer = crate::db::engine::tx::sqlite_writer().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("pragma incremental_vacuum({pages})"))).execute(pool).await?;
    Ok(Some(Chunk { removed: free.min(pages) as u64, held: started.elapsed() }))
}

/// Whether the file keeps its free pages for incremental vacuum (SQLite; PostgreSQL's own
/// vacuum does this work).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn keeps_free_pages(db: &Db) -> DbResult<bool> {
    let Db::Sqlite(pool, ..) = db else { return Ok(true) };
    let mode: i64 = sqlx::query_scalar("pragma auto_vacuum").fetch_one(pool).await?;
    Ok(mode == 2)
}

/// SQLite: copies what the last writes left in the WAL into the database without blocking
/// anyone (PASSIVE). A sweep calls it after each chunk, so its WAL never grows to the size at
/// which the checkpoint task waits for readers and so holds writers back (a million deleted
/// checks otherwise left a WAL whose RESTART checkpoint took 6.4 s).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn settle_wal(db: &Db) -> DbResult<()> {
    if let Db::Sqlite(pool, ..) = db {
        sqlx::query("pragma wal_checkpoint(passive)").fetch_one(pool).await?;
    }
    Ok(())
}

/// SQLite only: turns incremental vacuum on for a file made without it, by rewriting the whole
/// file once (`VACUUM`: writers wait while it runs).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enable_incremental_vacuum(db: &Db) -> DbResult<bool> {
    let Db::Sqlite(pool, ..) = db else { return Ok(false) };
    let _writer = crate::db::engine::tx::sqlite_writer().await;
    let mut conn = pool.acquire().await?;
    sqlx::query("pragma auto_vacuum = incremental").execute(&mut *conn).await?;
    sqlx::query("vacuum").execute(&mut *conn).await?;
    Ok(true)
}

/// A finished run, as recorded and shown on the health page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct MaintenanceRun {
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub checks_removed: i64,
    pub audit_removed: i64,
    pub sessions_removed: i64,
    pub longest_lock_ms: i64,
    /// How many write transactions the sweeps took.
    pub chunks: i64,
    pub summary: String,
}

/// Records a run, with its audit row (the count and range of the audit rows it removed).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_run(db: &Db, actor: &Actor, run: &MaintenanceRun, audit_values: serde_json::Value) -> DbResult<()> {
    let insert = "insert into maintenance_runs (started_at, finished_at, checks_removed, audit_removed, \
                  sessions_removed, longest_lock_ms, chunks, summary) values ($1, $2, $3, $4, $5, $6, $7, $8)";
    let entry = AuditEntry::new("maintenance.ran", "maintenance", run.started_at.rfc3339()).with_new(audit_values);
    let values = [
        run.started_at.into(),
        run.finished_at.into(),
        run.checks_removed.into(),
        run.audit_removed.into(),
        run.sessions_removed.into(),
        run.longest_lock_ms.into(),
        run.chunks.into(),
        run.summary.as_str().into(),
    ];
    let mut tx = db.begin_write().await?;
    tx.execute(Sql::with(insert, values)).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// The newest run, if any.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn last_run(db: &Db) -> DbResult<Option<MaintenanceRun>> {
    let sql = "select started_at, finished_at, checks_removed, audit_removed, sessions_removed, longest_lock_ms, \
               chunks, summary from maintenance_runs order by started_at desc, id desc limit 1";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_as::<_, MaintenanceRun>(sql).fetch_optional(pool).await?))
}
