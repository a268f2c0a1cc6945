//! The warehouse's home for managers (its POs by state, what remains to count on the open ones,
//! the active POs, the newest receives and submissions, the review queue's size) and the bag
//! board (every bag of a published receive against its label).
use serde::{Deserialize, Serialize};

use super::receive_views::ReceiveListRow;
use super::review_views::QueueSize;
use super::submission_list::SubmissionRow;
use super::submissions::BagStatus;

/// POs by state: open (issued on, neither closed nor cancelled), closed (closed or cancelled),
/// draft.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoStateCounts {
    pub open: i64,
    pub closed: i64,
    pub draft: i64,
}

/// A PO counted against: neither closed nor cancelled, with submissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivePo {
    pub number: String,
    pub ordered: i64,
    pub remaining: i64,
}

/// Active POs shown on the dashboard at most.
pub const ACTIVE_POS: i64 = 20;
/// Receives and submissions the dashboard shows.
pub const LAST_RECEIVES: i64 = 5;
pub const LAST_SUBMISSIONS: i64 = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseDashboard {
    pub pos: PoStateCounts,
    /// Σ (ordered − good − damaged) over the open POs' lines.
    pub remaining_open: i64,
    pub active: Vec<ActivePo>,
    pub receives: Vec<ReceiveListRow>,
    pub submissions: Vec<SubmissionRow>,
    pub queue: QueueSize,
}

/// An open bag (of a published receive whose PO still takes counts), against its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenBag {
    /// `PO-TEST-001-1-2-3`, or its receive, box and bag while the receive has no PO.
    pub name: String,
    pub tablet_type: String,
    pub label_count: i64,
    pub running: i64,
    pub status: BagStatus,
}

impl OpenBag {
    /// Running total − label: negative while tablets are still to be counted.
    pub fn difference(&self) -> i64 {
        self.running.saturating_sub(self.label_count)
    }
}

/// Bags the board shows at most (the newest receives' first).
pub const BOARD_BAGS: i64 = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BagBoard {
    /// The last change of a count or a receive before the bags were read: the live feed tells
    /// of any after it.
    pub version: i64,
    pub bags: Vec<OpenBag>,
    /// More open bags than `BOARD_BAGS`.
    pub more: bool,
}
