//! The pure rules of jobs, with the DOMAIN.md numbers as tests: actions and priorities, wave
//! sizes, the failure threshold, automatic release, retry backoff and the job's outcome.
use serde::{Deserialize, Serialize};

use super::states::TargetState;

/// What a job asks a device to do.
pub const ACTIONS: [&str; 6] = ["update_config", "deploy_software", "restart", "reboot", "collect_logs", "rotate_keys"];

/// A retry waits `base · 2ⁿ` seconds, never longer than this.
pub const MAX_BACKOFF_SECS: i64 = 3600;
/// A dispatched target whose lease lapses goes back to the queue at most this often, then expires.
pub const MAX_REDISPATCHES: i64 = 5;

/// "critical" for 1 … "lowest" for 5.
pub fn priority_label(priority: i64) -> &'static str {
    match priority {
        1 => "critical",
        2 => "high",
        3 => "normal",
        4 => "low",
        _ => "lowest",
    }
}

/// "Update config" for `update_config`.
pub fn action_label(action: &str) -> String {
    let text = action.replace('_', " ");
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// One wave of a rollout: its number from 1, the cumulative share it reaches, its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WavePlan {
    pub wave: i64,
    pub percent: i64,
    pub size: i64,
    /// The last target position (1-based, in device order) in this wave.
    pub end: i64,
}

/// The waves `percents` (cumulative, rising, the last 100) make of `n` targets: wave k ends at
/// ⌈n·pₖ/100⌉, and a wave left empty by the rounding is dropped. No waves asked: one wave.
pub fn plan_waves(percents: &[i64], n: i64) -> Vec<WavePlan> {
    let mut plans: Vec<WavePlan> = Vec::new();
    let cumulative = if percents.is_empty() { &[100][..] } else { percents };
    for &percent in cumulative {
        let end = (n * percent + 99) / 100;
        let start = plans.last().map_or(0, |p| p.end);
        if end > start {
            plans.push(WavePlan { wave: plans.len() as i64 + 1, percent, size: end - start, end });
        }
    }
    if plans.is_empty() {
        plans.push(WavePlan { wave: 1, percent: 100, size: 0, end: 0 });
    }
    plans
}

/// Whether a wave's failures pause the job: once at least `min_done` of its targets finished,
/// failures / size **>** the threshold (strictly). A wave of 100 at 20 %: 20 failures keep it
/// running, the 21st pauses it.
pub fn threshold_crossed(failed: i64, done: i64, size: i64, threshold_pct: i64, min_done: i64) -> bool {
    size > 0 && done >= min_done && failed * 100 > threshold_pct * size
}

/// Whether a finished wave releases the next one by itself: every target done and at least
/// `success_pct` of them succeeded.
pub fn wave_passes(succeeded: i64, done: i64, size: i64, success_pct: i64) -> bool {
    done >= size && succeeded * 100 >= success_pct * size
}

/// How long a retry waits after attempt `attempt` (from 1) failed: `base · 2^(attempt−1)`,
/// capped at an hour.
pub fn backoff_secs(base: i64, attempt: i64) -> i64 {
    let doublings = u32::try_from((attempt - 1).clamp(0, 20)).unwrap_or(20);
    base.max(0).saturating_mul(1 << doublings).min(MAX_BACKOFF_SECS)
}

/// The retry policy of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub max_attempts: i64,
    pub on_failed: bool,
    pub on_timed_out: bool,
    pub backoff_s: i64,
}

impl RetryPolicy {
    /// Whether a target that ended attempt `attempt` in `end` is queued again instead.
    pub fn retries(&self, end: TargetState, attempt: i64) -> bool {
        let asked = match end {
            TargetState::Failed => self.on_failed,
            TargetState::TimedOut => self.on_timed_out,
            _ => false,
        };
        asked && attempt < self.max_attempts
    }
}

/// How a completed job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Partial,
    NoDevices,
}

impl Outcome {
    pub fn of(targets: i64, failures: i64) -> Outcome {
        match (targets, failures) {
            (0, _) => Outcome::NoDevices,
            (_, 0) => Outcome::Success,
            _ => Outcome::Partial,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Partial => "partial",
            Outcome::NoDevices => "no_devices",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        [Outcome::Success, Outcome::Partial, Outcome::NoDevices].into_iter().find(|o| o.as_str() == text)
    }

    /// "failed on 3 of 12 devices", "succeeded on all 12 devices", "no devices".
    pub fn describe(self, failures: i64, targets: i64) -> String {
        let devices = |n: i64| if n == 1 { "device" } else { "devices" };
        match self {
            Outcome::Success => format!("succeeded on all {targets} {}", devices(targets)),
            Outcome::Partial => format!("failed on {failures} of {targets} {}", devices(targets)),
            Outcome::NoDevices => "no devices".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waves_of_one_ten_and_a_hundred_percent() {
        let plans = plan_waves(&[1, 10, 100], 100_000);
        let sizes: Vec<i64> = plans.iter().map(|p| p.size).collect();
        assert_eq!(sizes, [1_000, 9_000, 90_000]);
        assert_eq!(plans.iter().map(|p| p.size).sum::<i64>(), 100_000);
        // Five devices: 1 % and 10 % both round up to the first device, so the 10 % wave is empty.
        let small = plan_waves(&[1, 10, 100], 5);
        assert_eq!(small.iter().map(|p| (p.wave, p.size)).collect::<Vec<_>>(), [(1, 1), (2, 4)]);
        assert_eq!(plan_waves(&[], 7), [WavePlan { wave: 1, percent: 100, size: 7, end: 7 }]);
        assert_eq!(plan_waves(&[50, 100], 0).len(), 1);
    }

    #[test]
    fn the_twenty_first_failure_of_a_hundred_pauses_at_twenty_percent() {
        assert!(!threshold_crossed(20, 60, 100, 20, 10));
        assert!(threshold_crossed(21, 61, 100, 20, 10));
        assert!(!threshold_crossed(21, 21, 100, 20, 30), "counted only once min_done finished");
    }

    #[test]
    fn backoff_doubles_and_stops_at_an_hour() {
        assert_eq!([1, 2, 3, 4].map(|a| backoff_secs(30, a)), [30, 60, 120, 240]);
        assert_eq!(backoff_secs(600, 10), MAX_BACKOFF_SECS);
        assert_eq!(backoff_secs(i64::MAX, 3), MAX_BACKOFF_SECS);
    }

    #[test]
    fn retries_only_what_the_policy_names_while_attempts_remain() {
        let policy = RetryPolicy { max_attempts: 3, on_failed: true, on_timed_out: false, backoff_s: 30 };
        assert!(policy.retries(TargetState::Failed, 2));
        assert!(!policy.retries(TargetState::Failed, 3));
        assert!(!policy.retries(TargetState::TimedOut, 1));
        assert!(!policy.retries(TargetState::Rejected, 1));
    }

    #[test]
    fn outcomes_say_how_many_failed() {
        assert_eq!(Outcome::of(12, 3).describe(3, 12), "failed on 3 of 12 devices");
        assert_eq!(Outcome::of(1, 0).describe(0, 1), "succeeded on all 1 device");
        assert_eq!(Outcome::of(0, 0), Outcome::NoDevices);
        assert!(wave_passes(95, 100, 100, 95) && !wave_passes(94, 100, 100, 95) && !wave_passes(99, 99, 100, 50));
        assert_eq!(action_label("deploy_software"), "Deploy software");
        assert_eq!(priority_label(1), "critical");
    }
}
