//! Target transitions with their counters: one target (`move_one`) or a chunk chosen by a
//! query (`move_many`, for the sweeper and cancel). Every move is guarded by the state it
//! leaves (`where state = from`), so of two racing writers exactly one moves a target, and the
//! job's counters change in the same transaction by exactly what moved.
use std::collections::BTreeMap;

use super::effects;
use super::events::{self, Event};
use super::target_ref::TargetRef;
use crate::db::engine::generations::Domain;
use crate::db::engine::{DbResult, Sql, Tx, Value};
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// What a move writes besides the target's state and its time.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Also {
    #[default]
    Nothing,
    /// A dispatch: one more of them, under an ack lease until `lease_until`.
    Dispatch { lease_until: Timestamp },
    /// An acknowledgement: the lease ends and the execution deadline starts.
    Acknowledge { deadline_at: Timestamp },
    /// Back to the queue after its ack lease lapsed.
    LeaseLapsed,
    /// Queued again for the next attempt, not before `not_before`, with a fresh time to live.
    Retry { not_before: Timestamp, expires_at: Timestamp, message: String },
    /// A device's report: its message, progress, and details when it sent some.
    Report { message: String, progress: Option<i64>, details: Option<serde_json::Value> },
}

impl Also {
    /// The column assignments, as a fragment that starts with `, `.
    fn assignments(&self) -> Sql {
        let mut sets = Sql::default();
        match self {
            Also::Nothing => {}
            Also::Dispatch { lease_until } => {
                sets.push(", dispatches = dispatches + 1, lease_until = ").bind(*lease_until);
            }
            Also::Acknowledge { deadline_at } => {
                sets.push(", lease_until = null, deadline_at = ").bind(*deadline_at);
            }
            Also::LeaseLapsed => {
                sets.push(", lease_until = null");
            }
            Also::Retry { not_before, expires_at, message } => {
                sets.push(", attempt = attempt + 1, progress = null, lease_until = null, deadline_at = null");
                sets.push(", not_before = ").bind(*not_before).push(", expires_at = ").bind(*expires_at);
                sets.push(", message = ").bind(Value::Text(message.clone()));
            }
            Also::Report { message, progress, details } => {
                sets.push(", message = ").bind(Value::Text(message.clone()));
                sets.push(", progress = ").bind(Value::OptInt(*progress));
                if details.is_some() {
                    sets.push(", details = ").bind(Value::Json(details.clone()));
                }
            }
        }
        sets
    }
}

/// One transition: where to, who asked, the timeline's words, and what else it writes.
pub struct Step<'a> {
    pub to: TargetState,
    pub actor: &'a str,
    pub message: String,
    pub also: Also,
}

impl<'a> Step<'a> {
    pub fn to(to: TargetState, actor: &'a str, message: impl Into<String>) -> Self {
        Step { to, actor, message: message.into(), also: Also::Nothing }
    }

    pub fn with(mut self, also: Also) -> Self {
        self.also = also;
        self
    }
}

/// Moves the job's counters by `n` targets from one state to another.
async fn shift_counters(
    tx: &mut Tx,
    job: i64,
    from: TargetState,
    to: TargetState,
    n: i64,
    now: Timestamp,
) -> DbResult<()> {
    if from == to || n == 0 {
        return Ok(());
    }
    let (f, t) = (from.counter(), to.counter());
    let text = format!("update jobs set {f} = {f} - $1, {t} = {t} + $1, updated_at = $2 where id = $3");
    tx.execute(Sql::with(&text, [n.into(), now.into(), job.into()])).await?;
    Ok(())
}

/// Moves `target` by `step` if it is still in the state it was read in; `false` (nothing
/// written) when another writer moved it first.
pub async fn move_one(tx: &mut Tx, target: &TargetRef, step: Step<'_>, now: Timestamp) -> DbResult<bool> {
    let mut sql = Sql::new("update job_targets set state = ");
    sql.bind(step.to.as_str()).push(", updated_at = ").bind(now).append(&step.also.assignments());
    sql.push(" where id = ").bind(target.id).push(" and state = ").bind(target.state.as_str());
    if tx.execute(sql).await? == 0 {
        return Ok(false);
    }
    if step.to == TargetState::Queued {
        tx.changes(Domain::Jobs); // work queued again wakes the devices waiting for work
    }
    shift_counters(tx, target.job, target.state, step.to, 1, now).await?;
    let event = Event {
        job: target.job,
        target: Some(target.id),
        device: Some(target.device),
        from: Some(target.state.as_str()),
        to: Some(step.to.as_str()),
        actor: step.actor,
        message: step.message,
    };
    events::append(tx, event, now).await?;
    if step.to.is_terminal() {
        effects::after_terminal(tx, target.job, &[(target.wave, step.to, 1)], now).await?;
    }
    Ok(true)
}

/// Moves up to a chunk of targets from `from` to `to`: those `ids` selects (a `select id …`
/// with its own limit). One timeline event per job says how many moved and why. Returns the
/// number moved.
pub async fn move_many(
    tx: &mut Tx,
    from: TargetState,
    to: TargetState,
    ids: &Sql,
    also: &Also,
    why: &str,
    now: Timestamp,
) -> DbResult<i64> {
    let mut sql = Sql::new("update job_targets set state = ");
    sql.bind(to.as_str()).push(", updated_at = ").bind(now).append(&also.assignments());
    sql.push(" where state = ").bind(from.as_str()).push(" and id in (").append(ids).push(") returning job_id, wave");
    let moved: Vec<(i64, i64)> = tx.fetch_all(sql).await?;
    if to == TargetState::Queued && !moved.is_empty() {
        tx.changes(Domain::Jobs);
    }
    let mut by_job: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
    for (job, wave) in &moved {
        *by_job.entry(*job).or_default().entry(*wave).or_default() += 1;
    }
    // Jobs in key order, so two writers that lock several jobs lock them in the same order.
    for (job, waves) in by_job {
        let n: i64 = waves.values().sum();
        shift_counters(tx, job, from, to, n, now).await?;
        let targets = if n == 1 { "target" } else { "targets" };
        let message = format!("{n} {targets} {} → {}: {why}", from.label(), to.label());
        events::append(tx, Event::job(job, "server", message), now).await?;
        if to.is_terminal() {
            let per_wave: Vec<(i64, TargetState, i64)> = waves.into_iter().map(|(w, k)| (w, to, k)).collect();
            effects::after_terminal(tx, job, &per_wave, now).await?;
        }
    }
    Ok(moved.len() as i64)
}
