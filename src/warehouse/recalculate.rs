//! Recalculate (admins, and `backroom warehouse recalculate`): the PO lines whose stored counts
//! differ from the sums over their submissions, reported; set to the sums only when asked, in
//! one transaction with its audit row. On a database only Backroom wrote it finds none.
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::WarehouseResult;
use crate::db::engine::Db;
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::drift::{drifted_lines, drifted_lines_in, set_line_to_derived, DriftRow};

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

fn drift_line(r: DriftRow) -> DriftLine {
    DriftLine {
        po: r.po,
        line_no: r.line_no,
        inventory_item: r.inventory_item,
        stored: FourCounts {
            good: r.good,
            damaged: r.damaged,
            machine_good: r.machine_good,
            machine_damaged: r.machine_damaged,
        },
        derived: FourCounts {
            good: r.derived_good,
            damaged: r.derived_damaged,
            machine_good: r.derived_machine_good,
            machine_damaged: r.derived_machine_damaged,
        },
    }
}

/// The drift report: every line whose counts are not its submissions' sums. Changes nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn drift_report(db: &Db) -> WarehouseResult<Vec<DriftLine>> {
    Ok(drifted_lines(db).await?.into_iter().map(drift_line).collect())
}

/// Sets every drifted line to its submissions' sums; the lines it set.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fix_drift(db: &Db, actor: &Actor) -> WarehouseResult<Vec<DriftLine>> {
    let mut tx = db.begin_write().await?;
    let rows = drifted_lines_in(&mut tx).await?;
    for row in &rows {
        set_line_to_derived(&mut tx, row).await?;
    }
    let lines: Vec<DriftLine> = rows.into_iter().map(drift_line).collect();
    if !lines.is_empty() {
        let values = json!({"lines": lines.len(), "fixed": lines.iter().take(100).collect::<Vec<_>>()});
        let entry = AuditEntry::new("warehouse.recalculated", "po_lines", "all").with_new(values);
        audit::append(&mut tx, actor, entry).await?;
    }
    tx.commit().await?;
    Ok(lines)
}
