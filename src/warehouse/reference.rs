//! Creating, editing, archiving and restoring reference rows. A row that names another (a
//! product its tablet type, a tablet type its category) must name one that exists and is in
//! use, unless it already named it; names are unique whatever their case, and so is a tablet
//! type's inventory item. Each change is one transaction with its audit row.
use serde_json::{json, Value as Json};

use super::{WarehouseError, WarehouseResult};
use crate::db::engine::{Db, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::reference::{
    find_by_item, find_by_name, get_reference_in, insert_reference, set_archived, update_reference,
};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::checks::name_key;
use crate::model::warehouse::ref_field::RefField;
use crate::model::warehouse::reference::{RefForm, RefInput, RefKind, RefRow};

/// What happened to a row, for its audit event's name.
#[derive(Clone, Copy)]
enum Change {
    Created,
    Updated,
    Archived,
    Restored,
}

/// The audit event: `product.created`, `machine.archived`, …
fn event(kind: RefKind, change: Change) -> &'static str {
    use Change::*;
    use RefKind::*;
    match (kind, change) {
        (Categories, Created) => "category.created",
        (Categories, Updated) => "category.updated",
        (Categories, Archived) => "category.archived",
        (Categories, Restored) => "category.restored",
        (TabletTypes, Created) => "tablet_type.created",
        (TabletTypes, Updated) => "tablet_type.updated",
        (TabletTypes, Archived) => "tablet_type.archived",
        (TabletTypes, Restored) => "tablet_type.restored",
        (Products, Created) => "product.created",
        (Products, Updated) => "product.updated",
        (Products, Archived) => "product.archived",
        (Products, Restored) => "product.restored",
        (Machines, Created) => "machine.created",
        (Machines, Updated) => "machine.updated",
        (Machines, Archived) => "machine.archived",
        (Machines, Restored) => "machine.restored",
    }
}

/// A row's values as the audit log keeps them: its name and its kind's fields.
fn values_json(kind: RefKind, form: &RefForm) -> Json {
    let mut map = serde_json::Map::new();
    map.insert("name".into(), json!(form.name));
    for field in kind.fields() {
        map.insert(field.name().into(), json!(form.get(*field)));
    }
    Json::Object(map)
}

/// The id of the row `input` names, checked: it exists, and is in use unless `was` (the name
/// the row named before this edit) is the same row.
async fn named_row(tx: &mut Tx, input: &RefInput, was: Option<&str>) -> WarehouseResult<Option<i64>> {
    let (field, name) = match input {
        RefInput::TabletType { category: Some(name), .. } => (RefField::Category, name),
        RefInput::Product { tablet_type, .. } => (RefField::TabletType, tablet_type),
        _ => return Ok(None),
    };
    let kind = RefKind::named_by(field).expect("a field that names a row");
    match find_by_name(tx, kind, name).await? {
        None => Err(WarehouseError::field(field.name(), format!("No {} has this name.", kind.singular()))),
        Some((_, true)) if was.is_none_or(|w| name_key(w) != name_key(name)) => Err(WarehouseError::field(
            field.name(),
            format!("This {} is {}: restore it first, or pick another.", kind.singular(), kind.archived_word()),
        )),
        Some((id, _)) => Ok(Some(id)),
    }
}

/// Refuses a name (or an inventory item) another row of the kind already has.
async fn check_unique(tx: &mut Tx, input: &RefInput, id: Option<i64>) -> WarehouseResult<()> {
    let kind = input.kind();
    if let Some((other, archived)) = find_by_name(tx, kind, input.name()).await? {
        if Some(other) != id {
            let message = if archived {
                format!(
                    "An {} {} has this name: restore it, or pick another name.",
                    kind.archived_word(),
                    kind.singular()
                )
            } else {
                format!("Another {} has this name.", kind.singular())
            };
            return Err(WarehouseError::field("name", message));
        }
    }
    if let RefInput::TabletType { inventory_item, .. } = input {
        if let Some((other,)) = find_by_item(tx, inventory_item).await? {
            if Some(other) != id {
                return Err(WarehouseError::field("inventory_item", "Another tablet type has this inventory item."));
            }
        }
    }
    Ok(())
}

/// Inserts `input` inside `tx`, after checking the row it names and its name; its id.
pub(super) async fn create_in(tx: &mut Tx, input: &RefInput, now: Timestamp) -> WarehouseResult<i64> {
    let refers = named_row(tx, input, None).await?;
    check_unique(tx, input, None).await?;
    Ok(insert_reference(tx, input, refers, now).await?)
}

/// Replaces row `old`'s fields with `input` inside `tx`, checked as `create_in` checks;
/// `false` (and nothing written) when `input` holds what `old` holds.
pub(super) async fn update_in(tx: &mut Tx, old: &RefRow, input: &RefInput, now: Timestamp) -> WarehouseResult<bool> {
    let kind = input.kind();
    if same_values(&old.values, &input.to_form()) {
        return Ok(false);
    }
    let was = kind.fields().iter().find(|f| RefKind::named_by(**f).is_some()).map(|f| old.values.get(*f).to_string());
    let refers = named_row(tx, input, was.as_deref()).await?;
    check_unique(tx, input, Some(old.id)).await?;
    update_reference(tx, old.id, input, refers, now).await?;
    Ok(true)
}

/// Whether a stored row already holds what is given (the names it refers to compared as
/// names are, whatever their case).
fn same_values(stored: &RefForm, given: &RefForm) -> bool {
    let fold =
        |f: &RefForm| RefForm { category: name_key(&f.category), tablet_type: name_key(&f.tablet_type), ..f.clone() };
    fold(stored) == fold(given)
}

/// The audit row of a created row, with its values.
pub(super) fn created_entry(kind: RefKind, id: i64, input: &RefInput) -> AuditEntry {
    AuditEntry::new(event(kind, Change::Created), kind.entity(), id).with_new(values_json(kind, &input.to_form()))
}

/// The audit row of an edit: each changed field before and after.
pub(super) fn updated_entry(old: &RefRow, input: &RefInput) -> AuditEntry {
    let kind = input.kind();
    AuditEntry::new(event(kind, Change::Updated), kind.entity(), old.id)
        .with_changes(&values_json(kind, &old.values), &values_json(kind, &input.to_form()))
}

/// Creates a row (managers and above; the demo seed). Returns its id.
#[tracing::instrument(level = "debug", skip_all, fields(kind = input.kind().slug()))]
pub async fn create_reference(db: &Db, actor: &Actor, input: &RefInput, now: Timestamp) -> WarehouseResult<i64> {
    let kind = input.kind();
    let mut tx = db.begin_write().await?;
    let id = create_in(&mut tx, input, now).await?;
    audit::append(&mut tx, actor, created_entry(kind, id, input)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces row `id`'s fields (managers and above).
#[tracing::instrument(level = "debug", skip_all, fields(kind = input.kind().slug(), id))]
pub async fn update_reference_row(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &RefInput,
    now: Timestamp,
) -> WarehouseResult<()> {
    let kind = input.kind();
    let mut tx = db.begin_write().await?;
    let old = get_reference_in(&mut tx, kind, id).await?.ok_or(WarehouseError::NotFound)?;
    if !update_in(&mut tx, &old, input, now).await? {
        return Ok(()); // nothing changed: nothing to write or audit
    }
    audit::append(&mut tx, actor, updated_entry(&old, input)).await?;
    Ok(tx.commit().await?)
}

/// Archives (or, with `archive` false, restores) row `id` (managers and above). Idempotent:
/// a row already so is left alone and nothing is audited.
#[tracing::instrument(level = "debug", skip_all, fields(kind = kind.slug(), id, archive))]
pub async fn set_reference_archived(
    db: &Db,
    actor: &Actor,
    kind: RefKind,
    id: i64,
    archive: bool,
    now: Timestamp,
) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let old = get_reference_in(&mut tx, kind, id).await?.ok_or(WarehouseError::NotFound)?;
    if old.archived == archive {
        return Ok(());
    }
    set_archived(&mut tx, kind, id, archive, now).await?;
    let change = if archive { Change::Archived } else { Change::Restored };
    let entry = AuditEntry::new(event(kind, change), kind.entity(), id).with_new(json!({"name": old.values.name}));
    audit::append(&mut tx, actor, entry).await?;
    Ok(tx.commit().await?)
}
