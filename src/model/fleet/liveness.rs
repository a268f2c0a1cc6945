//! The one rule for whether a device is live: it is `online` only while its newest healthy
//! check is inside the freshness window. Ingest applies it to each check as it arrives, the
//! leader's ageing task (`server::liveness_task`) turns `online` into `offline` the second a
//! device falls out of the window, and every badge, count, filter and site status then reads
//! the stored status, so no two of them can disagree.
use crate::model::platform::time::Timestamp;

/// Seconds a healthy check keeps a device online (DOMAIN.md; `online_window_secs` sets it).
pub const DEFAULT_WINDOW_SECS: i64 = 120;
/// The window's bounds: shorter than a few heartbeats flaps, longer than a week is not "live".
pub const WINDOW_BOUNDS: std::ops::RangeInclusive<i64> = 10..=604_800;

/// The oldest check time that still counts as live at `now`.
pub fn live_since(now: Timestamp, window_secs: i64) -> Timestamp {
    now.plus_secs(-window_secs)
}

/// The status a device takes from its newest check: healthy and fresh → online, healthy but
/// already outside the window (a late batch) → offline, unhealthy → error.
pub fn status_after_check(healthy: bool, checked_at: Timestamp, live_since: Timestamp) -> &'static str {
    match (healthy, checked_at >= live_since) {
        (false, _) => "error",
        (true, true) => "online",
        (true, false) => "offline",
    }
}

/// What a device page says next to the status: nothing while online, else how long ago the
/// device last reported ("last seen 13 min ago", or "never seen").
pub fn last_seen_note(status: &str, last_seen: Option<Timestamp>, now: Timestamp) -> Option<String> {
    if status == "online" {
        return None;
    }
    Some(match last_seen {
        Some(at) => format!("last seen {}", at.ago(now)),
        None => "never seen".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_live_inside_the_window_only() {
        let now = Timestamp::from_unix(1_800_000_000).unwrap();
        let since = live_since(now, DEFAULT_WINDOW_SECS);
        assert_eq!(status_after_check(true, now, since), "online");
        assert_eq!(status_after_check(true, now.plus_secs(-120), since), "online");
        assert_eq!(status_after_check(true, now.plus_secs(-121), since), "offline");
        assert_eq!(status_after_check(false, now, since), "error");
        assert_eq!(status_after_check(false, now.plus_secs(-3600), since), "error");
    }

    #[test]
    fn only_a_device_that_is_not_online_says_when_it_was_last_seen() {
        let now = Timestamp::from_unix(1_800_000_000).unwrap();
        assert_eq!(last_seen_note("online", Some(now), now), None);
        assert_eq!(last_seen_note("offline", Some(now.plus_secs(-780)), now).unwrap(), "last seen 13 min ago");
        assert_eq!(last_seen_note("error", None, now).unwrap(), "never seen");
    }
}
