//! Editing a purchase order (managers and admins): its vendor, tablet type and lines while it
//! is open, in one transaction with its audit row (`model::warehouse::po_edit` says how lines
//! are matched). Its number stays: labels and receive names carry it. An edit names the state
//! it was made from (`edit_token`), so one made over another manager's newer edit is refused
//! rather than undoing it.
use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};

use super::purchase_orders::{named_lines, status_of, tablet_type_id};
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::bags::items_in_receives;
use crate::db::warehouse::purchase_orders::{
    delete_line, get_po_in, insert_line, set_header, set_line, LineRow, PoRow,
};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::po_edit::{plan_line_edit, LineEdit, StoredLine};
use crate::model::warehouse::po_form::PoInput;
use crate::model::warehouse::po_rules::PoStatus;

/// A digest of what an edit of PO `po` with `lines` changes: its vendor, tablet type and lines.
pub fn edit_token(po: &PoRow, lines: &[LineRow]) -> String {
    let lines: Vec<_> =
        lines.iter().map(|l| (l.line_no, l.inventory_item.as_str(), l.name.as_str(), l.quantity_ordered)).collect();
    edit_token_of(&po.vendor, po.tablet_type_id, &lines)
}

/// The same digest from the values: vendor, tablet type id, and each line's number, inventory
/// item, name and quantity.
pub fn edit_token_of(vendor: &str, tablet_type_id: Option<i64>, lines: &[(i64, &str, &str, i64)]) -> String {
    let state = json!([vendor, tablet_type_id, lines]).to_string();
    hex::encode(&Sha256::digest(state.as_bytes())[..16])
}

/// `line` as the edit plans with it; `received` are the items of bags in the PO's receives.
fn stored(line: &LineRow, received: &[String]) -> StoredLine {
    let counted = line.good != 0 || line.damaged != 0 || line.machine_good != 0 || line.machine_damaged != 0;
    StoredLine {
        line_no: line.line_no,
        inventory_item: line.inventory_item.clone(),
        name: line.name.clone(),
        quantity: line.quantity_ordered,
        fixed: counted || received.contains(&line.inventory_item),
    }
}

/// Why PO `po` takes no edit: it is closed, complete or cancelled.
fn refuse_edit(po: &PoRow) -> WarehouseResult<()> {
    let status = status_of(&po.status);
    if po.closed || matches!(status, PoStatus::Complete | PoStatus::Cancelled) {
        let state = if po.closed { "closed".to_string() } else { status.label().to_lowercase() };
        return Err(WarehouseError::Conflict(format!("This PO is {state}: it is not edited any more.")));
    }
    Ok(())
}

/// The tablet type the edit gives: one the PO names already is kept even when archived since.
async fn edited_type(tx: &mut Tx, po: &PoRow, wanted: Option<&str>) -> WarehouseResult<Option<i64>> {
    if wanted.is_some() && wanted == po.tablet_type.as_deref() {
        return Ok(po.tablet_type_id);
    }
    tablet_type_id(tx, wanted).await
}

/// Once a PO has its overs PO, its lines' quantities and its lines stay: the overs PO holds
/// their excess as it was.
fn refuse_after_overs(po: &PoRow, edit: &LineEdit, stored: &[StoredLine]) -> WarehouseResult<()> {
    let Some(overs) = &po.overs_po else { return Ok(()) };
    let quantity_changed =
        edit.changed.iter().any(|(n, _, q)| stored.iter().any(|l| l.line_no == *n && l.quantity != *q));
    if quantity_changed || !edit.removed.is_empty() {
        let message = format!("This PO's overs are on {overs}: its lines and their quantities stay as they are.");
        return Err(WarehouseError::Conflict(message));
    }
    Ok(())
}

/// Edits PO `input.number` to `input`, made from the state `seen` names (its `edit_token`);
/// `false` when that changed nothing (nothing is written).
#[tracing::instrument(level = "debug", skip_all, fields(number = input.number))]
pub async fn edit_po(db: &Db, actor: &Actor, input: &PoInput, seen: &str, now: Timestamp) -> WarehouseResult<bool> {
    let mut tx = db.begin_write().await?;
    let (po, lines) = get_po_in(&mut tx, &input.number).await?.ok_or(WarehouseError::NotFound)?;
    refuse_edit(&po)?;
    if seen != edit_token(&po, &lines) {
        let message = "Another change to this PO was saved since this form was opened: open it again to edit.";
        return Err(WarehouseError::Conflict(message.into()));
    }
    let type_id = edited_type(&mut tx, &po, input.tablet_type.as_deref()).await?;
    let wanted = named_lines(&mut tx, &input.lines).await?;
    let received = items_in_receives(&mut tx, po.id).await?;
    let stored: Vec<StoredLine> = lines.iter().map(|l| stored(l, &received)).collect();
    let edit = plan_line_edit(&stored, &wanted).map_err(|why| WarehouseError::field("lines", why))?;
    refuse_after_overs(&po, &edit, &stored)?;
    let header_changed = po.vendor != input.vendor || po.tablet_type_id != type_id;
    if !header_changed && edit.is_empty() {
        return Ok(false);
    }
    // Always, so that the PO's last change is this one.
    set_header(&mut tx, po.id, &input.vendor, type_id, now).await?;
    write_lines(&mut tx, po.id, &edit).await?;
    let (old, new) = changes(&po, input, &stored, &edit);
    let entry = AuditEntry::new("po.edited", "purchase_order", &po.number).with_changes(&old, &new);
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(true)
}

async fn write_lines(tx: &mut Tx, po: i64, edit: &LineEdit) -> WarehouseResult<()> {
    for line_no in &edit.removed {
        delete_line(tx, po, *line_no).await?;
    }
    for (line_no, name, quantity) in &edit.changed {
        set_line(tx, po, *line_no, name, *quantity).await?;
    }
    for (line_no, item, name, quantity) in &edit.added {
        insert_line(tx, po, *line_no, item, name, *quantity).await?;
    }
    Ok(())
}

/// The audit row's before and after: the fields that changed; lines in order, each as
/// "item × quantity (name)".
fn changes(po: &PoRow, input: &PoInput, stored: &[StoredLine], edit: &LineEdit) -> (Json, Json) {
    let line = |item: &str, quantity: i64, name: &str| format!("{item} × {quantity} ({name})");
    let before: Vec<String> = stored.iter().map(|l| line(&l.inventory_item, l.quantity, &l.name)).collect();
    let kept = stored.iter().filter(|l| !edit.removed.contains(&l.line_no)).map(|l| {
        match edit.changed.iter().find(|(line_no, _, _)| *line_no == l.line_no) {
            Some((_, name, quantity)) => line(&l.inventory_item, *quantity, name),
            None => line(&l.inventory_item, l.quantity, &l.name),
        }
    });
    let after: Vec<String> = kept.chain(edit.added.iter().map(|(_, item, name, q)| line(item, *q, name))).collect();
    let (mut old, mut new) = (Map::new(), Map::new());
    for (key, was, now) in [
        ("vendor", json!(po.vendor), json!(input.vendor)),
        ("tablet_type", json!(po.tablet_type), json!(input.tablet_type)),
        ("lines", json!(before), json!(after)),
    ] {
        if was != now {
            old.insert(key.into(), was);
            new.insert(key.into(), now);
        }
    }
    (Json::Object(old), Json::Object(new))
}
