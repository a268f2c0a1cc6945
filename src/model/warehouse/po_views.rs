//! A purchase order as its page shows it: the header, each line with its counts and its round,
//! and the totals DOMAIN.md defines, its receives and its timeline.
use serde::{Deserialize, Serialize};

use super::po_rules::{totals, LineCounts, PoStatus};
use super::receive_views::ReceiveListRow;
use super::timeline::TimelineEntry;
use crate::model::platform::csv_cell::neutralise;
use crate::model::platform::page::clean_search;
use crate::model::platform::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoLineView {
    pub line_no: i64,
    pub inventory_item: String,
    pub name: String,
    pub counts: LineCounts,
    pub machine_good: i64,
    pub machine_damaged: i64,
    /// Tablets this line's item arrived in, by the labels of the bags of the PO's receives.
    pub received: i64,
    /// This PO's place among the POs that hold the same item, by number (1 = the first).
    pub round: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoDetail {
    pub id: i64,
    pub number: String,
    pub vendor: String,
    pub tablet_type: Option<String>,
    pub status: PoStatus,
    pub closed: bool,
    pub close_reason: String,
    /// The PO this one holds the overs of.
    pub parent: Option<String>,
    /// The overs PO made from this one.
    pub overs_po: Option<String>,
    pub lines: Vec<PoLineView>,
    pub created_by: String,
    pub created_at: Timestamp,
    /// What the edit form sends back as `seen`: a digest of what an edit changes.
    pub edit_token: String,
    pub receives: Vec<ReceiveListRow>,
    /// Newest first, at most `TIMELINE_LIMIT`.
    pub timeline: Vec<TimelineEntry>,
}

impl PoDetail {
    /// Ordered, good and damaged summed over the lines, and so the remaining.
    pub fn totals(&self) -> LineCounts {
        totals(&self.line_counts())
    }

    pub fn line_counts(&self) -> Vec<LineCounts> {
        self.lines.iter().map(|l| l.counts).collect()
    }
}

/// A PO in the list: its header and its totals; an overs PO names its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoListRow {
    pub number: String,
    pub vendor: String,
    pub tablet_type: Option<String>,
    pub status: PoStatus,
    pub closed: bool,
    pub parent: Option<String>,
    pub totals: LineCounts,
    pub created_at: Timestamp,
}

/// What the PO list shows: a status, open or closed ones, a vendor and a PO number containing
/// the text given, a tablet type (by name), and the keyset position: the number of the last
/// PO of the page before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoFilter {
    pub status: String,
    /// `open`, `closed`, or anything else for both.
    pub state: String,
    pub q: String,
    pub vendor: String,
    pub tablet_type: String,
    pub after: String,
}

impl PoFilter {
    /// The filter as typed into a URL, made safe to run: an unknown status or state shows
    /// every PO, and text loses control characters and is cut to length.
    pub fn cleaned(&self) -> PoFilter {
        let status = PoStatus::parse(self.status.trim());
        let state = self.state.trim();
        PoFilter {
            status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            state: if matches!(state, "open" | "closed") { state.to_string() } else { String::new() },
            q: clean_search(&self.q),
            vendor: clean_search(&self.vendor),
            tablet_type: clean_search(&self.tablet_type),
            after: clean_search(&self.after),
        }
    }

    /// The filter's fields as URL pairs (the position left out), for links and the CSV.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("status", &self.status),
            ("state", &self.state),
            ("q", &self.q),
            ("vendor", &self.vendor),
            ("tablet_type", &self.tablet_type),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }
}

/// A page of the PO list, and the position the next page starts after, if there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoPage {
    pub rows: Vec<PoListRow>,
    pub next: Option<String>,
}

/// POs per page of the list.
pub const PO_PAGE: i64 = 50;

/// The PO list's CSV columns, in order.
pub const PO_CSV_HEADER: [&str; 11] = [
    "number",
    "overs_of",
    "vendor",
    "tablet_type",
    "status",
    "closed",
    "ordered",
    "good",
    "damaged",
    "remaining",
    "created_at",
];

impl PoListRow {
    /// The row's CSV fields, in `PO_CSV_HEADER`'s order; text that a spreadsheet would read as
    /// a formula (a vendor `=HYPERLINK(…)`, a number `-2-3`) is quoted, while the counts stay
    /// numbers (a negative remaining is one).
    pub fn csv_fields(&self) -> Vec<String> {
        let t = self.totals;
        vec![
            neutralise(&self.number),
            neutralise(self.parent.as_deref().unwrap_or_default()),
            neutralise(&self.vendor),
            neutralise(self.tablet_type.as_deref().unwrap_or_default()),
            self.status.as_str().to_string(),
            self.closed.to_string(),
            t.ordered.to_string(),
            t.good.to_string(),
            t.damaged.to_string(),
            t.remaining().to_string(),
            self.created_at.rfc3339(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_row_defuses_formulas_in_text_but_keeps_a_negative_remaining_a_number() {
        let row = PoListRow {
            number: "-2-3".into(),
            vendor: "=HYPERLINK(\"http://x\",\"y\")".into(),
            tablet_type: None,
            status: PoStatus::Active,
            closed: false,
            parent: None,
            totals: LineCounts { ordered: 100, good: 130, damaged: 0 },
            created_at: Timestamp::parse("2026-12-01T09:00:00Z").unwrap(),
        };
        let fields = row.csv_fields();
        assert_eq!(fields.len(), PO_CSV_HEADER.len());
        assert_eq!(&fields[..3], ["'-2-3", "", "'=HYPERLINK(\"http://x\",\"y\")"]);
        assert_eq!(fields[9], "-30");
    }
}
