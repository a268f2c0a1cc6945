//! A draft receive's bags: one scanner line at a time (a bag, a box's worth, a bag by its
//! number, or a move to another box), and a bag removed. Each change that writes is one
//! transaction with its audit row; the receive's row is locked so two scanners take turns.
use serde_json::json;

use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, DbError, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::bags::{bag_label, bag_totals, delete_bag, insert_bags, last_bag_in_box};
use crate::db::warehouse::receives::{get_receive_in, touch_receive, ReceiveRow};
use crate::db::warehouse::reference::find_by_name;
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::receiving::{ReceiveStatus, MAX_BAGS_PER_RECEIVE};
use crate::model::warehouse::reference::RefKind;
use crate::model::warehouse::scan::{Scan, ScanDone, MAX_BOX_OR_BAG};

/// A draft receive, locked for a change of its bags.
async fn draft_receive(tx: &mut Tx, id: i64) -> WarehouseResult<ReceiveRow> {
    let r = get_receive_in(tx, id).await?.ok_or(WarehouseError::NotFound)?;
    match ReceiveStatus::parse(&r.status).unwrap_or(ReceiveStatus::Draft) {
        ReceiveStatus::Draft => refuse_shut_po(&r).map(|_| r),
        other => Err(WarehouseError::Conflict(format!("This receive is {}: its bags are fixed.", other.as_str()))),
    }
}

/// A receive whose PO was closed or cancelled since it was made takes no more bags and is not
/// published: a manager moves it to an open PO first.
pub fn refuse_shut_po(r: &ReceiveRow) -> WarehouseResult<()> {
    let cancelled = r.po_status.as_deref() == Some(PoStatus::Cancelled.as_str());
    match (&r.po, r.po_closed == Some(true) || cancelled) {
        (Some(po), true) => {
            let state = if cancelled { "cancelled" } else { "closed" };
            Err(WarehouseError::Conflict(format!("{po} is {state}: a manager moves this receive to an open PO.")))
        }
        _ => Ok(()),
    }
}

/// Where the scanner field goes next, and what the line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOutcome {
    pub box_no: i64,
    pub done: ScanDone,
}

/// Applies one scanner line to receive `id` (staff and above): bags go into box `box_no` with
/// tablet type `tablet_type` (by name); `next` and `box N` only move the field along.
#[tracing::instrument(level = "debug", skip_all, fields(id, box_no))]
pub async fn scan_into(
    db: &Db,
    actor: &Actor,
    id: i64,
    box_no: i64,
    tablet_type: &str,
    scan: Scan,
    now: Timestamp,
) -> WarehouseResult<ScanOutcome> {
    let mut tx = db.begin_write().await?;
    draft_receive(&mut tx, id).await?;
    let (bags, last_box) = bag_totals(&mut tx, id).await?;
    let (first, count, label) = match scan {
        Scan::NextBox => {
            let next = (last_box.max(box_no) + 1).min(MAX_BOX_OR_BAG);
            return Ok(ScanOutcome { box_no: next, done: ScanDone::Moved });
        }
        Scan::Box(n) => return Ok(ScanOutcome { box_no: n, done: ScanDone::Moved }),
        Scan::Bags { count, label } => (last_bag_in_box(&mut tx, id, box_no).await? + 1, count, label),
        Scan::Bag { bag_no, label } => {
            if let Some(held) = bag_label(&mut tx, id, box_no, bag_no).await? {
                return Err(duplicate(box_no, bag_no, Some(held)));
            }
            (bag_no, 1, label)
        }
    };
    if bags + count > MAX_BAGS_PER_RECEIVE {
        let message = format!("A receive holds at most {MAX_BAGS_PER_RECEIVE} bags; this one has {bags}.");
        return Err(WarehouseError::field("scan", message));
    }
    if first + count - 1 > MAX_BOX_OR_BAG {
        return Err(WarehouseError::field("scan", "Bag numbers run from 1 to 10,000."));
    }
    let type_id = bag_tablet_type(&mut tx, tablet_type).await?;
    insert_bags(&mut tx, id, box_no, first, count, type_id, label).await.map_err(|e| match e {
        DbError::Duplicate => duplicate(box_no, first, None),
        other => other.into(),
    })?;
    let last = first + count - 1;
    let values = json!({"box": box_no, "first_bag": first, "last_bag": last, "label_count": label,
        "tablet_type": tablet_type});
    audit::append(&mut tx, actor, AuditEntry::new("receive.bags_added", "receive", id).with_new(values)).await?;
    touch_receive(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(ScanOutcome { box_no, done: ScanDone::Bags { first, last, label } })
}

fn duplicate(box_no: i64, bag_no: i64, held: Option<i64>) -> WarehouseError {
    let held = held.map(|n| format!(" ({n} tablets)")).unwrap_or_default();
    WarehouseError::field("scan", format!("Box {box_no} has a bag {bag_no} already{held}."))
}

/// The bags' tablet type: given, existing and in use.
async fn bag_tablet_type(tx: &mut Tx, name: &str) -> WarehouseResult<i64> {
    if name.is_empty() {
        return Err(WarehouseError::field("tablet_type", "Choose the bags' tablet type."));
    }
    match find_by_name(tx, RefKind::TabletTypes, name).await? {
        None => Err(WarehouseError::field("tablet_type", "No tablet type has this name.")),
        Some((_, true)) => Err(WarehouseError::field("tablet_type", "This tablet type is archived.")),
        Some((id, false)) => Ok(id),
    }
}

/// Removes bag `bag` from draft receive `id` (staff and above).
#[tracing::instrument(level = "debug", skip_all, fields(id, bag))]
pub async fn remove_bag(db: &Db, actor: &Actor, id: i64, bag: i64, now: Timestamp) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    draft_receive(&mut tx, id).await?;
    let (box_no, bag_no, label) = delete_bag(&mut tx, id, bag).await?.ok_or(WarehouseError::NotFound)?;
    let values = json!({"box": box_no, "bag": bag_no, "label_count": label});
    let entry = AuditEntry::new("receive.bag_removed", "receive", id).with_new(values);
    audit::append(&mut tx, actor, entry).await?;
    touch_receive(&mut tx, id, now).await?;
    Ok(tx.commit().await?)
}
