//! PO line counts against their submissions: the lines whose stored counts differ from the
//! sums over the submissions that name them, and those lines set to the sums.
use crate::db::engine::{Db, DbResult, Sql, Tx};

crate::db::engine::inline::row! {
    /// A line whose stored counts are not the sums over its submissions.
    pub struct DriftRow {
        pub line_id: i64,
        pub po: String,
        pub line_no: i64,
        pub inventory_item: String,
        pub good: i64,
        pub damaged: i64,
        pub machine_good: i64,
        pub machine_damaged: i64,
        pub derived_good: i64,
        pub derived_damaged: i64,
        pub derived_machine_good: i64,
        pub derived_machine_damaged: i64,
    }
}

/// One pass over the submissions grouped by line, joined to every line: a line no submission
/// names derives zeros.
const DRIFT: &str = "select l.id as line_id, p.number as po, l.line_no, l.inventory_item, l.good, l.damaged, \
     l.machine_good, l.machine_damaged, coalesce(d.good, 0) as derived_good, coalesce(d.damaged, 0) as derived_damaged, \
     coalesce(d.machine_good, 0) as derived_machine_good, coalesce(d.machine_damaged, 0) as derived_machine_damaged \
     from po_lines l join purchase_orders p on p.id = l.po_id left join (select po_line_id, \
     cast(sum(case when kind = 'packaged' then good else 0 end) as bigint) as good, \
     cast(sum(case when kind = 'packaged' then damaged else 0 end) as bigint) as damaged, \
     cast(sum(case when kind = 'machine' then good else 0 end) as bigint) as machine_good, \
     cast(sum(case when kind = 'machine' then damaged else 0 end) as bigint) as machine_damaged \
     from submissions where po_line_id is not null group by po_line_id) d on d.po_line_id = l.id \
     where l.good <> coalesce(d.good, 0) or l.damaged <> coalesce(d.damaged, 0) \
     or l.machine_good <> coalesce(d.machine_good, 0) or l.machine_damaged <> coalesce(d.machine_damaged, 0) \
     order by l.po_number, l.line_no";

/// Every line that drifted, by PO number (byte order, on both engines) and line.
pub async fn drifted_lines(db: &Db) -> DbResult<Vec<DriftRow>> {
    crate::db::engine::run::fetch_all(db, Sql::new(DRIFT)).await
}

/// The same inside a write that fixes them: the lines are locked first, so a submission made
/// meanwhile either is in the sums or moves the line after the fix.
pub async fn drifted_lines_in(tx: &mut Tx) -> DbResult<Vec<DriftRow>> {
    let lock = tx.lock_rows_of("l");
    if !lock.is_empty() {
        // In id order, as every other writer of lines takes them: two writers never wait on each other.
        let mut sql = Sql::new("select l.id from po_lines l order by l.id");
        sql.push(&lock);
        tx.fetch_all::<(i64,)>(sql).await?;
    }
    tx.fetch_all(Sql::new(DRIFT)).await
}

/// Sets line `row.line_id`'s counts to the sums over its submissions.
pub async fn set_line_to_derived(tx: &mut Tx, row: &DriftRow) -> DbResult<()> {
    let sql = Sql::with(
        "update po_lines set good = $1, damaged = $2, machine_good = $3, machine_damaged = $4 where id = $5",
        [
            row.derived_good.into(),
            row.derived_damaged.into(),
            row.derived_machine_good.into(),
            row.derived_machine_damaged.into(),
            row.line_id.into(),
        ],
    );
    tx.execute(sql).await?;
    Ok(())
}
