//! Recalculate (admins, and `backroom warehouse recalculate`): the PO lines whose stored counts
//! differ from the sums over their submissions, reported; set to the sums only when asked, in
//! one transaction with its audit row. On a database only Backroom wrote it finds none.
use serde_json::json;

use super::{WarehouseError, WarehouseResult};
use crate::db::engine::Db;
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::drift::{drifted_lines, drifted_lines_in, set_line_to_derived, DriftRow};
use crate::model::warehouse::drift::{DriftLine, DriftReport, FourCounts, REPORT_LINES};

fn drift_line(r: &DriftRow) -> DriftLine {
    DriftLine {
        po: r.po.clone(),
        line_no: r.line_no,
        inventory_item: r.inventory_item.clone(),
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
    Ok(drifted_lines(db).await?.iter().map(drift_line).collect())
}

/// The report as a page shows it: the first lines, how many drifted, and its fingerprint.
pub async fn drift_page(db: &Db) -> WarehouseResult<DriftReport> {
    let mut lines = drift_report(db).await?;
    let (drifted, fingerprint) = (lines.len(), fingerprint(&lines));
    lines.truncate(REPORT_LINES);
    Ok(DriftReport { lines, drifted, fingerprint })
}

/// A digest that changes whenever the report does (each line's PO, number and counts).
fn fingerprint(lines: &[DriftLine]) -> String {
    let mut text = String::new();
    for l in lines {
        let four = |c: FourCounts| format!("{},{},{},{}", c.good, c.damaged, c.machine_good, c.machine_damaged);
        text.push_str(&format!("{}/{}:{}>{};", l.po, l.line_no, four(l.stored), four(l.derived)));
    }
    crate::db::engine::sha256_hex(text.as_bytes())
}

/// Sets every drifted line to its submissions' sums; the lines it set. With `seen` (the
/// fingerprint of the report a person confirmed), refused when the drift is no longer what
/// they saw.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fix_drift(db: &Db, actor: &Actor, seen: Option<&str>) -> WarehouseResult<Vec<DriftLine>> {
    let mut tx = db.begin_write().await?;
    let rows = drifted_lines_in(&mut tx).await?;
    let lines: Vec<DriftLine> = rows.iter().map(drift_line).collect();
    if seen.is_some_and(|seen| seen != fingerprint(&lines)) {
        let why = "The counts changed since this report was drawn: look at the report as it stands now.";
        return Err(WarehouseError::Conflict(why.into()));
    }
    for row in &rows {
        set_line_to_derived(&mut tx, row).await?;
    }
    if !lines.is_empty() {
        let values = json!({"lines": lines.len(), "fixed": lines.iter().take(100).collect::<Vec<_>>()});
        let entry = AuditEntry::new("warehouse.recalculated", "po_lines", "all").with_new(values);
        audit::append(&mut tx, actor, entry).await?;
    }
    tx.commit().await?;
    Ok(lines)
}
