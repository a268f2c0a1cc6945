//! Purchase orders: creating one with its lines, moving it along its status flow, closing it
//! (short only with a reason), and making its overs PO. Each change is one transaction with
//! its audit row.
use serde_json::json;

use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, DbError, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::purchase_orders::{
    get_po_in, insert_line, insert_po, list_pos, set_closed, set_status, tablet_type_of_item, LineRow, NewPo,
};
use crate::db::warehouse::reference::find_by_name;
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::po_form::{PoInput, PoLineInput};
use crate::model::warehouse::po_rules::{overs, overs_number, refuse_move, totals, LineCounts, PoStatus};
use crate::model::warehouse::po_views::{PoFilter, PoListRow, PoPage, PO_PAGE};
use crate::model::warehouse::reference::RefKind;

/// A PO number another PO took between the check and the insert (PostgreSQL: another server).
fn number_taken(e: DbError) -> WarehouseError {
    match e {
        DbError::Duplicate => WarehouseError::field("number", "Another PO has this number."),
        other => other.into(),
    }
}

/// A stored status (the table's check allows no other).
pub(super) fn status_of(stored: &str) -> PoStatus {
    PoStatus::parse(stored).unwrap_or(PoStatus::Draft)
}

pub(super) fn counts(line: &LineRow) -> LineCounts {
    LineCounts { ordered: line.quantity_ordered, good: line.good, damaged: line.damaged }
}

/// The PO's tablet type, checked: it exists and is in use.
pub(super) async fn tablet_type_id(tx: &mut Tx, name: Option<&str>) -> WarehouseResult<Option<i64>> {
    let Some(name) = name else { return Ok(None) };
    match find_by_name(tx, RefKind::TabletTypes, name).await? {
        None => Err(WarehouseError::field("tablet_type", "No tablet type has this name.")),
        Some((_, true)) => Err(WarehouseError::field("tablet_type", "This tablet type is archived.")),
        Some((id, false)) => Ok(Some(id)),
    }
}

/// The form's lines with their names given: a line without one takes the name of the tablet
/// type with its inventory item.
pub(super) async fn named_lines(tx: &mut Tx, lines: &[PoLineInput]) -> WarehouseResult<Vec<PoLineInput>> {
    let mut named = Vec::with_capacity(lines.len());
    for line in lines {
        let name = match line.name.as_str() {
            "" => tablet_type_of_item(tx, &line.inventory_item).await?.ok_or_else(|| {
                let message = "No tablet type has this item: give the line a name.";
                WarehouseError::field(&format!("line-{}-name", line.row), message)
            })?,
            given => given.to_string(),
        };
        named.push(PoLineInput { name, ..line.clone() });
    }
    Ok(named)
}

/// Creates a PO in Draft with its lines (managers and above); a line without a name takes the
/// name of the tablet type with its inventory item. Returns its number.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_po(db: &Db, actor: &Actor, input: &PoInput, now: Timestamp) -> WarehouseResult<String> {
    let mut tx = db.begin_write().await?;
    if get_po_in(&mut tx, &input.number).await?.is_some() {
        return Err(WarehouseError::field("number", "Another PO has this number."));
    }
    let tablet_type_id = tablet_type_id(&mut tx, input.tablet_type.as_deref()).await?;
    let header = NewPo {
        number: &input.number,
        vendor: &input.vendor,
        tablet_type_id,
        status: PoStatus::Draft.as_str(),
        parent: None,
        created_by: &actor.name,
    };
    let po = insert_po(&mut tx, &header, now).await.map_err(number_taken)?;
    for (n, line) in named_lines(&mut tx, &input.lines).await?.iter().enumerate() {
        insert_line(&mut tx, po, n as i64 + 1, &line.inventory_item, &line.name, line.quantity).await?;
    }
    let ordered: i64 = input.lines.iter().map(|l| l.quantity).sum();
    let values = json!({"number": input.number, "vendor": input.vendor, "tablet_type": input.tablet_type,
        "lines": input.lines.len(), "ordered": ordered});
    audit::append(&mut tx, actor, AuditEntry::new("po.created", "purchase_order", &input.number).with_new(values))
        .await?;
    tx.commit().await?;
    Ok(input.number.clone())
}

/// Moves PO `number` to status `to` (managers and above), as the flow allows; a PO with
/// counted tablets is not cancelled.
#[tracing::instrument(level = "debug", skip_all, fields(number, to = to.as_str()))]
pub async fn move_po(db: &Db, actor: &Actor, number: &str, to: PoStatus, now: Timestamp) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let (po, lines) = get_po_in(&mut tx, number).await?.ok_or(WarehouseError::NotFound)?;
    let from = status_of(&po.status);
    let counted = lines.iter().any(|l| counts(l).counted());
    if let Some(why) = refuse_move(from, to, counted) {
        return Err(WarehouseError::Conflict(why));
    }
    set_status(&mut tx, po.id, to.as_str(), now).await?;
    let entry = AuditEntry::new("po.status_changed", "purchase_order", &po.number)
        .with_changes(&json!({"status": from.label()}), &json!({"status": to.label()}));
    audit::append(&mut tx, actor, entry).await?;
    Ok(tx.commit().await?)
}

/// Closes PO `number` (managers and above). A PO still short (remaining above 0) closes only
/// with a reason, which is kept.
#[tracing::instrument(level = "debug", skip_all, fields(number))]
pub async fn close_po(db: &Db, actor: &Actor, number: &str, reason: &str, now: Timestamp) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let (po, lines) = get_po_in(&mut tx, number).await?.ok_or(WarehouseError::NotFound)?;
    if po.closed {
        return Err(WarehouseError::Conflict("This PO is closed already.".into()));
    }
    let remaining = totals(&lines.iter().map(counts).collect::<Vec<_>>()).remaining();
    if remaining > 0 && reason.is_empty() {
        let message = format!("{remaining} tablets are still to come: say why the PO closes short.");
        return Err(WarehouseError::field("reason", message));
    }
    set_closed(&mut tx, po.id, reason, now).await?;
    let entry = AuditEntry::new("po.closed", "purchase_order", &po.number)
        .with_new(json!({"remaining": remaining, "reason": reason}));
    audit::append(&mut tx, actor, entry).await?;
    Ok(tx.commit().await?)
}

/// Makes PO `<number>-OVERS` (managers and above): its parent is PO `number`, with a line for
/// each of the parent's lines that received more than ordered, for that excess. Refused for an
/// overs PO, when the PO has no overs, or has its overs PO already. Returns the new number.
#[tracing::instrument(level = "debug", skip_all, fields(number))]
pub async fn create_overs_po(db: &Db, actor: &Actor, number: &str, now: Timestamp) -> WarehouseResult<String> {
    let mut tx = db.begin_write().await?;
    let (po, lines) = get_po_in(&mut tx, number).await?.ok_or(WarehouseError::NotFound)?;
    if po.parent.is_some() {
        // One level, as the list nests them; an overs PO's own excess is counted on it.
        return Err(WarehouseError::Conflict("This is an overs PO: it gets no overs PO of its own.".into()));
    }
    let total = overs(&lines.iter().map(counts).collect::<Vec<_>>());
    if total == 0 {
        return Err(WarehouseError::Conflict("This PO has no overs: nothing was received beyond its order.".into()));
    }
    if let Some(existing) = po.overs_po {
        return Err(WarehouseError::Conflict(format!("This PO's overs are on {existing} already.")));
    }
    let overs_no = overs_number(&po.number);
    if get_po_in(&mut tx, &overs_no).await?.is_some() {
        return Err(WarehouseError::Conflict(format!("Another PO is numbered {overs_no}.")));
    }
    let header = NewPo {
        number: &overs_no,
        vendor: &po.vendor,
        tablet_type_id: po.tablet_type_id,
        status: PoStatus::Draft.as_str(),
        parent: Some((po.id, &po.number)),
        created_by: &actor.name,
    };
    let overs_id = insert_po(&mut tx, &header, now).await.map_err(number_taken)?;
    let mut line_no = 0;
    for line in lines.iter().filter(|l| counts(l).excess() > 0) {
        line_no += 1;
        insert_line(&mut tx, overs_id, line_no, &line.inventory_item, &line.name, counts(line).excess()).await?;
    }
    let entry = AuditEntry::new("po.overs_created", "purchase_order", &po.number)
        .with_new(json!({"overs_po": overs_no, "overs": total, "lines": line_no}));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(overs_no)
}

/// A page of the POs the list shows for `filter` (cleaned), with their totals.
pub async fn po_page(db: &Db, filter: &PoFilter) -> WarehouseResult<PoPage> {
    let mut rows = po_rows(db, filter, PO_PAGE + 1).await?;
    let next = (rows.len() as i64 > PO_PAGE).then(|| {
        rows.truncate(PO_PAGE as usize);
        rows.last().map(|r| r.number.clone()).unwrap_or_default()
    });
    Ok(PoPage { rows, next })
}

/// At most `limit` POs for `filter` (cleaned), with their totals: a page, or a CSV chunk.
pub async fn po_rows(db: &Db, filter: &PoFilter, limit: i64) -> Result<Vec<PoListRow>, DbError> {
    let rows = list_pos(db, filter, limit).await?;
    Ok(rows
        .into_iter()
        .map(|r| PoListRow {
            status: status_of(&r.status),
            totals: LineCounts { ordered: r.ordered, good: r.good, damaged: r.damaged },
            number: r.number,
            vendor: r.vendor,
            tablet_type: r.tablet_type,
            closed: r.closed,
            parent: r.parent,
            created_at: r.created_at,
        })
        .collect())
}
