//! The demo catalogue (`seed --demo`, DOMAIN.md): 3 categories, 15 tablet types, 21 products and
//! 2 machines, and the two demo purchase orders with a receive, created through the same service
//! calls as the pages, so each is audited; and the benchmark data of `seed --scale`.
use super::purchase_orders::{create_po, move_po};
use super::receive_bags::scan_into;
use super::receiving::{advance_receive, create_receive};
use super::reference::create_reference;
use super::WarehouseResult;
use crate::db::engine::Db;
use crate::db::platform::audit::Actor;
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::po_form::{PoForm, PoLineForm};
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::receiving::{ReceiveForm, ReceiveStatus};
use crate::model::warehouse::reference::RefInput;
use crate::model::warehouse::scan::Scan;

const CATEGORIES: [&str; 3] = ["7OH", "FIX", "Classic"];

/// Tablet types: name, inventory item, category.
const TABLET_TYPES: [(&str, &str, &str); 15] = [
    ("18mg 7OH", "INV-7OH-18", "7OH"),
    ("25mg 7OH", "INV-7OH-25", "7OH"),
    ("30mg 7OH", "INV-7OH-30", "7OH"),
    ("40mg 7OH", "INV-7OH-40", "7OH"),
    ("FIX Energy", "INV-FIX-ENERGY", "FIX"),
    ("FIX Relax", "INV-FIX-RELAX", "FIX"),
    ("FIX Focus", "INV-FIX-FOCUS", "FIX"),
    ("FIX Sleep", "INV-FIX-SLEEP", "FIX"),
    ("FIX Mood", "INV-FIX-MOOD", "FIX"),
    ("Classic Red", "INV-CL-RED", "Classic"),
    ("Classic Green", "INV-CL-GREEN", "Classic"),
    ("Classic White", "INV-CL-WHITE", "Classic"),
    ("Classic Gold", "INV-CL-GOLD", "Classic"),
    ("Sample Mix", "INV-SAMPLE", "Classic"),
    ("Blank Test", "INV-TEST", "Classic"),
];

/// Products: name, tablet type, packages per display, tablets per package.
const PRODUCTS: [(&str, &str, i64, i64); 21] = [
    ("7OH 4ct", "18mg 7OH", 20, 4),
    ("7OH 10ct", "18mg 7OH", 10, 10),
    ("7OH 25mg 4ct", "25mg 7OH", 20, 4),
    ("7OH 25mg 10ct", "25mg 7OH", 10, 10),
    ("7OH 30mg 3ct", "30mg 7OH", 20, 3),
    ("7OH 30mg 6ct", "30mg 7OH", 12, 6),
    ("7OH 40mg 2ct", "40mg 7OH", 24, 2),
    ("5ct FIX Energy", "FIX Energy", 10, 5),
    ("12ct FIX Energy", "FIX Energy", 12, 12),
    ("5ct FIX Relax", "FIX Relax", 10, 5),
    ("12ct FIX Relax", "FIX Relax", 12, 12),
    ("5ct FIX Focus", "FIX Focus", 10, 5),
    ("12ct FIX Focus", "FIX Focus", 12, 12),
    ("5ct FIX Sleep", "FIX Sleep", 10, 5),
    ("5ct FIX Mood", "FIX Mood", 10, 5),
    ("Classic Red 8ct", "Classic Red", 12, 8),
    ("Classic Green 8ct", "Classic Green", 12, 8),
    ("Classic White 8ct", "Classic White", 12, 8),
    ("Classic Gold 8ct", "Classic Gold", 12, 8),
    ("Sample Mix 1ct", "Sample Mix", 50, 1),
    ("Test Blank 1ct", "Blank Test", 1, 1),
];

/// Machines: name, cards per turn (none: the warehouse setting's).
const MACHINES: [(&str, Option<i64>); 2] = [("Blister line 1", None), ("Blister line 2", Some(2))];

/// Creates the demo catalogue; returns how many rows it made.
pub async fn seed_demo_catalogue(db: &Db, now: Timestamp) -> WarehouseResult<usize> {
    let actor = Actor { name: "seed".to_string(), ..Default::default() };
    let categories = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, name)| RefInput::Category { name: name.to_string(), position: i as i64 + 1 });
    let types = TABLET_TYPES.iter().map(|(name, item, category)| RefInput::TabletType {
        name: name.to_string(),
        inventory_item: item.to_string(),
        category: Some(category.to_string()),
    });
    let products = PRODUCTS.iter().map(|(name, tablet_type, ppd, tpp)| RefInput::Product {
        name: name.to_string(),
        tablet_type: tablet_type.to_string(),
        ppd: *ppd,
        tpp: *tpp,
    });
    let machines =
        MACHINES.iter().map(|(name, cards)| RefInput::Machine { name: name.to_string(), cards_per_turn: *cards });
    let rows: Vec<RefInput> = categories.chain(types).chain(products).chain(machines).collect();
    for input in &rows {
        create_reference(db, &actor, input, now).await?;
    }
    Ok(rows.len())
}

/// The demo catalogue unless tablet types exist already (`seed --scale` made it): how many
/// rows it added.
pub async fn ensure_demo_catalogue(db: &Db, now: Timestamp) -> WarehouseResult<usize> {
    if crate::db::warehouse::seed::tablet_types(db).await?.is_empty() {
        seed_demo_catalogue(db, now).await
    } else {
        Ok(0)
    }
}

/// Benchmark data at scale `n` (`db::warehouse::seed`), over the demo catalogue, which is
/// made first when missing.
pub async fn seed_scale(db: &Db, n: u32, now: Timestamp) -> WarehouseResult<String> {
    ensure_demo_catalogue(db, now).await?;
    let types = crate::db::warehouse::seed::tablet_types(db).await?;
    Ok(crate::db::warehouse::seed::scale(db, n, &types, now).await?)
}

/// The demo POs: number, vendor, tablet type, and the quantity of its one line.
const POS: [(&str, &str, &str, &str, &str); 2] = [
    ("PO-TEST-001", "Acme Botanicals", "18mg 7OH", "INV-7OH-18", "1000"),
    ("PO-TEST-002", "Acme Botanicals", "FIX Relax", "INV-FIX-RELAX", "2000"),
];

/// Creates the two demo POs (1,000 and 2,000 tablets), issued, and the first's receive;
/// returns their numbers.
pub async fn seed_demo_pos(db: &Db, now: Timestamp) -> WarehouseResult<Vec<String>> {
    let actor = Actor { name: "seed".to_string(), ..Default::default() };
    let mut numbers = Vec::new();
    for (number, vendor, tablet_type, item, quantity) in POS {
        let line = PoLineForm { inventory_item: item.into(), name: String::new(), quantity: quantity.into() };
        let form = PoForm {
            number: number.into(),
            vendor: vendor.into(),
            tablet_type: tablet_type.into(),
            lines: vec![line],
            ..Default::default()
        };
        let input = form.validate().map_err(super::WarehouseError::Invalid)?;
        let number = create_po(db, &actor, &input, now).await?;
        move_po(db, &actor, &number, PoStatus::Issued, now).await?;
        numbers.push(number);
    }
    seed_demo_receive(db, &actor, now).await?;
    Ok(numbers)
}

/// PO-TEST-001's first shipment, published: two boxes of five bags of 100 tablets.
async fn seed_demo_receive(db: &Db, actor: &Actor, now: Timestamp) -> WarehouseResult<()> {
    let day = crate::model::platform::day_range::iso_day(now.into_inner().date());
    let form = ReceiveForm {
        po: "PO-TEST-001".into(),
        shipment_ref: "DEMO-SHIP-1".into(),
        received_on: day,
        received_by: "Demo receiver".into(),
        notes: String::new(),
    };
    let input = form.validate(now.into_inner().date()).map_err(super::WarehouseError::Invalid)?;
    let (id, _) = create_receive(db, actor, &input, now).await?;
    for box_no in 1..=2 {
        scan_into(db, actor, id, box_no, "18mg 7OH", Scan::Bags { count: 5, label: 100 }, now).await?;
    }
    advance_receive(db, actor, id, ReceiveStatus::Published, now).await
}
