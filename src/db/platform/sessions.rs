//! Server-side sessions: the tower-sessions `SessionStore` over `Db`. Rows are keyed by the
//! SHA-256 of the session id and carry user_id, ip and user agent so admins can list and revoke.
//! On PostgreSQL a session read lately is answered from memory until any change to the sessions
//! table is announced (`session_watch`); on SQLite its row is read on every request.
use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::engine::{Db, DbResult};
use crate::db::platform::session_memory::{RecentSessions, SessionData};
use crate::db::platform::session_watch::SessionWatch;
use crate::model::platform::time::Timestamp;

/// The session-data key under which the logged-in user is kept.
pub const AUTH_KEY: &str = "auth";

/// What a logged-in session holds. `login_at` drives the absolute timeout.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SessionAuth {
    pub user_id: i64,
    pub login_at: i64,
    pub ip: String,
    pub user_agent: String,
}

/// A session whose data is unchanged is written back at most this often: the sliding expiry then
/// moves in steps of a minute, and a page view costs no database write.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
    recent: Arc<RecentSessions>,
    watch: SessionWatch,
}

impl DbSessionStore {
    /// `watch` says when a remembered session may answer a load (PostgreSQL's notifications).
    pub fn new(db: Db, watch: SessionWatch) -> Self {
        Self { db, recent: Arc::default(), watch }
    }
}

/// The stored row id of a session: SHA-256 of its cookie id.
pub fn row_key(id: &Id) -> String {
    crate::db::engine::sha256_hex(id.to_string().as_bytes())
}

fn record(id: Id, data: SessionData, expires: i64) -> session_store::Result<Record> {
    let expiry_date = OffsetDateTime::from_unix_timestamp(expires).map_err(backend)?;
    Ok(Record { id, data, expiry_date })
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

struct RowValues {
    key: String,
    user_id: Option<i64>,
    data: String,
    now: Timestamp,
    expires: Timestamp,
    ip: String,
    user_agent: String,
}

fn row_values(record: &Record, key: String) -> session_store::Result<RowValues> {
    let auth = record.data.get(AUTH_KEY).and_then(|v| SessionAuth::deserialize(v).ok());
    Ok(RowValues {
        key,
        user_id: auth.as_ref().map(|a| a.user_id),
        data: serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?,
        now: Timestamp::now(),
        expires: Timestamp::from(record.expiry_date),
        ip: auth.as_ref().map(|a| a.ip.clone()).unwrap_or_default(),
        user_agent: auth.map(|a| a.user_agent).unwrap_or_default(),
    })
}

const INSERT: &str = "insert into sessions (id, user_id, data, created_at, last_seen_at, expires_at, ip, user_agent) \
     values ($1, $2, $3, $4, $4, $5, $6, $7) on conflict (id) do nothing";

/// Only an existing row is updated: a save that finishes after a logout or an admin's revoke
/// deleted the row must not bring the session back.
const UPDATE: &str = "update sessions set user_id = $2, data = $3, last_seen_at = $4, expires_at = $5, ip = $6, \
     user_agent = $7 where id = $1";

/// Inserts a new row (`INSERT`) or updates an existing one (`UPDATE`); the rows it changed.
async fn write(db: &Db, sql: &'static str, v: &RowValues) -> DbResult<u64> {
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query(sql)
        .bind(&v.key)
        .bind(v.user_id)
        .bind(&v.data)
        .bind(v.now)
        .bind(v.expires)
        .bind(&v.ip)
        .bind(&v.user_agent)
        .execute(pool)
        .await?
        .rows_affected()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id colliding is astronomically unlikely, but never overwrite one.
        loop {
            let values = row_values(record, row_key(&record.id))?;
            if write(&self.db, INSERT, &values).await.map_err(backend)? == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let key = row_key(&record.id);
        let expires = record.expiry_date.unix_timestamp();
        if self.recent.is_fresh(&key, &record.data, expires, TOUCH_EVERY_SECS) {
            return Ok(());
        }
        let generation = self.watch.current();
        let values = row_values(record, key)?;
        if write(&self.db, UPDATE, &values).await.map_err(backend)? == 0 {
            self.recent.forget(&values.key);
            return Ok(());
        }
        self.recent.remember(&values.key, record.data.clone(), expires, generation);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let key = row_key(id);
        let now = Timestamp::now();
        let generation = self.watch.current();
        if let Some((data, expires)) = generation.and_then(|g| self.recent.answer(&key, g, now.unix())) {
            return record(*id, data, expires).map(Some);
        }
        let mut sql = crate::db::engine::Sql::new("select data, expires_at from sessions where id = ");
        sql.bind(key.as_str()).push(" and expires_at > ").bind(now);
        let row: Option<(String, Timestamp)> =
            crate::db::engine::run::read_optional(&self.db, sql).await.map_err(backend)?;
        let Some((data, expires)) = row else {
            self.recent.forget(&key);
            return Ok(None);
        };
        let data: SessionData = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        self.recent.remember(&key, data.clone(), expires.unix(), generation);
        record(*id, data, expires.unix()).map(Some)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.recent.forget(&row_key(id));
        let sql = "delete from sessions where id = $1";
        crate::db::engine::on_db!(&self.db, |pool| sqlx::query(sql)
            .bind(row_key(id))
            .execute(pool)
            .await
            .map_err(backend)?
            .rows_affected());
        Ok(())
    }
}

/// Ends every session of a user, except the one whose cookie id is `keep` (if any).
#[tracing::instrument(level = "debug", skip_all, fields(user_id))]
pub async fn end_user_sessions(db: &Db, user_id: i64, keep: Option<&Id>) -> DbResult<u64> {
    let keep_key = keep.map(row_key).unwrap_or_default();
    let sql = "delete from sessions where user_id = $1 and id <> $2";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query(sql)
        .bind(user_id)
        .bind(&keep_key)
        .execute(pool)
        .await?
        .rows_affected()))
}

/// Deletes sessions past their idle expiry or older than the absolute lifetime.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sweep(db: &Db, now: Timestamp, absolute_secs: i64) -> DbResult<u64> {
    let born_before = now.plus_secs(-absolute_secs);
    let sql = "delete from sessions where expires_at <= $1 or created_at <= $2";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query(sql)
        .bind(now)
        .bind(born_before)
        .execute(pool)
        .await?
        .rows_affected()))
}

/// Live sessions of one user (tests; the sessions pages build on it).
#[tracing::instrument(level = "debug", skip_all, fields(user_id))]
pub async fn count_for_user(db: &Db, user_id: i64) -> DbResult<i64> {
    let sql = "select count(*) from sessions where user_id = $1 and expires_at > $2";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(Timestamp::now())
        .fetch_one(pool)
        .await?))
}
