//! The sweeper: what the clocks owe, in chunks of at most `CHUNK` targets per transaction —
//! queued work past its time to live, dispatched work whose ack lease lapsed, running work past
//! its deadline — and the queued work of canceling jobs. It runs every few seconds on the one
//! server that leads; the same rules also run lazily on every fetch and report.
use serde::Serialize;

use super::clocks::enforce;
use super::control::{cancel_chunk, CHUNK};
use super::JobResult;
use crate::db::engine::{Db, Sql};
use crate::db::jobs::due;
use crate::db::jobs::moves::{move_many, Also};
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

/// Moves chunk after chunk of the targets `select` picks (with its own limit of `CHUNK`) until
/// none is left.
async fn drain(
    db: &Db,
    from: TargetState,
    to: TargetState,
    select: Sql,
    also: Also,
    why: &str,
    now: Timestamp,
) -> JobResult<i64> {
    let mut total = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let n = move_many(&mut tx, from, to, &select, &also, why, now).await?;
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
        swept.expired += drain(db, from, Expired, due::ttl_ran_out(from, now, CHUNK), Also::Nothing, why, now).await?;
    }
    let why = format!("not acknowledged after {MAX_REDISPATCHES} dispatches (sweeper)");
    swept.expired +=
        drain(db, Dispatched, Expired, due::lease_lapsed(true, now, CHUNK), Also::Nothing, &why, now).await?;
    let (lapsed, why) = (due::lease_lapsed(false, now, CHUNK), "ack lease lapsed; queued again (sweeper)");
    swept.requeued += drain(db, Dispatched, Queued, lapsed, Also::LeaseLapsed, why, now).await?;
    let why = "execution deadline passed (sweeper)";
    for from in [Acknowledged, InProgress] {
        swept.timed_out += drain(db, from, TimedOut, due::past_deadline(now, CHUNK), Also::Nothing, why, now).await?;
    }
    swept.retried += retry_late(db, now).await?;
    swept.canceled += cancel_all(db, now).await?;
    Ok(swept)
}

/// Targets past their deadline whose job retries timeouts: each is queued again with its own
/// backoff, so they go one by one (retries are few; a chunk at most per sweep).
async fn retry_late(db: &Db, now: Timestamp) -> JobResult<i64> {
    let late = due::retries_due(db, now, CHUNK).await?;
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
    let mut total = 0;
    for job in due::canceling_jobs(db).await? {
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
