//! Which targets are due a background move, a chunk at a time: those whose time to live, ack
//! lease or execution deadline ran out at `now` (the sweeper's), and the queued or dispatched
//! work of a job being canceled. Each `select id …` here feeds `moves::move_many`.
use crate::db::engine::run::fetch_all;
use crate::db::engine::{Db, DbResult, Sql};
use crate::db::jobs::target_ref::{fetch_refs, TargetRef, SELECT};
use crate::model::jobs::rules::MAX_REDISPATCHES;
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// Up to `limit` queued or dispatched (`from`) targets whose time to live ran out.
pub fn ttl_ran_out(from: TargetState, now: Timestamp, limit: i64) -> Sql {
    // The first term repeats the partial index's own condition, so SQLite sees it applies.
    let text = format!(
        "select id from job_targets where state in ('queued', 'dispatched') and state = '{}' \
         and expires_at <= $1 limit {limit}",
        from.as_str()
    );
    Sql::with(&text, [now.into()])
}

/// Up to `limit` dispatched targets whose ack lease lapsed: with `worn`, those that used up
/// their re-dispatches (they expire); without, the others (they go back to the queue).
pub fn lease_lapsed(worn: bool, now: Timestamp, limit: i64) -> Sql {
    let compare = if worn { ">=" } else { "<" };
    let text = format!(
        "select id from job_targets where state = 'dispatched' and lease_until <= $1 \
         and dispatches {compare} {MAX_REDISPATCHES} limit {limit}"
    );
    Sql::with(&text, [now.into()])
}

/// Up to `limit` acknowledged or running targets past their deadline that their job does not
/// retry (they time out).
pub fn past_deadline(now: Timestamp, limit: i64) -> Sql {
    let text = format!(
        "select t.id from job_targets t join jobs j on j.id = t.job_id \
         where t.state in ('acknowledged', 'in_progress') and t.deadline_at <= $1 \
         and not (j.retry_timed_out and t.attempt < j.max_attempts) limit {limit}"
    );
    Sql::with(&text, [now.into()])
}

/// Up to `limit` targets past their deadline that their job retries, with their job's rules:
/// each is queued again with its own backoff, so they move one by one.
pub async fn retries_due(db: &Db, now: Timestamp, limit: i64) -> DbResult<Vec<TargetRef>> {
    let text = format!(
        "{SELECT} where t.state in ('acknowledged', 'in_progress') and t.deadline_at <= $1 \
         and j.retry_timed_out and t.attempt < j.max_attempts order by t.job_id, t.id limit {limit}"
    );
    fetch_refs(db, Sql::with(&text, [now.into()])).await
}

/// The jobs being canceled, in key order.
pub async fn canceling_jobs(db: &Db) -> DbResult<Vec<i64>> {
    let jobs: Vec<(i64,)> =
        fetch_all(db, Sql::new("select id from jobs where state = 'canceling' order by id")).await?;
    Ok(jobs.into_iter().map(|(id,)| id).collect())
}

/// Up to `limit` targets of job `job` in state `from`, while the job is canceling.
pub fn canceling_work(job: i64, from: TargetState, limit: i64) -> Sql {
    let mut ids = Sql::new("select t.id from job_targets t join jobs j on j.id = t.job_id where t.job_id = ");
    ids.bind(job).push(" and t.state = ").bind(from.as_str()).push(" and j.state = 'canceling' limit ").push_int(limit);
    ids
}
