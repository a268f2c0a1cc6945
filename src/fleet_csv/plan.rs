//! Deciding, for each imported row, whether it creates, updates or leaves a stored row alone,
//! and which rows cannot be imported (a natural key used by another id, a missing site/device).
use std::collections::HashMap;

use crate::db::engine::{Db, DbResult, Sql, Value};
use crate::db::fleet::fleet_csv::{self, CheckCsv, DeviceCsv, Keyed, SiteCsv};
use crate::model::platform::time::Timestamp;

use super::format::{check_fields, device_fields, site_fields, Row};

/// What one row does to the database.
pub enum Action {
    Insert(Vec<Value>),
    Update(Sql),
    Skip,
}

pub type Planned = Vec<(u64, Result<Action, String>)>;

/// Whether a site with the key `site_id` exists (the import page's site for rows without one
/// is checked once, before any row is read).
pub async fn site_exists(db: &Db, site_id: &str) -> DbResult<bool> {
    Ok(!fleet_csv::ids_by_key(db, Keyed::Sites, &[site_id.to_string()]).await?.is_empty())
}

/// Gives every row without an id one: the stored row's with the same natural key (`key`), or
/// the next new one. `next_id` starts above every id in the table and in the file.
fn resolve_ids<T>(
    rows: Vec<(u64, Row<T>)>,
    taken: &HashMap<String, i64>,
    key: fn(&T) -> Option<&str>,
    id: fn(&mut T) -> &mut i64,
    next_id: &mut i64,
) -> Vec<(u64, Row<T>)> {
    rows.into_iter()
        .map(|(line, mut row)| {
            if !row.given_id {
                let found = key(&row.record).and_then(|k| taken.get(k).copied());
                *id(&mut row.record) = found.unwrap_or_else(|| {
                    *next_id += 1;
                    *next_id
                });
            }
            (line, row)
        })
        .collect()
}

/// A natural key taken by a different id is refused: importing would break its uniqueness.
fn key_clash(keys: &HashMap<String, i64>, key: &str, id: i64, what: &str) -> Option<String> {
    keys.get(key).filter(|other| **other != id).map(|other| format!("{what} {key} already belongs to id {other}"))
}

pub async fn sites(db: &Db, rows: Vec<(u64, Row<SiteCsv>)>, now: Timestamp, next_id: &mut i64) -> DbResult<Planned> {
    let keys: Vec<String> = rows.iter().map(|(_, r)| r.record.site_id.clone()).collect();
    let taken: HashMap<String, i64> = fleet_csv::ids_by_key(db, Keyed::Sites, &keys).await?.into_iter().collect();
    let rows = resolve_ids(rows, &taken, |s| Some(&s.site_id), |s| &mut s.id, next_id);
    let ids: Vec<i64> = rows.iter().map(|(_, r)| r.record.id).collect();
    let stored: HashMap<i64, SiteCsv> =
        fleet_csv::sites_by_id(db, &ids).await?.into_iter().map(|s| (s.id, s)).collect();
    Ok(rows
        .into_iter()
        .map(|(line, row)| {
            let old = stored.get(&row.record.id);
            let r = row.merged(old);
            if let Some(clash) = key_clash(&taken, &r.site_id, r.id, "site_id") {
                return (line, Err(clash));
            }
            let action = match old {
                Some(old) if site_fields(old) == site_fields(&r) => Action::Skip,
                Some(_) => Action::Update(fleet_csv::update_site_sql(&r, now)),
                None => Action::Insert(vec![
                    Value::Int(r.id),
                    Value::Text(r.site_id),
                    Value::Text(r.name),
                    Value::Text(r.description),
                    Value::Text(r.location),
                    Value::Bool(false),
                    Value::Time(r.created_at),
                    Value::Time(now),
                ]),
            };
            (line, Ok(action))
        })
        .collect())
}

pub async fn devices(
    db: &Db,
    rows: Vec<(u64, Row<DeviceCsv>)>,
    now: Timestamp,
    next_id: &mut i64,
) -> DbResult<Planned> {
    let keys: Vec<String> = rows.iter().map(|(_, r)| r.record.device_id.clone()).collect();
    let mut site_keys: Vec<String> = rows.iter().map(|(_, r)| r.record.site.clone()).collect();
    site_keys.sort_unstable();
    site_keys.dedup();
    let taken: HashMap<String, i64> = fleet_csv::ids_by_key(db, Keyed::Devices, &keys).await?.into_iter().collect();
    let sites: HashMap<String, i64> = fleet_csv::ids_by_key(db, Keyed::Sites, &site_keys).await?.into_iter().collect();
    let rows = resolve_ids(rows, &taken, |d| Some(&d.device_id), |d| &mut d.id, next_id);
    let ids: Vec<i64> = rows.iter().map(|(_, r)| r.record.id).collect();
    let stored: HashMap<i64, DeviceCsv> =
        fleet_csv::devices_by_id(db, &ids).await?.into_iter().map(|d| (d.id, d)).collect();
    Ok(rows
        .into_iter()
        .map(|(line, row)| {
            let old = stored.get(&row.record.id);
            let r = row.merged(old);
            if let Some(clash) = key_clash(&taken, &r.device_id, r.id, "device_id") {
                return (line, Err(clash));
            }
            let Some(site) = sites.get(&r.site).copied() else {
                return (line, Err(format!("site {} does not exist", r.site)));
            };
            let action = match old {
                Some(old) if device_fields(old) == device_fields(&r) => Action::Skip,
                Some(_) => Action::Update(fleet_csv::update_device_sql(&r, site, now)),
                None => Action::Insert(vec![
                    Value::Int(r.id),
                    Value::Text(r.device_id),
                    Value::Text(r.name),
                    Value::Text(r.device_type),
                    Value::Int(site),
                    Value::Text(r.status),
                    Value::OptText(r.ip_address),
                    Value::OptText(r.mac_address),
                    Value::Text(r.firmware_version),
                    Value::OptTime(r.last_seen),
                    Value::Json(Some(r.config.0)),
                    Value::Bool(true),
                    Value::Time(now),
                    Value::Time(now),
                ]),
            };
            (line, Ok(action))
        })
        .collect())
}

pub async fn checks(db: &Db, rows: Vec<(u64, Row<CheckCsv>)>, next_id: &mut i64) -> DbResult<Planned> {
    let rows = resolve_ids(rows, &HashMap::new(), |_| None, |c| &mut c.id, next_id);
    let ids: Vec<i64> = rows.iter().map(|(_, r)| r.record.id).collect();
    let mut device_keys: Vec<String> = rows.iter().map(|(_, r)| r.record.device.clone()).collect();
    device_keys.sort_unstable();
    device_keys.dedup();
    let stored: HashMap<i64, CheckCsv> =
        fleet_csv::checks_by_id(db, &ids).await?.into_iter().map(|c| (c.id, c)).collect();
    let devices: HashMap<String, i64> =
        fleet_csv::ids_by_key(db, Keyed::Devices, &device_keys).await?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|(line, row)| {
            let r = row.record;
            let Some(device) = devices.get(&r.device).copied() else {
                return (line, Err(format!("device {} does not exist", r.device)));
            };
            let action = match stored.get(&r.id) {
                Some(old) if check_fields(old) == check_fields(&r) => Action::Skip,
                Some(_) => Action::Update(fleet_csv::update_check_sql(&r, device)),
                None => Action::Insert(vec![
                    Value::Int(r.id),
                    Value::Int(device),
                    Value::Bool(r.is_healthy),
                    Value::Int(r.response_time_ms),
                    Value::Int(r.status_code),
                    Value::Text(r.endpoint),
                    Value::Time(r.checked_at),
                ]),
            };
            (line, Ok(action))
        })
        .collect())
}
