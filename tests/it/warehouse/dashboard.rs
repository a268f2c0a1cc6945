//! The warehouse's dashboard on both engines: POs by state, the remaining count over the open
//! POs, the active POs with their sums, the newest submissions and the queue by reason; kept
//! between reads, and made again as soon as a count, a PO move or a close is committed.
use backroom::db::engine::Db;
use backroom::model::warehouse::dashboard::{ActivePo, PoStateCounts};
use backroom::model::warehouse::po_rules::PoStatus;
use backroom::model::warehouse::review::WaitReason;
use backroom::warehouse::dashboard::{remembered_dashboard, warehouse_dashboard};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::purchase_orders::{close_po, move_po};

use super::submissions::{now, packaged, po, receive, record};
use crate::support::builders::actor;

#[tokio::test]
async fn the_dashboard_is_kept_between_reads_and_shows_every_write_at_once() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        for number in ["PO-B", "PO-A", "PO-C"] {
            po(&db, number).await;
        }
        move_po(&db, &actor(), "PO-A", PoStatus::Issued, now()).await.unwrap();
        move_po(&db, &actor(), "PO-B", PoStatus::Issued, now()).await.unwrap();
        receive(&db, "PO-A", &["2x480"], false).await;
        record(&db, &packaged("2", "10", "7", "3", Some((1, 2)))).await.unwrap();
        receive(&db, "PO-B", &["3x480"], false).await; // box 1's bags 1 to 3: bag 3 is PO-B's only
        let kept = remembered_dashboard(&db);

        let first = warehouse_dashboard(&db, &kept).await.unwrap();
        assert_eq!(first.pos, PoStateCounts { open: 2, closed: 0, draft: 1 });
        // Two open POs of 11,000 each, 207 good and 3 damaged counted on PO-A.
        assert_eq!(first.remaining_open, 22_000 - 210);
        let active = |number: &str, remaining| ActivePo { number: number.into(), ordered: 11_000, remaining };
        assert_eq!(first.active, vec![active("PO-A", 10_790)], "PO-B has no counts yet");
        assert_eq!(first.submissions.len(), 1);
        assert_eq!(first.queue.by_reason, vec![(WaitReason::Under, 1)], "207 of 480 is under");
        assert_eq!(warehouse_dashboard(&db, &kept).await.unwrap(), first, "nothing changed");

        record(&db, &packaged("", "", "9", "", Some((1, 3)))).await.unwrap();
        let counted = warehouse_dashboard(&db, &kept).await.unwrap();
        assert_eq!(counted.active, vec![active("PO-A", 10_790), active("PO-B", 10_991)], "by number");
        assert_eq!(counted.remaining_open, 22_000 - 219);
        assert_eq!(counted.submissions.len(), 2);
        assert_eq!(counted.queue.by_reason, vec![(WaitReason::Under, 2)]);

        close_po(&db, &actor(), "PO-A", "Short shipment", now()).await.unwrap();
        let closed = warehouse_dashboard(&db, &kept).await.unwrap();
        assert_eq!(closed.pos, PoStateCounts { open: 1, closed: 1, draft: 1 });
        assert_eq!(closed.remaining_open, 11_000 - 9);
        assert_eq!(closed.active, vec![active("PO-B", 10_991)]);
    })
    .await;
}
