//! One action on many devices (the devices table's checkboxes): one transaction, one audit row
//! for each device it changed. A device already in the asked state is left alone, unaudited.
use crate::db::engine::generations::Domain;
use crate::db::engine::{Db, DbResult, Sql, Tx};
use crate::db::fleet::device_write::active_site_pk;
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::fleet::bulk::{DeviceBulkAction, DeviceBulkRequest};
use crate::model::platform::bulk::BulkOutcome;
use crate::model::platform::time::Timestamp;
use serde_json::json;

/// What a device is before the action: key, active, status, site key.
type DeviceState = (String, bool, String, String);

/// Applies `request` to every device it names that exists; `MissingSite` (nothing written) when
/// a move names a site that is not active.
#[tracing::instrument(level = "debug", skip_all, fields(devices = request.device_ids.len()))]
pub async fn apply(db: &Db, actor: &Actor, request: &DeviceBulkRequest) -> DbResult<BulkOutcome> {
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    let target_site = match &request.action {
        DeviceBulkAction::Move(site) => Some((active_site_pk(&mut tx, site).await?, site.as_str())),
        _ => None,
    };
    let found = read_states(&mut tx, &request.device_ids).await?;
    let mut outcome = BulkOutcome {
        missing: request.device_ids.iter().filter(|k| !found.iter().any(|f| &f.0 == *k)).cloned().collect(),
        ..Default::default()
    };
    let now = Timestamp::now();
    for (key, active, status, site) in found {
        let change = match &request.action {
            DeviceBulkAction::Archive if active => {
                Some(("active = false", "device.archived", "active", json!(true), json!(false)))
            }
            DeviceBulkAction::Restore if !active => {
                Some(("active = true", "device.restored", "active", json!(false), json!(true)))
            }
            DeviceBulkAction::Maintenance if status != "maintenance" => {
                Some(("status = 'maintenance'", "device.updated", "status", json!(status), json!("maintenance")))
            }
            DeviceBulkAction::Move(to) if &site != to => Some(("", "device.moved", "site", json!(site), json!(to))),
            _ => None,
        };
        let Some((assignment, event, field, old, new)) = change else {
            outcome.unchanged += 1;
            continue;
        };
        let mut sql = Sql::new("update devices set ");
        match target_site {
            Some((site_pk, _)) if assignment.is_empty() => sql.push("site_id = ").bind(site_pk),
            _ => sql.push(assignment),
        };
        sql.push(", updated_at = ").bind(now).push(" where device_id = ").bind(key.as_str());
        tx.execute(sql).await?;
        let entry = AuditEntry::new(event, "device", &key).with_changes(&json!({ field: old }), &json!({ field: new }));
        audit::append(&mut tx, actor, entry).await?;
        outcome.changed += 1;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// The devices among `keys` that exist, read on the action's own transaction.
async fn read_states(tx: &mut Tx, keys: &[String]) -> DbResult<Vec<DeviceState>> {
    if keys.is_empty() {
        return Ok(Vec::new()); // `in ()` is an error on PostgreSQL
    }
    let mut sql = Sql::new(
        "select d.device_id, d.active, d.status, s.site_id from devices d join sites s on s.id = d.site_id \
         where d.device_id in (",
    );
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(key.as_str());
    }
    sql.push(") order by d.device_id");
    tx.fetch_all(sql).await
}
