//! Purchase orders and their lines: a PO read by its number (whatever its case) with its lines,
//! the header and line inserts, status and closing, and which POs hold an inventory item.
use crate::db::engine::run::{read_all, read_optional};
use crate::db::engine::sql::contains_pattern;
use crate::db::engine::{Db, DbResult, Sql, Tx, Value};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::checks::name_key;
use crate::model::warehouse::po_rules::po_list_key;
use crate::model::warehouse::po_views::PoFilter;

crate::db::engine::inline::row! {
    pub struct PoRow {
        pub id: i64,
        pub number: String,
        pub vendor: String,
        pub tablet_type_id: Option<i64>,
        pub tablet_type: Option<String>,
        pub status: String,
        pub closed: bool,
        pub close_reason: String,
        pub parent: Option<String>,
        pub overs_po: Option<String>,
        pub created_by: String,
        pub created_at: Timestamp,
    }
}

crate::db::engine::inline::row! {
    pub struct LineRow {
        pub line_no: i64,
        pub inventory_item: String,
        pub name: String,
        pub quantity_ordered: i64,
        pub good: i64,
        pub damaged: i64,
        pub machine_good: i64,
        pub machine_damaged: i64,
    }
}

const PO_SELECT: &str =
    "select p.id, p.number, p.vendor, p.tablet_type_id, t.name as tablet_type, p.status, p.closed, p.close_reason, \
     (select q.number from purchase_orders q where q.id = p.parent_id) as parent, \
     (select o.number from purchase_orders o where o.parent_id = p.id order by o.id limit 1) as overs_po, \
     p.created_by, p.created_at \
     from purchase_orders p left join tablet_types t on t.id = p.tablet_type_id where lower(p.number) = lower(";

const LINE_SELECT: &str = "select line_no, inventory_item, name, quantity_ordered, good, damaged, machine_good, \
     machine_damaged from po_lines where po_id = ";

fn po_by_number(number: &str) -> Sql {
    let mut sql = Sql::new(PO_SELECT);
    sql.bind(number).push(")");
    sql
}

fn lines_of(po: i64) -> Sql {
    let mut sql = Sql::new(LINE_SELECT);
    sql.bind(po).push(" order by line_no");
    sql
}

/// The PO numbered `number`, with its lines in order.
pub async fn get_po(db: &Db, number: &str) -> DbResult<Option<(PoRow, Vec<LineRow>)>> {
    let Some(po) = read_optional::<PoRow>(db, po_by_number(number)).await? else { return Ok(None) };
    let lines = read_all(db, lines_of(po.id)).await?;
    Ok(Some((po, lines)))
}

/// The same inside a write, to check a change against what is stored: the PO's row stays
/// locked until the write ends, so two changes of one PO take turns.
pub async fn get_po_in(tx: &mut Tx, number: &str) -> DbResult<Option<(PoRow, Vec<LineRow>)>> {
    let mut sql = po_by_number(number);
    sql.push(&tx.lock_rows_of("p"));
    let Some(po) = tx.fetch_optional::<PoRow>(sql).await? else { return Ok(None) };
    let lines = tx.fetch_all(lines_of(po.id)).await?;
    Ok(Some((po, lines)))
}

/// A new PO's header.
pub struct NewPo<'a> {
    pub number: &'a str,
    pub vendor: &'a str,
    pub tablet_type_id: Option<i64>,
    pub status: &'static str,
    /// The PO this one holds the overs of: its id and number.
    pub parent: Option<(i64, &'a str)>,
    pub created_by: &'a str,
}

/// Inserts a PO's header; its id.
pub async fn insert_po(tx: &mut Tx, po: &NewPo<'_>, now: Timestamp) -> DbResult<i64> {
    let sql = Sql::with(
        "insert into purchase_orders (number, vendor, tablet_type_id, status, parent_id, created_by, created_at, \
         updated_at, list_key) values ($1, $2, $3, $4, $5, $6, $7, $7, $8) returning id",
        [
            po.number.into(),
            po.vendor.into(),
            po.tablet_type_id.into(),
            po.status.into(),
            Value::OptInt(po.parent.map(|(id, _)| id)),
            po.created_by.into(),
            now.into(),
            po_list_key(po.number, po.parent.map(|(_, number)| number)).into(),
        ],
    );
    let (id,): (i64,) = tx.fetch_one(sql).await?;
    Ok(id)
}

/// Inserts line `line_no` of PO `po`.
pub async fn insert_line(tx: &mut Tx, po: i64, line_no: i64, item: &str, name: &str, quantity: i64) -> DbResult<()> {
    let sql = Sql::with(
        "insert into po_lines (po_id, po_number, line_no, inventory_item, name, quantity_ordered) \
         values ($1, (select number from purchase_orders where id = $1), $2, $3, $4, $5)",
        [po.into(), line_no.into(), item.into(), name.into(), quantity.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Sets PO `po`'s vendor and tablet type.
pub async fn set_header(
    tx: &mut Tx,
    po: i64,
    vendor: &str,
    tablet_type_id: Option<i64>,
    now: Timestamp,
) -> DbResult<()> {
    let sql = Sql::with(
        "update purchase_orders set vendor = $1, tablet_type_id = $2, updated_at = $3 where id = $4",
        [vendor.into(), tablet_type_id.into(), now.into(), po.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Sets the name and quantity of line `line_no` of PO `po`.
pub async fn set_line(tx: &mut Tx, po: i64, line_no: i64, name: &str, quantity: i64) -> DbResult<()> {
    let sql = Sql::with(
        "update po_lines set name = $1, quantity_ordered = $2 where po_id = $3 and line_no = $4",
        [name.into(), quantity.into(), po.into(), line_no.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Removes line `line_no` of PO `po`.
pub async fn delete_line(tx: &mut Tx, po: i64, line_no: i64) -> DbResult<()> {
    let sql = Sql::with("delete from po_lines where po_id = $1 and line_no = $2", [po.into(), line_no.into()]);
    tx.execute(sql).await?;
    Ok(())
}

/// Sets PO `po`'s status.
pub async fn set_status(tx: &mut Tx, po: i64, status: &str, now: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "update purchase_orders set status = $1, updated_at = $2 where id = $3",
        [status.into(), now.into(), po.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Closes PO `po`, with the reason it closed short.
pub async fn set_closed(tx: &mut Tx, po: i64, reason: &str, now: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "update purchase_orders set closed = $1, close_reason = $2, updated_at = $3 where id = $4",
        [true.into(), reason.into(), now.into(), po.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Each line of PO `po_id`: its inventory item and its round, the PO's place (from 1) by number
/// in byte order among the POs holding that item (migration 0027: one index range each).
pub async fn rounds_of(db: &Db, po_id: i64) -> DbResult<Vec<(String, i64)>> {
    let sql = Sql::with(
        "select l.inventory_item, (select count(*) from po_lines o where o.inventory_item = l.inventory_item \
         and o.po_number < l.po_number) + 1 from po_lines l where l.po_id = $1",
        [po_id.into()],
    );
    read_all(db, sql).await
}

/// The tablet type that has inventory item `item`: its name.
pub async fn tablet_type_of_item(tx: &mut Tx, item: &str) -> DbResult<Option<String>> {
    let sql = Sql::with("select name from tablet_types where inventory_item = $1", [item.into()]);
    Ok(tx.fetch_optional::<(String,)>(sql).await?.map(|(name,)| name))
}

crate::db::engine::inline::row! {
    pub struct PoListDbRow {
        pub number: String,
        pub vendor: String,
        pub tablet_type: Option<String>,
        pub status: String,
        pub closed: bool,
        pub parent: Option<String>,
        pub ordered: i64,
        pub good: i64,
        pub damaged: i64,
        pub created_at: Timestamp,
    }
}

/// The PO list's filters as conditions on `p`.
fn push_list_filters(sql: &mut Sql, filter: &PoFilter) {
    if !filter.status.is_empty() {
        sql.push(" and p.status = ").bind(filter.status.as_str());
    }
    match filter.state.as_str() {
        "open" => sql.push(" and p.closed = ").bind(false),
        "closed" => sql.push(" and p.closed = ").bind(true),
        _ => &mut *sql,
    };
    if !filter.q.is_empty() {
        sql.push(" and lower(p.number) like ").bind(contains_pattern(&filter.q)).push(" escape '\\'");
    }
    if !filter.vendor.is_empty() {
        sql.push(" and lower(p.vendor) like ").bind(contains_pattern(&filter.vendor)).push(" escape '\\'");
    }
    if !filter.tablet_type.is_empty() {
        sql.push(" and p.tablet_type_id = (select id from tablet_types where name_key = ")
            .bind(name_key(&filter.tablet_type))
            .push(")");
    }
    if !filter.after.is_empty() {
        // A position that names no PO (typed by hand) starts from the top rather than nowhere.
        sql.push(" and p.list_key > coalesce((select a.list_key from purchase_orders a where lower(a.number) = lower(")
            .bind(filter.after.as_str())
            .push(")), '')");
    }
}

/// POs matching `filter` in list order (each overs PO right after its parent), at most `limit`,
/// after the PO `filter.after`. One range of the list key's index; each row's totals are read
/// from its own lines, so a page costs its rows, not the whole table.
pub async fn list_pos(db: &Db, filter: &PoFilter, limit: i64) -> DbResult<Vec<PoListDbRow>> {
    let sum = |column: &str, alias: &str| {
        format!("cast(coalesce((select sum(l.{column}) from po_lines l where l.po_id = p.id), 0) as bigint) as {alias}")
    };
    let mut sql = Sql::new(&format!(
        "select p.number, p.vendor, t.name as tablet_type, p.status, p.closed, q.number as parent, {}, {}, {}, \
         p.created_at from purchase_orders p left join purchase_orders q on q.id = p.parent_id \
         left join tablet_types t on t.id = p.tablet_type_id where 1 = 1",
        sum("quantity_ordered", "ordered"),
        sum("good", "good"),
        sum("damaged", "damaged"),
    ));
    push_list_filters(&mut sql, filter);
    sql.push(" order by p.list_key limit ").push_int(limit);
    read_all(db, sql).await
}
