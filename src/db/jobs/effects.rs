//! What a target's end does to its job, in the same transaction: the wave's counters, the
//! failure threshold's pause, the next wave's automatic release, and the job's completion. Also
//! the job-level moves a manager makes (pause, resume, release).
use super::events::{self, Event};
use crate::db::engine::generations::Domain;
use crate::db::engine::{DbResult, Sql, Tx};
use crate::model::jobs::rules::{threshold_crossed, wave_passes, Outcome};
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

crate::db::engine::inline::row! {
    /// The job's rollout rules, read where a target's end may pause it or release a wave.
    struct Rollout {
        state: String,
        threshold_pct: Option<i64>,
        min_done: i64,
        auto_release_pct: Option<i64>,
        released_wave: i64,
        wave_count: i64,
    }
}

/// Counts ended targets (per wave: how many ended in which state) into their waves, then
/// pauses the job if a wave crossed its threshold, releases the next wave if the last one
/// passed, and completes the job when nothing is left in flight.
pub async fn after_terminal(tx: &mut Tx, job: i64, ended: &[(i64, TargetState, i64)], now: Timestamp) -> DbResult<()> {
    let rollout: Rollout = tx
        .fetch_one(Sql::with(
            "select state, threshold_pct, min_done, auto_release_pct, released_wave, wave_count from jobs where id = $1",
            [job.into()],
        ))
        .await?;
    for &(wave, state, n) in ended {
        let (failed, succeeded) = (i64::from(state.is_failure()) * n, i64::from(state == TargetState::Succeeded) * n);
        let (done, ok, bad, size): (i64, i64, i64, i64) = tx
            .fetch_one(Sql::with(
                "update job_waves set n_done = n_done + $1, n_succeeded = n_succeeded + $2, n_failed = n_failed + $3 \
                 where job_id = $4 and wave = $5 returning n_done, n_succeeded, n_failed, size",
                [n.into(), succeeded.into(), failed.into(), job.into(), wave.into()],
            ))
            .await?;
        let running = rollout.state == "running" || rollout.state == "scheduled";
        if let Some(pct) = rollout.threshold_pct.filter(|_| running && failed > 0) {
            if threshold_crossed(bad, done, size, pct, rollout.min_done) {
                let why = format!("{bad} of {size} failed in wave {wave}, over the {pct} % threshold");
                pause(tx, job, "threshold", &why, "server", now).await?;
            }
        }
        let next = wave + 1;
        if let Some(pct) = rollout.auto_release_pct.filter(|_| running && wave == rollout.released_wave) {
            if next <= rollout.wave_count && wave_passes(ok, done, size, pct) {
                let why = format!("wave {wave} passed: {ok} of {size} succeeded (asked {pct} %)");
                release_wave(tx, job, next, "server", &why, now).await?;
            }
        }
    }
    settle(tx, job, now).await
}

/// Completes the job (or finishes its cancel) once no target is left in flight.
pub async fn settle(tx: &mut Tx, job: i64, now: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "update jobs set state = case when state = 'canceling' then 'canceled' else 'completed' end, \
         outcome = case when state = 'canceling' then null \
              when n_targets = 0 then 'no_devices' \
              when n_failed + n_rejected + n_expired + n_timed_out = 0 then 'success' else 'partial' end, \
         completed_at = $1, updated_at = $1 \
         where id = $2 and state in ('scheduled', 'running', 'paused', 'canceling') \
         and n_queued + n_dispatched + n_acknowledged + n_in_progress = 0 \
         returning state, n_targets, n_failed + n_rejected + n_expired + n_timed_out",
        [now.into(), job.into()],
    );
    if let Some((state, targets, failures)) = tx.fetch_optional::<(String, i64, i64)>(sql).await? {
        let message = match state.as_str() {
            "canceled" => "canceled: no target left in flight".to_string(),
            _ => format!("completed: {}", Outcome::of(targets, failures).describe(failures, targets)),
        };
        events::append(tx, Event::job(job, "server", message), now).await?;
    }
    Ok(())
}

/// The row key, state and last released wave of the job `job_key` names, read inside the
/// manager's command that changes it.
pub async fn job_for_command(tx: &mut Tx, job_key: &str) -> DbResult<Option<(i64, String, i64)>> {
    let sql = Sql::with("select id, state, released_wave from jobs where job_id = $1", [job_key.into()]);
    tx.fetch_optional(sql).await
}

/// Marks a job canceling (`force`: aborting), one row; `false` when it had already ended or
/// was being canceled.
pub async fn mark_canceling(tx: &mut Tx, job: i64, force: bool, now: Timestamp) -> DbResult<bool> {
    let sql = Sql::with(
        "update jobs set state = 'canceling', force_cancel = $1, updated_at = $2 \
         where id = $3 and state in ('scheduled', 'running', 'paused')",
        [force.into(), now.into(), job.into()],
    );
    Ok(tx.execute(sql).await? == 1)
}

/// Pauses a running job; `false` when it was not running.
pub async fn pause(tx: &mut Tx, job: i64, reason: &str, why: &str, actor: &str, now: Timestamp) -> DbResult<bool> {
    let sql = Sql::with(
        "update jobs set state = 'paused', pause_reason = $1, updated_at = $2 \
         where id = $3 and state in ('scheduled', 'running')",
        [reason.into(), now.into(), job.into()],
    );
    let paused = tx.execute(sql).await? == 1;
    if paused {
        events::append(tx, Event::job(job, actor, format!("paused ({reason}): {why}")), now).await?;
    }
    Ok(paused)
}

/// Resumes a paused job; its queued work gets a fresh time to live (the pause did not use it).
pub async fn resume(tx: &mut Tx, job: i64, actor: &str, now: Timestamp) -> DbResult<bool> {
    let refresh = Sql::with(
        "update job_targets set expires_at = $1 where job_id = $2 and state = 'queued' and expires_at is not null",
        [now.plus_secs(ttl_of(tx, job).await?).into(), job.into()],
    );
    tx.execute(refresh).await?;
    let sql = Sql::with(
        "update jobs set state = 'running', pause_reason = null, updated_at = $1 where id = $2 and state = 'paused'",
        [now.into(), job.into()],
    );
    let resumed = tx.execute(sql).await? == 1;
    if resumed {
        tx.changes(Domain::Jobs); // its queued work is handed out again
        events::append(tx, Event::job(job, actor, "resumed".to_string()), now).await?;
    }
    Ok(resumed)
}

async fn ttl_of(tx: &mut Tx, job: i64) -> DbResult<i64> {
    let (ttl,): (i64,) = tx.fetch_one(Sql::with("select ttl_s from jobs where id = $1", [job.into()])).await?;
    Ok(ttl)
}

/// Releases `wave` (the one after the last released): its targets become fetchable, with their
/// time to live counted from now. `false` when it is not the next wave.
pub async fn release_wave(tx: &mut Tx, job: i64, wave: i64, actor: &str, why: &str, now: Timestamp) -> DbResult<bool> {
    let advance = Sql::with(
        "update jobs set released_wave = $1, updated_at = $2 where id = $3 and released_wave = $4 and wave_count >= $1",
        [wave.into(), now.into(), job.into(), (wave - 1).into()],
    );
    if tx.execute(advance).await? == 0 {
        return Ok(false);
    }
    let expires = now.plus_secs(ttl_of(tx, job).await?);
    let sql = Sql::with(
        "update job_targets set expires_at = $1 where job_id = $2 and wave = $3 and state = 'queued'",
        [expires.into(), job.into(), wave.into()],
    );
    let size = tx.execute(sql).await?;
    tx.changes(Domain::Jobs); // the wave's work can be fetched now
    let mark = Sql::with(
        "update job_waves set released_at = $1 where job_id = $2 and wave = $3",
        [now.into(), job.into(), wave.into()],
    );
    tx.execute(mark).await?;
    let message = format!("wave {wave} released ({size} devices): {why}");
    events::append(tx, Event::job(job, actor, message), now).await?;
    Ok(true)
}

/// Marks the job running at its first dispatch; `false` when it no longer hands out work
/// (paused or canceled since the fetch read it), and the caller rolls the dispatch back.
pub async fn mark_dispatching(tx: &mut Tx, job: i64, now: Timestamp) -> DbResult<bool> {
    let sql = Sql::with(
        "update jobs set state = 'running', started_at = coalesce(started_at, $1), updated_at = $1 \
         where id = $2 and state in ('scheduled', 'running')",
        [now.into(), job.into()],
    );
    Ok(tx.execute(sql).await? == 1)
}
