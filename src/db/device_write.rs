//! Changes to one device; each writes its audit row in the same transaction.
use super::audit::{insert_sql, Actor, AuditEntry};
use super::{Db, DbError, DbResult, Sql, Value};
use crate::model::Timestamp;

/// Replaces a device's config. Returns `NotFound` when the device is gone.
pub async fn update_config(db: &Db, actor: &Actor, device_id: &str, config: serde_json::Value) -> DbResult<()> {
    let mut read = Sql::new("select config from devices where device_id = ");
    read.bind(device_id);
    let mut write = Sql::new("update devices set config = ");
    write.bind(Value::Json(Some(config.clone()))).push(", updated_at = ").bind(Timestamp::now());
    write.push(" where device_id = ").bind(device_id);
    let device_id = device_id.to_string();
    crate::in_tx!(db, |tx| {
        let old: Option<sqlx::types::Json<serde_json::Value>> =
            crate::bind_values!(sqlx::query_scalar(sqlx::AssertSqlSafe(read.text)), read.binds)
                .fetch_optional(&mut *tx)
                .await?;
        let old = old.ok_or(DbError::NotFound)?;
        crate::execute_sql!(&mut *tx, write);
        let mut entry = AuditEntry::new("device.config_updated", "device", &device_id).with_new(config);
        entry.old_values = Some(old.0);
        crate::execute_sql!(&mut *tx, insert_sql(actor, entry));
    });
    Ok(())
}
