//! The server's daily maintenance: once a minute it asks whether the day's run (at the
//! configured hour, UTC) is due, judged by the newest recorded run, so a server that was down
//! at that hour catches up once, and a run made by `backroom maintenance` counts too.
use std::time::Duration;

use time::{OffsetDateTime, Time};

use crate::context::state::AppState;
use crate::db::platform::audit::Actor;
use crate::model::platform::time::Timestamp;

/// The latest daily slot at or before `now`.
pub fn last_slot(hour: u8, now: OffsetDateTime) -> OffsetDateTime {
    let at = Time::from_hms(hour.min(23), 0, 0).unwrap_or(Time::MIDNIGHT);
    let today = now.date().with_time(at).assume_utc();
    if today <= now {
        today
    } else {
        today - time::Duration::days(1)
    }
}

/// True when no run started at or after the latest slot.
pub fn due(hour: u8, now: OffsetDateTime, last_started: Option<OffsetDateTime>) -> bool {
    last_started.is_none_or(|started| started < last_slot(hour, now))
}

/// Runs forever, on the server that holds the scheduler lock; started by `serve` when the
/// schedule is on.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        look(&state, OffsetDateTime::now_utc()).await;
    }
}

/// One look at the schedule at `now`: runs the day's maintenance if this server holds the
/// scheduler lock and no run started since the latest slot. True if it ran.
pub async fn look(state: &AppState, now: OffsetDateTime) -> bool {
    if !state.leader.confirm().await {
        return false;
    }
    let last = match crate::db::admin::maintenance::last_run(&state.db).await {
        Ok(last) => last.map(|r| r.started_at.into_inner()),
        Err(e) => {
            tracing::warn!(%e, "cannot read the last maintenance run");
            return false;
        }
    };
    if !due(state.config.maintenance_hour, now, last) {
        return false;
    }
    let actor = Actor { name: "maintenance".to_string(), ..Default::default() };
    match crate::maintenance::run(&state.db, state.config.retention(), Timestamp::from(now), &actor).await {
        Ok(done) => {
            tracing::info!(summary = %done.summary, longest_lock_ms = done.longest_lock_ms, "maintenance ran");
            true
        }
        Err(e) => {
            tracing::error!(%e, "maintenance failed");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_daily_run_is_due_once_after_its_hour() {
        let before_three = datetime!(2026-12-05 02:59 UTC);
        let after_three = datetime!(2026-12-05 03:00 UTC);
        assert_eq!(last_slot(3, before_three), datetime!(2026-12-04 03:00 UTC));
        assert!(due(3, after_three, None));
        assert!(due(3, after_three, Some(datetime!(2026-12-04 03:00 UTC))));
        assert!(!due(3, after_three, Some(after_three)));
        assert!(!due(3, before_three, Some(datetime!(2026-12-04 03:10 UTC))));
        assert_eq!(last_slot(99, after_three), datetime!(2026-12-04 23:00 UTC));
    }
}
