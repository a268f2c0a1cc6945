//! The three clocks of a target — time to live, ack lease, execution deadline — and retries,
//! enforced on one target inside the caller's transaction (lazily on every fetch and report)
//! or on chunks by the sweeper.
use crate::db::engine::{DbResult, Tx};
use crate::db::jobs::moves::{move_one, Also, Step};
use crate::db::jobs::target_ref::TargetRef;
use crate::model::jobs::rules::{backoff_secs, MAX_REDISPATCHES};
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// The step that queues `target` again for its next attempt after `end`, with the job's backoff.
pub fn retry_step(target: &TargetRef, end: TargetState, detail: &str, now: Timestamp) -> Step<'static> {
    let wait = backoff_secs(target.retry.backoff_s, target.attempt);
    let not_before = now.plus_secs(wait);
    let also = Also::Retry { not_before, expires_at: not_before.plus_secs(target.ttl_s), message: detail.to_string() };
    let message = format!(
        "{} on attempt {} of {}{}; retry in {wait} s",
        end.label(),
        target.attempt,
        target.retry.max_attempts,
        if detail.is_empty() { String::new() } else { format!(" ({detail})") }
    );
    Step::to(TargetState::Queued, "server", message).with(also)
}

/// Applies the move a clock of `target` owes at `now`, if any. Returns the state it moved to,
/// or `None` when no clock ran out or another writer moved the target first.
pub async fn enforce(tx: &mut Tx, target: &TargetRef, now: Timestamp) -> DbResult<Option<TargetState>> {
    let Some(to) = target.clock_move(now) else {
        return Ok(None);
    };
    let step = match (target.state, to) {
        (_, TargetState::Expired)
            if target.state == TargetState::Dispatched && target.dispatches >= MAX_REDISPATCHES =>
        {
            Step::to(to, "server", format!("not acknowledged after {MAX_REDISPATCHES} dispatches"))
        }
        (_, TargetState::Expired) => Step::to(to, "server", "time to live ran out before the work was picked up"),
        (TargetState::Dispatched, TargetState::Queued) => {
            let message =
                format!("ack lease lapsed (dispatch {} of {MAX_REDISPATCHES}); queued again", target.dispatches);
            Step::to(to, "server", message).with(Also::LeaseLapsed)
        }
        _ if target.retry.retries(TargetState::TimedOut, target.attempt) => {
            retry_step(target, TargetState::TimedOut, "execution deadline passed", now)
        }
        _ => Step::to(TargetState::TimedOut, "server", "execution deadline passed"),
    };
    let landed = step.to;
    Ok(move_one(tx, target, step, now).await?.then_some(landed))
}
