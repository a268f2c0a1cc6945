//! The warehouse's dashboard and bag board, read for the pages: the figures made into what a
//! manager reads, each bag's status by the one rule.
//!
//! The dashboard is kept between page views: at 1,000,000 submissions its reads cost 16 ms
//! (the review queue by reason 9 ms, the remaining count over 20,000 open lines 4.5 ms, the
//! POs by state 1.8 ms, on a scale-10 SQLite copy), which under 16 managers' connections put
//! its p99 at 1.13 s. The queue by reason grows with the unverified rows (0.9 to 1.1 s with
//! 63,000), so the dashboard takes it from where the review queue keeps it.
use std::time::Duration;

use super::receiving::last_receives;
use super::review::queue_size;
use super::submission_list::submission_rows;
use super::WarehouseResult;
use crate::db::engine::generations::Domain;
use crate::db::engine::remembered::Remembered;
use crate::db::engine::Db;
use crate::db::warehouse::dashboard::{active_pos, last_count_change, open_bags, po_state_counts, remaining_on_open};
use crate::db::warehouse::settings::warehouse_settings;
use crate::model::warehouse::dashboard::{
    ActivePo, BagBoard, OpenBag, PoStateCounts, WarehouseDashboard, ACTIVE_POS, BOARD_BAGS, LAST_RECEIVES,
    LAST_SUBMISSIONS,
};
use crate::model::warehouse::receiving::{bag_name, receive_name};
use crate::model::warehouse::review_views::QueueSize;
use crate::model::warehouse::submission_list::SubmissionFilter;
use crate::model::warehouse::submissions::bag_status;

/// How long a kept dashboard is shown at most: what it can miss is a write no generation of
/// the server's hears of (a CLI command on the SQLite file beside it; `seed --scale`, which
/// writes no audit rows).
const DASHBOARD_TTL: Duration = Duration::from_secs(10);

/// Where the dashboard is kept. Every warehouse write (a count, a review, a PO, a receive, the
/// reference data, the settings) is audited inside its transaction, and an audit row moves
/// `Domain::Admin` at commit (on every server sharing the database), so no write is shown
/// late; other audited writes make it again too, which costs one making.
pub fn remembered_dashboard(db: &Db) -> Remembered<WarehouseDashboard> {
    Remembered::new(db.generations().clone(), Domain::Admin, DASHBOARD_TTL)
}

/// Everything the dashboard shows: kept in `kept` while no write moved it, with the queue's
/// size by reason the review queue keeps (`queue`), so one write costs one making of it.
pub async fn warehouse_dashboard(
    db: &Db,
    kept: &Remembered<WarehouseDashboard>,
    queue: &Remembered<QueueSize>,
) -> WarehouseResult<WarehouseDashboard> {
    kept.get_or_make(|| read_dashboard(db, queue)).await
}

/// Everything the dashboard shows, read now (the queue's size from `queue` if kept).
async fn read_dashboard(db: &Db, queue: &Remembered<QueueSize>) -> WarehouseResult<WarehouseDashboard> {
    let (open, closed, draft) = po_state_counts(db).await?;
    let active = active_pos(db, ACTIVE_POS).await?;
    let (submissions, _) = submission_rows(db, &SubmissionFilter::default(), LAST_SUBMISSIONS).await?;
    Ok(WarehouseDashboard {
        pos: PoStateCounts { open, closed, draft },
        remaining_open: remaining_on_open(db).await?,
        active: active
            .into_iter()
            .map(|(number, ordered, remaining)| ActivePo { number, ordered, remaining })
            .collect(),
        receives: last_receives(db, LAST_RECEIVES).await?,
        submissions,
        queue: queue.get_or_make(|| queue_size(db)).await?,
    })
}

/// The open bags against their labels, newest receive first.
pub async fn bag_board(db: &Db) -> WarehouseResult<BagBoard> {
    let tolerance = warehouse_settings(db).await?.count_tolerance;
    // Read before the bags: a change made while they are read is then one the feed reports.
    let version = last_count_change(db).await?;
    let mut rows = open_bags(db, BOARD_BAGS + 1).await?;
    let more = rows.len() as i64 > BOARD_BAGS;
    rows.truncate(BOARD_BAGS as usize);
    let bags = rows
        .into_iter()
        .map(|b| {
            let name = match b.po.zip(b.place) {
                Some((po, place)) => bag_name(&receive_name(&po, place), b.box_no, b.bag_no),
                None => format!("Receive {} (no PO), box {}, bag {}", b.receive_id, b.box_no, b.bag_no),
            };
            let status = bag_status(Some((b.running, b.label_count)), tolerance);
            OpenBag { name, tablet_type: b.tablet_type, label_count: b.label_count, running: b.running, status }
        })
        .collect();
    Ok(BagBoard { version, bags, more })
}
