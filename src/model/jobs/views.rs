//! What the job pages show: a job's counters, its summary and detail, its waves, its targets and
//! its timeline.
use serde::{Deserialize, Serialize};

use super::rules::{Outcome, RetryPolicy};
use super::states::{JobState, TargetState};
use crate::model::platform::day_range::{parse_day, DayRange, TimeSpan};
use crate::model::platform::time::Timestamp;
use crate::model::platform::zone::Zone;

/// How many of a job's targets are in each state, kept in the same transaction as every
/// transition. Σ by state = `targets`, always.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub targets: i64,
    /// In `TargetState::ALL` order.
    pub by_state: [i64; 10],
}

impl Counters {
    pub fn get(&self, state: TargetState) -> i64 {
        TargetState::ALL.iter().position(|s| *s == state).map_or(0, |i| self.by_state[i])
    }

    pub fn sum(&self) -> i64 {
        self.by_state.iter().sum()
    }

    pub fn in_flight(&self) -> i64 {
        TargetState::IN_FLIGHT.iter().map(|s| self.get(*s)).sum()
    }

    pub fn failures(&self) -> i64 {
        TargetState::ALL.iter().filter(|s| s.is_failure()).map(|s| self.get(*s)).sum()
    }

    pub fn finished(&self) -> i64 {
        self.targets - self.in_flight()
    }
}

/// A job as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: i64,
    pub job_id: String,
    pub action: String,
    pub description: String,
    pub priority: i64,
    pub state: JobState,
    pub pause_reason: Option<String>,
    pub outcome: Option<Outcome>,
    pub target_label: String,
    pub counters: Counters,
    pub created_by: String,
    pub created_at: Timestamp,
    pub completed_at: Option<Timestamp>,
}

/// Everything the job page shows above its tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobDetail {
    pub summary: JobSummary,
    pub payload_pretty: String,
    pub config_url: String,
    pub config_version: String,
    pub ttl_s: i64,
    pub timeout_s: i64,
    pub retry: RetryPolicy,
    pub threshold_pct: Option<i64>,
    pub min_done: i64,
    pub auto_release_pct: Option<i64>,
    pub wave_count: i64,
    pub released_wave: i64,
    pub force_cancel: bool,
    pub started_at: Option<Timestamp>,
    pub waves: Vec<WaveRow>,
}

/// One wave of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveRow {
    pub wave: i64,
    pub percent: i64,
    pub size: i64,
    pub released_at: Option<Timestamp>,
    pub done: i64,
    pub succeeded: i64,
    pub failed: i64,
}

/// One device's part in a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRow {
    pub id: i64,
    pub device_id: String,
    pub site: String,
    pub wave: i64,
    pub state: TargetState,
    pub attempt: i64,
    pub progress: Option<i64>,
    pub message: String,
    pub updated_at: Timestamp,
}

/// One line of a job's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub job_id: String,
    pub at: Timestamp,
    pub device_id: Option<String>,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub actor: String,
    pub message: String,
}

impl EventRow {
    /// "queued → dispatched" for a target's move; empty for a job-level event.
    pub fn change(&self) -> String {
        match (&self.from_state, &self.to_state) {
            (Some(f), Some(t)) => format!("{} → {}", f.replace('_', " "), t.replace('_', " ")),
            _ => String::new(),
        }
    }
}

/// A page of rows newest (or first) first, with the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk<R> {
    pub rows: Vec<R>,
    pub next: Option<i64>,
}

impl<R> Default for Chunk<R> {
    fn default() -> Self {
        Chunk { rows: Vec::new(), next: None }
    }
}

/// The jobs list: a page of jobs (newest first), how many match, and the filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobListData {
    pub jobs: Chunk<JobSummary>,
    pub total: i64,
}

/// The job page: the job, a page of its targets (optionally in one state), a page of its timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPageData {
    pub detail: JobDetail,
    pub targets: Chunk<TargetRow>,
    pub events: Chunk<EventRow>,
}

/// The jobs list's filters, all in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFilter {
    pub state: Option<String>,
    pub action: Option<String>,
    pub site: Option<String>,
    pub created_by: Option<String>,
    /// A day, `YYYY-MM-DD`, in the viewer's time zone.
    pub day: Option<String>,
}

impl JobFilter {
    /// The filter a URL's parameters name (`get("state")` …), clamped; empty values are none.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> JobFilter {
        let value = |k: &str| get(k).filter(|v| !v.is_empty());
        JobFilter {
            state: value("state"),
            action: value("action"),
            site: value("site"),
            created_by: value("created_by"),
            day: value("day"),
        }
        .clamped()
    }

    /// The filter with anything a list could not match dropped: unknown states and actions,
    /// over-long or control-laden text (the URL may come from anywhere).
    pub fn clamped(&self) -> JobFilter {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.len() <= 64 && !t.chars().any(char::is_control))
                .map(str::to_string)
        };
        let known = |v: &Option<String>, list: &[&str]| text(v).filter(|t| list.contains(&t.as_str()));
        let states: Vec<&str> = JobState::ALL.iter().map(|s| s.as_str()).collect();
        JobFilter {
            state: known(&self.state, &states),
            action: known(&self.action, &super::rules::ACTIONS),
            site: text(&self.site),
            created_by: text(&self.created_by),
            day: text(&self.day).filter(|d| parse_day(d).is_some()),
        }
    }

    /// The instants of the filter's day in `zone` (every instant when there is no day).
    pub fn day_span(&self, zone: &Zone) -> TimeSpan {
        let day = self.day.as_deref().and_then(parse_day);
        DayRange { from: day, to: day }.in_zone(zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::platform::zone::ZoneSpan;

    #[test]
    fn counters_add_up_by_state() {
        let mut c = Counters { targets: 10, ..Default::default() };
        c.by_state[0] = 4; // queued
        c.by_state[4] = 3; // succeeded
        c.by_state[8] = 3; // timed out
        assert_eq!((c.sum(), c.in_flight(), c.failures(), c.finished()), (10, 4, 3, 6));
        assert_eq!(c.get(TargetState::TimedOut), 3);
    }

    #[test]
    fn a_day_filter_is_one_day_in_the_viewers_zone_or_nothing() {
        let day = |d: &str, zone: &Zone| JobFilter { day: Some(d.into()), ..Default::default() }.day_span(zone);
        let utc = day("2026-12-06", &Zone::default());
        let (from, to) = (utc.since.expect("a start"), utc.until.expect("an end"));
        assert_eq!((from.rfc3339().as_str(), to.unix() - from.unix()), ("2026-12-06T00:00:00Z", 86_400));
        let span = ZoneSpan { from: crate::model::platform::zone::SPANS_FROM, offset: 7_200, abbr: "+02".into() };
        let plus_two = Zone { name: "Etc/GMT-2".into(), spans: vec![span] };
        assert_eq!(day("2026-12-06", &plus_two).since.map(|t| t.rfc3339()).as_deref(), Some("2026-12-05T22:00:00Z"));
        for bad in ["2026-13-01", "yesterday", "2026-12-06T00:00:00Z", ""] {
            assert_eq!(day(bad, &Zone::default()), TimeSpan::default(), "{bad}");
            let clamped = JobFilter { day: Some(bad.into()), ..Default::default() }.clamped();
            assert_eq!(clamped.day, None, "{bad}");
        }
    }
}
