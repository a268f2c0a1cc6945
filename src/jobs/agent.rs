//! What a device does over the agent API: fetch its next work, acknowledge it before running
//! it. Reports and logs are in `reports`. A device only ever reaches its own targets.
use serde::Serialize;

use super::clocks::enforce;
use super::{JobError, JobResult};
use crate::db::engine::{Db, Tx};
use crate::db::jobs::effects::mark_dispatching;
use crate::db::jobs::moves::{move_one, Also, Step};
use crate::db::jobs::target_ref::{by_id, in_flight_of_device, orders_of, JobOrders, TargetRef};
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// A piece of work as a device receives it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Work {
    /// The number to acknowledge and report against.
    pub target_id: i64,
    pub job_id: String,
    pub action: String,
    pub priority: i64,
    /// The job's payload: a JSON object.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub config_url: String,
    pub config_version: String,
    pub attempt: i64,
    pub state: TargetState,
    /// Acknowledge before this time, or the work goes back to the queue.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ack_by: Option<Timestamp>,
    /// Seconds the device has from its acknowledgement to a final result.
    pub timeout_s: i64,
    /// The job was aborted: stop, and report `canceled` (or the real result if it finished).
    pub cancel: bool,
}

/// Where a target stands after a device's call.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Standing {
    pub target_id: i64,
    pub state: TargetState,
    pub attempt: i64,
    /// The job was aborted: stop, and report `canceled` (or the real result if it finished).
    pub cancel: bool,
}

impl Standing {
    pub fn of(target: &TargetRef, state: TargetState) -> Self {
        let cancel = target.force_cancel && !state.is_terminal();
        Standing { target_id: target.id, state, attempt: target.attempt, cancel }
    }
}

/// Which in-flight target a fetch answers with: work already acknowledged first (the device
/// resumes it), then work dispatched to it and not yet acknowledged, then the most urgent,
/// oldest queued work it may have.
fn choose(targets: &[TargetRef], now: Timestamp) -> Option<&TargetRef> {
    let live = |t: &&TargetRef| t.clock_move(now).is_none();
    let resume =
        targets.iter().filter(live).find(|t| matches!(t.state, TargetState::Acknowledged | TargetState::InProgress));
    let redo = || targets.iter().filter(live).find(|t| t.state == TargetState::Dispatched);
    let next =
        || targets.iter().filter(|t| t.fetchable(now)).min_by_key(|t| (t.priority, t.job_created_at, t.job, t.id));
    resume.or_else(redo).or_else(next)
}

/// The next work for `device` at `now`, `None` when there is none. A device with nothing in
/// flight costs one indexed read and no write; one whose clocks ran out has them enforced first.
#[tracing::instrument(level = "debug", skip_all, fields(device))]
pub async fn fetch_next(db: &Db, device: i64, lease_s: i64, now: Timestamp) -> JobResult<Option<Work>> {
    let mut targets = in_flight_of_device(db, device).await?;
    if targets.iter().any(|t| t.clock_move(now).is_some()) {
        let mut tx = db.begin_short_write().await?;
        for target in targets.iter().filter(|t| t.clock_move(now).is_some()) {
            enforce(&mut tx, target, now).await?;
        }
        tx.commit().await?;
        targets = in_flight_of_device(db, device).await?;
    }
    let Some(target) = choose(&targets, now) else {
        return Ok(None);
    };
    if target.state != TargetState::Queued {
        return Ok(Some(work(db, target, target.state, target.lease_until).await?));
    }
    let lease_until = now.plus_secs(lease_s);
    let mut tx = db.begin_short_write().await?;
    if !dispatch_one(&mut tx, target, lease_until, now).await? {
        return Ok(None); // paused, canceled or taken meanwhile: dropped, nothing written
    }
    tx.commit().await?;
    Ok(Some(work(db, target, TargetState::Dispatched, Some(lease_until)).await?))
}

/// Dispatches a queued target under a lease; `false` if the job stopped handing out work or the
/// target moved since it was read (the caller drops the transaction).
async fn dispatch_one(tx: &mut Tx, target: &TargetRef, lease_until: Timestamp, now: Timestamp) -> JobResult<bool> {
    let message = format!("dispatched (attempt {}), lease until {}", target.attempt, lease_until.rfc3339());
    let step = Step::to(TargetState::Dispatched, "server", message).with(Also::Dispatch { lease_until });
    Ok(move_one(tx, target, step, now).await? && mark_dispatching(tx, target.job, now).await?)
}

async fn work(db: &Db, target: &TargetRef, state: TargetState, ack_by: Option<Timestamp>) -> JobResult<Work> {
    let JobOrders { action, payload, config_url, config_version } =
        orders_of(db, target.job).await?.ok_or(JobError::NotFound)?;
    Ok(Work {
        target_id: target.id,
        job_id: target.job_key.clone(),
        action,
        priority: target.priority,
        payload: payload.0,
        config_url,
        config_version,
        attempt: target.attempt,
        state,
        ack_by: ack_by.filter(|_| state == TargetState::Dispatched),
        timeout_s: target.timeout_s,
        cancel: target.force_cancel,
    })
}

/// The answer to a call on a target that is no longer where the call expected it.
pub(super) async fn refusal(tx: &mut Tx, device: i64, id: i64) -> JobResult<JobError> {
    let now_state = by_id(tx, device, id).await?.map(|t| t.state);
    Ok(match now_state {
        Some(state) if state.is_terminal() => {
            JobError::Gone { message: format!("this work has ended ({}): do not run it", state.label()), state }
        }
        Some(state) => JobError::Conflict(format!("the work is {} now; fetch again", state.label())),
        None => JobError::NotFound,
    })
}

/// Acknowledges dispatched work: the device may run it only after this succeeds. A repeated
/// acknowledgement of the same attempt answers the same; ended work is `Gone`.
#[tracing::instrument(level = "debug", skip_all, fields(device, target = id))]
pub async fn acknowledge(db: &Db, device: i64, id: i64, attempt: i64, now: Timestamp) -> JobResult<Standing> {
    let mut tx = db.begin_short_write().await?;
    let target = by_id(&mut tx, device, id).await?.ok_or(JobError::NotFound)?;
    if target.state.is_terminal() {
        return Err(refusal(&mut tx, device, id).await?);
    }
    if attempt != target.attempt {
        return Err(JobError::Conflict(format!("stale attempt {attempt}: this work is on attempt {}", target.attempt)));
    }
    if matches!(target.state, TargetState::Acknowledged | TargetState::InProgress) {
        return Ok(Standing::of(&target, target.state));
    }
    if enforce(&mut tx, &target, now).await?.is_some() {
        let answer = refusal(&mut tx, device, id).await?;
        tx.commit().await?;
        return Err(answer);
    }
    if target.state != TargetState::Dispatched {
        return Err(JobError::Conflict(format!("the work is {}; fetch it first", target.state.label())));
    }
    let step = if target.job_state == crate::model::jobs::states::JobState::Canceling {
        Step::to(TargetState::Canceled, "server", "the job was canceled before the device acknowledged")
    } else {
        let also = Also::Acknowledge { deadline_at: now.plus_secs(target.timeout_s) };
        Step::to(TargetState::Acknowledged, &target.device_key, "acknowledged").with(also)
    };
    let to = step.to;
    if !move_one(&mut tx, &target, step, now).await? {
        return Err(refusal(&mut tx, device, id).await?);
    }
    tx.commit().await?;
    if to == TargetState::Canceled {
        return Err(JobError::Gone { message: "the job was canceled: do not run this work".into(), state: to });
    }
    Ok(Standing::of(&target, to))
}
