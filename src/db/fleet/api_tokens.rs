//! Bearer tokens for the device health API. A token is shown once; only its SHA-256 is kept,
//! which is enough for 256-bit random tokens (nothing to brute-force, unlike passwords).
use rand::RngCore;

use crate::db::engine::{run::read_optional, sql::Sql};
use crate::db::engine::{Db, DbResult, Value};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::admin::accounts::TokenRow;
use crate::model::platform::time::Timestamp;

/// What a token may report for: one device (`Some(pk)`), or every device (a collector).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenScope {
    pub token_id: i64,
    pub device: Option<i64>,
}

/// A fresh token: `brt_` and 64 hex digits.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("brt_{hex}")
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    crate::db::engine::sha256_hex(token.as_bytes())
}

/// The live token with this text, if any (inline on SQLite: every API call asks).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_token(db: &Db, token: &str) -> DbResult<Option<TokenScope>> {
    let mut sql = Sql::new("select id, device_id from api_tokens where revoked_at is null and token_hash = ");
    sql.bind(token_hash(token));
    let row: Option<(i64, Option<i64>)> = read_optional(db, sql).await?;
    Ok(row.map(|(token_id, device)| TokenScope { token_id, device }))
}

fn insert_token(hash: String, device: Option<i64>, label: &str, actor: &Actor) -> Sql {
    let mut sql = Sql::new("insert into api_tokens (token_hash, device_id, label, created_by, created_at) values (");
    sql.bind(hash).push(", ").bind(Value::OptInt(device)).push(", ").bind(label).push(", ");
    sql.bind(actor.name.as_str()).push(", ").bind(Timestamp::now()).push(")");
    sql
}

/// Creates a device's token, revoking any it had. Returns the token (shown once).
#[tracing::instrument(level = "debug", skip_all, fields(device_key))]
pub async fn rotate_device_token(db: &Db, actor: &Actor, device_key: &str) -> DbResult<String> {
    let token = new_token();
    let hash = token_hash(&token);
    let now = Timestamp::now();
    let entry = AuditEntry::new("device.token_rotated", "device", device_key);
    let mut tx = db.begin_write().await?;
    let mut find = Sql::new("select id from devices where device_id = ");
    find.bind(device_key);
    let (pk,): (i64,) = tx.fetch_one(find).await?;
    let mut revoke = Sql::new("update api_tokens set revoked_at = ");
    revoke.bind(now).push(" where revoked_at is null and device_id = ").bind(pk);
    tx.execute(revoke).await?;
    tx.execute(insert_token(hash, Some(pk), device_key, actor)).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(token)
}

/// Creates a collector token that may report for any device. Returns the token (shown once).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_collector_token(db: &Db, actor: &Actor, label: &str) -> DbResult<String> {
    let token = new_token();
    let insert = insert_token(token_hash(&token), None, label, actor);
    let entry = AuditEntry::new("api_token.created", "api_token", label);
    let mut tx = db.begin_write().await?;
    tx.execute(insert).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(token)
}

/// The newest tokens first, at most this many (a chain has one per device, plus collectors).
const LISTED: i64 = 500;

/// Tokens, newest first: one device's (by its key) or every one; revoked ones only if asked.
#[tracing::instrument(level = "debug", skip_all, fields(device_key))]
pub async fn list_tokens(db: &Db, device_key: Option<&str>, with_revoked: bool) -> DbResult<Vec<TokenRow>> {
    let mut sql = Sql::new(
        "select t.id, d.device_id, t.label, t.created_by, t.created_at, t.revoked_at \
         from api_tokens t left join devices d on d.id = t.device_id where 1 = 1",
    );
    if let Some(key) = device_key {
        sql.push(" and d.device_id = ").bind(key);
    }
    if !with_revoked {
        sql.push(" and t.revoked_at is null");
    }
    sql.push(" order by t.id desc limit ").push_int(LISTED);
    type Row = (i64, Option<String>, String, String, Timestamp, Option<Timestamp>);
    let rows: Vec<Row> = crate::db::engine::run::fetch_all(db, sql).await?;
    Ok(rows
        .into_iter()
        .map(|(id, device_id, label, created_by, created_at, revoked_at)| TokenRow {
            id,
            device_id,
            label,
            created_by,
            created_at,
            revoked_at,
        })
        .collect())
}

/// Revokes a live token, audited in the same transaction. With `device_key`, only a token of
/// that device. `false` when no live token matched (already revoked, or not this device's).
#[tracing::instrument(level = "debug", skip_all, fields(id, device_key))]
pub async fn revoke_token(db: &Db, actor: &Actor, id: i64, device_key: Option<&str>) -> DbResult<bool> {
    let mut revoke = Sql::new("update api_tokens set revoked_at = ");
    revoke.bind(Timestamp::now()).push(" where revoked_at is null and id = ").bind(id);
    if let Some(key) = device_key {
        revoke.push(" and device_id = (select id from devices where device_id = ").bind(key).push(")");
    }
    let entry =
        AuditEntry::new("api_token.revoked", "api_token", id).with_new(serde_json::json!({"device": device_key}));
    let mut tx = db.begin_write().await?;
    let n = tx.execute(revoke.clone()).await?;
    if n > 0 {
        audit::append(&mut tx, actor, entry.clone()).await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (super::new_token(), super::new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(super::token_hash(&a).len(), 64);
        assert_ne!(super::token_hash(&a), a);
    }
}
