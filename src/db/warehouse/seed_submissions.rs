//! Benchmark floor counts (`seed --scale N`): N×100,000 submissions over the published bags the
//! scale seed made — packaged, bag and machine counts by the same formulas the floor uses, each
//! on its bag's PO and that PO's line for its tablet type — every one approved but the newest
//! 500 (a floor approved day by day). The PO lines are then set to the sums over their
//! submissions, so recalculate finds no drift. Written in bulk, not audited.
use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::Rng;

use crate::db::engine::bulk::write_rows;
use crate::db::engine::{DbResult, Sql, Tx, Value};
use crate::model::platform::day_range::iso_day;
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::submissions::{machine_tablets, packaged_tablets};

const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "submitted_on",
    "employee",
    "tablet_type_id",
    "product_id",
    "machine_id",
    "box_no",
    "bag_no",
    "displays",
    "packs",
    "loose",
    "turns",
    "ppd",
    "tpp",
    "cards_per_turn",
    "good",
    "damaged",
    "bag_id",
    "po_id",
    "po_line_id",
    "verified_by",
    "verified_at",
    "created_at",
    "updated_at",
];

/// Submissions per scale step, rows per bulk write, and how many of the newest wait.
const PER_SCALE: i64 = 100_000;
const CHUNK: i64 = 20_000;
const WAITING: i64 = 500;

/// A published bag: id, box, bag, tablet type id, its receive's PO id.
pub type SeedBag = (i64, i64, i64, i64, i64);

/// What the counts are made of: the published bags, each PO's line by (PO id, tablet type id),
/// each tablet type's products (id, ppd, tpp), the machines' ids.
pub struct SeedFloor {
    pub bags: Vec<SeedBag>,
    pub lines: HashMap<(i64, i64), i64>,
    pub products: HashMap<i64, Vec<(i64, i64, i64)>>,
    pub machines: Vec<i64>,
}

/// Writes N×100,000 submissions over `floor`, then sets every PO line to the sums over its
/// submissions; how many were written.
pub async fn seed_submissions(
    tx: &mut Tx,
    rng: &mut StdRng,
    n: i64,
    floor: &SeedFloor,
    now: Timestamp,
) -> DbResult<i64> {
    let total = n * PER_SCALE;
    if floor.bags.is_empty() {
        return Ok(0);
    }
    for first in (1..=total).step_by(CHUNK as usize) {
        let rows = (first..=(first + CHUNK - 1).min(total)).map(|id| submission(rng, id, total, floor, now)).collect();
        write_rows(tx, "submissions", COLUMNS, rows).await?;
    }
    tx.execute(Sql::new(LINES_TO_SUMS)).await?;
    Ok(total)
}

/// Every line set to the sums over the submissions that name it (recalculate's derived counts).
const LINES_TO_SUMS: &str = "update po_lines set \
     good = coalesce((select sum(s.good) from submissions s where s.po_line_id = po_lines.id and s.kind = 'packaged'), 0), \
     damaged = coalesce((select sum(s.damaged) from submissions s where s.po_line_id = po_lines.id and s.kind = 'packaged'), 0), \
     machine_good = coalesce((select sum(s.good) from submissions s where s.po_line_id = po_lines.id and s.kind = 'machine'), 0), \
     machine_damaged = coalesce((select sum(s.damaged) from submissions s where s.po_line_id = po_lines.id and s.kind = 'machine'), 0)";

/// Submission `id` of `total`: a random published bag's count, dated within the last year
/// (the newest ids the newest days, so the list's first page is the newest ids).
fn submission(rng: &mut StdRng, id: i64, total: i64, floor: &SeedFloor, now: Timestamp) -> Vec<Value> {
    let (bag_id, box_no, bag_no, type_id, po) = floor.bags[rng.random_range(0..floor.bags.len())];
    let day = iso_day(now.into_inner().date() - time::Duration::days(364 * (total - id) / total));
    let products = floor.products.get(&type_id).map(Vec::as_slice).unwrap_or_default();
    let (kind, counts) = counts_of(rng, products, &floor.machines);
    let line = if kind == "bag" { None } else { floor.lines.get(&(po, type_id)).copied() };
    let verified = (id <= total - WAITING).then_some("seed");
    vec![
        id.into(),
        kind.into(),
        day.into(),
        format!("Seed staff {}", id % 20 + 1).into(),
        type_id.into(),
        counts.product.into(),
        counts.machine.into(),
        box_no.into(),
        bag_no.into(),
        counts.displays.into(),
        counts.packs.into(),
        counts.loose.into(),
        counts.turns.into(),
        counts.ppd.into(),
        counts.tpp.into(),
        counts.cards.into(),
        counts.good.into(),
        counts.damaged.into(),
        bag_id.into(),
        po.into(),
        line.into(),
        Value::OptText(verified.map(str::to_string)),
        Value::OptTime(verified.map(|_| now)),
        now.into(),
        now.into(),
    ]
}

/// A count of a bag of a tablet type with `products`: seven in ten packaged (when it has a
/// product), one in ten by a machine, the rest bag counts; by the floor's formulas.
fn counts_of(rng: &mut StdRng, products: &[(i64, i64, i64)], machines: &[i64]) -> (&'static str, Counts) {
    let mut counts = Counts::default();
    match (rng.random_range(0..10), products.first()) {
        (0..=6, Some(_)) => {
            let (product, ppd, tpp) = products[rng.random_range(0..products.len())];
            let (displays, packs, loose) = (rng.random_range(0..3), rng.random_range(0..20), rng.random_range(0..50));
            counts = Counts { product: Some(product), displays, packs, loose, ppd, tpp, ..counts };
            counts.good = packaged_tablets(ppd, tpp, displays, packs, loose).unwrap_or(0);
            counts.damaged = rng.random_range(0..3);
            ("packaged", counts)
        }
        (7, Some(&(_, _, tpp))) if !machines.is_empty() => {
            let turns = rng.random_range(1..50);
            let machine = machines[rng.random_range(0..machines.len())];
            counts = Counts { machine: Some(machine), turns, tpp, cards: 1, ..counts };
            counts.good = machine_tablets(turns, 1, tpp).unwrap_or(0);
            ("machine", counts)
        }
        _ => {
            counts.good = rng.random_range(50..500);
            ("bag", counts)
        }
    }
}

/// What a count's kind fills in.
#[derive(Default, Clone, Copy)]
struct Counts {
    product: Option<i64>,
    machine: Option<i64>,
    displays: i64,
    packs: i64,
    loose: i64,
    turns: i64,
    ppd: i64,
    tpp: i64,
    cards: i64,
    good: i64,
    damaged: i64,
}
