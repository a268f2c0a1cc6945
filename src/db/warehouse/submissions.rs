//! Floor submissions: written, read back for a change, removed; the PO line counts they move;
//! the lines locked in one order.
use super::bag_match::BagMatch;
use crate::db::engine::{DbResult, Sql, Tx};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::submissions::SubmissionKind;

/// A submission's stored values, as the service resolved them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionValues {
    pub kind: SubmissionKind,
    pub submitted_on: String,
    pub tablet_type_id: i64,
    pub product_id: Option<i64>,
    pub machine_id: Option<i64>,
    pub box_no: Option<i64>,
    pub bag_no: Option<i64>,
    pub displays: i64,
    pub packs: i64,
    pub loose: i64,
    pub turns: i64,
    pub ppd: i64,
    pub tpp: i64,
    pub cards_per_turn: i64,
    pub good: i64,
    pub damaged: i64,
    pub bag_id: Option<i64>,
    pub po_id: Option<i64>,
    pub po_line_id: Option<i64>,
    pub needs_review: bool,
    pub admin_notes: String,
}

crate::db::engine::inline::row! {
    /// What a change of a submission checks and reverses.
    pub struct StoredSubmission {
        pub id: i64,
        pub kind: String,
        pub employee: String,
        pub employee_id: Option<i64>,
        pub tablet_type_id: i64,
        pub box_no: Option<i64>,
        pub bag_no: Option<i64>,
        pub good: i64,
        pub damaged: i64,
        pub bag_id: Option<i64>,
        pub po_id: Option<i64>,
        pub po_line_id: Option<i64>,
        pub verified_by: Option<String>,
    }
}

const COLUMNS: &str = "kind, submitted_on, tablet_type_id, product_id, machine_id, box_no, bag_no, displays, packs, \
     loose, turns, ppd, tpp, cards_per_turn, good, damaged, bag_id, po_id, po_line_id, needs_review, admin_notes";

fn push_values(sql: &mut Sql, v: &SubmissionValues) {
    sql.bind(v.kind.as_str()).push(", ").bind(v.submitted_on.as_str()).push(", ").bind(v.tablet_type_id);
    sql.push(", ").bind(v.product_id).push(", ").bind(v.machine_id).push(", ").bind(v.box_no);
    sql.push(", ").bind(v.bag_no).push(", ").bind(v.displays).push(", ").bind(v.packs).push(", ").bind(v.loose);
    sql.push(", ").bind(v.turns).push(", ").bind(v.ppd).push(", ").bind(v.tpp).push(", ").bind(v.cards_per_turn);
    sql.push(", ").bind(v.good).push(", ").bind(v.damaged).push(", ").bind(v.bag_id).push(", ").bind(v.po_id);
    sql.push(", ").bind(v.po_line_id).push(", ").bind(v.needs_review).push(", ").bind(v.admin_notes.as_str());
}

/// Inserts a submission by `employee` (with their user id when they have one); its id.
pub async fn insert_submission(
    tx: &mut Tx,
    v: &SubmissionValues,
    employee: (&str, Option<i64>),
    now: Timestamp,
) -> DbResult<i64> {
    let mut sql = Sql::new("insert into submissions (");
    sql.push(COLUMNS).push(", employee, employee_id, created_at, updated_at) values (");
    push_values(&mut sql, v);
    sql.push(", ").bind(employee.0).push(", ").bind(employee.1).push(", ").bind(now).push(", ").bind(now);
    sql.push(") returning id");
    let (id,): (i64,) = tx.fetch_one(sql).await?;
    Ok(id)
}

/// Replaces submission `id`'s values (its employee and creation stay); a changed count is
/// no longer verified.
pub async fn update_submission(tx: &mut Tx, id: i64, v: &SubmissionValues, now: Timestamp) -> DbResult<()> {
    let mut sql = Sql::new("update submissions set (");
    sql.push(COLUMNS).push(", verified_by, verified_at, updated_at) = (");
    push_values(&mut sql, v);
    sql.push(", null, null, ").bind(now).push(") where id = ").bind(id);
    tx.execute(sql).await?;
    Ok(())
}

/// Submission `id`, locked until the write ends (two changes of one submission take turns).
pub async fn get_submission_in(tx: &mut Tx, id: i64) -> DbResult<Option<StoredSubmission>> {
    let mut sql = Sql::new(
        "select s.id, s.kind, s.employee, s.employee_id, s.tablet_type_id, s.box_no, s.bag_no, s.good, s.damaged, s.bag_id, s.po_id, s.po_line_id, s.verified_by \
         from submissions s where s.id = ",
    );
    sql.bind(id).push(&tx.lock_rows_of("s"));
    tx.fetch_optional(sql).await
}

/// Points submission `id` at bag `bag` (with its box and number) and PO `po`'s line `line`;
/// it no longer needs a person to choose its bag, and is to be approved again.
pub async fn set_assignment(
    tx: &mut Tx,
    id: i64,
    bag: Option<&BagMatch>,
    po: i64,
    line: Option<i64>,
    now: Timestamp,
) -> DbResult<()> {
    let mut sql = Sql::new("update submissions set bag_id = ");
    sql.bind(bag.map(|b| b.bag_id));
    if let Some(b) = bag {
        sql.push(", box_no = ").bind(b.box_no).push(", bag_no = ").bind(b.bag_no);
    }
    sql.push(", po_id = ").bind(po).push(", po_line_id = ").bind(line).push(", needs_review = ").bind(false);
    sql.push(", verified_by = null, verified_at = null");
    sql.push(", updated_at = ").bind(now).push(" where id = ").bind(id);
    tx.execute(sql).await?;
    Ok(())
}

/// Removes submission `id`.
pub async fn delete_submission(tx: &mut Tx, id: i64) -> DbResult<()> {
    tx.execute(Sql::with("delete from submissions where id = $1", [id.into()])).await?;
    Ok(())
}

/// Marks submission `id` verified by `who`: locked for staff.
pub async fn set_verified(tx: &mut Tx, id: i64, who: &str, now: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "update submissions set verified_by = $1, verified_at = $2, updated_at = $3 where id = $4",
        [who.into(), now.into(), now.into(), id.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Locks lines `lines` in id order, as every writer of two lines takes them, so that two
/// writers moving counts between the same lines wait for each other instead of deadlocking.
pub async fn lock_lines(tx: &mut Tx, lines: &[i64]) -> DbResult<()> {
    let lock = tx.lock_rows_of("l");
    if lines.len() < 2 || lock.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("select l.id from po_lines l where l.id in (");
    for (i, line) in lines.iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " }).bind(*line);
    }
    sql.push(") order by l.id").push(&lock);
    tx.fetch_all::<(i64,)>(sql).await?;
    Ok(())
}

/// Adds `good` and `damaged` (negative to take them off) to line `line`'s counts of `kind`:
/// good and damaged for a packaged count, machine good and damaged for a machine count.
pub async fn move_line_counts(tx: &mut Tx, line: i64, kind: SubmissionKind, good: i64, damaged: i64) -> DbResult<()> {
    let text = match kind {
        SubmissionKind::Packaged => "update po_lines set good = good + $1, damaged = damaged + $2 where id = $3",
        SubmissionKind::Machine => {
            "update po_lines set machine_good = machine_good + $1, machine_damaged = machine_damaged + $2 where id = $3"
        }
        SubmissionKind::Bag => return Ok(()),
    };
    tx.execute(Sql::with(text, [good.into(), damaged.into(), line.into()])).await?;
    Ok(())
}
