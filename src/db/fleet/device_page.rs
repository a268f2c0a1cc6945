//! One device: its details, its paged health-check history and the points of its chart.
use sqlx::types::Json;

use crate::db::engine::counts::CountCache;
use crate::db::engine::keyset::{fetch_page_counting, KeyKind, Keyed, KeysetList};
use crate::db::engine::{run::read_all, run::read_count, run::read_optional, sql::Sql};
use crate::db::engine::{Db, DbResult};
use crate::model::fleet::device::{BucketSums, ChartRange, DeviceDetail, HealthCheckRow, ResponseChart};
use crate::model::platform::day_range::TimeSpan;
use crate::model::platform::page::{Cursor, ListQuery, Page};
use crate::model::platform::time::Timestamp;

crate::db::engine::inline::row! {
    struct DeviceDetailRow {
        id: i64,
        device_id: String,
        name: String,
        device_type: String,
        status: String,
        site: String,
        site_name: String,
        ip_address: Option<String>,
        mac_address: Option<String>,
        firmware_version: String,
        last_seen: Option<Timestamp>,
        config: Json<serde_json::Value>,
        active: bool,
        created_at: Timestamp,
        updated_at: Timestamp,
    }
}

/// A device by its `device_id`, active or not.
#[tracing::instrument(level = "debug", skip_all, fields(device_id))]
pub async fn get_device(db: &Db, device_id: &str) -> DbResult<Option<DeviceDetail>> {
    let mut sql = Sql::new(
        "select d.id, d.device_id, d.name, d.device_type, d.status, s.site_id as site, s.name as site_name, \
         d.ip_address, d.mac_address, d.firmware_version, d.last_seen, d.config, d.active, d.created_at, \
         d.updated_at from devices d join sites s on s.id = d.site_id where d.device_id = ",
    );
    sql.bind(device_id);
    let row: Option<DeviceDetailRow> = read_optional(db, sql).await?;
    Ok(row.map(|r| DeviceDetail {
        config_pretty: serde_json::to_string_pretty(&r.config.0).unwrap_or_else(|_| "{}".to_string()),
        id: r.id,
        device_id: r.device_id,
        name: r.name,
        device_type: r.device_type,
        status: r.status,
        site: r.site,
        site_name: r.site_name,
        ip_address: r.ip_address.unwrap_or_default(),
        mac_address: r.mac_address.unwrap_or_default(),
        firmware_version: r.firmware_version,
        last_seen: r.last_seen,
        active: r.active,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }))
}

crate::db::engine::inline::row! {
    struct CheckRow {
        id: i64,
        is_healthy: bool,
        response_time_ms: i64,
        status_code: i64,
        endpoint: String,
        error_message: Option<String>,
        checked_at: Timestamp,
    }
}

impl Keyed for CheckRow {
    fn cursor(&self) -> Cursor {
        Cursor { id: self.id, key: self.checked_at.rfc3339() }
    }
}

/// One page of a device's health checks within `span`, newest first (the URL may ask for oldest
/// first). A first page that holds them all is its own total; else the count of all the
/// device's checks comes from `counts`, where it may lag new checks by `COUNT_TTL` (a busy
/// device's month of checks took 23 ms to count). Within a span it is counted on the index.
#[tracing::instrument(level = "debug", skip_all, fields(device_pk))]
pub async fn list_device_checks(
    db: &Db,
    counts: &CountCache,
    device_pk: i64,
    span: TimeSpan,
    q: &ListQuery,
) -> DbResult<Page<HealthCheckRow>> {
    let mut filter = Sql::new("where h.device_id = ");
    filter.bind(device_pk);
    if let Some(since) = span.since {
        filter.push(" and h.checked_at >= ").bind(since);
    }
    if let Some(until) = span.until {
        filter.push(" and h.checked_at < ").bind(until);
    }
    let whole = span == TimeSpan::default();
    let count = Sql::count_of("health_checks h", &filter);
    let list = KeysetList {
        columns: Sql::new(
            "h.id, h.is_healthy, h.response_time_ms, h.status_code, h.endpoint, h.error_message, h.checked_at",
        ),
        from: "health_checks h",
        filter,
        key_sql: "h.checked_at",
        id_sql: "h.id",
        kind: KeyKind::Time,
        desc: q.sort != "oldest",
    };
    let total = async {
        if let Some(total) = counts.device_checks(device_pk).filter(|_| whole) {
            return Ok(total);
        }
        let generation = counts.generation(crate::db::engine::generations::Domain::Fleet);
        let total = read_count(db, count).await?.max(0) as u64;
        if whole {
            counts.put_device_checks(device_pk, total, generation);
        }
        Ok(total)
    };
    let page = fetch_page_counting::<CheckRow, _>(db, &list, q, total).await?;
    Ok(page.map_rows(|r| HealthCheckRow {
        id: r.id,
        is_healthy: r.is_healthy,
        response_time_ms: r.response_time_ms,
        status_code: r.status_code,
        endpoint: r.endpoint,
        error_message: r.error_message.unwrap_or_default(),
        checked_at: r.checked_at,
    }))
}

crate::db::engine::inline::row! {
    struct EndsRow {
        first: Option<Timestamp>,
        last: Option<Timestamp>,
    }
}

/// The times of a device's first and last health check (two ends of its index).
#[tracing::instrument(level = "debug", skip_all, fields(device_pk))]
pub async fn check_ends(db: &Db, device_pk: i64) -> DbResult<(Option<Timestamp>, Option<Timestamp>)> {
    // Two subqueries: SQLite reads one end of an index only for a lone min() or max(); both in
    // one select read every check of the device.
    let mut sql = Sql::new("select (select min(checked_at) from health_checks where device_id = ");
    sql.bind(device_pk);
    sql.push(") as first, (select max(checked_at) from health_checks where device_id = ")
        .bind(device_pk)
        .push(") as last");
    let ends = read_optional::<EndsRow>(db, sql).await?;
    Ok(ends.map_or((None, None), |e| (e.first, e.last)))
}

crate::db::engine::inline::row! {
    /// One chart bucket as the database sums it: `bucket` counts bucket widths from the window's start.
    struct BucketSumRow {
        bucket: i64,
        checks: i64,
        unhealthy: i64,
        total_ms: i64,
        max_ms: i64,
    }
}

/// The response-time chart of one device over `range`, ending now. The database sums each
/// bucket: a device reporting every 30 s has 86,400 checks in 30 days, and sending them all to
/// be summed here took the server 33-41 ms of CPU per view on PostgreSQL.
#[tracing::instrument(level = "debug", skip_all, fields(device_pk))]
pub async fn response_chart(db: &Db, device_pk: i64, range: ChartRange) -> DbResult<ResponseChart> {
    let to = Timestamp::now();
    let from = to.plus_secs(-range.seconds());
    // A check at the window's end (`to`) falls into the last bucket, not one past it. On
    // PostgreSQL `date_part` is floating point: `extract` is numeric, and numeric arithmetic on
    // 86,400 checks took 60 against 43 ms.
    let (open, close) = match db {
        Db::Postgres(..) => ("select cast(floor((date_part('epoch', checked_at) - 1 - ", ") as bigint)"),
        Db::Sqlite(..) => ("select ((unixepoch(checked_at) - 1 - ", ")"),
    };
    let mut sql = Sql::new(open);
    sql.bind(from.unix()).push(") / ").push_int(range.bucket_seconds()).push(close);
    sql.push(
        " as bucket, count(*) as checks, \
         cast(sum(case when is_healthy then 0 else 1 end) as bigint) as unhealthy, \
         cast(sum(response_time_ms) as bigint) as total_ms, cast(max(response_time_ms) as bigint) as max_ms \
         from health_checks where device_id = ",
    );
    sql.bind(device_pk).push(" and checked_at > ");
    match db {
        // With the window's start bound, PostgreSQL planned the statement anew on every view
        // (0.15-0.4 ms, probing the index for the newest check, against 0.02 ms to run it).
        // Written as the database clock's now() less the range's fixed length, the statement
        // keeps one plan. Clocks that disagree by seconds only move checks at the window's
        // edges, and the chart drops any bucket outside its own window.
        Db::Postgres(..) => {
            sql.push("now() - interval '1 second' * ").push_int(range.seconds()).push(" and checked_at <= now()")
        }
        Db::Sqlite(..) => sql.bind(from).push(" and checked_at <= ").bind(to),
    };
    // No `order by`: PostgreSQL then sums in a hash table instead of sorting every check first
    // (on disk, for a month of a busy device); `from_sums` puts the buckets in order.
    sql.push(" group by 1");
    let rows: Vec<BucketSumRow> = read_all(db, sql).await?;
    let sums = rows.into_iter().map(|r| BucketSums {
        index: r.bucket,
        checks: r.checks,
        unhealthy: r.unhealthy,
        total_ms: r.total_ms,
        max_ms: r.max_ms,
    });
    Ok(ResponseChart::from_sums(range, to, sums))
}
