//! Live sessions for the sessions pages: listing (all, or one user's) and revoking.
use sqlx::FromRow;

use crate::db::engine::{run::fetch_all, run::fetch_count};
use crate::db::engine::{Db, DbResult, Sql};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::admin::accounts::SessionRow;
use crate::model::platform::time::Timestamp;

/// The most sessions one page lists; the page says when there are more.
pub const SESSION_LIST_LIMIT: i64 = 500;

#[derive(FromRow)]
struct LiveRow {
    id: String,
    user_id: i64,
    username: String,
    ip: String,
    user_agent: String,
    created_at: Timestamp,
    last_seen_at: Timestamp,
    expires_at: Timestamp,
}

fn live_filter(user_id: Option<i64>) -> Sql {
    let mut sql = Sql::new("from sessions s join users u on u.id = s.user_id where s.expires_at > ");
    sql.bind(Timestamp::now());
    if let Some(id) = user_id {
        sql.push(" and s.user_id = ").bind(id);
    }
    sql
}

/// Logged-in sessions, most recently used first (at most `SESSION_LIST_LIMIT`), and how many
/// there are in all. `current` marks the caller's own session.
#[tracing::instrument(level = "debug", skip_all, fields(user_id))]
pub async fn list_live(db: &Db, user_id: Option<i64>, current: &str) -> DbResult<(Vec<SessionRow>, i64)> {
    let filter = live_filter(user_id);
    let mut count = Sql::new("select count(*) ");
    count.push(&filter.text);
    count.binds = filter.binds.clone();
    let total = fetch_count(db, count).await?;
    let mut list =
        Sql::new("select s.id, s.user_id, u.username, s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at ");
    list.push(&filter.text);
    list.binds = filter.binds;
    list.push(" order by s.last_seen_at desc, s.id limit ").push_int(SESSION_LIST_LIMIT);
    let rows: Vec<LiveRow> = fetch_all(db, list).await?;
    let rows = rows
        .into_iter()
        .map(|r| SessionRow {
            current: r.id == current,
            key: r.id,
            user_id: r.user_id,
            username: r.username,
            ip: r.ip,
            user_agent: r.user_agent,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
        })
        .collect();
    Ok((rows, total))
}

/// Ends one session, only if it belongs to `owner` when one is given (a user revoking their
/// own). Returns whether a session was ended.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke(db: &Db, actor: &Actor, key: &str, owner: Option<i64>) -> DbResult<bool> {
    let mut delete = Sql::new("delete from sessions where id = ");
    delete.bind(key);
    if let Some(owner) = owner {
        delete.push(" and user_id = ").bind(owner);
    }
    let short: String = key.chars().take(12).collect();
    let mut tx = db.begin_write().await?;
    let ended = tx.execute(delete).await?;
    if ended > 0 {
        audit::append(&mut tx, actor, AuditEntry::new("session.revoked", "session", short)).await?;
    }
    tx.commit().await?;
    Ok(ended > 0)
}

/// Ends every session of one user (an admin's "sign out everywhere"), audited.
#[tracing::instrument(level = "debug", skip_all, fields(user_id))]
pub async fn revoke_all(db: &Db, actor: &Actor, user_id: i64) -> DbResult<u64> {
    let mut tx = db.begin_write().await?;
    let ended = tx.execute(Sql::with("delete from sessions where user_id = $1", [user_id.into()])).await?;
    let entry =
        AuditEntry::new("session.revoked_all", "user", user_id).with_new(serde_json::json!({"sessions": ended}));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(ended)
}
