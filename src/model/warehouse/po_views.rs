//! A purchase order as its page shows it: the header, each line with its counts and its round,
//! and the totals DOMAIN.md defines, its receives and its timeline.
use serde::{Deserialize, Serialize};

use super::po_rules::{totals, LineCounts, PoStatus};
use super::receive_views::ReceiveListRow;
use super::timeline::TimelineEntry;
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
}

/// What the PO list shows: a status, open or closed ones, a number containing `q`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoFilter {
    pub status: String,
    /// `open`, `closed`, or anything else for both.
    pub state: String,
    pub q: String,
}

/// The most POs the list shows at once; a filter narrows it.
pub const PO_LIST_LIMIT: i64 = 200;
