//! What the agent API answers with, as the OpenAPI document describes it: the work or the
//! target's standing, each with the seconds until the device should poll again.
use serde::Serialize;
use utoipa::ToSchema;

use crate::jobs::agent::{Standing, Work};

/// Work to run, as `GET …/next` answers it.
#[derive(Serialize, ToSchema)]
pub struct WorkAnswer {
    #[serde(flatten)]
    pub work: Work,
    /// Seconds until the next fetch.
    pub poll_after_s: i64,
}

/// Where the target stands after an acknowledgement or a report.
#[derive(Serialize, ToSchema)]
pub struct StandingAnswer {
    #[serde(flatten)]
    pub standing: Standing,
    /// Seconds until the next fetch.
    pub poll_after_s: i64,
}

/// What became of appended log lines: lines past the target's 256 KB are dropped.
#[derive(Serialize, ToSchema)]
pub struct LogsAnswer {
    pub accepted: usize,
    pub dropped: usize,
    /// Seconds until the next fetch.
    pub poll_after_s: i64,
}
