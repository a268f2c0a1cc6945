//! The submissions list, the review queue's rows and the CSV export: stored rows made into what
//! the pages show, with each bag's status and each wait's reason decided by the one rule.
use std::io::Write;
use std::sync::Arc;

use super::{WarehouseError, WarehouseResult};
use crate::db::engine::counts::CountCache;
use crate::db::engine::{Db, DbResult};
use crate::db::warehouse::settings::warehouse_settings;
use crate::db::warehouse::submission_list::{count_unverified, list_submissions, SubmissionDbRow};
use crate::model::warehouse::review::{WaitFacts, WaitReason};
use crate::model::warehouse::submission_list::{
    encode_position, SubmissionFilter, SubmissionPage, SubmissionRow, SUBMISSION_CSV_HEADER, SUBMISSION_PAGE,
};
use crate::model::warehouse::submissions::{bag_status, SubmissionKind};

/// Rows per read of an export.
const EXPORT_BATCH: i64 = 1_000;

/// A stored row as the pages show it: its bag's status by the tolerance, and why it waits
/// (nothing once it is verified).
pub fn submission_row(r: SubmissionDbRow, tolerance: i64) -> SubmissionRow {
    let kind = SubmissionKind::parse(&r.kind).unwrap_or(SubmissionKind::Packaged);
    let bag = r.bag_id.and(r.running.zip(r.label_count));
    let status = bag_status(bag, tolerance);
    let facts = WaitFacts {
        kind,
        needs_review: r.needs_review,
        has_bag: r.bag_id.is_some(),
        has_po: r.po_id.is_some(),
        has_line: r.po_line_id.is_some(),
        status,
    };
    let waits = if r.verified_by.is_some() { None } else { WaitReason::of(&facts) };
    SubmissionRow {
        id: r.id,
        kind,
        submitted_on: r.submitted_on,
        created_at: r.created_at,
        employee: r.employee,
        employee_id: r.employee_id,
        product: r.product,
        machine: r.machine,
        tablet_type: r.tablet_type,
        po: r.po,
        box_no: r.box_no,
        bag_no: r.bag_no,
        displays: r.displays,
        packs: r.packs,
        loose: r.loose,
        turns: r.turns,
        good: r.good,
        damaged: r.damaged,
        bag,
        status,
        verified_by: r.verified_by,
        admin_notes: r.admin_notes,
        waits,
    }
}

/// Up to `limit` rows under `filter` (a checked one), from its position, and the position
/// after the last when more may follow.
pub async fn submission_rows(
    db: &Db,
    filter: &SubmissionFilter,
    limit: i64,
) -> DbResult<(Vec<SubmissionRow>, Option<String>)> {
    let tolerance = warehouse_settings(db).await?.count_tolerance;
    let mut rows = list_submissions(db, filter, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = rows.last().filter(|_| more).map(|r| encode_position(&r.submitted_on, r.id));
    Ok((rows.into_iter().map(|r| submission_row(r, tolerance)).collect(), next))
}

/// One page of the list under `filter` (a checked one), with the unverified count (kept in
/// `counts`).
pub async fn submission_page(
    db: &Db,
    counts: &Arc<CountCache>,
    filter: &SubmissionFilter,
) -> WarehouseResult<SubmissionPage> {
    let (rows, next) = submission_rows(db, filter, SUBMISSION_PAGE).await?;
    let unverified = count_unverified(db, counts, filter).await?;
    Ok(SubmissionPage { rows, next, unverified })
}

/// Writes every submission under `filter` (a checked one; its position left out) as the list's
/// CSV to `out`, a batch at a time; how many rows were written.
pub async fn export_submissions<W: Write + Send>(
    db: &Db,
    filter: &SubmissionFilter,
    out: &mut W,
) -> WarehouseResult<u64> {
    let unwritten = |e: csv::Error| WarehouseError::Conflict(format!("The file could not be written: {e}"));
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record(SUBMISSION_CSV_HEADER).map_err(unwritten)?;
    let mut filter = SubmissionFilter { after: String::new(), ..filter.clone() };
    let mut written = 0;
    loop {
        let (rows, next) = submission_rows(db, &filter, EXPORT_BATCH).await?;
        for row in &rows {
            writer.write_record(row.csv_fields()).map_err(unwritten)?;
        }
        written += rows.len() as u64;
        match next {
            Some(after) => filter.after = after,
            None => break,
        }
    }
    writer.flush().map_err(|e| unwritten(e.into()))?;
    Ok(written)
}
