//! Sites and the devices under them: the sites list, a site's page, the home page summary.
use std::sync::Arc;

use crate::db::engine::keyset::{fetch_page, KeyKind, Keyed, KeysetList};
use crate::db::engine::{count_keys::CountKey, counts::CountCache, generations::Domain};
use crate::db::engine::{
    run::fetch_all, run::fetch_count, run::read_all, run::read_optional, sql::contains_pattern, sql::Sql,
};
use crate::db::engine::{Db, DbResult};
use crate::db::fleet::devices::{device_columns, DeviceListRow, DEVICES_FROM};
use crate::model::fleet::sites::{DeviceRow, FleetSummary, SiteDetail, SiteRow, SiteStatus, DEVICE_STATUSES};
use crate::model::platform::page::{Cursor, ListQuery, Page};
use crate::model::platform::time::Timestamp;

/// Sort keys the sites list accepts (anything else sorts by site_id).
pub const SITE_SORTS: [&str; 3] = ["site_id", "name", "created"];

/// Per-site facts for the status rule (`any_online`, `any_error`), read off the stored device
/// statuses that `liveness` keeps true, like the healthy count beside them. The yes/no facts are scalar subqueries, not EXISTS: PostgreSQL may
/// run an EXISTS as one hashed scan of every matching device in the fleet, which for a page of
/// 25 sites cost 5 ms instead of 0.7.
fn site_status_facts() -> Sql {
    Sql::new(
        "(select 1 from devices d where d.site_id = s.id and d.active and d.status = 'online' limit 1) is not null \
         as any_online, \
         (select 1 from devices d where d.site_id = s.id and d.active and d.status = 'error' limit 1) is not null \
         as any_error",
    )
}

/// A site's active devices, for its own page.
const DEVICE_COUNT: &str = "(select count(*) from devices d where d.site_id = s.id and d.active) as device_count";

crate::db::engine::inline::row! {
    struct SiteListRow {
        id: i64,
        site_id: String,
        name: String,
        location: String,
        archived: bool,
        created_at: Timestamp,
        any_online: bool,
        any_error: bool,
        sort_key: String,
        sort_time: Timestamp,
    }
}

impl Keyed for SiteListRow {
    fn cursor(&self) -> Cursor {
        let key = if self.sort_key.is_empty() { self.sort_time.rfc3339() } else { self.sort_key.clone() };
        Cursor { id: self.id, key }
    }
}

fn site_filter(q: &ListQuery, archived: bool) -> Sql {
    let mut sql = Sql::new("where s.archived = ");
    sql.bind(archived);
    if !q.q.is_empty() {
        let pattern = contains_pattern(&q.q);
        sql.push(" and (lower(s.site_id) like ").bind(pattern.clone()).push(" escape '\\'");
        sql.push(" or lower(s.name) like ").bind(pattern).push(" escape '\\')");
    }
    sql
}

/// One page of the sites table (active sites, or archived ones), filtered by `q.q` and sorted by
/// an allowed key. The total comes from `counts` while fresh: site writes invalidate it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_sites(db: &Db, counts: &Arc<CountCache>, q: &ListQuery, archived: bool) -> DbResult<Page<SiteRow>> {
    let (key_sql, kind, sort_key) = match q.sort.as_str() {
        "name" => ("s.name", KeyKind::Text, "s.name"),
        "created" => ("s.created_at", KeyKind::Time, "''"),
        _ => ("s.site_id", KeyKind::Text, "s.site_id"),
    };
    let filter = site_filter(q, archived);
    let count_key = CountKey::Sites { archived, q: q.q.clone() };
    let total = counts.count(db, count_key, Sql::count_of("sites s", &filter)).await?;
    let list = KeysetList {
        columns: {
            let mut columns = Sql::new("s.id, s.site_id, s.name, s.location, s.archived, s.created_at, ");
            columns.append(&site_status_facts()).push(&format!(", {sort_key} as sort_key, s.created_at as sort_time"));
            columns
        },
        from: "sites s",
        filter,
        key_sql,
        id_sql: "s.id",
        kind,
        desc: q.desc,
    };
    let page = fetch_page::<SiteListRow>(db, &list, q, total).await?;
    let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    let mut device_counts = site_device_counts(db, counts, &ids).await?.into_iter();
    Ok(page.map_rows(|r| SiteRow {
        device_count: device_counts.next().unwrap_or(0),
        status: SiteStatus::derive(r.archived, r.any_online, r.any_error),
        id: r.id,
        site_id: r.site_id,
        name: r.name,
        location: r.location,
        archived: r.archived,
        created_at: r.created_at,
    }))
}

/// The active devices of each site in `ids`, in order: from the cache while fresh, the rest in
/// one grouped read of the devices' site index. Counting in the page's own query read every
/// device of 25 sites per view, more than half of PostgreSQL's work for the sites list.
async fn site_device_counts(db: &Db, counts: &CountCache, ids: &[i64]) -> DbResult<Vec<i64>> {
    let cached = counts.site_devices(ids);
    let missing: Vec<i64> = ids.iter().zip(&cached).filter(|(_, n)| n.is_none()).map(|(id, _)| *id).collect();
    let mut counted = std::collections::HashMap::new();
    if !missing.is_empty() {
        let generation = counts.generation(Domain::Fleet);
        let mut sql = Sql::new("select d.site_id, count(*) from devices d where d.active and d.site_id in (");
        for (n, id) in missing.iter().enumerate() {
            sql.push(if n == 0 { "" } else { ", " }).bind(*id);
        }
        sql.push(") group by d.site_id");
        counted = read_all::<(i64, i64)>(db, sql).await?.into_iter().collect();
        // A site with no active devices has no group: it counts as zero.
        counts.put_site_devices(
            missing.iter().map(|id| (*id, counted.get(id).copied().unwrap_or(0).max(0) as u64)),
            generation,
        );
    }
    let from_db = |id: &i64| counted.get(id).copied().unwrap_or(0);
    Ok(ids.iter().zip(cached).map(|(id, n)| n.map(|n| n as i64).unwrap_or_else(|| from_db(id))).collect())
}

crate::db::engine::inline::row! {
    struct SiteDetailRow {
        id: i64,
        site_id: String,
        name: String,
        description: String,
        location: String,
        latitude: Option<f64>,
        longitude: Option<f64>,
        archived: bool,
        created_at: Timestamp,
        updated_at: Timestamp,
        device_count: i64,
        any_online: bool,
        any_error: bool,
        healthy_count: i64,
    }
}

/// A site by its human key (`site-00042`), with its health figures.
#[tracing::instrument(level = "debug", skip_all, fields(site_id))]
pub async fn get_site(db: &Db, site_id: &str) -> DbResult<Option<SiteDetail>> {
    let mut sql = Sql::new(&format!(
        "select s.id, s.site_id, s.name, s.description, s.location, s.latitude, s.longitude, s.archived, \
         s.created_at, s.updated_at, {DEVICE_COUNT}, "
    ));
    sql.append(&site_status_facts()).push(
        ", (select count(*) from devices d where d.site_id = s.id and d.active and d.status = 'online') \
         as healthy_count from sites s where s.site_id = ",
    );
    sql.bind(site_id);
    let row: Option<SiteDetailRow> = read_optional(db, sql).await?;
    Ok(row.map(|r| SiteDetail {
        status: SiteStatus::derive(r.archived, r.any_online, r.any_error),
        id: r.id,
        site_id: r.site_id,
        name: r.name,
        description: r.description,
        location: r.location,
        latitude: r.latitude,
        longitude: r.longitude,
        archived: r.archived,
        created_at: r.created_at,
        updated_at: r.updated_at,
        device_count: r.device_count,
        healthy_count: r.healthy_count,
    }))
}

/// One page of a site's active devices, by device_id; the site's device count is the total.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_site_devices(db: &Db, site: &SiteDetail, q: &ListQuery) -> DbResult<Page<DeviceRow>> {
    let mut filter = Sql::new("where d.active and d.site_id = ");
    filter.bind(site.id);
    let list = KeysetList {
        columns: device_columns("d.device_id"),
        from: DEVICES_FROM,
        filter,
        key_sql: "d.device_id",
        id_sql: "d.id",
        kind: KeyKind::Text,
        desc: q.desc,
    };
    let total = site.device_count.max(0) as u64;
    Ok(fetch_page::<DeviceListRow>(db, &list, q, total).await?.map_rows(DeviceRow::from))
}

/// Counts for the home page: sites (active and archived) and active devices by status. The
/// group-by reads every device, so its result is cached like list totals.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fleet_summary(db: &Db, counts: &CountCache) -> DbResult<FleetSummary> {
    let sites = fetch_count(db, Sql::new("select count(*) from sites where not archived")).await?;
    let archived_sites = fetch_count(db, Sql::new("select count(*) from sites where archived")).await?;
    let counted = device_status_counts(db, counts).await?;
    let by_status: Vec<(String, i64)> = DEVICE_STATUSES
        .iter()
        .map(|s| (s.to_string(), counted.iter().find(|(k, _)| k == s).map(|(_, n)| *n).unwrap_or(0)))
        .collect();
    let devices = by_status.iter().map(|(_, n)| n).sum();
    Ok(FleetSummary { sites, archived_sites, devices, by_status, now: Timestamp::now() })
}

/// (status, count) of active devices, from the cache while fresh.
async fn device_status_counts(db: &Db, counts: &CountCache) -> DbResult<Vec<(String, i64)>> {
    let cached: Option<Vec<(String, i64)>> = DEVICE_STATUSES
        .iter()
        .map(|s| counts.get(&CountKey::ActiveDevicesWithStatus(s)).map(|n| (s.to_string(), n as i64)))
        .collect();
    if let Some(cached) = cached {
        return Ok(cached);
    }
    let generation = counts.generation(Domain::Fleet);
    let counted: Vec<(String, i64)> =
        fetch_all(db, Sql::new("select status, count(*) from devices where active group by status")).await?;
    for status in DEVICE_STATUSES {
        let n = counted.iter().find(|(k, _)| k == status).map(|(_, n)| *n).unwrap_or(0);
        counts.put(CountKey::ActiveDevicesWithStatus(status), n.max(0) as u64, generation);
    }
    Ok(counted)
}
