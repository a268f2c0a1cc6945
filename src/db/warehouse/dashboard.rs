//! What the warehouse's dashboard and bag board read: POs by state, the remaining count over
//! the open ones, the active POs, the bags of published receives with their running totals,
//! and the newest audited change of a count or a receive (the board's live feed).
use super::receives::PLACE;
use super::submission_list::running_total_of;
use crate::db::engine::run::{read_all, read_count, read_optional};
use crate::db::engine::{Db, DbResult, Sql};

/// A PO that takes no more counts.
const SHUT: &str = "(p.closed or p.status = 'cancelled')";

/// Open, closed (or cancelled) and draft POs.
pub async fn po_state_counts(db: &Db) -> DbResult<(i64, i64, i64)> {
    let text = format!(
        "select cast(coalesce(sum(case when {SHUT} or p.status = 'draft' then 0 else 1 end), 0) as bigint), \
         cast(coalesce(sum(case when {SHUT} then 1 else 0 end), 0) as bigint), \
         cast(coalesce(sum(case when p.status = 'draft' and not {SHUT} then 1 else 0 end), 0) as bigint) \
         from purchase_orders p"
    );
    Ok(read_optional(db, Sql::new(&text)).await?.unwrap_or((0, 0, 0)))
}

/// Σ (ordered − good − damaged) over the lines of the open POs.
pub async fn remaining_on_open(db: &Db) -> DbResult<i64> {
    let text = format!(
        "select cast(coalesce(sum(l.quantity_ordered - l.good - l.damaged), 0) as bigint) from po_lines l \
         join purchase_orders p on p.id = l.po_id where not {SHUT} and p.status <> 'draft'"
    );
    read_count(db, Sql::new(&text)).await
}

/// POs neither closed nor cancelled that have submissions, in the PO list's order (overs
/// under their parent; `list_key`, byte order on both engines), at most `limit`: their number,
/// ordered and remaining. The POs are chosen first, walking `list_key`'s index, so the lines
/// are summed for `limit` POs only: summing them for every open PO before the limit took
/// 122 ms at 10,000 POs, this takes 0.3 ms.
pub async fn active_pos(db: &Db, limit: i64) -> DbResult<Vec<(String, i64, i64)>> {
    let text = format!(
        "select a.number, \
         (select cast(coalesce(sum(l.quantity_ordered), 0) as bigint) from po_lines l where l.po_id = a.id), \
         (select cast(coalesce(sum(l.quantity_ordered - l.good - l.damaged), 0) as bigint) from po_lines l \
         where l.po_id = a.id) from (select p.id, p.number, p.list_key from purchase_orders p where not {SHUT} \
         and exists (select 1 from submissions s where s.po_id = p.id) order by p.list_key limit "
    );
    let mut sql = Sql::new(&text);
    sql.push_int(limit).push(") a order by a.list_key");
    read_all(db, sql).await
}

crate::db::engine::inline::row! {
    pub struct OpenBagRow {
        pub receive_id: i64,
        pub box_no: i64,
        pub bag_no: i64,
        pub label_count: i64,
        pub tablet_type: String,
        pub po: Option<String>,
        pub place: Option<i64>,
        pub running: i64,
    }
}

/// The open bags: those of published receives whose PO (if they have one yet) still takes
/// counts, newest receive first, each with its running total; at most `limit`.
pub async fn open_bags(db: &Db, limit: i64) -> DbResult<Vec<OpenBagRow>> {
    let mut sql = Sql::new(
        "select b.receive_id, b.box_no, b.bag_no, b.label_count, t.name as tablet_type, p.number as po, \
         case when r.po_id is null then null else ",
    );
    sql.push(PLACE).push(" end as place, ").push(&running_total_of("b.id")).push(
        " as running from receive_bags b join receives r on r.id = b.receive_id \
         join tablet_types t on t.id = b.tablet_type_id left join purchase_orders p on p.id = r.po_id \
         where r.status = 'published' and (p.id is null or not (p.closed or p.status = 'cancelled')) \
         order by r.received_on desc, r.id desc, b.box_no, b.bag_no limit ",
    );
    sql.push_int(limit);
    read_all(db, sql).await
}

/// The id of the newest audit row of a submission or a receive (0 without one): it changes
/// whenever a count or a bag does. Each max is one step into the index on (entity_type, id).
pub async fn last_count_change(db: &Db) -> DbResult<i64> {
    let sql = Sql::new(
        "select coalesce(max(m), 0) from (select max(id) as m from audit_log where entity_type = 'submission' \
         union all select max(id) from audit_log where entity_type = 'receive') x",
    );
    read_count(db, sql).await
}
