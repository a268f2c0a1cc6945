//! The audit log as the admin pages see it: rows, the filter (parsed leniently from the URL) and
//! the sidebar (counts by type, the first and last event).
use serde::{Deserialize, Serialize};

use crate::model::platform::day_range::{parse_day, DayRange};
use crate::model::platform::facet::FacetChoice;
use crate::model::platform::time::Timestamp;

/// Longest filter value kept; longer ones cannot match anything we write.
const MAX_FILTER_CHARS: usize = 64;

/// One audit event. `old_values` / `new_values` are JSON text, pretty-printed for the detail view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: Timestamp,
    pub actor_name: String,
    pub event_type: String,
    pub entity_type: String,
    pub entity_id: String,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
    pub ip: String,
    pub user_agent: String,
}

/// The audit log's sidebar: events per type under the other filters, and the first and last
/// event's times (what the date drill-down offers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSidebar {
    pub events: Vec<FacetChoice>,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

/// Filters of the audit list. Dates are `YYYY-MM-DD` (days in the viewer's zone, both ends
/// inclusive); values that do not parse are dropped, so a hand-edited URL shows a wider list
/// rather than an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: String,
    pub event: String,
    pub entity_type: String,
    pub entity_id: String,
    pub from: String,
    pub to: String,
}

fn short(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() <= MAX_FILTER_CHARS && !value.chars().any(char::is_control) {
        value.to_string()
    } else {
        String::new()
    }
}

impl AuditFilter {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |k: &str| get(k).unwrap_or_default();
        Self {
            actor: get("actor"),
            event: get("event"),
            entity_type: get("entity_type"),
            entity_id: get("entity_id"),
            from: get("from"),
            to: get("to"),
        }
        .clamped()
    }

    pub fn clamped(&self) -> Self {
        let date = |d: &str| if parse_day(d).is_some() { d.trim().to_string() } else { String::new() };
        Self {
            actor: short(&self.actor),
            event: short(&self.event),
            entity_type: short(&self.entity_type),
            entity_id: short(&self.entity_id),
            from: date(&self.from),
            to: date(&self.to),
        }
    }

    /// The days the filter keeps (read in a zone by whoever runs it).
    pub fn days(&self) -> DayRange {
        DayRange::parse(&self.from, &self.to)
    }

    pub fn params(&self) -> Vec<(&'static str, String)> {
        [
            ("actor", &self.actor),
            ("event", &self.event),
            ("entity_type", &self.entity_type),
            ("entity_id", &self.entity_id),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }
}

/// JSON text shown indented; text that is not JSON is shown as it is.
pub fn pretty_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_bound_whole_days_and_bad_ones_are_dropped() {
        let f = AuditFilter::from_params(|k| match k {
            "from" => Some("2026-11-01".into()),
            "to" => Some("2026-11-02".into()),
            "event" => Some("x".repeat(65)),
            "actor" => Some(" ann ".into()),
            _ => Some("2026-13-40".into()),
        });
        let span = f.days().in_zone(&crate::model::platform::zone::Zone::default());
        assert_eq!(span.since.unwrap().rfc3339(), "2026-11-01T00:00:00Z");
        assert_eq!(span.until.unwrap().rfc3339(), "2026-11-03T00:00:00Z");
        assert_eq!((f.event.as_str(), f.actor.as_str()), ("", "ann"));
        assert_eq!(
            AuditFilter { from: "yesterday".into(), ..Default::default() }.clamped().days(),
            DayRange::default()
        );
    }

    #[test]
    fn json_is_indented_and_other_text_kept() {
        assert_eq!(pretty_json(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_json("plain"), "plain");
    }
}
