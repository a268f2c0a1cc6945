//! A purchase order as its page reads it: the header, each line with its round among the POs
//! holding its item and what arrived of it by label, the PO's receives, and its timeline from
//! the audit log.
use std::collections::HashMap;

use super::po_edit::edit_token;
use super::purchase_orders::{counts, status_of};
use super::receiving::po_receives;
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::Db;
use crate::db::warehouse::bags::received_by_item;
use crate::db::warehouse::purchase_orders::{get_po, rounds_of, PoRow};
use crate::db::warehouse::timeline::po_timeline;
use crate::model::warehouse::po_views::{PoDetail, PoLineView};
use crate::model::warehouse::receive_views::ReceiveListRow;
use crate::model::warehouse::timeline::{describe, TimelineEntry, TIMELINE_LIMIT};

/// The PO numbered `number` (whatever its case) with its lines, receives and timeline.
pub async fn po_detail(db: &Db, number: &str) -> WarehouseResult<PoDetail> {
    let (po, lines) = get_po(db, number).await?.ok_or(WarehouseError::NotFound)?;
    // Maps by item: SC-BIG's 200 lines matched by scanning made 40,000 string compares a page.
    let rounds: HashMap<String, i64> = rounds_of(db, po.id).await?.into_iter().collect();
    let received: HashMap<String, i64> = received_by_item(db, po.id).await?.into_iter().collect();
    let token = edit_token(&po, &lines);
    let lines = lines
        .into_iter()
        .map(|l| PoLineView {
            line_no: l.line_no,
            counts: counts(&l),
            round: rounds.get(&l.inventory_item).map_or(1, |r| *r as usize),
            received: received.get(&l.inventory_item).copied().unwrap_or(0),
            inventory_item: l.inventory_item,
            name: l.name,
            machine_good: l.machine_good,
            machine_damaged: l.machine_damaged,
        })
        .collect();
    let receives = po_receives(db, po.id).await?;
    let timeline = timeline(db, &po, &receives).await?;
    Ok(detail(po, lines, receives, timeline, token))
}

/// The PO's events and its receives', each receive named as it is now.
async fn timeline(db: &Db, po: &PoRow, receives: &[ReceiveListRow]) -> WarehouseResult<Vec<TimelineEntry>> {
    let rows = po_timeline(db, &po.number, po.id, TIMELINE_LIMIT).await?;
    let by_id: HashMap<String, &ReceiveListRow> = receives.iter().map(|r| (r.id.to_string(), r)).collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let receive = by_id.get(&row.entity_id).copied();
            let subject = receive.and_then(|r| r.name.clone()).unwrap_or_else(|| row.entity_id.clone());
            let text = describe(&row.event_type, &subject, row.old_values.as_deref(), row.new_values.as_deref());
            TimelineEntry { at: row.at, actor: row.actor_name, text, receive_id: receive.map(|r| r.id) }
        })
        .collect())
}

fn detail(
    po: PoRow,
    lines: Vec<PoLineView>,
    receives: Vec<ReceiveListRow>,
    timeline: Vec<TimelineEntry>,
    edit_token: String,
) -> PoDetail {
    PoDetail {
        id: po.id,
        status: status_of(&po.status),
        number: po.number,
        vendor: po.vendor,
        tablet_type: po.tablet_type,
        closed: po.closed,
        close_reason: po.close_reason,
        parent: po.parent,
        overs_po: po.overs_po,
        lines,
        created_by: po.created_by,
        created_at: po.created_at,
        edit_token,
        receives,
        timeline,
    }
}
