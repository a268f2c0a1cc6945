//! Storing health checks from devices: one transaction per request, rows inserted from one JSON
//! parameter per chunk (`json_rows`), and each device's last_seen/status moved forward to its
//! newest check. The health API's SQLite writer stores through `sqlite_checks` instead.
use std::collections::HashMap;

use crate::db::engine::json_rows::{self, col};
use crate::db::engine::{run::fetch_all, sql::Sql};
use crate::db::engine::{Db, DbError, DbResult, Value};
use crate::model::fleet::health_input::ValidCheck;
use crate::model::fleet::liveness::status_after_check;
use crate::model::platform::time::Timestamp;

/// Rows per statement: one JSON value each, so the statement text never changes; chunks only
/// bound the size of one parameter.
const ROWS_PER_STATEMENT: usize = 2_000;

/// The primary keys of the devices named in `keys` that exist (archived or not).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn device_pks(db: &Db, keys: &[&str]) -> DbResult<HashMap<String, i64>> {
    let mut found = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        let names = json_rows::json_strings(db, 1, "k");
        let mut sql =
            Sql::new(&format!("select d.device_id, d.id from {names} join devices d on d.device_id = k.value"));
        sql.binds.push(Value::Text(serde_json::to_string(chunk).map_err(json_error)?));
        let rows: Vec<(String, i64)> = fetch_all(db, sql).await?;
        found.extend(rows);
    }
    Ok(found)
}

fn json_error(err: serde_json::Error) -> DbError {
    DbError::Other(sqlx::Error::Encode(Box::new(err)))
}

/// A check as one object of the JSON array that `insert_checks` binds.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    device: i64,
    healthy: bool,
    ms: i64,
    code: i64,
    endpoint: &'a str,
    details: &'a Option<serde_json::Value>,
    error: &'a Option<String>,
    at: String,
}

fn insert_checks(db: &Db, rows: &[(i64, ValidCheck)]) -> DbResult<Sql> {
    let checks: Vec<CheckJson> = rows
        .iter()
        .map(|(device, c)| CheckJson {
            device: *device,
            healthy: c.is_healthy,
            ms: c.response_time_ms,
            code: c.status_code,
            endpoint: &c.endpoint,
            details: &c.details,
            error: &c.error_message,
            at: c.checked_at.rfc3339(),
        })
        .collect();
    let columns = [
        col("device", "bigint"),
        col("healthy", "boolean"),
        col("ms", "bigint"),
        col("code", "bigint"),
        col("endpoint", "text"),
        col("details", "jsonb"),
        col("error", "text"),
        col("at", "timestamptz"),
    ];
    let mut sql = Sql::new(&format!(
        "insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, details, \
         error_message, checked_at) select device, healthy, ms, code, endpoint, details, error, at from {}",
        json_rows::json_rows(db, 1, "c", &columns)
    ));
    sql.binds.push(Value::Text(serde_json::to_string(&checks).map_err(json_error)?));
    Ok(sql)
}

/// The newest check per device: (device, time, status it implies by `liveness`, given the
/// oldest check time that still counts as live).
pub(super) fn newest_per_device(
    rows: &[(i64, ValidCheck)],
    live_since: Timestamp,
) -> Vec<(i64, Timestamp, &'static str)> {
    let mut newest: HashMap<i64, (Timestamp, bool)> = HashMap::new();
    for (device, c) in rows {
        let entry = newest.entry(*device).or_insert((c.checked_at, c.is_healthy));
        if c.checked_at >= entry.0 {
            *entry = (c.checked_at, c.is_healthy);
        }
    }
    let mut out: Vec<_> = newest
        .into_iter()
        .map(|(device, (at, healthy))| (device, at, status_after_check(healthy, at, live_since)))
        .collect();
    out.sort_unstable_by_key(|(device, _, _)| *device);
    out
}

/// Two statements per chunk of devices: last_seen moves forward, then status changes only where
/// it differs, so the status indexes are left alone in the common case (online stays online).
fn update_devices(db: &Db, newest: &[(i64, Timestamp, &'static str)]) -> DbResult<[Sql; 2]> {
    #[derive(serde::Serialize)]
    struct Newest {
        id: i64,
        at: String,
        status: &'static str,
    }
    let rows: Vec<Newest> =
        newest.iter().map(|(id, at, status)| Newest { id: *id, at: at.rfc3339(), status }).collect();
    let json = Value::Text(serde_json::to_string(&rows).map_err(json_error)?);
    let values =
        json_rows::json_rows(db, 1, "v", &[col("id", "bigint"), col("at", "timestamptz"), col("status", "text")]);
    let mut seen = Sql::new(&format!("update devices set last_seen = v.at from {values} "));
    seen.push("where devices.id = v.id and (devices.last_seen is null or devices.last_seen < v.at)");
    seen.binds.push(json.clone());
    let mut status = Sql::new(&format!("update devices set status = v.status from {values} "));
    status.push("where devices.id = v.id and devices.last_seen = v.at and devices.status <> v.status");
    status.binds.push(json);
    Ok([seen, status])
}

/// The statements that store `rows` and move each device forward, in order.
fn statements(db: &Db, rows: &[(i64, ValidCheck)], live_since: Timestamp) -> DbResult<Vec<Sql>> {
    let mut statements = Vec::new();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        statements.push(insert_checks(db, chunk)?);
    }
    for chunk in newest_per_device(rows, live_since).chunks(ROWS_PER_STATEMENT) {
        statements.extend(update_devices(db, chunk)?);
    }
    Ok(statements)
}

/// Stores `rows` and updates each device, all in one transaction. A device's status only
/// follows a check at least as new as its last_seen, so late arrivals do not roll it back; a
/// healthy check older than `live_since` leaves it offline.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ingest(db: &Db, rows: &[(i64, ValidCheck)], live_since: Timestamp) -> DbResult<()> {
    let statements = statements(db, rows, live_since)?;
    let mut tx = db.begin_write().await?;
    for sql in statements {
        tx.execute(sql).await?;
    }
    tx.commit().await
}
