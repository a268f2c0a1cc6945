//! Receiving: a receive is made (its PO optional), filled bag by bag from the scanner field,
//! published for the floor to count against, and closed; a manager assigns its PO later. Each
//! change is one transaction with its audit row.
use serde_json::json;

use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::bags::{bag_totals, bags_of};
use crate::db::warehouse::purchase_orders::get_po_in;
use crate::db::warehouse::receives::{
    get_receive, get_receive_in, insert_receive, list_receives, receives_after, receives_of_po, set_receive_po,
    set_receive_status, NewReceive, ReceiveListDbRow, ReceiveRow,
};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::receive_views::{BagView, ReceiveDetail, ReceiveFilter, ReceiveListRow, RECEIVE_PAGE};
use crate::model::warehouse::receiving::{bag_name, receive_name, ReceiveInput, ReceiveStatus};

fn status_of(stored: &str) -> ReceiveStatus {
    ReceiveStatus::parse(stored).unwrap_or(ReceiveStatus::Draft)
}

fn name_of(po: Option<&String>, place: Option<i64>) -> Option<String> {
    Some(receive_name(po?, place?))
}

/// The open PO numbered `number`, for a receive: its id.
async fn open_po(tx: &mut Tx, number: &str) -> WarehouseResult<(i64, String)> {
    let (po, _) = get_po_in(tx, number).await?.ok_or_else(|| WarehouseError::field("po", "No PO has this number."))?;
    if po.closed || po.status == PoStatus::Cancelled.as_str() {
        return Err(WarehouseError::field("po", format!("{} is closed: receive against an open PO.", po.number)));
    }
    Ok((po.id, po.number))
}

/// Makes a draft receive (staff and above). Returns its id and how many of its PO's receives
/// now come after it: their names moved up by one.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_receive(
    db: &Db,
    actor: &Actor,
    input: &ReceiveInput,
    now: Timestamp,
) -> WarehouseResult<(i64, i64)> {
    let mut tx = db.begin_write().await?;
    let po = match input.po.as_deref() {
        Some(number) => Some(open_po(&mut tx, number).await?),
        None => None,
    };
    let new = NewReceive {
        po_id: po.as_ref().map(|(id, _)| *id),
        shipment_ref: &input.shipment_ref,
        received_on: &input.received_on,
        received_by: &input.received_by,
        notes: &input.notes,
        created_by: &actor.name,
    };
    let id = insert_receive(&mut tx, &new, now).await?;
    let moved = match &po {
        Some((po_id, _)) => receives_after(&mut tx, *po_id, &input.received_on, id).await?,
        None => 0,
    };
    let values = json!({"po": po.map(|(_, n)| n), "shipment_ref": input.shipment_ref,
        "received_on": input.received_on, "received_by": input.received_by});
    audit::append(&mut tx, actor, AuditEntry::new("receive.created", "receive", id).with_new(values)).await?;
    tx.commit().await?;
    Ok((id, moved))
}

/// Receive `id` with its name and its bags.
pub async fn receive_detail(db: &Db, id: i64) -> WarehouseResult<ReceiveDetail> {
    let r = get_receive(db, id).await?.ok_or(WarehouseError::NotFound)?;
    let name = name_of(r.po.as_ref(), r.place);
    let bags = bags_of(db, id)
        .await?
        .into_iter()
        .map(|b| BagView {
            id: b.id,
            name: name.as_deref().map(|n| bag_name(n, b.box_no, b.bag_no)),
            box_no: b.box_no,
            bag_no: b.bag_no,
            tablet_type: b.tablet_type,
            label_count: b.label_count,
        })
        .collect();
    Ok(detail(r, name, bags))
}

fn detail(r: ReceiveRow, name: Option<String>, bags: Vec<BagView>) -> ReceiveDetail {
    ReceiveDetail {
        id: r.id,
        name,
        po: r.po,
        po_tablet_type: r.po_tablet_type,
        shipment_ref: r.shipment_ref,
        received_on: r.received_on,
        received_by: r.received_by,
        notes: r.notes,
        status: status_of(&r.status),
        bags,
        created_by: r.created_by,
        created_at: r.created_at,
    }
}

/// Moves receive `id` on to `to`, the next status of its flow: a receive is published with at
/// least one bag (staff and above), closed once published (managers and above, checked by the
/// caller).
#[tracing::instrument(level = "debug", skip_all, fields(id, to = to.as_str()))]
pub async fn advance_receive(
    db: &Db,
    actor: &Actor,
    id: i64,
    to: ReceiveStatus,
    now: Timestamp,
) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let r = get_receive_in(&mut tx, id).await?.ok_or(WarehouseError::NotFound)?;
    let from = status_of(&r.status);
    if from.next() != Some(to) {
        return Err(WarehouseError::Conflict(format!("A {} receive cannot be marked {}.", from.as_str(), to.as_str())));
    }
    if to == ReceiveStatus::Published {
        super::receive_bags::refuse_shut_po(&r)?;
        if bag_totals(&mut tx, id).await?.0 == 0 {
            return Err(WarehouseError::Conflict("Add its bags before publishing this receive.".into()));
        }
    }
    set_receive_status(&mut tx, id, to.as_str(), now).await?;
    let event = if to == ReceiveStatus::Published { "receive.published" } else { "receive.closed" };
    let entry = AuditEntry::new(event, "receive", id)
        .with_changes(&json!({"status": from.as_str()}), &json!({"status": to.as_str()}));
    audit::append(&mut tx, actor, entry).await?;
    Ok(tx.commit().await?)
}

/// Assigns receive `id` to the open PO numbered `number` (managers and above). A receive
/// without a PO takes one until it is closed; one with a PO moves to another only while a
/// draft, since its bags' printed labels carry its name. Returns how many of the new PO's
/// receives now come after it (their names moved up by one).
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn assign_po(db: &Db, actor: &Actor, id: i64, number: &str, now: Timestamp) -> WarehouseResult<i64> {
    let mut tx = db.begin_write().await?;
    let r = get_receive_in(&mut tx, id).await?.ok_or(WarehouseError::NotFound)?;
    match (status_of(&r.status), &r.po) {
        (ReceiveStatus::Closed, _) => {
            return Err(WarehouseError::Conflict("This receive is closed: its PO stays.".into()));
        }
        (ReceiveStatus::Published, Some(po)) => {
            let why = format!("This receive is published: its labels carry {po}'s name, so it stays on {po}.");
            return Err(WarehouseError::Conflict(why));
        }
        _ => {}
    }
    let (po_id, po_number) = open_po(&mut tx, number).await?;
    if r.po_id == Some(po_id) {
        return Err(WarehouseError::field("po", format!("This receive is on {po_number} already.")));
    }
    set_receive_po(&mut tx, id, po_id, now).await?;
    let moved = receives_after(&mut tx, po_id, &r.received_on, id).await?;
    let entry = AuditEntry::new("receive.assigned", "receive", id)
        .with_changes(&json!({"po": r.po}), &json!({"po": po_number}));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(moved)
}

fn list_row(r: ReceiveListDbRow) -> ReceiveListRow {
    ReceiveListRow {
        id: r.id,
        name: name_of(r.po.as_ref(), r.place),
        po: r.po,
        shipment_ref: r.shipment_ref,
        received_on: r.received_on,
        received_by: r.received_by,
        status: status_of(&r.status),
        bags: r.bags,
        label_total: r.label_total,
    }
}

/// A page of the receives matching `filter`, newest first, and the position the next page
/// starts after (`None` on the last page).
pub async fn receive_list(db: &Db, filter: &ReceiveFilter) -> WarehouseResult<(Vec<ReceiveListRow>, Option<String>)> {
    let after = filter.after.split_once('.').and_then(|(day, id)| Some((day, id.parse::<i64>().ok()?)));
    let mut rows = list_receives(db, filter, after, RECEIVE_PAGE + 1).await?;
    let more = rows.len() as i64 > RECEIVE_PAGE;
    rows.truncate(RECEIVE_PAGE as usize);
    let next = more.then(|| rows.last().map(|r| format!("{}.{}", r.received_on, r.id))).flatten();
    Ok((rows.into_iter().map(list_row).collect(), next))
}

/// PO `po_id`'s receives, in name order.
pub async fn po_receives(db: &Db, po_id: i64) -> WarehouseResult<Vec<ReceiveListRow>> {
    Ok(receives_of_po(db, po_id).await?.into_iter().map(list_row).collect())
}

/// The `n` newest receives, for the warehouse's dashboard.
pub async fn last_receives(db: &Db, n: i64) -> WarehouseResult<Vec<ReceiveListRow>> {
    Ok(list_receives(db, &ReceiveFilter::default(), None, n).await?.into_iter().map(list_row).collect())
}
