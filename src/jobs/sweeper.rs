//! The sweeper: what the clocks owe, in chunks of at most `CHUNK` targets per transaction —
//! queued work past its time to live, dispatched work whose ack lease lapsed, running work past
//! its deadline — and the queued work of canceling jobs. It runs every few seconds on the one
//! server that leads; the same rules also run lazily on every fetch and report.
use serde::Serialize;

use super::clocks::enforce;
use super::control::{cancel_chunk, CHUNK};
use super::JobResult;
use crate::db::engine::run::fetch_all;
use crate::db::engine::{Db, Sql};
use crate::db::jobs::moves::move_many;
use crate::db::jobs::target_ref::{TargetRef, SELECT};
use crate::model::jobs::rules::MAX_REDISPATCHES;
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    pub expired: i64,
    pub requeued: i64,
    pub timed_out: i64,
    pub retried: i64,
    pub canceled: i64,
}

impl Swept {
    pub fn total(&self) -> i64 {
        self.expired + self.requeued + self.timed_out + self.retried + self.canceled
    }
}

/// Moves chunk after chunk of the targets `ids` selects (with `$1` = now) until none is left.
async fn drain(
    db: &Db,
    from: TargetState,
    to: TargetState,
    ids: &str,
    sets: &str,
    why: &str,
    now: Timestamp,
) -> JobResult<i64> {
    let mut total = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let select = Sql::with(&format!("{ids} limit {CHUNK}"), [now.into()]);
        let n = move_many(&mut tx, from, to, &select, &Sql::new(sets), why, now).await?;
        tx.commit().await?;
        total += n;
        if n < CHUNK {
            return Ok(total);
        }
    }
}

/// One sweep at `now`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sweep(db: &Db, now: Timestamp) -> JobResult<Swept> {
    use TargetState::*;
    let mut swept = Swept::default();
    let why = "time to live ran out (sweeper)";
    for from in [Queued, Dispatched] {
        // The first term repeats the partial index's own condition, so SQLite sees it applies.
        let ttl = format!(
            "select id from job_targets where state in ('queued', 'dispatched') and state = '{}' and expires_at <= $1",
            from.as_str()
        );
        swept.expired += drain(db, from, Expired, &ttl, "", why, now).await?;
    }
    let lease = "select id from job_targets where state = 'dispatched' and lease_until <= $1 and dispatches";
    let why = format!("not acknowledged after {MAX_REDISPATCHES} dispatches (sweeper)");
    let worn = format!("{lease} >= {MAX_REDISPATCHES}");
    swept.expired += drain(db, Dispatched, Expired, &worn, "", &why, now).await?;
    let lapsed = format!("{lease} < {MAX_REDISPATCHES}");
    let why = "ack lease lapsed; queued again (sweeper)";
    swept.requeued += drain(db, Dispatched, Queued, &lapsed, ", lease_until = null", why, now).await?;
    let late = "select t.id from job_targets t join jobs j on j.id = t.job_id \
        where t.state in ('acknowledged', 'in_progress') and t.deadline_at <= $1 \
        and not (j.retry_timed_out and t.attempt < j.max_attempts)";
    let why = "execution deadline passed (sweeper)";
    for from in [Acknowledged, InProgress] {
        swept.timed_out += drain(db, from, TimedOut, late, "", why, now).await?;
    }
    swept.retried += retry_late(db, now).await?;
    swept.canceled += cancel_all(db, now).await?;
    Ok(swept)
}

/// Targets past their deadline whose job retries timeouts: each is queued again with its own
/// backoff, so they go one by one (retries are few; a chunk at most per sweep).
async fn retry_late(db: &Db, now: Timestamp) -> JobResult<i64> {
    let sql = Sql::with(
        &format!(
            "{SELECT} where t.state in ('acknowledged', 'in_progress') and t.deadline_at <= $1 \
             and j.retry_timed_out and t.attempt < j.max_attempts order by t.job_id, t.id limit {CHUNK}"
        ),
        [now.into()],
    );
    let late: Vec<TargetRef> = crate::db::jobs::target_ref::fetch_refs(db, sql).await?;
    if late.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    let mut retried = 0;
    for target in &late {
        retried += i64::from(enforce(&mut tx, target, now).await?.is_some());
    }
    tx.commit().await?;
    Ok(retried)
}

/// The queued work of every canceling job.
async fn cancel_all(db: &Db, now: Timestamp) -> JobResult<i64> {
    let jobs: Vec<(i64,)> =
        fetch_all(db, Sql::new("select id from jobs where state = 'canceling' order by id")).await?;
    let mut total = 0;
    for (job,) in jobs {
        loop {
            let n = cancel_chunk(db, job, now).await?;
            total += n;
            if n == 0 {
                break;
            }
        }
    }
    Ok(total)
}
