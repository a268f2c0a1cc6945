//! Reading the audit log (admins): the filtered, keyset-paged list, one event, and the sidebar's
//! counts by type. Reads only; the log is written by `audit` and never changed.
use std::sync::Arc;

use crate::db::engine::keyset::{fetch_page, KeyKind, Keyed, KeysetList};
use crate::db::engine::{count_keys::CountKey, counts::CountCache};
use crate::db::engine::{run::fetch_all, run::fetch_optional};
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::admin::audit::{AuditFilter, AuditRow, AuditSidebar};
use crate::model::platform::day_range::TimeSpan;
use crate::model::platform::facet::FacetChoice;
use crate::model::platform::page::{Cursor, ListQuery, Page};
use crate::model::platform::time::Timestamp;
use crate::model::platform::zone::Zone;

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

fn audit_filter(f: &AuditFilter, span: TimeSpan) -> Sql {
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
    if let Some(since) = span.since {
        sql.push(" and a.at >= ").bind(since);
    }
    if let Some(until) = span.until {
        sql.push(" and a.at < ").bind(until);
    }
    sql
}

/// One page of events, newest first unless the query asks for oldest first; the filter's days
/// are read in `zone`. The total comes from the count cache (`counts`), so a busy log is not
/// counted on every view.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_events(
    db: &Db,
    counts: &Arc<CountCache>,
    f: &AuditFilter,
    zone: &Zone,
    q: &ListQuery,
) -> DbResult<Page<AuditRow>> {
    let span = f.days().in_zone(zone);
    let filter = audit_filter(f, span);
    let count = Sql::count_of("audit_log a", &filter);
    let key = CountKey::AuditEvents(f.clone(), span);
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

crate::db::engine::inline::row! {
    struct SpanRow {
        first: Option<Timestamp>,
        last: Option<Timestamp>,
    }
}

/// Events per type under the filter's other fields (the picked type is listed even at 0), and
/// the log's first and last times (two ends of `audit_log_at`). Each type's count, and their
/// sum, are remembered as the list totals that a click on it (or on "All") shows. Event types
/// are an open set, so the counts are grouped on every view; the log's retention bounds the
/// rows grouped.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sidebar(db: &Db, counts: &Arc<CountCache>, f: &AuditFilter, zone: &Zone) -> DbResult<AuditSidebar> {
    let span = f.days().in_zone(zone);
    let any_event = AuditFilter { event: String::new(), ..f.clone() };
    let generation = counts.generation(CountKey::AuditEvents(any_event.clone(), span).domain());
    let group = crate::db::engine::facets::group_count("a.event_type", "audit_log a", &audit_filter(&any_event, span));
    let mut rows: Vec<(String, i64)> = fetch_all(db, group).await?;
    if !f.event.is_empty() && !rows.iter().any(|(event, _)| *event == f.event) {
        rows.push((f.event.clone(), 0));
    }
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let sum = rows.iter().map(|(_, n)| (*n).max(0) as u64).sum();
    counts.put(CountKey::AuditEvents(any_event.clone(), span), sum, generation);
    let events = rows
        .into_iter()
        .map(|(event, n)| {
            let count = n.max(0) as u64;
            let key = CountKey::AuditEvents(AuditFilter { event: event.clone(), ..any_event.clone() }, span);
            counts.put(key, count, generation);
            FacetChoice { value: event, count }
        })
        .collect();
    // Two subqueries: SQLite reads one end of an index only for a lone min() or max().
    let ends = Sql::new("select (select min(at) from audit_log) as first, (select max(at) from audit_log) as last");
    let ends = fetch_optional::<SpanRow>(db, ends).await?;
    Ok(AuditSidebar { events, first: ends.as_ref().and_then(|e| e.first), last: ends.and_then(|e| e.last) })
}
