//! Bearer tokens for the device health API. A token is shown once; only its SHA-256 is kept,
//! which is enough for 256-bit random tokens (nothing to brute-force, unlike passwords).
use rand::RngCore;

use super::audit::{insert_sql, Actor, AuditEntry};
use super::sql::{fetch_optional, Sql};
use super::{Db, DbError, DbResult, Value};
use crate::model::Timestamp;

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
    super::sha256_hex(token.as_bytes())
}

/// The live token with this text, if any.
pub async fn find_token(db: &Db, token: &str) -> DbResult<Option<TokenScope>> {
    let mut sql = Sql::new("select id, device_id from api_tokens where revoked_at is null and token_hash = ");
    sql.bind(token_hash(token));
    let row: Option<(i64, Option<i64>)> = fetch_optional(db, sql).await?;
    Ok(row.map(|(token_id, device)| TokenScope { token_id, device }))
}

fn insert_token(hash: String, device: Option<i64>, label: &str, actor: &Actor) -> Sql {
    let mut sql = Sql::new("insert into api_tokens (token_hash, device_id, label, created_by, created_at) values (");
    sql.bind(hash).push(", ").bind(Value::OptInt(device)).push(", ").bind(label).push(", ");
    sql.bind(actor.name.as_str()).push(", ").bind(Timestamp::now()).push(")");
    sql
}

/// Creates a device's token, revoking any it had. Returns the token (shown once).
pub async fn rotate_device_token(db: &Db, actor: &Actor, device_key: &str) -> DbResult<String> {
    let token = new_token();
    let hash = token_hash(&token);
    let now = Timestamp::now();
    let entry = AuditEntry::new("device.token_rotated", "device", device_key);
    crate::in_tx!(db, |tx| {
        let pk: Option<i64> = sqlx::query_scalar("select id from devices where device_id = $1")
            .bind(device_key)
            .fetch_optional(&mut *tx)
            .await?;
        let pk = pk.ok_or(DbError::NotFound)?;
        let mut revoke = Sql::new("update api_tokens set revoked_at = ");
        revoke.bind(now).push(" where revoked_at is null and device_id = ").bind(pk);
        crate::execute_sql!(&mut *tx, revoke);
        crate::execute_sql!(&mut *tx, insert_token(hash, Some(pk), device_key, actor));
        crate::execute_sql!(&mut *tx, insert_sql(actor, entry));
    });
    Ok(token)
}

/// Creates a collector token that may report for any device. Returns the token (shown once).
pub async fn create_collector_token(db: &Db, actor: &Actor, label: &str) -> DbResult<String> {
    let token = new_token();
    let insert = insert_token(token_hash(&token), None, label, actor);
    let entry = AuditEntry::new("api_token.created", "api_token", label);
    crate::in_tx!(db, |tx| {
        crate::execute_sql!(&mut *tx, insert);
        crate::execute_sql!(&mut *tx, insert_sql(actor, entry));
    });
    Ok(token)
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
