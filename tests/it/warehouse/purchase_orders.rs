//! Purchase orders through the service: DOMAIN.md's numbers (remaining 92, overs, "no overs"),
//! rounds across POs that share an item, the status flow, closing short, unique numbers.
use backroom::db::engine::{Db, Sql};
use backroom::db::platform::audit::count_events;
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::model::warehouse::po_rules::PoStatus;
use backroom::model::warehouse::po_views::PoDetail;
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::po_detail::po_detail;
use backroom::warehouse::purchase_orders::{close_po, create_overs_po, create_po, move_po};
use backroom::warehouse::WarehouseError;

use crate::support::builders::actor;

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T09:00:00Z").expect("a time")
}

fn form(number: &str, lines: &[(&str, &str)]) -> PoForm {
    let lines = lines
        .iter()
        .map(|(item, quantity)| PoLineForm {
            inventory_item: item.to_string(),
            // The demo catalogue's items leave the name to their tablet type.
            name: if item.starts_with("INV-") { String::new() } else { format!("{item} tablets") },
            quantity: quantity.to_string(),
        })
        .collect();
    PoForm { number: number.into(), vendor: "Acme Pharma".into(), lines, ..Default::default() }
}

async fn create(db: &Db, number: &str, lines: &[(&str, &str)]) -> String {
    create_po(db, &actor(), &form(number, lines).validate().unwrap(), now()).await.expect("created")
}

async fn detail(db: &Db, number: &str) -> PoDetail {
    po_detail(db, number).await.expect("the PO")
}

/// Sets a line's counts, as floor submissions will (Warehouse II).
async fn count(db: &Db, number: &str, line_no: i64, good: i64, damaged: i64) {
    let mut tx = db.begin_write().await.unwrap();
    tx.execute(Sql::with(
        "update po_lines set good = $1, damaged = $2 where line_no = $3 \
         and po_id = (select id from purchase_orders where number = $4)",
        [good.into(), damaged.into(), line_no.into(), number.into()],
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn conflict(result: Result<impl std::fmt::Debug, WarehouseError>) -> String {
    match result {
        Err(WarehouseError::Conflict(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_po_of_1000_with_905_good_and_3_damaged_has_92_to_come_and_no_overs() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        create(&db, "PO-TEST-001", &[("INV-7OH-18", "600"), ("INV-FIX-RELAX", "400")]).await;
        count(&db, "PO-TEST-001", 1, 500, 2).await;
        count(&db, "PO-TEST-001", 2, 405, 1).await;
        let po = detail(&db, "po-test-001").await;
        let t = po.totals();
        assert_eq!((t.ordered, t.good, t.damaged, t.remaining()), (1000, 905, 3, 92));
        let names: Vec<&str> = po.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["18mg 7OH", "FIX Relax"], "a line without a name takes its tablet type's");
        let refused = conflict(create_overs_po(&db, &actor(), "PO-TEST-001", now()).await);
        assert!(refused.contains("no overs"), "{refused}");
    })
    .await;
}

#[tokio::test]
async fn an_overs_po_holds_the_excess_of_each_line_under_its_parent() {
    crate::support::each_engine(|db: Db| async move {
        create(&db, "PO-9", &[("ITEM-A", "1000"), ("ITEM-B", "50")]).await;
        count(&db, "PO-9", 1, 1010, 5).await;
        count(&db, "PO-9", 2, 40, 0).await;
        assert_eq!(detail(&db, "PO-9").await.totals().remaining(), -5);
        let overs = create_overs_po(&db, &actor(), "PO-9", now()).await.unwrap();
        assert_eq!(overs, "PO-9-OVERS");
        let child = detail(&db, &overs).await;
        assert_eq!(child.parent.as_deref(), Some("PO-9"));
        let lines: Vec<(&str, i64)> =
            child.lines.iter().map(|l| (l.inventory_item.as_str(), l.counts.ordered)).collect();
        assert_eq!(lines, [("ITEM-A", 15)], "only the line that received more, for its excess");
        assert_eq!(detail(&db, "PO-9").await.overs_po.as_deref(), Some("PO-9-OVERS"));
        assert!(conflict(create_overs_po(&db, &actor(), "PO-9", now()).await).contains("already"));
        assert_eq!(count_events(&db, "po.overs_created").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn rounds_number_the_pos_that_share_an_item_by_po_number() {
    crate::support::each_engine(|db: Db| async move {
        create(&db, "PO-B", &[("ITEM-X", "10")]).await;
        create(&db, "PO-A", &[("ITEM-X", "10"), ("ITEM-Y", "10")]).await;
        create(&db, "PO-C", &[("ITEM-X", "10")]).await;
        let rounds = |po: PoDetail| po.lines.iter().map(|l| (l.inventory_item.clone(), l.round)).collect::<Vec<_>>();
        assert_eq!(rounds(detail(&db, "PO-A").await), [("ITEM-X".to_string(), 1), ("ITEM-Y".to_string(), 1)]);
        assert_eq!(rounds(detail(&db, "PO-B").await), [("ITEM-X".to_string(), 2)]);
        assert_eq!(rounds(detail(&db, "PO-C").await), [("ITEM-X".to_string(), 3)]);
        // Byte order on both engines: 'P' sorts before 'a', where a locale's collation would
        // put "a-1" first; and a PO number's digits compare as text ("PO-10" before "PO-9").
        create(&db, "a-1", &[("ITEM-Z", "10")]).await;
        create(&db, "PO-9", &[("ITEM-Z", "10")]).await;
        create(&db, "PO-10", &[("ITEM-Z", "10")]).await;
        assert_eq!(rounds(detail(&db, "PO-10").await), [("ITEM-Z".to_string(), 1)]);
        assert_eq!(rounds(detail(&db, "PO-9").await), [("ITEM-Z".to_string(), 2)]);
        assert_eq!(rounds(detail(&db, "a-1").await), [("ITEM-Z".to_string(), 3)]);
    })
    .await;
}

#[tokio::test]
async fn a_po_moves_along_its_flow_and_once_counted_is_closed_not_cancelled() {
    crate::support::each_engine(|db: Db| async move {
        create(&db, "PO-1", &[("ITEM-A", "100")]).await;
        let mut nameless = form("PO-2", &[("ITEM-Z", "5")]);
        nameless.lines[0].name.clear();
        let nameless = create_po(&db, &actor(), &nameless.validate().unwrap(), now()).await;
        let message = "No tablet type has this item: give the line a name.";
        assert!(matches!(nameless, Err(WarehouseError::Invalid(f)) if f["line-1-name"] == message));
        let twin = create_po(&db, &actor(), &form("po-1", &[("ITEM-A", "5")]).validate().unwrap(), now()).await;
        assert!(matches!(twin, Err(WarehouseError::Invalid(f)) if f["number"] == "Another PO has this number."));
        move_po(&db, &actor(), "PO-1", PoStatus::Issued, now()).await.unwrap();
        assert!(conflict(move_po(&db, &actor(), "PO-1", PoStatus::Draft, now()).await).contains("cannot become Draft"));
        count(&db, "PO-1", 1, 60, 0).await;
        let cancel = conflict(move_po(&db, &actor(), "PO-1", PoStatus::Cancelled, now()).await);
        assert!(cancel.contains("cannot be cancelled"), "{cancel}");
        for to in [PoStatus::Shipped, PoStatus::Received, PoStatus::Active, PoStatus::Complete] {
            move_po(&db, &actor(), "PO-1", to, now()).await.unwrap();
        }
        assert_eq!(detail(&db, "PO-1").await.status, PoStatus::Complete);
        assert!(move_po(&db, &actor(), "PO-1", PoStatus::Active, now()).await.is_err(), "Complete is final");
        assert_eq!(count_events(&db, "po.status_changed").await.unwrap(), 5, "refused moves leave no audit row");

        let short = close_po(&db, &actor(), "PO-1", "", now()).await;
        assert!(
            matches!(short, Err(WarehouseError::Invalid(f)) if f["reason"].starts_with("40 tablets are still to come"))
        );
        close_po(&db, &actor(), "PO-1", "Supplier ran out", now()).await.unwrap();
        let po = detail(&db, "PO-1").await;
        assert_eq!((po.closed, po.close_reason.as_str()), (true, "Supplier ran out"));
        assert!(conflict(close_po(&db, &actor(), "PO-1", "again", now()).await).contains("closed already"));
        let gone = move_po(&db, &actor(), "PO-404", PoStatus::Issued, now()).await;
        assert!(matches!(gone, Err(WarehouseError::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_two_issued_pos_of_1000_and_2000_tablets_and_a_receive_of_the_first() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        let numbers = backroom::warehouse::demo::seed_demo_pos(&db, now()).await.unwrap();
        assert_eq!(numbers, ["PO-TEST-001", "PO-TEST-002"]);
        for (number, ordered, tablet_type) in [("PO-TEST-001", 1000, "18mg 7OH"), ("PO-TEST-002", 2000, "FIX Relax")] {
            let po = detail(&db, number).await;
            assert_eq!(
                (po.totals().ordered, po.status, po.tablet_type.as_deref()),
                (ordered, PoStatus::Issued, Some(tablet_type))
            );
            assert_eq!(po.lines[0].round, 1);
        }
        let first = detail(&db, "PO-TEST-001").await;
        assert_eq!(first.lines[0].received, 1000, "its published receive: two boxes of five bags of 100");
        assert_eq!(first.receives[0].name.as_deref(), Some("PO-TEST-001-1"));
    })
    .await;
}
