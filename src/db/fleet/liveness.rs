//! The ageing half of `model::fleet::liveness`: online devices whose newest check has left the
//! freshness window turn offline, found on the index of online devices (`devices_online_seen`).
use crate::db::engine::run::fetch_optional;
use crate::db::engine::sql::Sql;
use crate::db::engine::{Db, DbResult};
use crate::model::platform::time::Timestamp;

/// Devices turned offline per transaction: a seeded or long-stopped fleet may age out a million
/// at once, and short transactions let health checks interleave between them.
const AGE_BATCH: i64 = 5_000;

/// Turns online devices last seen before `live_since` offline; returns how many turned.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn age_out(db: &Db, live_since: Timestamp) -> DbResult<u64> {
    let mut total = 0;
    loop {
        // The outer condition repeats the inner one: on PostgreSQL a device whose check
        // committed while this ran is re-read and then left alone.
        let sql = Sql::with(
            "update devices set status = 'offline' where status = 'online' and (last_seen is null or last_seen < $1) \
             and id in (select id from devices where status = 'online' and (last_seen is null or last_seen < $2) \
             limit $3)",
            [live_since.into(), live_since.into(), AGE_BATCH.into()],
        );
        let mut tx = db.begin_write().await?;
        let turned = tx.execute(sql).await?;
        tx.commit().await?;
        total += turned;
        if turned < AGE_BATCH as u64 {
            return Ok(total);
        }
    }
}

/// The oldest last report among online devices: the next one to leave the window.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn oldest_online(db: &Db) -> DbResult<Option<Timestamp>> {
    let sql = Sql::new(
        "select last_seen from devices where status = 'online' and last_seen is not null order by last_seen limit 1",
    );
    Ok(fetch_optional::<(Timestamp,)>(db, sql).await?.map(|(at,)| at))
}
