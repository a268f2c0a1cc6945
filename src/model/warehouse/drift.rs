//! Recalculate's report: per drifted PO line, its four stored counts, the sums over its
//! submissions, and the difference; with the report's fingerprint, which a confirmed fix must
//! match (so it sets only what the person saw).
use serde::{Deserialize, Serialize};

/// A line's four counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FourCounts {
    pub good: i64,
    pub damaged: i64,
    pub machine_good: i64,
    pub machine_damaged: i64,
}

/// One drifted line: what is stored, and what its submissions add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftLine {
    pub po: String,
    pub line_no: i64,
    pub inventory_item: String,
    pub stored: FourCounts,
    pub derived: FourCounts,
}

impl DriftLine {
    /// Derived − stored, per count.
    pub fn difference(&self) -> FourCounts {
        FourCounts {
            good: self.derived.good - self.stored.good,
            damaged: self.derived.damaged - self.stored.damaged,
            machine_good: self.derived.machine_good - self.stored.machine_good,
            machine_damaged: self.derived.machine_damaged - self.stored.machine_damaged,
        }
    }
}

/// The drift report as a page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    /// The first `REPORT_LINES` drifted lines, by PO number and line.
    pub lines: Vec<DriftLine>,
    /// How many lines drifted in all.
    pub drifted: usize,
    pub fingerprint: String,
}

/// How many drifted lines a page lists (the fix sets them all).
pub const REPORT_LINES: usize = 500;
