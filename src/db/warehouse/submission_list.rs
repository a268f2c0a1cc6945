//! The submissions list and the review queue: submissions under the list's filters, newest
//! first by (day, id), a page or a CSV batch at a time; how many of them are not verified;
//! the queue's waiting ones, and its size by reason; the bags a waiting one could go on.
use std::sync::Arc;

use super::receives::PLACE;
use crate::db::engine::count_keys::CountKey;
use crate::db::engine::counts::CountCache;
use crate::db::engine::run::read_all;
use crate::db::engine::{Db, DbResult, Sql};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::checks::name_key;
use crate::model::warehouse::submission_list::SubmissionFilter;

crate::db::engine::inline::row! {
    pub struct SubmissionDbRow {
        pub id: i64,
        pub kind: String,
        pub submitted_on: String,
        pub created_at: Timestamp,
        pub employee: String,
        pub employee_id: Option<i64>,
        pub product: Option<String>,
        pub machine: Option<String>,
        pub tablet_type: String,
        pub tablet_type_id: i64,
        pub po: Option<String>,
        pub box_no: Option<i64>,
        pub bag_no: Option<i64>,
        pub displays: i64,
        pub packs: i64,
        pub loose: i64,
        pub turns: i64,
        pub good: i64,
        pub damaged: i64,
        pub bag_id: Option<i64>,
        pub label_count: Option<i64>,
        pub running: Option<i64>,
        pub po_id: Option<i64>,
        pub po_line_id: Option<i64>,
        pub needs_review: bool,
        pub verified_by: Option<String>,
        pub admin_notes: String,
    }
}

/// The running total of the bag whose id is the column `bag`: the good tablets of its packaged
/// and bag counts (machine counts are counted again when packed), read from the index on bag.
pub(super) fn running_total_of(bag: &'static str) -> String {
    format!(
        "(select cast(coalesce(sum(x.good), 0) as bigint) from submissions x where x.bag_id = {bag} \
         and x.kind <> 'machine')"
    )
}

/// The columns of one row, its names and its bag's numbers each read by the row's own key.
/// Written as a six-table join, PostgreSQL planned the list for 1.7 to 2.5 ms on every run (a
/// filtered list keeps custom plans, planned at each bind) and ran it in 0.4: the lookups, each
/// planned alone, took planning to 0.2 to 0.35 ms (EXPLAIN, scale-10 copy, 16 rows). `from`
/// is `submissions s`, with whatever a caller's conditions join to it.
fn list_select(from: &str) -> Sql {
    let mut sql = Sql::new(
        "select s.id, s.kind, s.submitted_on, s.created_at, s.employee, s.employee_id, \
         (select pr.name from products pr where pr.id = s.product_id) as product, \
         (select m.name from machines m where m.id = s.machine_id) as machine, \
         (select t.name from tablet_types t where t.id = s.tablet_type_id) as tablet_type, s.tablet_type_id, \
         (select p.number from purchase_orders p where p.id = s.po_id) as po, s.box_no, s.bag_no, s.displays, \
         s.packs, s.loose, s.turns, s.good, s.damaged, s.bag_id, \
         (select b.label_count from receive_bags b where b.id = s.bag_id) as label_count, \
         case when s.bag_id is null then null else ",
    );
    sql.push(&running_total_of("s.bag_id"));
    sql.push(" end as running, s.po_id, s.po_line_id, s.needs_review, s.verified_by, s.admin_notes from ");
    sql.push(from).push(" where 1 = 1");
    sql
}

/// The filter's conditions on `s`; each names at most one PO or tablet type, which the indexes
/// on (po_id, day, id) and (tablet_type_id, day, id) read in list order, and a count of the
/// unverified ones reads through the unverified rows' own indexes (by day, or by type and kind).
fn push_filter(sql: &mut Sql, f: &SubmissionFilter) {
    if !f.po.is_empty() {
        sql.push(" and s.po_id = (select p2.id from purchase_orders p2 where lower(p2.number) = lower(");
        sql.bind(f.po.as_str()).push("))");
    }
    if !f.item.is_empty() {
        // Inventory items are unique codes, matched exactly (as PO lines match them).
        sql.push(" and s.tablet_type_id = (select t2.id from tablet_types t2 where t2.inventory_item = ");
        sql.bind(f.item.as_str()).push(")");
    }
    if !f.tablet_type.is_empty() {
        sql.push(" and s.tablet_type_id = (select t3.id from tablet_types t3 where t3.name_key = ");
        sql.bind(name_key(&f.tablet_type)).push(")");
    }
    if !f.from.is_empty() {
        sql.push(" and s.submitted_on >= ").bind(f.from.as_str());
    }
    if !f.to.is_empty() {
        sql.push(" and s.submitted_on <= ").bind(f.to.as_str());
    }
    if !f.kind.is_empty() {
        sql.push(" and s.kind = ").bind(f.kind.as_str());
    }
}

/// The keyset position as one row-value comparison, which both engines read as a range of the
/// (day, id) indexes; written as `day < d or (day = d and id < i)`, SQLite scanned from the newest
/// row to the position (38 ms of CPU for a page halfway down 1,000,000 submissions).
fn push_page(sql: &mut Sql, after: Option<&(String, i64)>, limit: i64) {
    if let Some((day, id)) = after {
        sql.push(" and (s.submitted_on, s.id) < (").bind(day.as_str()).push(", ").bind(*id).push(")");
    }
    sql.push(" order by s.submitted_on desc, s.id desc limit ").push_int(limit);
}

/// Submissions under `filter`, newest first, at most `limit`, after its position if it has one.
pub async fn list_submissions(db: &Db, filter: &SubmissionFilter, limit: i64) -> DbResult<Vec<SubmissionDbRow>> {
    let mut sql = list_select("submissions s");
    push_filter(&mut sql, filter);
    push_page(&mut sql, filter.position().as_ref(), limit);
    read_all(db, sql).await
}

/// How many submissions under `filter` (its position left out) are not yet verified, kept in
/// `counts` until a write to a submission (audited, so it moves the count's generation); once
/// older than `COUNT_TTL` it is counted again behind the page (`CountCache::count`). Counted
/// on every view with 63,000 unverified (a backlog of unapproved counts), the plain list cost
/// 2.5 to 3.8 ms of CPU instead of 0.6, and one by tablet type and kind 127 ms (SQLite,
/// scale-10 copy, before the index of migration 0030).
pub async fn count_unverified(db: &Db, counts: &Arc<CountCache>, filter: &SubmissionFilter) -> DbResult<i64> {
    let filter = SubmissionFilter { after: String::new(), ..filter.clone() };
    let mut sql = Sql::new("select count(*) from submissions s where s.verified_by is null");
    push_filter(&mut sql, &filter);
    let total = counts.count(db, CountKey::UnverifiedSubmissions(filter), sql).await?;
    Ok(i64::try_from(total).unwrap_or(i64::MAX))
}

/// Why an unverified submission waits, in SQL: the review queue's reason (`WaitReason`'s
/// `as_str`), or `approval` when it only waits to be approved. `WaitReason::of` decides the
/// same for one row; the tests hold the two to the same answer over every reason.
fn push_reason(sql: &mut Sql, tolerance: i64) {
    let running = running_total_of("s.bag_id");
    sql.push("(case when s.needs_review = ").bind(true).push(" then 'needs_review' ");
    sql.push("when s.bag_id is null and s.po_id is null then 'no_bag' ");
    sql.push("when s.po_id is null or (s.kind <> 'bag' and s.po_line_id is null) then 'unassigned' ");
    sql.push("when s.bag_id is not null and ").push(&running).push(" > b.label_count + ").bind(tolerance);
    sql.push(" then 'over' when s.bag_id is not null and ").push(&running).push(" < b.label_count - ");
    sql.bind(tolerance).push(" then 'under' else 'approval' end)");
}

/// Which of the review queue's submissions to show: those that need a person, those of one
/// reason (`approval`: those that only wait to be approved), or every unverified one.
pub enum Waiting<'a> {
    NeedingPerson,
    Reason(&'a str),
    All,
}

/// The review queue: unverified submissions, newest first, as `which` asks; after `after`, at
/// most `limit`.
pub async fn waiting_submissions(
    db: &Db,
    tolerance: i64,
    which: Waiting<'_>,
    after: Option<&(String, i64)>,
    limit: i64,
) -> DbResult<Vec<SubmissionDbRow>> {
    // The reasons compare with the bag's label count.
    let mut sql = list_select("submissions s left join receive_bags b on b.id = s.bag_id");
    sql.push(" and s.verified_by is null");
    match which {
        Waiting::NeedingPerson => {
            sql.push(" and ");
            push_reason(&mut sql, tolerance);
            sql.push(" <> 'approval'");
        }
        Waiting::Reason(reason) => {
            sql.push(" and ");
            push_reason(&mut sql, tolerance);
            sql.push(" = ").bind(reason);
        }
        Waiting::All => {}
    }
    push_page(&mut sql, after, limit);
    read_all(db, sql).await
}

/// How many unverified submissions wait for each reason (`approval` for those that only wait
/// to be approved).
pub async fn waiting_counts(db: &Db, tolerance: i64) -> DbResult<Vec<(String, i64)>> {
    let mut sql = Sql::new("select ");
    push_reason(&mut sql, tolerance);
    sql.push(" as reason, count(*) from submissions s left join receive_bags b on b.id = s.bag_id ");
    sql.push("where s.verified_by is null group by 1");
    read_all(db, sql).await
}

crate::db::engine::inline::row! {
    /// A received bag a waiting submission could go on, with its name's parts.
    pub struct CandidateBagRow {
        pub bag_id: i64,
        pub box_no: i64,
        pub bag_no: i64,
        pub label_count: i64,
        pub po: Option<String>,
        pub place: Option<i64>,
    }
}

/// The bags of published receives holding tablet type `type_id` as bag `bag_no` of box
/// `box_no` (the bags the count matched), at most `limit`, oldest first; a receive whose PO
/// is closed or cancelled is left out, as an assignment to it is refused.
pub async fn candidate_bags(
    db: &Db,
    type_id: i64,
    box_no: i64,
    bag_no: i64,
    limit: i64,
) -> DbResult<Vec<CandidateBagRow>> {
    let mut sql = Sql::new("select b.id as bag_id, b.box_no, b.bag_no, b.label_count, p.number as po, case when r.po_id is null then null else ");
    sql.push(PLACE).push(
        " end as place from receive_bags b join receives r on r.id = b.receive_id \
         left join purchase_orders p on p.id = r.po_id where r.status = 'published' \
         and (p.id is null or not (p.closed or p.status = 'cancelled')) and b.tablet_type_id = ",
    );
    sql.bind(type_id).push(" and b.box_no = ").bind(box_no).push(" and b.bag_no = ").bind(bag_no);
    sql.push(" order by b.id limit ").push_int(limit);
    read_all(db, sql).await
}
