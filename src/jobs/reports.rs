//! A device's status reports and log lines. Reports are idempotent by the device's report id;
//! a report for an old attempt is refused (409); a report on ended work is `Gone` (410) and its
//! late result is kept on the timeline.
use serde::Deserialize;

use super::agent::{refusal, Standing};
use super::clocks::{enforce, retry_step};
use super::{JobError, JobResult};
use crate::db::engine::{Db, Tx};
use crate::db::jobs::events::{self, first_report, Event};
use crate::db::jobs::moves::{move_one, Also, Step};
use crate::db::jobs::target_ref::{by_id, TargetRef};
use crate::model::jobs::states::{Mover, TargetState};
use crate::model::platform::time::Timestamp;

/// The most log bytes one target keeps.
pub const LOG_BUDGET_BYTES: i64 = 256 * 1024;

/// A status report, checked by the API (sizes, characters) before it gets here.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    pub attempt: i64,
    pub report_id: String,
    pub state: TargetState,
    pub progress: Option<i64>,
    #[serde(default)]
    pub message: String,
    pub details: Option<serde_json::Value>,
}

fn report_step<'a>(target: &TargetRef, report: &Report, actor: &'a str, now: Timestamp) -> Step<'a> {
    if report.state == TargetState::Failed && target.retry.retries(TargetState::Failed, target.attempt) {
        let mut step = retry_step(target, TargetState::Failed, &report.message, now);
        step.actor = actor;
        return step;
    }
    let also =
        Also::Report { message: report.message.clone(), progress: report.progress, details: report.details.clone() };
    let words = match (report.state, report.progress) {
        (TargetState::InProgress, Some(p)) => format!("in progress, {p} %"),
        (state, _) => state.label().to_string(),
    };
    let message = if report.message.is_empty() { words } else { format!("{words}: {}", report.message) };
    Step::to(report.state, actor, message).with(also)
}

/// A result that came after its target ended: kept on the timeline, nothing else changes.
async fn keep_late(
    tx: &mut Tx,
    target: &TargetRef,
    ended: TargetState,
    report: &Report,
    now: Timestamp,
) -> JobResult<()> {
    let late = match target.deadline_at.or(target.expires_at) {
        Some(at) if now > at => {
            format!(" {} after it was {}", crate::model::platform::time::span(now.unix() - at.unix()), ended.label())
        }
        _ => format!(" after it was {}", ended.label()),
    };
    let message = format!("reported {}{late}; ignored", report.state.label());
    let event = Event {
        target: Some(target.id),
        device: Some(target.device),
        ..Event::job(target.job, &target.device_key, message)
    };
    events::append(tx, event, now).await?;
    Ok(())
}

/// Applies a device's report on its target `id` at `now`.
#[tracing::instrument(level = "debug", skip_all, fields(device, target = id))]
pub async fn report(db: &Db, device: i64, id: i64, report: &Report, now: Timestamp) -> JobResult<Standing> {
    let mut tx = db.begin_short_write().await?;
    let target = by_id(&mut tx, device, id).await?.ok_or(JobError::NotFound)?;
    if !first_report(&mut tx, target.id, &report.report_id).await? {
        return Ok(Standing::of(&target, target.state)); // a replay: the same answer, nothing changes
    }
    let ended = match target.state {
        s if s.is_terminal() => Some(s),
        _ if report.attempt != target.attempt => {
            return Err(JobError::Conflict(format!(
                "stale attempt {}: this work is on attempt {}",
                report.attempt, target.attempt
            )));
        }
        _ => match enforce(&mut tx, &target, now).await? {
            // Past its deadline with a retry left: queued again for the next attempt.
            Some(TargetState::Queued) => {
                tx.commit().await?;
                return Err(JobError::Conflict("the work's deadline passed; it is queued for another attempt".into()));
            }
            clock => clock,
        },
    };
    if let Some(ended) = ended {
        keep_late(&mut tx, &target, ended, report, now).await?;
        tx.commit().await?;
        let message = format!("this work has ended ({}); the report was kept on the timeline", ended.label());
        return Err(JobError::Gone { message, state: ended });
    }
    let allowed = target.state.allows(report.state, Mover::Device)
        && (report.state != TargetState::Canceled || target.force_cancel);
    if !allowed {
        return Err(JobError::Conflict(format!(
            "a report cannot move this work from {} to {}",
            target.state.label(),
            report.state.label()
        )));
    }
    let step = report_step(&target, report, &target.device_key, now);
    let to = step.to;
    if !move_one(&mut tx, &target, step, now).await? {
        return Err(refusal(&mut tx, device, id).await?);
    }
    tx.commit().await?;
    Ok(Standing::of(&target, to))
}

/// Appends a device's log lines to its target; returns how many were kept (the rest would pass
/// the target's 256 KB).
pub async fn append_logs(db: &Db, device: i64, id: i64, lines: &[String], now: Timestamp) -> JobResult<usize> {
    let mut tx = db.begin_short_write().await?;
    by_id(&mut tx, device, id).await?.ok_or(JobError::NotFound)?;
    let kept = events::append_logs(&mut tx, id, lines, LOG_BUDGET_BYTES, now).await?;
    tx.commit().await?;
    Ok(kept)
}
