//! Receives: one read by its id with its name's place among its PO's receives, the header's
//! insert and changes, the list (newest first, keyset pages) and a PO's receives.
use crate::db::engine::run::{read_all, read_optional};
use crate::db::engine::sql::contains_pattern;
use crate::db::engine::{Db, DbResult, Sql, Tx, Value};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::receive_views::ReceiveFilter;

crate::db::engine::inline::row! {
    pub struct ReceiveRow {
        pub id: i64,
        pub po_id: Option<i64>,
        pub po: Option<String>,
        pub po_tablet_type: Option<String>,
        /// The PO's status and closed flag (a closed or cancelled PO takes no more bags).
        pub po_status: Option<String>,
        pub po_closed: Option<bool>,
        /// Its 1-based place among its PO's receives by (date, id); `None` without a PO.
        pub place: Option<i64>,
        pub shipment_ref: String,
        pub received_on: String,
        pub received_by: String,
        pub notes: String,
        pub status: String,
        pub created_by: String,
        pub created_at: Timestamp,
    }
}

/// A receive's place among its PO's receives: those dated before it, or on its day with a
/// lower id, and itself (read from the index on (po_id, received_on, id)).
pub(super) const PLACE: &str =
    "(select count(*) from receives e where e.po_id = r.po_id and (e.received_on < r.received_on \
     or (e.received_on = r.received_on and e.id <= r.id)))";

fn receive_by_id(id: i64) -> Sql {
    let mut sql = Sql::new(
        "select r.id, r.po_id, p.number as po, t.name as po_tablet_type, p.status as po_status, p.closed as po_closed, \
         case when r.po_id is null then null else ",
    );
    sql.push(PLACE).push(
        " end as place, r.shipment_ref, r.received_on, r.received_by, r.notes, r.status, r.created_by, r.created_at \
         from receives r left join purchase_orders p on p.id = r.po_id \
         left join tablet_types t on t.id = p.tablet_type_id where r.id = ",
    );
    sql.bind(id);
    sql
}

/// Receive `id`.
pub async fn get_receive(db: &Db, id: i64) -> DbResult<Option<ReceiveRow>> {
    read_optional(db, receive_by_id(id)).await
}

/// The same inside a write: the receive's row stays locked until the write ends, so two
/// changes of one receive (two scanners on one shipment) take turns.
pub async fn get_receive_in(tx: &mut Tx, id: i64) -> DbResult<Option<ReceiveRow>> {
    let mut sql = receive_by_id(id);
    sql.push(&tx.lock_rows_of("r"));
    tx.fetch_optional(sql).await
}

/// A new receive's header.
pub struct NewReceive<'a> {
    pub po_id: Option<i64>,
    pub shipment_ref: &'a str,
    pub received_on: &'a str,
    pub received_by: &'a str,
    pub notes: &'a str,
    pub created_by: &'a str,
}

/// Inserts a draft receive; its id.
pub async fn insert_receive(tx: &mut Tx, r: &NewReceive<'_>, now: Timestamp) -> DbResult<i64> {
    let sql = Sql::with(
        "insert into receives (po_id, shipment_ref, received_on, received_by, notes, status, created_by, \
         created_at, updated_at) values ($1, $2, $3, $4, $5, 'draft', $6, $7, $7) returning id",
        [
            Value::OptInt(r.po_id),
            r.shipment_ref.into(),
            r.received_on.into(),
            r.received_by.into(),
            r.notes.into(),
            r.created_by.into(),
            now.into(),
        ],
    );
    let (id,): (i64,) = tx.fetch_one(sql).await?;
    Ok(id)
}

/// Sets receive `id`'s status.
pub async fn set_receive_status(tx: &mut Tx, id: i64, status: &str, now: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "update receives set status = $1, updated_at = $2 where id = $3",
        [status.into(), now.into(), id.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// Assigns receive `id` to PO `po_id`.
pub async fn set_receive_po(tx: &mut Tx, id: i64, po_id: i64, now: Timestamp) -> DbResult<()> {
    let sql = Sql::with(
        "update receives set po_id = $1, updated_at = $2 where id = $3",
        [po_id.into(), now.into(), id.into()],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// How many receives of PO `po_id` come after a receive dated `day` with id `id` (their names
/// move up by one when it is added).
pub async fn receives_after(tx: &mut Tx, po_id: i64, day: &str, id: i64) -> DbResult<i64> {
    let sql = Sql::with(
        "select count(*) from receives where po_id = $1 and (received_on > $2 or (received_on = $2 and id > $3))",
        [po_id.into(), day.into(), id.into()],
    );
    let (n,): (i64,) = tx.fetch_one(sql).await?;
    Ok(n)
}

crate::db::engine::inline::row! {
    pub struct ReceiveListDbRow {
        pub id: i64,
        pub po: Option<String>,
        pub place: Option<i64>,
        pub shipment_ref: String,
        pub received_on: String,
        pub received_by: String,
        pub status: String,
        pub bags: i64,
        pub label_total: i64,
    }
}

fn list_select() -> Sql {
    let mut sql = Sql::new("select r.id, p.number as po, case when r.po_id is null then null else ");
    sql.push(PLACE).push(
        " end as place, r.shipment_ref, r.received_on, r.received_by, r.status, \
         (select count(*) from receive_bags b where b.receive_id = r.id) as bags, \
         (select cast(coalesce(sum(b.label_count), 0) as bigint) from receive_bags b where b.receive_id = r.id) \
         as label_total from receives r left join purchase_orders p on p.id = r.po_id where 1 = 1",
    );
    sql
}

/// Receives matching `filter`, newest first, at most `limit`, after the keyset position
/// `(day, id)` when given.
pub async fn list_receives(
    db: &Db,
    filter: &ReceiveFilter,
    after: Option<(&str, i64)>,
    limit: i64,
) -> DbResult<Vec<ReceiveListDbRow>> {
    let mut sql = list_select();
    if !filter.status.is_empty() {
        sql.push(" and r.status = ").bind(filter.status.as_str());
    }
    if !filter.q.is_empty() {
        let pattern = contains_pattern(&filter.q);
        sql.push(" and (lower(p.number) like ").bind(pattern.as_str()).push(" escape '\\'");
        sql.push(" or lower(r.shipment_ref) like ").bind(pattern).push(" escape '\\')");
    }
    if let Some((day, id)) = after {
        sql.push(" and (r.received_on < ").bind(day).push(" or (r.received_on = ").bind(day);
        sql.push(" and r.id < ").bind(id).push("))");
    }
    sql.push(" order by r.received_on desc, r.id desc limit ").push_int(limit);
    read_all(db, sql).await
}

/// PO `po_id`'s receives, in name order.
pub async fn receives_of_po(db: &Db, po_id: i64) -> DbResult<Vec<ReceiveListDbRow>> {
    let mut sql = list_select();
    sql.push(" and r.po_id = ").bind(po_id).push(" order by r.received_on, r.id");
    read_all(db, sql).await
}

/// Marks receive `id` as changed now.
pub async fn touch_receive(tx: &mut Tx, id: i64, now: Timestamp) -> DbResult<()> {
    tx.execute(Sql::with("update receives set updated_at = $1 where id = $2", [now.into(), id.into()])).await?;
    Ok(())
}
