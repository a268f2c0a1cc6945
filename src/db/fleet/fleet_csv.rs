//! Fleet rows as the CSV files carry them (FLEET_CSV.md): read in id order for exports, looked up
//! by id and natural key for imports, and written back in one transaction per file.
use sqlx::types::Json;
use sqlx::FromRow;

use crate::db::engine::{run::fetch_all, sql::contains_pattern, sql::Sql, sql::Value};
use crate::db::engine::{Db, DbResult};
use crate::db::fleet::devices::device_where;
use crate::model::fleet::device_filter::DeviceFilter;
use crate::model::platform::time::Timestamp;

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct SiteCsv {
    pub id: i64,
    pub site_id: String,
    pub name: String,
    pub description: String,
    pub location: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct DeviceCsv {
    pub id: i64,
    pub device_id: String,
    pub name: String,
    pub device_type: String,
    pub site: String,
    pub status: String,
    pub ip_address: Option<String>,
    pub mac_address: Option<String>,
    pub firmware_version: String,
    pub last_seen: Option<Timestamp>,
    pub config: Json<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct CheckCsv {
    pub id: i64,
    pub device: String,
    pub is_healthy: bool,
    pub response_time_ms: i64,
    pub status_code: i64,
    pub endpoint: String,
    pub checked_at: Timestamp,
}

const SITE_COLS: &str = "s.id, s.site_id, s.name, s.description, s.location, s.created_at";
const DEVICE_COLS: &str = "d.id, d.device_id, d.name, d.device_type, s.site_id as site, d.status, d.ip_address, \
     d.mac_address, d.firmware_version, d.last_seen, d.config";
const CHECK_COLS: &str = "h.id, d.device_id as device, h.is_healthy, h.response_time_ms, h.status_code, h.endpoint, \
     h.checked_at";

fn after(mut sql: Sql, id_sql: &str, after_id: i64, limit: i64) -> Sql {
    sql.push(&format!(" and {id_sql} > ")).bind(after_id);
    sql.push(&format!(" order by {id_sql} limit ")).push_int(limit);
    sql
}

/// Sites after `after_id` in id order, under the sites table's search and archived view.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sites_batch(db: &Db, q: &str, archived: bool, after_id: i64, limit: i64) -> DbResult<Vec<SiteCsv>> {
    let mut sql = Sql::new(&format!("select {SITE_COLS} from sites s where s.archived = "));
    sql.bind(archived);
    if !q.is_empty() {
        let pattern = contains_pattern(q);
        sql.push(" and (lower(s.site_id) like ").bind(pattern.clone()).push(" escape '\\'");
        sql.push(" or lower(s.name) like ").bind(pattern).push(" escape '\\')");
    }
    fetch_all(db, after(sql, "s.id", after_id, limit)).await
}

/// Devices after `after_id` in id order, under the devices table's filters and search.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn devices_batch(
    db: &Db,
    filter: &DeviceFilter,
    q: &str,
    after_id: i64,
    limit: i64,
) -> DbResult<Vec<DeviceCsv>> {
    let mut sql = Sql::new(&format!("select {DEVICE_COLS} from devices d join sites s on s.id = d.site_id "));
    let filter_sql = device_where(db, filter, q);
    sql.push(&filter_sql.text);
    sql.binds.extend(filter_sql.binds);
    fetch_all(db, after(sql, "d.id", after_id, limit)).await
}

/// Every device's health checks after `after_id`, in id order.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn checks_batch(db: &Db, after_id: i64, limit: i64) -> DbResult<Vec<CheckCsv>> {
    let sql =
        Sql::new(&format!("select {CHECK_COLS} from health_checks h join devices d on d.id = h.device_id where true"));
    fetch_all(db, after(sql, "h.id", after_id, limit)).await
}

/// Where a device's check export stands: the (checked_at, id) of the last row sent.
pub type CheckCursor = Option<(Timestamp, i64)>;

/// One device's health checks after `after`, oldest first (ties by id). They seek on the
/// (device_id, checked_at) index, the one index ingest keeps up for a device's history.
#[tracing::instrument(level = "debug", skip_all, fields(device_pk))]
pub async fn device_checks_batch(db: &Db, device_pk: i64, after: CheckCursor, limit: i64) -> DbResult<Vec<CheckCsv>> {
    let mut sql = Sql::new(&format!(
        "select {CHECK_COLS} from health_checks h join devices d on d.id = h.device_id where h.device_id = "
    ));
    sql.bind(device_pk);
    if let Some((at, id)) = after {
        sql.push(" and (h.checked_at, h.id) > (").bind(at).push(", ").bind(id).push(")");
    }
    sql.push(" order by h.checked_at, h.id limit ").push_int(limit);
    fetch_all(db, sql).await
}

fn in_list(mut sql: Sql, values: impl IntoIterator<Item = Value>) -> Sql {
    for (i, v) in values.into_iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " }).bind(v);
    }
    sql.push(")");
    sql
}

/// The stored rows among `ids` (import compares them with the file's rows).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sites_by_id(db: &Db, ids: &[i64]) -> DbResult<Vec<SiteCsv>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = Sql::new(&format!("select {SITE_COLS} from sites s where s.id in ("));
    fetch_all(db, in_list(sql, ids.iter().map(|i| Value::Int(*i)))).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn devices_by_id(db: &Db, ids: &[i64]) -> DbResult<Vec<DeviceCsv>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql =
        Sql::new(&format!("select {DEVICE_COLS} from devices d join sites s on s.id = d.site_id where d.id in ("));
    fetch_all(db, in_list(sql, ids.iter().map(|i| Value::Int(*i)))).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn checks_by_id(db: &Db, ids: &[i64]) -> DbResult<Vec<CheckCsv>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = Sql::new(&format!(
        "select {CHECK_COLS} from health_checks h join devices d on d.id = h.device_id where h.id in ("
    ));
    fetch_all(db, in_list(sql, ids.iter().map(|i| Value::Int(*i)))).await
}

/// (natural key, id) of the rows of `table` whose `key_column` is among `keys`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ids_by_key(db: &Db, table: Keyed, keys: &[String]) -> DbResult<Vec<(String, i64)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = match table {
        Keyed::Sites => ("sites", "site_id"),
        Keyed::Devices => ("devices", "device_id"),
    };
    let sql = Sql::new(&format!("select {column}, id from {table} where {column} in ("));
    fetch_all(db, in_list(sql, keys.iter().map(|k| Value::Text(k.clone())))).await
}

/// The highest id in `table`, one of the fleet's CSV tables (0 when empty): an import numbers
/// its new rows from above it.
pub async fn max_id(db: &Db, table: &'static str) -> DbResult<i64> {
    let rows: Vec<(i64,)> = fetch_all(db, Sql::new(&format!("select coalesce(max(id), 0) from {table}"))).await?;
    Ok(rows.first().map_or(0, |r| r.0))
}

/// The tables with a natural key.
#[derive(Debug, Clone, Copy)]
pub enum Keyed {
    Sites,
    Devices,
}

/// An update of every CSV column of a stored site.
pub fn update_site_sql(s: &SiteCsv, now: Timestamp) -> Sql {
    let mut sql = Sql::new("update sites set site_id = ");
    sql.bind(s.site_id.as_str()).push(", name = ").bind(s.name.as_str());
    sql.push(", description = ").bind(s.description.as_str()).push(", location = ").bind(s.location.as_str());
    sql.push(", created_at = ").bind(s.created_at).push(", updated_at = ").bind(now);
    sql.push(" where id = ").bind(s.id);
    sql
}

/// An update of every CSV column of a stored device; `site_pk` is its site's id.
pub fn update_device_sql(d: &DeviceCsv, site_pk: i64, now: Timestamp) -> Sql {
    let mut sql = Sql::new("update devices set device_id = ");
    sql.bind(d.device_id.as_str()).push(", name = ").bind(d.name.as_str());
    sql.push(", device_type = ").bind(d.device_type.as_str()).push(", site_id = ").bind(site_pk);
    sql.push(", status = ").bind(d.status.as_str()).push(", ip_address = ").bind(Value::OptText(d.ip_address.clone()));
    sql.push(", mac_address = ").bind(Value::OptText(d.mac_address.clone()));
    sql.push(", firmware_version = ").bind(d.firmware_version.as_str());
    sql.push(", last_seen = ").bind(Value::OptTime(d.last_seen)).push(", config = ");
    sql.bind(Value::Json(Some(d.config.0.clone()))).push(", updated_at = ").bind(now);
    sql.push(" where id = ").bind(d.id);
    sql
}

/// An update of every CSV column of a stored health check; `device_pk` is its device's id.
pub fn update_check_sql(c: &CheckCsv, device_pk: i64) -> Sql {
    let mut sql = Sql::new("update health_checks set device_id = ");
    sql.bind(device_pk).push(", is_healthy = ").bind(c.is_healthy);
    sql.push(", response_time_ms = ").bind(c.response_time_ms).push(", status_code = ").bind(c.status_code);
    sql.push(", endpoint = ").bind(c.endpoint.as_str()).push(", checked_at = ").bind(c.checked_at);
    sql.push(" where id = ").bind(c.id);
    sql
}
