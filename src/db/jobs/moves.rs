//! Target transitions with their counters: one target (`move_one`) or a chunk chosen by a
//! query (`move_many`, for the sweeper and cancel). Every move is guarded by the state it
//! leaves (`where state = from`), so of two racing writers exactly one moves a target, and the
//! job's counters change in the same transaction by exactly what moved.
use std::collections::BTreeMap;

use super::effects;
use super::events::{self, Event};
use super::target_ref::TargetRef;
use crate::db::engine::generations::Domain;
use crate::db::engine::{DbResult, Sql, Tx};
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// One transition: where to, who asked, the timeline's words, and extra column assignments
/// (a fragment starting with `, `, numbering its own placeholders from `$1`).
pub struct Step<'a> {
    pub to: TargetState,
    pub actor: &'a str,
    pub message: String,
    pub sets: Sql,
}

impl<'a> Step<'a> {
    pub fn to(to: TargetState, actor: &'a str, message: impl Into<String>) -> Self {
        Step { to, actor, message: message.into(), sets: Sql::default() }
    }

    pub fn with(mut self, sets: Sql) -> Self {
        self.sets = sets;
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
    sql.bind(step.to.as_str()).push(", updated_at = ").bind(now).append(&step.sets);
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
    sets: &Sql,
    why: &str,
    now: Timestamp,
) -> DbResult<i64> {
    let mut sql = Sql::new("update job_targets set state = ");
    sql.bind(to.as_str()).push(", updated_at = ").bind(now).append(sets);
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
