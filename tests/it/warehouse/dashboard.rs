//! The warehouse's dashboard on both engines: POs by state, the remaining count over the open
//! POs, the active POs with their sums, the newest submissions and the queue by reason. It is
//! kept between reads (a change no generation hears is not shown), and shown again as soon as
//! a count or a close is committed, on a server other than the writer's on PostgreSQL.
use std::time::Duration;

use backroom::db::engine::generations::Domain;
use backroom::db::engine::remembered::Remembered;
use backroom::db::engine::{Db, Sql};
use backroom::model::warehouse::dashboard::{ActivePo, PoStateCounts, WarehouseDashboard};
use backroom::model::warehouse::po_rules::PoStatus;
use backroom::model::warehouse::review::WaitReason;
use backroom::model::warehouse::review_views::QueueSize;
use backroom::warehouse::dashboard::{remembered_dashboard, warehouse_dashboard};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::purchase_orders::{close_po, move_po};
use backroom::warehouse::review::remembered_queue_size;

use super::submissions::{now, packaged, po, receive, record};
use crate::support::builders::actor;
use crate::support::{hear_changes, second_server};

/// How soon the reading server must hear a write (as the scale-out tests ask).
const WITHIN: Duration = Duration::from_secs(1);

fn active(number: &str, remaining: i64) -> ActivePo {
    ActivePo { number: number.into(), ordered: 11_000, remaining }
}

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
                                                       // Read where another server would: on PostgreSQL a pool and listener of its own, started
                                                       // after the writes above; SQLite has one server per file.
        let reader = match db {
            Db::Postgres(..) => second_server(&db).await,
            Db::Sqlite(..) => db.clone(),
        };
        hear_changes(&reader).await;
        let kept = remembered_dashboard(&reader);
        let queue = remembered_queue_size(&reader);

        let first = warehouse_dashboard(&reader, &kept, &queue).await.unwrap();
        assert_eq!(first.pos, PoStateCounts { open: 2, closed: 0, draft: 1 });
        // Two open POs of 11,000 each, 207 good and 3 damaged counted on PO-A.
        assert_eq!(first.remaining_open, 22_000 - 210);
        assert_eq!(first.active, vec![active("PO-A", 10_790)], "PO-B has no counts yet");
        assert_eq!(first.submissions.len(), 1);
        assert_eq!(first.queue.by_reason, vec![(WaitReason::Under, 1)], "207 of 480 is under");

        let mut unheard = db.begin_write().await.unwrap();
        unheard.execute(Sql::new("update po_lines set good = good + 1000 where line_no = 1")).await.unwrap();
        unheard.commit().await.unwrap();
        assert_eq!(warehouse_dashboard(&reader, &kept, &queue).await.unwrap(), first, "kept: no generation moved");

        let counted = after(&reader, &kept, &queue, record(&db, &packaged("", "", "9", "", Some((1, 3))))).await;
        assert_eq!(counted.active, vec![active("PO-A", 9_790), active("PO-B", 9_991)], "in the PO list's order");
        assert_eq!(counted.remaining_open, 22_000 - 2_210 - 9, "the unheard change is read with the count");
        assert_eq!(counted.submissions.len(), 2);
        assert_eq!(counted.queue.by_reason, vec![(WaitReason::Under, 2)]);

        let closed = after(&reader, &kept, &queue, close_po(&db, &actor(), "PO-A", "Short", now())).await;
        assert_eq!(closed.pos, PoStateCounts { open: 1, closed: 1, draft: 1 });
        assert_eq!(closed.remaining_open, 11_000 - 1_009);
        assert_eq!(closed.active, vec![active("PO-B", 9_991)]);
    })
    .await;
}

/// The dashboard as `reader` shows it once it has heard `write` (made through the other
/// server on PostgreSQL; on SQLite the commit itself moves the generation).
async fn after<T: std::fmt::Debug, E: std::fmt::Debug>(
    reader: &Db,
    kept: &Remembered<WarehouseDashboard>,
    queue: &Remembered<QueueSize>,
    write: impl std::future::Future<Output = Result<T, E>>,
) -> WarehouseDashboard {
    let before = reader.generations().peek(Domain::Admin);
    write.await.unwrap();
    tokio::time::timeout(WITHIN, reader.generations().moved(Domain::Admin, before)).await.expect("the write is heard");
    warehouse_dashboard(reader, kept, queue).await.unwrap()
}
