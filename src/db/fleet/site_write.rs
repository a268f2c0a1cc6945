//! Changes to sites: create, edit, archive, restore, purge. Each writes its audit row in the
//! same transaction, so a change and its record land together or not at all.
use serde_json::json;

use crate::db::engine::generations::Domain;
use crate::db::engine::{Db, DbError, DbResult, Sql, Value};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::fleet::fleet_forms::SiteInput;
use crate::model::platform::time::Timestamp;

fn site_json(s: &SiteInput) -> serde_json::Value {
    json!({"site_id": s.site_id, "name": s.name, "description": s.description, "location": s.location,
           "latitude": s.latitude, "longitude": s.longitude})
}

/// Creates a site; `Duplicate` when its site_id is taken.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_site(db: &Db, actor: &Actor, site: &SiteInput) -> DbResult<()> {
    let now = Timestamp::now();
    let mut sql = Sql::new(
        "insert into sites (site_id, name, description, location, latitude, longitude, archived, created_at, \
         updated_at) values (",
    );
    sql.bind(site.site_id.as_str()).push(", ").bind(site.name.as_str()).push(", ");
    sql.bind(site.description.as_str()).push(", ").bind(site.location.as_str()).push(", ");
    sql.bind(Value::OptReal(site.latitude)).push(", ").bind(Value::OptReal(site.longitude)).push(", ").bind(false);
    sql.push(", ").bind(now).push(", ").bind(now).push(")");
    let entry = AuditEntry::new("site.created", "site", &site.site_id).with_new(site_json(site));
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    tx.execute(sql).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// Replaces a site's fields (its key may change too). `NotFound` when `current_key` is gone.
#[tracing::instrument(level = "debug", skip_all, fields(current_key))]
pub async fn update_site(db: &Db, actor: &Actor, current_key: &str, site: &SiteInput) -> DbResult<()> {
    let mut sql = Sql::new("update sites set site_id = ");
    sql.bind(site.site_id.as_str()).push(", name = ").bind(site.name.as_str());
    sql.push(", description = ").bind(site.description.as_str()).push(", location = ").bind(site.location.as_str());
    sql.push(", latitude = ")
        .bind(Value::OptReal(site.latitude))
        .push(", longitude = ")
        .bind(Value::OptReal(site.longitude));
    sql.push(", updated_at = ").bind(Timestamp::now()).push(" where site_id = ").bind(current_key);
    let mut before =
        Sql::new("select site_id, name, description, location, latitude, longitude from sites where site_id = ");
    before.bind(current_key);
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    type SiteFields = (String, String, String, String, Option<f64>, Option<f64>);
    let Some((site_id, name, description, location, latitude, longitude)) =
        tx.fetch_optional::<SiteFields>(before).await?
    else {
        return Err(DbError::NotFound);
    };
    tx.execute(sql).await?;
    let old = json!({"site_id": site_id, "name": name, "description": description, "location": location,
                     "latitude": latitude, "longitude": longitude});
    let entry = AuditEntry::new("site.updated", "site", &site.site_id).with_changes(&old, &site_json(site));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// Archives (`archived = true`: the site and its devices leave active lists, devices go offline)
/// or restores (devices come back, still offline until they report). Both are idempotent.
#[tracing::instrument(level = "debug", skip_all, fields(site_key))]
pub async fn set_site_archived(db: &Db, actor: &Actor, site_key: &str, archived: bool) -> DbResult<()> {
    let now = Timestamp::now();
    let mut site = Sql::new("update sites set archived = ");
    site.bind(archived).push(", updated_at = ").bind(now).push(" where site_id = ").bind(site_key);
    let mut devices = Sql::new("update devices set active = ");
    devices.bind(!archived).push(", updated_at = ").bind(now);
    if archived {
        devices.push(", status = 'offline'");
    }
    devices.push(" where site_id = (select id from sites where site_id = ").bind(site_key).push(")");
    let event = if archived { "site.archived" } else { "site.restored" };
    let entry = AuditEntry::new(event, "site", site_key).with_new(json!({"archived": archived}));
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    if tx.execute(site).await? == 0 {
        return Err(DbError::NotFound);
    }
    tx.execute(devices).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// Deletes a site with its devices and their health checks, leaving an audit tombstone that
/// says what was removed. Returns the number of devices removed.
#[tracing::instrument(level = "debug", skip_all, fields(site_key))]
pub async fn purge_site(db: &Db, actor: &Actor, site_key: &str) -> DbResult<i64> {
    let mut facts = Sql::new(
        "select s.name, (select count(*) from devices d where d.site_id = s.id) from sites s where s.site_id = ",
    );
    facts.bind(site_key);
    let mut delete = Sql::new("delete from sites where site_id = ");
    delete.bind(site_key);
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    let (name, devices): (String, i64) = tx.fetch_one(facts).await?;
    tx.execute(delete).await?;
    let mut entry = AuditEntry::new("site.purged", "site", site_key);
    entry.old_values = Some(json!({"site_id": site_key, "name": name, "devices": devices}));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(devices)
}
