//! A purchase order's timeline as people read it: one sentence per audit event of the PO and
//! of its receives ("Marked Issued (was Draft)", "Edited: lines", "Receive 3 published").
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::platform::time::Timestamp;

/// The most events a PO's page shows; the audit log has the rest.
pub const TIMELINE_LIMIT: i64 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub actor: String,
    pub text: String,
    /// The receive the event is about, for a link.
    pub receive_id: Option<i64>,
}

fn text_of(values: &Option<Value>, key: &str) -> String {
    match values.as_ref().and_then(|v| v.get(key)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The sentence for one event: `event_type` of `subject` (a receive by its name) with the
/// row's old and new values (JSON text).
pub fn describe(event_type: &str, subject: &str, old: Option<&str>, new: Option<&str>) -> String {
    let parse = |text: Option<&str>| text.and_then(|t| serde_json::from_str::<Value>(t).ok());
    let (old, new) = (parse(old), parse(new));
    let receive = format!("Receive {subject}");
    match event_type {
        "po.created" => match text_of(&new, "lines").as_str() {
            "1" => "Created with 1 line".to_string(),
            n => format!("Created with {n} lines"),
        },
        "po.edited" => {
            let fields: Vec<&str> = ["vendor", "tablet_type", "lines"]
                .into_iter()
                .filter(|key| new.as_ref().and_then(|v| v.get(*key)).is_some())
                .map(|key| key.strip_suffix("_type").map_or(key, |_| "tablet type"))
                .collect();
            format!("Edited: {}", fields.join(", "))
        }
        "po.status_changed" => format!("Marked {} (was {})", text_of(&new, "status"), text_of(&old, "status")),
        "po.closed" => match text_of(&new, "reason").as_str() {
            "" => "Closed".to_string(),
            reason => format!("Closed short: {reason}"),
        },
        "po.overs_created" => {
            format!("Overs PO {} made for {} tablets", text_of(&new, "overs_po"), text_of(&new, "overs"))
        }
        "receive.created" => format!("{receive} made, received {}", text_of(&new, "received_on")),
        "receive.assigned" => match text_of(&old, "po").as_str() {
            "" => format!("{receive} assigned to this PO"),
            was => format!("{receive} moved here from {was}"),
        },
        "receive.published" => format!("{receive} published"),
        "receive.closed" => format!("{receive} closed"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_reads_as_a_sentence() {
        let moved =
            describe("po.status_changed", "PO-1", Some(r#"{"status":"Draft"}"#), Some(r#"{"status":"Issued"}"#));
        assert_eq!(moved, "Marked Issued (was Draft)");
        assert_eq!(describe("po.closed", "PO-1", None, Some(r#"{"reason":"","remaining":0}"#)), "Closed");
        assert_eq!(describe("po.closed", "PO-1", None, Some(r#"{"reason":"vendor out"}"#)), "Closed short: vendor out");
        let overs = describe("po.overs_created", "PO-1", None, Some(r#"{"overs_po":"PO-1-OVERS","overs":12}"#));
        assert_eq!(overs, "Overs PO PO-1-OVERS made for 12 tablets");
        assert_eq!(describe("receive.assigned", "7", Some(r#"{"po":null}"#), None), "Receive 7 assigned to this PO");
        assert_eq!(describe("receive.assigned", "7", Some(r#"{"po":"PO-2"}"#), None), "Receive 7 moved here from PO-2");
        assert_eq!(describe("receive.published", "7", None, Some("not json")), "Receive 7 published");
        let edited = describe("po.edited", "PO-1", None, Some(r#"{"tablet_type":"A","lines":["X × 5 (X)"]}"#));
        assert_eq!(edited, "Edited: tablet type, lines");
    }
}
