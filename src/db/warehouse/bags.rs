//! A receive's bags: read in box and bag order, numbered on inside a box, added a box's worth
//! at once, removed one by one; and the tablets a PO received by label, per inventory item.
use crate::db::engine::run::read_all;
use crate::db::engine::{Db, DbResult, Sql, Tx};

crate::db::engine::inline::row! {
    pub struct BagRow {
        pub id: i64,
        pub box_no: i64,
        pub bag_no: i64,
        pub tablet_type: String,
        pub label_count: i64,
    }
}

/// Receive `receive`'s bags, box by box.
pub async fn bags_of(db: &Db, receive: i64) -> DbResult<Vec<BagRow>> {
    let sql = Sql::with(
        "select b.id, b.box_no, b.bag_no, t.name as tablet_type, b.label_count from receive_bags b \
         join tablet_types t on t.id = b.tablet_type_id where b.receive_id = $1 order by b.box_no, b.bag_no",
        [receive.into()],
    );
    read_all(db, sql).await
}

/// How many bags receive `receive` holds, and the highest box number among them (0 for none).
pub async fn bag_totals(tx: &mut Tx, receive: i64) -> DbResult<(i64, i64)> {
    let sql = Sql::with(
        "select count(*), coalesce(max(box_no), 0) from receive_bags where receive_id = $1",
        [receive.into()],
    );
    tx.fetch_one(sql).await
}

/// The highest bag number in box `box_no` of receive `receive` (0 for an empty box).
pub async fn last_bag_in_box(tx: &mut Tx, receive: i64, box_no: i64) -> DbResult<i64> {
    let sql = Sql::with(
        "select coalesce(max(bag_no), 0) from receive_bags where receive_id = $1 and box_no = $2",
        [receive.into(), box_no.into()],
    );
    let (n,): (i64,) = tx.fetch_one(sql).await?;
    Ok(n)
}

/// The label count of bag `bag_no` in box `box_no` of receive `receive`, if there is one.
pub async fn bag_label(tx: &mut Tx, receive: i64, box_no: i64, bag_no: i64) -> DbResult<Option<i64>> {
    let sql = Sql::with(
        "select label_count from receive_bags where receive_id = $1 and box_no = $2 and bag_no = $3",
        [receive.into(), box_no.into(), bag_no.into()],
    );
    Ok(tx.fetch_optional::<(i64,)>(sql).await?.map(|(n,)| n))
}

/// Bags `first..first + count` of box `box_no`, each of `label` tablets of type `tablet_type`,
/// in one statement.
pub async fn insert_bags(
    tx: &mut Tx,
    receive: i64,
    box_no: i64,
    first: i64,
    count: i64,
    tablet_type: i64,
    label: i64,
) -> DbResult<()> {
    let mut sql =
        Sql::new("insert into receive_bags (receive_id, box_no, bag_no, tablet_type_id, label_count) values ");
    for bag in first..first + count {
        sql.push(if bag == first { "(" } else { ", (" }).bind(receive).push(", ").bind(box_no).push(", ").bind(bag);
        sql.push(", ").bind(tablet_type).push(", ").bind(label).push(")");
    }
    tx.execute(sql).await?;
    Ok(())
}

/// Removes bag `bag` of receive `receive`: its box and number, if it was there.
pub async fn delete_bag(tx: &mut Tx, receive: i64, bag: i64) -> DbResult<Option<(i64, i64, i64)>> {
    let sql = Sql::with(
        "delete from receive_bags where receive_id = $1 and id = $2 returning box_no, bag_no, label_count",
        [receive.into(), bag.into()],
    );
    tx.fetch_optional(sql).await
}

/// The tablets PO `po_id` received by label, per inventory item of the bags' tablet types: the
/// bags of its published and closed receives (a draft's are still being scanned).
pub async fn received_by_item(db: &Db, po_id: i64) -> DbResult<Vec<(String, i64)>> {
    let sql = Sql::with(
        // Summed per tablet type id first: grouping the bags by the item's text sorted them by a
        // string compare (SC-BIG: 1,800 bags, one of the page's costlier steps on SQLite).
        "select t.inventory_item, cast(sum(s.tablets) as bigint) from (select b.tablet_type_id, \
         sum(b.label_count) as tablets from receive_bags b join receives r on r.id = b.receive_id \
         where r.po_id = $1 and r.status <> 'draft' group by b.tablet_type_id) s \
         join tablet_types t on t.id = s.tablet_type_id group by t.inventory_item",
        [po_id.into()],
    );
    read_all(db, sql).await
}

/// The inventory items of the bags in PO `po_id`'s receives, drafts included: the lines an edit
/// of the PO keeps, since those bags' labels name them.
pub async fn items_in_receives(tx: &mut Tx, po_id: i64) -> DbResult<Vec<String>> {
    let sql = Sql::with(
        "select distinct t.inventory_item from receive_bags b join receives r on r.id = b.receive_id \
         join tablet_types t on t.id = b.tablet_type_id where r.po_id = $1",
        [po_id.into()],
    );
    Ok(tx.fetch_all::<(String,)>(sql).await?.into_iter().map(|(item,)| item).collect())
}
