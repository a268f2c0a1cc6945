//! Changing the warehouse's settings (admins), audited with their old and new values.
use serde_json::json;

use super::WarehouseResult;
use crate::db::engine::Db;
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::db::warehouse::settings::{warehouse_settings_in, write_settings};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::settings::WarehouseSettings;

/// Stores both settings; nothing is written or audited when neither changed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_settings(db: &Db, actor: &Actor, new: &WarehouseSettings, now: Timestamp) -> WarehouseResult<()> {
    let mut tx = db.begin_write().await?;
    let old = warehouse_settings_in(&mut tx).await?;
    if old == *new {
        return Ok(());
    }
    let as_json =
        |s: &WarehouseSettings| json!({"cards_per_turn": s.cards_per_turn, "count_tolerance": s.count_tolerance});
    write_settings(&mut tx, new, now).await?;
    let entry =
        AuditEntry::new("settings.updated", "settings", "warehouse").with_changes(&as_json(&old), &as_json(new));
    audit::append(&mut tx, actor, entry).await?;
    Ok(tx.commit().await?)
}
