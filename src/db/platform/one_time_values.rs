//! The rows behind `auth::one_time`: one sealed value per session and name, taken (deleted and
//! returned in one statement, so two pages racing for it cannot both show it) by the session's
//! next page on any server.
use crate::db::engine::{Db, DbResult, Sql, Value};

/// Keeps `sealed` under `name` for the session stored as `session_key`, replacing an older one.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn put(db: &Db, session_key: &str, name: &str, sealed: &str, now_unix: i64) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    tx.execute(Sql::with(
        "insert into one_time_values (session_id, name, sealed, created_at) values ($1, $2, $3, $4) \
         on conflict (session_id, name) do update set sealed = excluded.sealed, created_at = excluded.created_at",
        [Value::from(session_key), Value::from(name), Value::from(sealed), Value::from(now_unix)],
    ))
    .await?;
    tx.commit().await
}

/// The sealed value under `name` if it was put at `since_unix` or later, deleted as it is read
/// (an older one is deleted too, and not returned).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn take(db: &Db, session_key: &str, name: &str, since_unix: i64) -> DbResult<Option<String>> {
    let mut tx = db.begin_write().await?;
    let taken: Option<(String, i64)> = tx
        .fetch_optional(Sql::with(
            "delete from one_time_values where session_id = $1 and name = $2 returning sealed, created_at",
            [Value::from(session_key), Value::from(name)],
        ))
        .await?;
    tx.commit().await?;
    Ok(taken.filter(|(_, at)| *at >= since_unix).map(|(sealed, _)| sealed))
}

/// The sealed value under `name` if it was put at `since_unix` or later, left in place.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn read(db: &Db, session_key: &str, name: &str, since_unix: i64) -> DbResult<Option<String>> {
    let sql = Sql::with(
        "select sealed from one_time_values where session_id = $1 and name = $2 and created_at >= $3",
        [Value::from(session_key), Value::from(name), Value::from(since_unix)],
    );
    Ok(crate::db::engine::run::fetch_optional::<(String,)>(db, sql).await?.map(|(sealed,)| sealed))
}

/// Deletes the values put before `before_unix` that nobody took.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sweep(db: &Db, before_unix: i64) -> DbResult<u64> {
    let mut tx = db.begin_write().await?;
    let removed =
        tx.execute(Sql::with("delete from one_time_values where created_at < $1", [Value::from(before_unix)])).await?;
    tx.commit().await?;
    Ok(removed)
}
