//! Floor submissions recorded, edited and deleted. Each is one
//! transaction that also moves the PO line counts the submission names and writes its audit
//! row, so a line's stored counts are always the sums over its submissions. Each is a short
//! write (`Db::begin_short_write`): a dozen statements, every one on an index.
use serde_json::{json, Value as Json};

use super::submission_resolve::{resolve, Kept, Resolved};
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::settings::warehouse_settings_in;
use crate::db::warehouse::submissions::{
    delete_submission as delete_row, get_submission_in, insert_submission, lock_lines, move_line_counts,
    update_submission, StoredSubmission, SubmissionValues,
};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::submission_form::SubmissionInput;
use crate::model::warehouse::submissions::SubmissionKind;

/// A submission saved: its id, its good tablets, and a warning when it waits for a manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub id: i64,
    pub good: i64,
    pub warning: Option<String>,
}

/// Who changes a submission: staff change only their own unlocked ones; managers any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changer {
    Staff,
    Manager,
}

/// Records `input` by `actor` (staff and above).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_submission(
    db: &Db,
    actor: &Actor,
    input: &SubmissionInput,
    now: Timestamp,
) -> WarehouseResult<Recorded> {
    let mut tx = db.begin_short_write().await?;
    let settings = warehouse_settings_in(&mut tx).await?;
    let Resolved { values, warning } = resolve(&mut tx, input, &settings, None).await?;
    let id = insert_submission(&mut tx, &values, (&actor.name, actor.user_id), now).await?;
    count_on_line(&mut tx, &values, 1).await?;
    let entry = AuditEntry::new("submission.recorded", "submission", id).with_new(audited(&values));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(Recorded { id, good: values.good, warning })
}

/// Replaces submission `id` with `input`: its old counts come off its line, the new ones go
/// on (which may be another line). A bag and PO a manager chose stay while the edit names the
/// same bag; the changed count is to be approved again.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn edit_submission(
    db: &Db,
    actor: &Actor,
    changer: Changer,
    id: i64,
    input: &SubmissionInput,
    now: Timestamp,
) -> WarehouseResult<Recorded> {
    let mut tx = db.begin_short_write().await?;
    let old = changeable(&mut tx, actor, changer, id).await?;
    let settings = warehouse_settings_in(&mut tx).await?;
    let kept = Kept {
        tablet_type_id: old.tablet_type_id,
        numbers: old.box_no.zip(old.bag_no),
        bag_id: old.bag_id,
        po_id: old.po_id,
    };
    let Resolved { values, warning } = resolve(&mut tx, input, &settings, Some(kept)).await?;
    let lines: Vec<i64> = old.po_line_id.into_iter().chain(values.po_line_id).collect();
    lock_lines(&mut tx, &lines).await?;
    take_off_line(&mut tx, &old).await?;
    update_submission(&mut tx, id, &values, now).await?;
    count_on_line(&mut tx, &values, 1).await?;
    let entry = AuditEntry::new("submission.edited", "submission", id).with_changes(&stored(&old), &audited(&values));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(Recorded { id, good: values.good, warning })
}

/// Deletes submission `id`; its counts come off its line.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn delete_submission(db: &Db, actor: &Actor, changer: Changer, id: i64) -> WarehouseResult<()> {
    let mut tx = db.begin_short_write().await?;
    let old = changeable(&mut tx, actor, changer, id).await?;
    take_off_line(&mut tx, &old).await?;
    delete_row(&mut tx, id).await?;
    let entry = AuditEntry::new("submission.deleted", "submission", id).with_new(stored(&old));
    audit::append(&mut tx, actor, entry).await?;
    Ok(tx.commit().await?)
}

/// Submission `id`, locked, if `actor` may change it.
pub(super) async fn changeable(
    tx: &mut Tx,
    actor: &Actor,
    changer: Changer,
    id: i64,
) -> WarehouseResult<StoredSubmission> {
    let old = get_submission_in(tx, id).await?.ok_or(WarehouseError::NotFound)?;
    may_change(actor, changer, (&old.employee, old.employee_id), old.verified_by.is_some())?;
    Ok(old)
}

/// `model::warehouse::submissions::may_change` for `actor`, its refusal a conflict.
pub(super) fn may_change(
    actor: &Actor,
    changer: Changer,
    made_by: (&str, Option<i64>),
    verified: bool,
) -> WarehouseResult<()> {
    let me = (actor.name.as_str(), actor.user_id);
    crate::model::warehouse::submissions::may_change(changer == Changer::Manager, me, made_by, verified)
        .map_err(|why| WarehouseError::Conflict(why.into()))
}

/// Puts a submission's counts on its line (`sign` 1) or takes them off (`sign` -1).
async fn count_on_line(tx: &mut Tx, values: &SubmissionValues, sign: i64) -> WarehouseResult<()> {
    if let Some(line) = values.po_line_id {
        move_line_counts(tx, line, values.kind, sign * values.good, sign * values.damaged).await?;
    }
    Ok(())
}

pub(super) async fn take_off_line(tx: &mut Tx, old: &StoredSubmission) -> WarehouseResult<()> {
    if let (Some(line), Some(kind)) = (old.po_line_id, SubmissionKind::parse(&old.kind)) {
        move_line_counts(tx, line, kind, -old.good, -old.damaged).await?;
    }
    Ok(())
}

fn audited(v: &SubmissionValues) -> Json {
    json!({"kind": v.kind.as_str(), "submitted_on": v.submitted_on, "good": v.good, "damaged": v.damaged,
        "box": v.box_no, "bag": v.bag_no, "bag_id": v.bag_id, "po_id": v.po_id, "po_line_id": v.po_line_id,
        "needs_review": v.needs_review})
}

fn stored(old: &StoredSubmission) -> Json {
    json!({"kind": old.kind, "good": old.good, "damaged": old.damaged, "bag_id": old.bag_id, "po_id": old.po_id,
        "po_line_id": old.po_line_id})
}
