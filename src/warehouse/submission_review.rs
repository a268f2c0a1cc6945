//! A manager's work on a submission that needs a person: give it a bag (one of the candidates
//! its numbers matched) or a PO, and approve it. Each is one transaction that moves the PO
//! line counts with it and writes its audit row.
use serde_json::json;

use super::submissions::{changeable, take_off_line, Changer};
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::bag_match::{bag_by_id, line_for_type, po_named, po_state_in, BagMatch};
use crate::db::warehouse::submissions::{
    get_submission_in, lock_lines, move_line_counts, set_assignment, set_verified, StoredSubmission,
};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::submissions::SubmissionKind;

/// What a manager assigns a submission to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// A received bag (by id), and with it its receive's PO.
    Bag(i64),
    /// A PO (by number), for a count that names no bag.
    Po(String),
}

/// Assigns submission `id` (managers): its counts leave the line they were on, if any, and go
/// on the line of the new PO; it is to be approved again.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn assign_submission(
    db: &Db,
    actor: &Actor,
    id: i64,
    to: &Assignment,
    now: Timestamp,
) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let old = changeable(&mut tx, actor, Changer::Manager, id).await?;
    let (bag, po) = target(&mut tx, &old, to).await?;
    let kind = SubmissionKind::parse(&old.kind).unwrap_or(SubmissionKind::Bag);
    let line = match kind.counts_on_line() {
        true => line_for_type(&mut tx, po, old.tablet_type_id).await?,
        false => None,
    };
    let lines: Vec<i64> = old.po_line_id.into_iter().chain(line).collect();
    lock_lines(&mut tx, &lines).await?;
    take_off_line(&mut tx, &old).await?;
    set_assignment(&mut tx, id, bag.as_ref(), po, line, now).await?;
    if let Some(line) = line {
        move_line_counts(&mut tx, line, kind, old.good, old.damaged).await?;
    }
    let values = json!({"bag_id": bag.as_ref().map(|b| b.bag_id).or(old.bag_id), "po_id": po, "po_line_id": line});
    audit::append(&mut tx, actor, AuditEntry::new("submission.assigned", "submission", id).with_new(values)).await?;
    Ok(tx.commit().await?)
}

/// The bag (when one is given) and the PO a submission is assigned to, checked.
async fn target(tx: &mut Tx, old: &StoredSubmission, to: &Assignment) -> WarehouseResult<(Option<BagMatch>, i64)> {
    match to {
        Assignment::Bag(bag_id) => {
            let bag = bag_by_id(tx, *bag_id).await?.ok_or_else(|| WarehouseError::field("bag", "No such bag."))?;
            if bag.tablet_type_id != old.tablet_type_id {
                return Err(WarehouseError::field("bag", "This bag holds another tablet type than the count."));
            }
            if bag.receive_status != "published" {
                return Err(WarehouseError::field("bag", "This bag's receive is not published, or closed."));
            }
            let po = bag.po_id.ok_or_else(|| WarehouseError::field("bag", "This bag's receive has no PO yet."))?;
            if let Some((number, true)) = po_state_in(tx, po).await? {
                return Err(WarehouseError::field("bag", format!("{number} is closed or cancelled.")));
            }
            Ok((Some(bag), po))
        }
        Assignment::Po(number) => {
            if old.bag_id.is_some() {
                return Err(WarehouseError::field("po", "This count names a bag: it goes with the bag's PO."));
            }
            match po_named(tx, number).await? {
                None => Err(WarehouseError::field("po", "No PO has this number.")),
                Some((_, number, true)) => {
                    Err(WarehouseError::field("po", format!("{number} is closed or cancelled.")))
                }
                Some((po, _, false)) => Ok((None, po)),
            }
        }
    }
}

/// Approves submission `id` (managers): it needs a PO, and is approved once; it is then
/// locked for staff.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn approve_submission(db: &Db, actor: &Actor, id: i64, now: Timestamp) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let old = get_submission_in(&mut tx, id).await?.ok_or(WarehouseError::NotFound)?;
    if old.verified_by.is_some() {
        return Err(WarehouseError::Conflict("already verified".into()));
    }
    if old.po_id.is_none() {
        return Err(WarehouseError::Conflict("cannot approve an unassigned submission".into()));
    }
    set_verified(&mut tx, id, &actor.name, now).await?;
    audit::append(&mut tx, actor, AuditEntry::new("submission.approved", "submission", id)).await?;
    Ok(tx.commit().await?)
}
