//! What the home page says needs attention in the fleet: devices in error and sites whose
//! devices have all gone silent.
use crate::db::engine::run::fetch_all;
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::platform::home::{AttentionDevice, AttentionSite};
use crate::model::platform::time::Timestamp;

/// The first `limit` active devices in error, by device id (the status index's order).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn error_devices(db: &Db, limit: usize) -> DbResult<Vec<AttentionDevice>> {
    let mut sql = Sql::new(
        "select d.device_id, d.name, s.site_id, d.last_seen from devices d join sites s on s.id = d.site_id \
         where d.status = 'error' and d.active order by d.device_id limit ",
    );
    sql.push_int(limit as i64);
    let rows: Vec<(String, String, String, Option<Timestamp>)> = fetch_all(db, sql).await?;
    Ok(rows
        .into_iter()
        .map(|(device_id, name, site_id, last_seen)| AttentionDevice { device_id, name, site_id, last_seen })
        .collect())
}

/// Up to `limit` active sites with devices of which none is online or in error, by site id.
/// Each fact is one probe of the (site, status, active) index, as on the sites list.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn offline_sites(db: &Db, limit: usize) -> DbResult<Vec<AttentionSite>> {
    let mut sql = Sql::new(
        "select s.site_id, s.name from sites s where not s.archived \
         and (select 1 from devices d where d.site_id = s.id and d.active limit 1) is not null \
         and (select 1 from devices d where d.site_id = s.id and d.active and d.status = 'online' limit 1) is null \
         and (select 1 from devices d where d.site_id = s.id and d.active and d.status = 'error' limit 1) is null \
         order by s.site_id limit ",
    );
    sql.push_int(limit as i64);
    let rows: Vec<(String, String)> = fetch_all(db, sql).await?;
    Ok(rows.into_iter().map(|(site_id, name)| AttentionSite { site_id, name }).collect())
}
