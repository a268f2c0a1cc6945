//! What a floor submission is counted against, found: the product, machine and tablet type
//! it names, the received bags that match its (tablet type, box, bag) or its label, and the
//! PO line of its item.
use crate::db::engine::{DbResult, Sql, Tx};
use crate::model::warehouse::checks::name_key;

crate::db::engine::inline::row! {
    /// A product as a packaged count reads it.
    pub struct ProductFactors {
        pub id: i64,
        pub tablet_type_id: i64,
        pub ppd: i64,
        pub tpp: i64,
        pub archived: bool,
    }
}

crate::db::engine::inline::row! {
    /// A received bag a submission may be counted against, with its receive's PO.
    pub struct BagMatch {
        pub bag_id: i64,
        pub tablet_type_id: i64,
        pub box_no: i64,
        pub bag_no: i64,
        pub receive_status: String,
        pub po_id: Option<i64>,
    }
}

/// The product named `name` (whatever its case).
pub async fn product_named(tx: &mut Tx, name: &str) -> DbResult<Option<ProductFactors>> {
    let sql = Sql::with(
        "select id, tablet_type_id, ppd, tpp, archived from products where name_key = $1",
        [name_key(name).into()],
    );
    tx.fetch_optional(sql).await
}

/// The machine named `name`: its id, its cards per turn if it sets them, whether archived.
pub async fn machine_named(tx: &mut Tx, name: &str) -> DbResult<Option<(i64, Option<i64>, bool)>> {
    let sql =
        Sql::with("select id, cards_per_turn, archived from machines where name_key = $1", [name_key(name).into()]);
    tx.fetch_optional(sql).await
}

/// Tablets per package of tablet type `type_id`'s first product (by id, in-use ones first).
pub async fn first_product_tpp(tx: &mut Tx, type_id: i64) -> DbResult<Option<i64>> {
    let sql =
        Sql::with("select tpp from products where tablet_type_id = $1 order by archived, id limit 1", [type_id.into()]);
    Ok(tx.fetch_optional::<(i64,)>(sql).await?.map(|(n,)| n))
}

const BAG_SELECT: &str = "select b.id as bag_id, b.tablet_type_id, b.box_no, b.bag_no, r.status as receive_status, \
     r.po_id from receive_bags b join receives r on r.id = b.receive_id ";

/// The bags of published receives holding tablet type `type_id` as bag `bag_no` of box
/// `box_no`; at most `limit`, oldest first.
pub async fn matching_bags(tx: &mut Tx, type_id: i64, box_no: i64, bag_no: i64, limit: i64) -> DbResult<Vec<BagMatch>> {
    let mut sql = Sql::new(BAG_SELECT);
    sql.push("where b.tablet_type_id = ").bind(type_id).push(" and b.box_no = ").bind(box_no);
    sql.push(" and b.bag_no = ").bind(bag_no).push(" and r.status = 'published' order by b.id limit ").bind(limit);
    tx.fetch_all(sql).await
}

/// Bag `id`, wherever it is.
pub async fn bag_by_id(tx: &mut Tx, id: i64) -> DbResult<Option<BagMatch>> {
    let mut sql = Sql::new(BAG_SELECT);
    sql.push("where b.id = ").bind(id);
    tx.fetch_optional(sql).await
}

/// The PO numbered `number` (whatever its case): its id and number, and whether it is closed
/// or cancelled; its row locked until the write ends.
pub async fn po_named(tx: &mut Tx, number: &str) -> DbResult<Option<(i64, String, bool)>> {
    let mut sql =
        Sql::new("select p.id, p.number, p.closed or p.status = 'cancelled' from purchase_orders p where lower(p.number) = lower(");
    sql.bind(number).push(")").push(&tx.lock_rows_of("p"));
    tx.fetch_optional(sql).await
}

/// PO `id`'s number and whether it is closed or cancelled, its row locked until the write
/// ends: a count onto its lines and a cancel or close of it take turns.
pub async fn po_state_in(tx: &mut Tx, id: i64) -> DbResult<Option<(String, bool)>> {
    let mut sql = Sql::new("select p.number, p.closed or p.status = 'cancelled' from purchase_orders p where p.id = ");
    sql.bind(id).push(&tx.lock_rows_of("p"));
    tx.fetch_optional(sql).await
}

/// The bag a label names: bag `bag_no` of box `box_no` in the `place`-th receive (by date,
/// then id) of the PO numbered `po`, whatever its receive's status.
pub async fn bag_by_label(tx: &mut Tx, po: &str, place: i64, box_no: i64, bag_no: i64) -> DbResult<Option<BagMatch>> {
    let mut sql = Sql::new(BAG_SELECT);
    sql.push("where b.receive_id = (select r2.id from receives r2 join purchase_orders p on p.id = r2.po_id ");
    sql.push("where lower(p.number) = lower(").bind(po).push(") order by r2.received_on, r2.id limit 1 offset ");
    sql.bind(place - 1).push(") and b.box_no = ").bind(box_no).push(" and b.bag_no = ").bind(bag_no);
    tx.fetch_optional(sql).await
}

/// The first line of PO `po_id` whose inventory item is tablet type `type_id`'s.
pub async fn line_for_type(tx: &mut Tx, po_id: i64, type_id: i64) -> DbResult<Option<i64>> {
    let sql = Sql::with(
        "select l.id from po_lines l join tablet_types t on t.inventory_item = l.inventory_item \
         where l.po_id = $1 and t.id = $2 order by l.line_no limit 1",
        [po_id.into(), type_id.into()],
    );
    Ok(tx.fetch_optional::<(i64,)>(sql).await?.map(|(n,)| n))
}
