//! The audit log as the admin pages see it: rows, the filter (parsed leniently from the URL) and
//! the counts by type for the last day.
use serde::{Deserialize, Serialize};

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

/// How many events of one type happened in the last 24 h.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCount {
    pub event_type: String,
    pub count: i64,
}

/// Filters of the audit list. Dates are `YYYY-MM-DD` (UTC, both ends inclusive); values that do
/// not parse are dropped, so a hand-edited URL shows a wider list rather than an error.
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

/// The start of a `YYYY-MM-DD` day in UTC.
fn day_start(text: &str) -> Option<Timestamp> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format).ok()?;
    Some(Timestamp::from(date.midnight().assume_utc()))
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
        let date = |d: &str| if day_start(d).is_some() { d.trim().to_string() } else { String::new() };
        Self {
            actor: short(&self.actor),
            event: short(&self.event),
            entity_type: short(&self.entity_type),
            entity_id: short(&self.entity_id),
            from: date(&self.from),
            to: date(&self.to),
        }
    }

    /// Events at or after this time.
    pub fn since(&self) -> Option<Timestamp> {
        day_start(&self.from)
    }

    /// Events before this time (the day after `to`).
    pub fn until(&self) -> Option<Timestamp> {
        day_start(&self.to).map(|t| t.plus_secs(86_400))
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
    fn dates_bound_whole_utc_days_and_bad_ones_are_dropped() {
        let f = AuditFilter::from_params(|k| match k {
            "from" => Some("2026-11-01".into()),
            "to" => Some("2026-11-02".into()),
            "event" => Some("x".repeat(65)),
            "actor" => Some(" ann ".into()),
            _ => Some("2026-13-40".into()),
        });
        assert_eq!(f.since().unwrap().rfc3339(), "2026-11-01T00:00:00Z");
        assert_eq!(f.until().unwrap().rfc3339(), "2026-11-03T00:00:00Z");
        assert_eq!((f.event.as_str(), f.actor.as_str()), ("", "ann"));
        assert_eq!(AuditFilter { from: "yesterday".into(), ..Default::default() }.clamped().since(), None);
    }

    #[test]
    fn json_is_indented_and_other_text_kept() {
        assert_eq!(pretty_json(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_json("plain"), "plain");
    }
}
