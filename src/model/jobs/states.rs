//! The closed tables of target and job states. A transition not listed here is refused, and a
//! terminal target state never changes.
use serde::{Deserialize, Serialize};

/// Where a job's work stands on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetState {
    Queued,
    Dispatched,
    Acknowledged,
    InProgress,
    Succeeded,
    Failed,
    Rejected,
    Expired,
    TimedOut,
    Canceled,
}

/// Who asks for a transition: the device over the agent API, or the server (fetch, clocks,
/// cancel, retries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Device,
    Server,
}

impl TargetState {
    pub const ALL: [TargetState; 10] = [
        TargetState::Queued,
        TargetState::Dispatched,
        TargetState::Acknowledged,
        TargetState::InProgress,
        TargetState::Succeeded,
        TargetState::Failed,
        TargetState::Rejected,
        TargetState::Expired,
        TargetState::TimedOut,
        TargetState::Canceled,
    ];
    /// The states a target is still in flight in (counted by "no target left in flight").
    pub const IN_FLIGHT: [TargetState; 4] =
        [TargetState::Queued, TargetState::Dispatched, TargetState::Acknowledged, TargetState::InProgress];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Queued => "queued",
            TargetState::Dispatched => "dispatched",
            TargetState::Acknowledged => "acknowledged",
            TargetState::InProgress => "in_progress",
            TargetState::Succeeded => "succeeded",
            TargetState::Failed => "failed",
            TargetState::Rejected => "rejected",
            TargetState::Expired => "expired",
            TargetState::TimedOut => "timed_out",
            TargetState::Canceled => "canceled",
        }
    }

    pub fn parse(text: &str) -> Option<TargetState> {
        TargetState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// "in progress", "timed out": for people.
    pub fn label(self) -> &'static str {
        match self {
            TargetState::InProgress => "in progress",
            TargetState::TimedOut => "timed out",
            other => other.as_str(),
        }
    }

    /// The job's counter column for this state (an allow-list: column names never come from input).
    pub fn counter(self) -> &'static str {
        match self {
            TargetState::Queued => "n_queued",
            TargetState::Dispatched => "n_dispatched",
            TargetState::Acknowledged => "n_acknowledged",
            TargetState::InProgress => "n_in_progress",
            TargetState::Succeeded => "n_succeeded",
            TargetState::Failed => "n_failed",
            TargetState::Rejected => "n_rejected",
            TargetState::Expired => "n_expired",
            TargetState::TimedOut => "n_timed_out",
            TargetState::Canceled => "n_canceled",
        }
    }

    pub fn is_terminal(self) -> bool {
        !TargetState::IN_FLIGHT.contains(&self)
    }

    /// Counts against a wave's failure threshold and makes a job's outcome partial.
    pub fn is_failure(self) -> bool {
        matches!(self, TargetState::Failed | TargetState::Rejected | TargetState::Expired | TargetState::TimedOut)
    }

    /// Whether `by` may move a target from `self` to `to`. Retries are the server's move from
    /// an in-flight state back to `queued`; a device's `canceled` confirms an abort.
    pub fn allows(self, to: TargetState, by: Mover) -> bool {
        use TargetState::*;
        match by {
            Mover::Device => matches!(
                (self, to),
                (Dispatched, Acknowledged)
                    | (Dispatched, Rejected)
                    | (Acknowledged, InProgress)
                    | (InProgress, InProgress)
                    | (Acknowledged | InProgress, Succeeded | Failed | Rejected | Canceled)
            ),
            Mover::Server => matches!(
                (self, to),
                (Queued, Dispatched)
                    | (Dispatched, Queued)
                    | (Queued | Dispatched, Expired | Canceled)
                    | (Acknowledged | InProgress, TimedOut | Queued)
            ),
        }
    }
}

/// Where a job stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Created; no device has fetched its work yet.
    Scheduled,
    Running,
    Paused,
    Canceling,
    Canceled,
    Completed,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Scheduled,
        JobState::Running,
        JobState::Paused,
        JobState::Canceling,
        JobState::Canceled,
        JobState::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Scheduled => "scheduled",
            JobState::Running => "running",
            JobState::Paused => "paused",
            JobState::Canceling => "canceling",
            JobState::Canceled => "canceled",
            JobState::Completed => "completed",
        }
    }

    pub fn parse(text: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Devices get work only from a job in one of these states.
    pub fn dispatches(self) -> bool {
        matches!(self, JobState::Scheduled | JobState::Running)
    }

    pub fn is_final(self) -> bool {
        matches!(self, JobState::Canceled | JobState::Completed)
    }
}

#[cfg(test)]
mod tests {
    use super::{Mover, TargetState};

    #[test]
    fn terminal_states_allow_nothing_for_anyone() {
        for from in TargetState::ALL.into_iter().filter(|s| s.is_terminal()) {
            for to in TargetState::ALL {
                assert!(!from.allows(to, Mover::Device) && !from.allows(to, Mover::Server), "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn a_device_cannot_skip_the_acknowledgement() {
        assert!(!TargetState::Dispatched.allows(TargetState::InProgress, Mover::Device));
        assert!(!TargetState::Dispatched.allows(TargetState::Succeeded, Mover::Device));
        assert!(!TargetState::Queued.allows(TargetState::Acknowledged, Mover::Device));
        assert!(TargetState::Dispatched.allows(TargetState::Acknowledged, Mover::Device));
    }

    #[test]
    fn names_round_trip() {
        for s in TargetState::ALL {
            assert_eq!(TargetState::parse(s.as_str()), Some(s));
        }
    }
}
