//! A purchase order's timeline, read from the audit log: its own events (created, status
//! changes, closed, overs) and those of its receives (created, assigned, published, closed),
//! newest first. Bag by bag scans stay on the receive's own history.
use crate::db::engine::run::read_all;
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::platform::time::Timestamp;

crate::db::engine::inline::row! {
    pub struct TimelineRow {
        pub at: Timestamp,
        pub actor_name: String,
        pub event_type: String,
        pub entity_id: String,
        pub old_values: Option<String>,
        pub new_values: Option<String>,
    }
}

/// At most `limit` events of PO `number` (id `po_id`) and of its receives.
pub async fn po_timeline(db: &Db, number: &str, po_id: i64, limit: i64) -> DbResult<Vec<TimelineRow>> {
    let mut sql = Sql::new(
        "select a.at, a.actor_name, a.event_type, a.entity_id, cast(a.old_values as text) as old_values, \
         cast(a.new_values as text) as new_values from audit_log a where (a.entity_type = 'purchase_order' \
         and a.entity_id = ",
    );
    sql.bind(number).push(
        ") or (a.entity_type = 'receive' and a.event_type in ('receive.created', 'receive.assigned', \
         'receive.published', 'receive.closed') and a.entity_id in (select cast(r.id as text) from receives r \
         where r.po_id = ",
    );
    sql.bind(po_id).push(")) order by a.at desc, a.id desc limit ").push_int(limit);
    read_all(db, sql).await
}
