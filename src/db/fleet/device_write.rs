//! Changes to one device; each writes its audit row in the same transaction.
use crate::db::engine::generations::Domain;
use crate::db::engine::{Db, DbError, DbResult, Sql, Tx, Value};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::fleet::fleet_forms::DeviceInput;
use crate::model::platform::time::Timestamp;

/// Replaces a device's config. Returns `NotFound` when the device is gone.
#[tracing::instrument(level = "debug", skip_all, fields(device_id))]
pub async fn update_config(db: &Db, actor: &Actor, device_id: &str, config: serde_json::Value) -> DbResult<()> {
    let mut read = Sql::new("select config from devices where device_id = ");
    read.bind(device_id);
    let mut write = Sql::new("update devices set config = ");
    write.bind(Value::Json(Some(config.clone()))).push(", updated_at = ").bind(Timestamp::now());
    write.push(" where device_id = ").bind(device_id);
    let mut tx = db.begin_write().await?;
    let (old,): (sqlx::types::Json<serde_json::Value>,) = tx.fetch_one(read).await?;
    tx.execute(write).await?;
    let mut entry = AuditEntry::new("device.config_updated", "device", device_id).with_new(config);
    entry.old_values = Some(old.0);
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

fn device_json(d: &DeviceInput) -> serde_json::Value {
    serde_json::json!({"device_id": d.device_id, "name": d.name, "device_type": d.device_type, "site": d.site,
        "ip_address": d.ip_address, "mac_address": d.mac_address, "firmware_version": d.firmware_version})
}

/// The id of the active site `site_key`, read on the write's own transaction.
pub(super) async fn active_site_pk(tx: &mut Tx, site_key: &str) -> DbResult<i64> {
    let mut sql = Sql::new("select id from sites where site_id = ");
    sql.bind(site_key).push(" and not archived");
    let found: Option<(i64,)> = tx.fetch_optional(sql).await?;
    found.map(|(id,)| id).ok_or(DbError::MissingSite)
}

/// Creates a device at an active site; `Duplicate` when its device_id is taken.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_device(db: &Db, actor: &Actor, d: &DeviceInput) -> DbResult<()> {
    let now = Timestamp::now();
    let entry = AuditEntry::new("device.created", "device", &d.device_id).with_new(device_json(d));
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    let site = active_site_pk(&mut tx, &d.site).await?;
    let mut sql = Sql::new(
        "insert into devices (device_id, name, device_type, site_id, status, ip_address, mac_address, \
         firmware_version, active, created_at, updated_at) values (",
    );
    sql.bind(d.device_id.as_str()).push(", ").bind(d.name.as_str()).push(", ").bind(d.device_type.as_str());
    sql.push(", ").bind(site).push(", 'unknown', ").bind(Value::OptText(d.ip_address.clone())).push(", ");
    sql.bind(Value::OptText(d.mac_address.clone())).push(", ").bind(d.firmware_version.as_str()).push(", ");
    sql.bind(true).push(", ").bind(now).push(", ").bind(now).push(")");
    tx.execute(sql).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// Replaces a device's fields; a new `site` moves it (audited as a move when the site changes).
#[tracing::instrument(level = "debug", skip_all, fields(current_key))]
pub async fn update_device(db: &Db, actor: &Actor, current_key: &str, d: &DeviceInput) -> DbResult<()> {
    let mut old_fields = Sql::new(
        "select d.device_id, d.name, d.device_type, s.site_id, d.ip_address, d.mac_address, d.firmware_version \
         from devices d join sites s on s.id = d.site_id where d.device_id = ",
    );
    old_fields.bind(current_key);
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    type DeviceFields = (String, String, String, String, Option<String>, Option<String>, String);
    let (device_id, name, device_type, before, ip_address, mac_address, firmware_version) =
        tx.fetch_optional::<DeviceFields>(old_fields).await?.ok_or(DbError::NotFound)?;
    let old = serde_json::json!({"device_id": device_id, "name": name, "device_type": device_type, "site": before,
        "ip_address": ip_address, "mac_address": mac_address, "firmware_version": firmware_version});
    let site = active_site_pk(&mut tx, &d.site).await?;
    let mut sql = Sql::new("update devices set device_id = ");
    sql.bind(d.device_id.as_str()).push(", name = ").bind(d.name.as_str());
    sql.push(", device_type = ").bind(d.device_type.as_str()).push(", site_id = ").bind(site);
    sql.push(", ip_address = ").bind(Value::OptText(d.ip_address.clone()));
    sql.push(", mac_address = ").bind(Value::OptText(d.mac_address.clone()));
    sql.push(", firmware_version = ").bind(d.firmware_version.as_str()).push(", updated_at = ");
    sql.bind(Timestamp::now()).push(" where device_id = ").bind(current_key);
    tx.execute(sql).await?;
    let event = if before == d.site { "device.updated" } else { "device.moved" };
    let entry = AuditEntry::new(event, "device", &d.device_id).with_changes(&old, &device_json(d));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// Archives (hides from active lists) or restores one device. Idempotent.
#[tracing::instrument(level = "debug", skip_all, fields(device_key))]
pub async fn set_device_active(db: &Db, actor: &Actor, device_key: &str, active: bool) -> DbResult<()> {
    let mut sql = Sql::new("update devices set active = ");
    sql.bind(active).push(", updated_at = ").bind(Timestamp::now()).push(" where device_id = ").bind(device_key);
    let event = if active { "device.restored" } else { "device.archived" };
    let entry = AuditEntry::new(event, "device", device_key).with_new(serde_json::json!({"active": active}));
    audit::change_one(db, Domain::Fleet, sql, actor, entry).await
}
