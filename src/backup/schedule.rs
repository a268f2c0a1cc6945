//! The in-process schedule (DOMAIN.md): hourly on the hour, daily 02:00, weekly Sunday 03:00,
//! monthly on the 1st at 04:00, yearly on 1 January at 05:00 (UTC). Each minute it takes at most
//! one due backup, then applies retention. A tier is due when its newest backup is older than
//! the tier's latest scheduled moment, so a server that was down catches up once.
use std::time::Duration;

use time::{Date, Month, OffsetDateTime, Time};

use super::catalog::{self, Tier};
use crate::context::state::AppState;
use crate::db::platform::audit::Actor;

fn at(date: Date, hour: u8) -> OffsetDateTime {
    date.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_utc()
}

/// The latest scheduled moment of `tier` at or before `now`.
pub fn last_slot(tier: Tier, now: OffsetDateTime) -> OffsetDateTime {
    let today = now.date();
    let back_a_day = |d: Date| d.previous_day().unwrap_or(d);
    let pick = |candidate: OffsetDateTime, earlier: OffsetDateTime| if candidate <= now { candidate } else { earlier };
    match tier {
        Tier::Daily => pick(at(today, 2), at(back_a_day(today), 2)),
        Tier::Weekly => {
            let days_since_sunday = now.weekday().number_days_from_sunday();
            let sunday = today - time::Duration::days(i64::from(days_since_sunday));
            pick(at(sunday, 3), at(sunday - time::Duration::days(7), 3))
        }
        Tier::Monthly => {
            let first = today.replace_day(1).unwrap_or(today);
            let previous = back_a_day(first).replace_day(1).unwrap_or(first);
            pick(at(first, 4), at(previous, 4))
        }
        Tier::Yearly => {
            let jan1 = Date::from_calendar_date(today.year(), Month::January, 1).unwrap_or(today);
            let before = Date::from_calendar_date(today.year() - 1, Month::January, 1).unwrap_or(jan1);
            pick(at(jan1, 5), at(before, 5))
        }
        _ => at(today, now.hour()),
    }
}

/// The first scheduled tier whose newest backup is older than its latest slot.
pub fn due(now: OffsetDateTime, newest: impl Fn(Tier) -> Option<OffsetDateTime>) -> Option<Tier> {
    Tier::SCHEDULED.into_iter().find(|t| newest(*t).is_none_or(|n| n < last_slot(*t, now)))
}

/// Runs forever, on the server that holds the scheduler lock; started by `serve` when the
/// schedule is on.
pub async fn run(state: AppState) {
    let actor = Actor { name: "scheduler".to_string(), ..Default::default() };
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    loop {
        tick.tick().await;
        if !state.leader.confirm().await {
            continue;
        }
        let dir = state.config.backup_dir();
        let listed = catalog::list(&dir).unwrap_or_default();
        let newest = |tier: Tier| {
            listed
                .iter()
                .filter_map(|l| l.info.as_ref())
                .filter(|i| i.tier == tier && i.is_verified())
                .filter_map(|i| {
                    OffsetDateTime::parse(&i.created_at, &time::format_description::well_known::Rfc3339).ok()
                })
                .max()
        };
        let Some(tier) = due(OffsetDateTime::now_utc(), newest) else { continue };
        match super::runs::create(state.db.clone(), dir.clone(), tier, actor.clone(), state.backup_runs.clone()).await {
            Ok(info) => tracing::info!(file = %info.file, "scheduled backup"),
            Err(super::BackupError::Busy) => continue,
            Err(e) => tracing::error!(error = %e, tier = tier.as_str(), "scheduled backup failed"),
        }
        super::runs::prune(&state.db, &dir, &actor).await;
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn slots_follow_the_schedule() {
        let now = datetime!(2026-11-22 01:30 UTC); // a Sunday
        assert_eq!(last_slot(Tier::Hourly, now), datetime!(2026-11-22 01:00 UTC));
        assert_eq!(last_slot(Tier::Daily, now), datetime!(2026-11-21 02:00 UTC));
        assert_eq!(last_slot(Tier::Weekly, now), datetime!(2026-11-15 03:00 UTC));
        assert_eq!(last_slot(Tier::Monthly, now), datetime!(2026-11-01 04:00 UTC));
        assert_eq!(last_slot(Tier::Yearly, now), datetime!(2026-01-01 05:00 UTC));
        let later = datetime!(2026-11-22 03:00 UTC);
        assert_eq!(last_slot(Tier::Weekly, later), datetime!(2026-11-22 03:00 UTC));
        assert_eq!(last_slot(Tier::Monthly, datetime!(2026-01-01 03:00 UTC)), datetime!(2025-12-01 04:00 UTC));
    }

    #[test]
    fn one_due_tier_at_a_time_and_none_when_fresh() {
        let now = datetime!(2026-11-22 01:30 UTC);
        assert_eq!(due(now, |_| None), Some(Tier::Hourly));
        assert_eq!(due(now, |t| (t == Tier::Hourly).then_some(datetime!(2026-11-22 01:00 UTC))), Some(Tier::Daily));
        assert_eq!(due(now, |_| Some(now)), None);
    }
}
