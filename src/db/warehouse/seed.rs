//! Benchmark data for the warehouse (`seed --scale N`): N×1,000 purchase orders of one to three
//! lines over the catalogue's tablet types, N×5,000 receives (a tenth of them drafts) and
//! N×200,000 bags (40 per receive: 4 boxes of 10), from a fixed random seed; PO `SC-BIG`, 200
//! lines and 50 receives, the PO page's benchmark case; and N×100,000 floor counts over the
//! published bags (`seed_submissions`). Written in bulk, not audited.
use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::seed_submissions::{seed_submissions, SeedBag, SeedFloor};
use crate::db::engine::bulk::{sync_identities, write_rows};
use crate::db::engine::run::read_all;
use crate::db::engine::{Db, DbResult, Sql, Tx, Value};
use crate::model::platform::day_range::iso_day;
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::po_rules::po_list_key;

const PO_COLUMNS: &[&str] = &[
    "id",
    "number",
    "vendor",
    "tablet_type_id",
    "status",
    "closed",
    "close_reason",
    "parent_id",
    "created_by",
    "created_at",
    "updated_at",
    "list_key",
];
// A line's counts are set once the floor counts are written: the sums over them.
const LINE_COLUMNS: &[&str] = &["id", "po_id", "po_number", "line_no", "inventory_item", "name", "quantity_ordered"];
const RECEIVE_COLUMNS: &[&str] = &[
    "id",
    "po_id",
    "shipment_ref",
    "received_on",
    "received_by",
    "notes",
    "status",
    "created_by",
    "created_at",
    "updated_at",
];
const BAG_COLUMNS: &[&str] = &["id", "receive_id", "box_no", "bag_no", "tablet_type_id", "label_count"];

const STATUSES: [&str; 6] = ["issued", "shipped", "partially_received", "received", "active", "complete"];
const VENDORS: [&str; 4] = ["Acme Botanicals", "Kratom Direct", "Leaf & Co", "Northwind Supply"];
/// Bags per receive and per box.
const BAGS: i64 = 40;
const BAGS_PER_BOX: i64 = 10;
/// The PO page's benchmark case.
const BIG_LINES: i64 = 200;
const BIG_RECEIVES: i64 = 50;

/// A tablet type: id, inventory item, name.
type TabletType = (i64, String, String);

/// The catalogue's tablet types, which the POs and bags are made of.
pub async fn tablet_types(db: &Db) -> DbResult<Vec<TabletType>> {
    read_all(db, Sql::new("select id, inventory_item, name from tablet_types order by id")).await
}

/// Seeds scale `n` over `types` (not empty), in one transaction; says what it made.
pub async fn scale(db: &Db, n: u32, types: &[TabletType], now: Timestamp) -> DbResult<String> {
    let n = i64::from(n.max(1));
    let mut rng = StdRng::seed_from_u64(0x0BAC_5700 + n as u64);
    let (po_count, receive_count) = (n * 1_000, n * 5_000);
    let mut tx = db.begin_write().await?;
    let mut lines = HashMap::new();
    let po_types = write_pos(&mut tx, &mut rng, po_count, types, &mut lines, now).await?;
    let (mut bag_id, mut published) = (0, Vec::new());
    for first in (1..=receive_count).step_by(5_000) {
        let last = (first + 4_999).min(receive_count);
        let (receives, bags) = receives_of(&mut rng, first..=last, &po_types, (&mut bag_id, &mut published), now);
        write_rows(&mut tx, "receives", RECEIVE_COLUMNS, receives).await?;
        write_rows(&mut tx, "receive_bags", BAG_COLUMNS, bags).await?;
    }
    let floor =
        SeedFloor { bags: published, lines, products: products(&mut tx).await?, machines: machines(&mut tx).await? };
    let counts = seed_submissions(&mut tx, &mut rng, n, &floor, now).await?;
    tx.commit().await?;
    sync_identities(db, &["purchase_orders", "po_lines", "receives", "receive_bags", "submissions"]).await?;
    crate::db::engine::bulk::vacuum_after_seed(db).await?;
    Ok(format!("{} purchase orders, {receive_count} receives, {bag_id} bags, {counts} floor counts", po_count + 1))
}

/// Each tablet type's products in use: (id, ppd, tpp), by id.
async fn products(tx: &mut Tx) -> DbResult<HashMap<i64, Vec<(i64, i64, i64)>>> {
    let mut sql = Sql::new("select id, tablet_type_id, ppd, tpp from products where archived = ");
    sql.bind(false).push(" order by id");
    let mut by_type: HashMap<i64, Vec<(i64, i64, i64)>> = HashMap::new();
    for (id, type_id, ppd, tpp) in tx.fetch_all::<(i64, i64, i64, i64)>(sql).await? {
        by_type.entry(type_id).or_default().push((id, ppd, tpp));
    }
    Ok(by_type)
}

async fn machines(tx: &mut Tx) -> DbResult<Vec<i64>> {
    let rows = tx.fetch_all::<(i64,)>(Sql::new("select id from machines order by id")).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// POs 1..=count and SC-BIG (id count + 1) with their lines; each PO's tablet type id. `by_type`
/// gets each line's id by its PO and its item's tablet type.
async fn write_pos(
    tx: &mut Tx,
    rng: &mut StdRng,
    count: i64,
    types: &[TabletType],
    by_type: &mut HashMap<(i64, i64), i64>,
    now: Timestamp,
) -> DbResult<Vec<i64>> {
    let (mut pos, mut lines, mut po_types) = (Vec::new(), Vec::new(), Vec::new());
    for id in 1..=count + 1 {
        let big = id == count + 1;
        let kind = &types[rng.random_range(0..types.len())];
        let status = STATUSES[rng.random_range(0..STATUSES.len())];
        let number = if big { "SC-BIG".to_string() } else { format!("SC-{id:06}") };
        let created = now.plus_secs(-rng.random_range(86_400..400 * 86_400));
        let closed = status == "complete" && rng.random_bool(0.8);
        pos.push(vec![
            id.into(),
            number.clone().into(),
            VENDORS[rng.random_range(0..VENDORS.len())].into(),
            kind.0.into(),
            status.into(),
            closed.into(),
            "".into(),
            Value::OptInt(None),
            "seed".into(),
            created.into(),
            created.into(),
            po_list_key(&number, None).into(),
        ]);
        let made = lines_of(rng, (id, &number), big.then_some(BIG_LINES), kind.0, types, lines.len() as i64);
        for (type_id, row) in made {
            if let (Some(type_id), Some(Value::Int(line))) = (type_id, row.first()) {
                by_type.entry((id, type_id)).or_insert(*line);
            }
            lines.push(row);
        }
        po_types.push(kind.0);
    }
    write_rows(tx, "purchase_orders", PO_COLUMNS, pos).await?;
    write_rows(tx, "po_lines", LINE_COLUMNS, lines).await?;
    Ok(po_types)
}

/// PO `po`'s lines (ids after `last_id`), each with its item's tablet type: `big` lines of their
/// own items (no type), else one to three of the catalogue's items from tablet type `kind`'s on.
fn lines_of(
    rng: &mut StdRng,
    (po, number): (i64, &str),
    big: Option<i64>,
    kind: i64,
    types: &[TabletType],
    last_id: i64,
) -> Vec<(Option<i64>, Vec<Value>)> {
    let count = big.unwrap_or_else(|| rng.random_range(1..=3));
    // The first line is of the PO's own tablet type, which its bags hold and its counts go on.
    let start = types.iter().position(|t| t.0 == kind).unwrap_or(0);
    (1..=count)
        .map(|line_no| {
            let (type_id, item, name) = match big {
                Some(_) => (None, format!("BIG-ITEM-{line_no:03}"), format!("Big item {line_no}")),
                None => {
                    let t = &types[(start + line_no as usize - 1) % types.len()];
                    (Some(t.0), t.1.clone(), t.2.clone())
                }
            };
            let ordered = rng.random_range(10..500) * 100;
            let id = last_id + line_no;
            (
                type_id,
                vec![id.into(), po.into(), number.into(), line_no.into(), item.into(), name.into(), ordered.into()],
            )
        })
        .collect()
}

/// Receives `ids` with their bags: the first 50 are SC-BIG's; every tenth is a draft. Each
/// published receive's bags are added to `published`.
fn receives_of(
    rng: &mut StdRng,
    ids: std::ops::RangeInclusive<i64>,
    po_types: &[i64],
    (bag_id, published): (&mut i64, &mut Vec<SeedBag>),
    now: Timestamp,
) -> (Vec<Vec<Value>>, Vec<Vec<Value>>) {
    let (mut receives, mut bags) = (Vec::new(), Vec::new());
    let today = now.into_inner().date();
    for id in ids {
        let po = if id <= BIG_RECEIVES { po_types.len() as i64 } else { rng.random_range(1..po_types.len() as i64) };
        let day = iso_day(today - time::Duration::days(rng.random_range(0..365)));
        let status = match id % 10 {
            0 => "draft",
            8 | 9 => "closed",
            _ => "published",
        };
        receives.push(vec![
            id.into(),
            po.into(),
            format!("SHIP-{id:07}").into(),
            day.into(),
            "Seed receiver".into(),
            "".into(),
            status.into(),
            "seed".into(),
            now.into(),
            now.into(),
        ]);
        for bag in 0..BAGS {
            *bag_id += 1;
            let label = rng.random_range(100..=1_000);
            let (box_no, bag_no, type_id) = (bag / BAGS_PER_BOX + 1, bag % BAGS_PER_BOX + 1, po_types[po as usize - 1]);
            if status == "published" {
                published.push((*bag_id, box_no, bag_no, type_id, po));
            }
            let row: Vec<Value> =
                vec![(*bag_id).into(), id.into(), box_no.into(), bag_no.into(), type_id.into(), label.into()];
            bags.push(row);
        }
    }
    (receives, bags)
}
