//! The append-only audit log: inserts only. There is deliberately no update or delete here.
use serde_json::Value as Json;

use crate::db::engine::generations::Domain;
use crate::db::engine::{Db, DbError, DbResult, Sql, Tx, Value};
use crate::model::platform::time::Timestamp;

/// Who did something, and from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub ip: String,
    pub user_agent: String,
}

/// One audit event, written in the same transaction as the change it records.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub event_type: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub old_values: Option<Json>,
    pub new_values: Option<Json>,
}

impl AuditEntry {
    pub fn new(event_type: &'static str, entity_type: &'static str, entity_id: impl ToString) -> Self {
        Self { event_type, entity_type, entity_id: entity_id.to_string(), old_values: None, new_values: None }
    }

    pub fn with_new(mut self, values: Json) -> Self {
        self.new_values = Some(values);
        self
    }

    /// An edit's values: of the fields in `new`, those whose value differs in `old`, each with
    /// its value before and after (a rename shows both names; an unchanged field is left out).
    pub fn with_changes(mut self, old: &Json, new: &Json) -> Self {
        let (mut before, mut after) = (serde_json::Map::new(), serde_json::Map::new());
        if let Json::Object(fields) = new {
            for (field, value) in fields {
                let was = old.get(field).unwrap_or(&Json::Null);
                if was != value {
                    before.insert(field.clone(), was.clone());
                    after.insert(field.clone(), value.clone());
                }
            }
        }
        self.old_values = Some(Json::Object(before));
        self.new_values = Some(Json::Object(after));
        self
    }
}

/// The insert statement for one entry; run it on the transaction that makes the change.
pub fn insert_sql(actor: &Actor, entry: AuditEntry) -> Sql {
    let mut sql = Sql::new(
        "insert into audit_log (at, actor_id, actor_name, event_type, entity_type, entity_id, \
         old_values, new_values, ip, user_agent) values (",
    );
    sql.bind(Timestamp::now())
        .push(", ")
        .bind(Value::OptInt(actor.user_id))
        .push(", ")
        .bind(actor.name.as_str())
        .push(", ")
        .bind(entry.event_type)
        .push(", ")
        .bind(entry.entity_type)
        .push(", ")
        .bind(entry.entity_id)
        .push(", ")
        .bind(Value::Json(entry.old_values))
        .push(", ")
        .bind(Value::Json(entry.new_values))
        .push(", ")
        .bind(actor.ip.as_str())
        .push(", ")
        .bind(actor.user_agent.as_str())
        .push(")");
    sql
}

/// Appends one entry inside the transaction that makes the change it records.
pub async fn append(tx: &mut Tx, actor: &Actor, entry: AuditEntry) -> DbResult<()> {
    tx.execute(insert_sql(actor, entry)).await?;
    tx.changes(Domain::Admin);
    Ok(())
}

/// One statement that must change a row, with its audit row, in one transaction that drops the
/// counts of `domain`; `NotFound` (and nothing written) when it matched no row.
pub async fn change_one(db: &Db, domain: Domain, sql: Sql, actor: &Actor, entry: AuditEntry) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    tx.changes(domain);
    if tx.execute(sql).await? == 0 {
        return Err(DbError::NotFound);
    }
    append(&mut tx, actor, entry).await?;
    tx.commit().await
}

/// Writes one entry on its own (for events with no other change, such as a failed login). It
/// leaves the audit list's cached total alone: anonymous callers can cause such events at will,
/// and must not make every admin view count the log again; the total may lag them by
/// `COUNT_TTL`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record(db: &Db, actor: &Actor, entry: AuditEntry) -> DbResult<()> {
    let sql = insert_sql(actor, entry);
    crate::db::engine::on_db!(db, |pool| crate::db::engine::run::execute_sql!(pool, sql.clone()));
    Ok(())
}

/// How many events of one type exist (tests and the health page use it).
#[tracing::instrument(level = "debug", skip_all, fields(event_type))]
pub async fn count_events(db: &Db, event_type: &str) -> DbResult<i64> {
    let sql = "select count(*) from audit_log where event_type = $1";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).bind(event_type).fetch_one(pool).await?))
}
