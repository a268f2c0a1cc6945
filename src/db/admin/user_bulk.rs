//! Many users at once from the users table: their names for the confirmation, and deactivation
//! in one transaction with an audit row for each user it changed (and their sessions ended).
use crate::db::admin::user_admin::{end_sessions, lock_admins, refuse_no_admin_left};
use crate::db::engine::run::fetch_all;
use crate::db::engine::{Db, DbResult, Sql, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::platform::bulk::BulkOutcome;
use crate::model::platform::time::Timestamp;
use serde_json::json;

fn in_list(mut sql: Sql, ids: &[i64]) -> Sql {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
    sql.push(") order by username");
    sql
}

/// (id, username) of those of `ids` that exist.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn names(db: &Db, ids: &[i64]) -> DbResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new()); // `in ()` is an error on PostgreSQL
    }
    fetch_all(db, in_list(Sql::new("select id, username from users where id in ("), ids)).await
}

/// Deactivates the users `ids` that are active and ends their sessions (AS-8); `LastAdmin`, and
/// nothing written, when no active admin would be left.
#[tracing::instrument(level = "debug", skip_all, fields(users = ids.len()))]
pub async fn deactivate(db: &Db, actor: &Actor, ids: &[i64]) -> DbResult<BulkOutcome> {
    let mut tx = db.begin_write().await?;
    tx.execute(lock_admins()).await?;
    let found = read_states(&mut tx, ids).await?;
    let mut outcome = BulkOutcome {
        missing: ids.iter().filter(|id| !found.iter().any(|f| f.0 == **id)).map(i64::to_string).collect(),
        ..Default::default()
    };
    let now = Timestamp::now();
    for (id, active) in found {
        if !active {
            outcome.unchanged += 1;
            continue;
        }
        let mut sql = Sql::new("update users set active = ");
        sql.bind(false).push(", updated_at = ").bind(now).push(" where id = ").bind(id);
        tx.execute(sql).await?;
        let entry = AuditEntry::new("user.updated", "user", id)
            .with_changes(&json!({"active": true}), &json!({"active": false}));
        audit::append(&mut tx, actor, entry).await?;
        end_sessions(&mut tx, id, None).await?;
        outcome.changed += 1;
    }
    refuse_no_admin_left(&mut tx).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn read_states(tx: &mut Tx, ids: &[i64]) -> DbResult<Vec<(i64, bool)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    tx.fetch_all(in_list(Sql::new("select id, active from users where id in ("), ids)).await
}
