//! Reading the audit log (admins): the filtered, keyset-paged list, one event, and the counts by
//! type for the last day. Reads only; the log is written by `audit` and never changed.
use std::sync::Arc;

use crate::db::engine::keyset::{fetch_page, KeyKind, Keyed, KeysetList};
use crate::db::engine::{count_keys::CountKey, counts::CountCache};
use crate::db::engine::{run::fetch_all, run::fetch_optional};
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::admin::audit::{AuditFilter, AuditRow, EventCount};
use crate::model::platform::page::{Cursor, ListQuery, Page};
use crate::model::platform::time::Timestamp;

/// JSON columns are read as text on both engines (jsonb on PostgreSQL).
const AUDIT_COLUMNS: &str = "a.id, a.at, a.actor_name, a.event_type, a.entity_type, a.entity_id, \
     cast(a.old_values as text) as old_values, cast(a.new_values as text) as new_values, a.ip, a.user_agent";

crate::db::engine::inline::row! {
    struct AuditDbRow {
        id: i64,
        at: Timestamp,
        actor_name: String,
        event_type: String,
        entity_type: String,
        entity_id: String,
        old_values: Option<String>,
        new_values: Option<String>,
        ip: String,
        user_agent: String,
    }
}

impl Keyed for AuditDbRow {
    fn cursor(&self) -> Cursor {
        Cursor { id: self.id, key: self.at.rfc3339() }
    }
}

impl From<AuditDbRow> for AuditRow {
    fn from(r: AuditDbRow) -> Self {
        AuditRow {
            id: r.id,
            at: r.at,
            actor_name: r.actor_name,
            event_type: r.event_type,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            old_values: r.old_values,
            new_values: r.new_values,
            ip: r.ip,
            user_agent: r.user_agent,
        }
    }
}

fn audit_filter(f: &AuditFilter) -> Sql {
    let mut sql = Sql::new("where true");
    if !f.actor.is_empty() {
        sql.push(" and lower(a.actor_name) = ").bind(f.actor.to_lowercase());
    }
    if !f.event.is_empty() {
        sql.push(" and a.event_type = ").bind(f.event.as_str());
    }
    if !f.entity_type.is_empty() {
        sql.push(" and a.entity_type = ").bind(f.entity_type.as_str());
    }
    if !f.entity_id.is_empty() {
        sql.push(" and a.entity_id = ").bind(f.entity_id.as_str());
    }
    if let Some(since) = f.since() {
        sql.push(" and a.at >= ").bind(since);
    }
    if let Some(until) = f.until() {
        sql.push(" and a.at < ").bind(until);
    }
    sql
}

/// One page of events, newest first unless the query asks for oldest first. The total comes from
/// the count cache (`counts`), so a busy log is not counted on every view.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_events(
    db: &Db,
    counts: &Arc<CountCache>,
    f: &AuditFilter,
    q: &ListQuery,
) -> DbResult<Page<AuditRow>> {
    let filter = audit_filter(f);
    let count = Sql::count_of("audit_log a", &filter);
    let key = CountKey::AuditEvents(f.clone());
    let total = counts.count(db, key, count).await?;
    let list = KeysetList {
        columns: Sql::new(AUDIT_COLUMNS),
        from: "audit_log a",
        filter,
        key_sql: "a.at",
        id_sql: "a.id",
        kind: KeyKind::Time,
        // Newest first is the natural order of a log; `desc` in the URL flips it.
        desc: !q.desc,
    };
    Ok(fetch_page::<AuditDbRow>(db, &list, q, total).await?.map_rows(AuditRow::from))
}

/// The latest `limit` changes made by the user `user_id`, newest first (`audit_log_actor`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recent_by_actor(db: &Db, user_id: i64, limit: usize) -> DbResult<Vec<AuditRow>> {
    let mut sql = Sql::new(&format!("select {AUDIT_COLUMNS} from audit_log a where a.actor_id = "));
    sql.bind(user_id).push(" order by a.at desc, a.id desc limit ").push_int(limit as i64);
    Ok(fetch_all::<AuditDbRow>(db, sql).await?.into_iter().map(AuditRow::from).collect())
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn get_event(db: &Db, id: i64) -> DbResult<Option<AuditRow>> {
    let mut sql = Sql::new(&format!("select {AUDIT_COLUMNS} from audit_log a where a.id = "));
    sql.bind(id);
    Ok(fetch_optional::<AuditDbRow>(db, sql).await?.map(AuditRow::from))
}

/// Events per type since `since`, most frequent first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn counts_since(db: &Db, since: Timestamp) -> DbResult<Vec<EventCount>> {
    let mut sql = Sql::new("select event_type, count(*) from audit_log where at >= ");
    sql.bind(since).push(" group by event_type order by count(*) desc, event_type");
    let rows: Vec<(String, i64)> = fetch_all(db, sql).await?;
    Ok(rows.into_iter().map(|(event_type, count)| EventCount { event_type, count }).collect())
}
