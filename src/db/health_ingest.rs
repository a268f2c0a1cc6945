//! Storing health checks from devices: one transaction per request, rows inserted in multi-row
//! statements, and each device's last_seen/status moved forward to its newest check.
use std::collections::HashMap;

use super::sql::{fetch_all, Sql};
use super::{Db, DbResult, Value};
use crate::model::health_input::ValidCheck;
use crate::model::Timestamp;

/// Bound values per check row in `insert_checks`.
const VALUES_PER_CHECK: usize = 8;

/// Bound values per statement, far below both engines' limits (32,766 and 65,535).
const VALUES_PER_STATEMENT: usize = 4_000;

/// The primary keys of the devices named in `keys` that exist (archived or not).
pub async fn device_pks(db: &Db, keys: &[&str]) -> DbResult<HashMap<String, i64>> {
    let mut found = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(VALUES_PER_STATEMENT) {
        let mut sql = Sql::new("select device_id, id from devices where device_id in (");
        for (i, key) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(*key);
        }
        sql.push(")");
        let rows: Vec<(String, i64)> = fetch_all(db, sql).await?;
        found.extend(rows);
    }
    Ok(found)
}

fn insert_checks(rows: &[(i64, ValidCheck)]) -> Sql {
    let mut sql = Sql::new(
        "insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, details, \
         error_message, checked_at) values ",
    );
    for (i, (device, c)) in rows.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        sql.bind(*device).push(", ").bind(c.is_healthy).push(", ").bind(c.response_time_ms).push(", ");
        sql.bind(c.status_code).push(", ").bind(c.endpoint.as_str()).push(", ").bind(Value::Json(c.details.clone()));
        sql.push(", ").bind(Value::OptText(c.error_message.clone())).push(", ").bind(c.checked_at).push(")");
    }
    sql
}

/// The newest check per device: (device, time, status it implies).
fn newest_per_device(rows: &[(i64, ValidCheck)]) -> Vec<(i64, Timestamp, &'static str)> {
    let mut newest: HashMap<i64, (Timestamp, bool)> = HashMap::new();
    for (device, c) in rows {
        let entry = newest.entry(*device).or_insert((c.checked_at, c.is_healthy));
        if c.checked_at >= entry.0 {
            *entry = (c.checked_at, c.is_healthy);
        }
    }
    let mut out: Vec<_> = newest
        .into_iter()
        .map(|(device, (at, healthy))| (device, at, if healthy { "online" } else { "error" }))
        .collect();
    out.sort_unstable_by_key(|(device, _, _)| *device);
    out
}

/// `select … from (values …)` naming the columns id, at, status (both engines call a VALUES
/// list's columns column1, column2 …).
fn newest_values(newest: &[(i64, Timestamp, &'static str)]) -> Sql {
    let mut sql = Sql::new("(select column1 as id, column2 as at, column3 as status from (values ");
    for (i, (device, at, status)) in newest.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        sql.bind(*device).push(", ").bind(*at).push(", ").bind(*status).push(")");
    }
    sql.push(") as t) as v");
    sql
}

/// Two statements per chunk of devices: last_seen moves forward, then status changes only where
/// it differs, so the status indexes are left alone in the common case (online stays online).
fn update_devices(newest: &[(i64, Timestamp, &'static str)]) -> [Sql; 2] {
    let values = newest_values(newest);
    let mut seen = Sql::new("update devices set last_seen = v.at from ");
    seen.push(&values.text)
        .push(" where devices.id = v.id and (devices.last_seen is null or devices.last_seen < v.at)");
    seen.binds = values.binds.clone();
    let mut status = Sql::new("update devices set status = v.status from ");
    status
        .push(&values.text)
        .push(" where devices.id = v.id and devices.last_seen = v.at and devices.status <> v.status");
    status.binds = values.binds;
    [seen, status]
}

/// Stores `rows` and updates each device, all in one transaction. A device's status only
/// follows a check at least as new as its last_seen, so late arrivals do not roll it back.
pub async fn ingest(db: &Db, rows: &[(i64, ValidCheck)]) -> DbResult<()> {
    let per_statement = VALUES_PER_STATEMENT / VALUES_PER_CHECK;
    let mut statements: Vec<Sql> = rows.chunks(per_statement).map(insert_checks).collect();
    statements.extend(newest_per_device(rows).chunks(per_statement).flat_map(update_devices));
    crate::in_tx!(db, |tx| {
        for sql in statements {
            crate::execute_sql!(&mut *tx, sql);
        }
    });
    Ok(())
}
