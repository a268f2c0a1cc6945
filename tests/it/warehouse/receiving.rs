//! Receiving through the service on both engines: DOMAIN.md's names (a receive dated earlier
//! but added later takes its place by date), the scanner lines (a box's worth, a bag by its
//! number, duplicates refused, the next box), the flow, assigning a PO, labels, and what the
//! PO's page reads of its receives.
use backroom::db::engine::Db;
use backroom::db::platform::audit::count_events;
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::model::warehouse::po_rules::PoStatus;
use backroom::model::warehouse::receiving::{ReceiveForm, ReceiveStatus};
use backroom::model::warehouse::scan::{parse_scan, ScanDone};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::labels::label_sheet;
use backroom::warehouse::po_detail::po_detail;
use backroom::warehouse::purchase_orders::{create_po, move_po};
use backroom::warehouse::receive_bags::{remove_bag, scan_into, ScanOutcome};
use backroom::warehouse::receiving::{advance_receive, assign_po, create_receive, receive_detail};
use backroom::warehouse::{WarehouseError, WarehouseResult};

use crate::support::builders::actor;

const TYPE: &str = "18mg 7OH";

fn now() -> Timestamp {
    Timestamp::parse("2026-12-05T09:00:00Z").expect("a time")
}

async fn po(db: &Db, number: &str) {
    let line = PoLineForm { inventory_item: "INV-7OH-18".into(), name: String::new(), quantity: "10000".into() };
    let form = PoForm { number: number.into(), tablet_type: TYPE.into(), lines: vec![line], ..Default::default() };
    create_po(db, &actor(), &form.validate().unwrap(), now()).await.unwrap();
}

/// A receive of `po` (none for "") dated `day`: its id and how many receives moved up.
async fn receive(db: &Db, po: &str, day: &str) -> (i64, i64) {
    let form = ReceiveForm { po: po.into(), received_on: day.into(), received_by: "Dana".into(), ..Default::default() };
    let input = form.validate(now().into_inner().date()).unwrap();
    create_receive(db, &actor(), &input, now()).await.expect("a receive")
}

async fn scan(db: &Db, id: i64, box_no: i64, line: &str) -> WarehouseResult<ScanOutcome> {
    scan_into(db, &actor(), id, box_no, TYPE, parse_scan(line).expect("a line the field reads"), now()).await
}

async fn name(db: &Db, id: i64) -> String {
    receive_detail(db, id).await.unwrap().name.unwrap_or_default()
}

fn message(result: WarehouseResult<impl std::fmt::Debug>, field: &str) -> String {
    match result {
        Err(WarehouseError::Invalid(fields)) => fields.get(field).cloned().unwrap_or_default(),
        Err(WarehouseError::Conflict(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn receives_are_named_by_date_then_id_and_one_dated_earlier_takes_its_place() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-R").await;
        let (a, moved) = receive(&db, "PO-R", "2026-12-05").await;
        assert_eq!(moved, 0);
        let (b, _) = receive(&db, "po-r", "2026-12-06").await;
        assert_eq!((name(&db, a).await, name(&db, b).await), ("PO-R-1".to_string(), "PO-R-2".to_string()));
        scan(&db, a, 1, "12 bags of 480").await.unwrap();

        let (c, moved) = receive(&db, "PO-R", "2026-12-04").await;
        assert_eq!(moved, 2, "the two receives dated after it move up");
        let names = [name(&db, c).await, name(&db, a).await, name(&db, b).await];
        assert_eq!(names, ["PO-R-1", "PO-R-2", "PO-R-3"]);
        let bags = receive_detail(&db, a).await.unwrap().bags;
        assert_eq!(bags.len(), 12);
        assert_eq!(bags[11].name.as_deref(), Some("PO-R-2-1-12"), "a bag is named <PO>-<n>-<box>-<bag>");

        let (d, moved) = receive(&db, "PO-R", "2026-12-06").await;
        assert_eq!(moved, 0, "a receive on the same day with a higher id comes last");
        assert_eq!((name(&db, b).await, name(&db, d).await), ("PO-R-3".to_string(), "PO-R-4".to_string()));
        let (lone, _) = receive(&db, "", "2026-12-01").await;
        assert_eq!(receive_detail(&db, lone).await.unwrap().name, None, "no PO, no name yet");
        assert_eq!(name(&db, c).await, "PO-R-1", "a receive without a PO numbers no other");
    })
    .await;
}

#[tokio::test]
async fn the_scanner_field_adds_boxes_of_bags_and_refuses_a_duplicate() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-S").await;
        let (id, _) = receive(&db, "PO-S", "2026-12-05").await;
        let done = scan(&db, id, 1, "12 bags of 480").await.unwrap();
        assert_eq!(done.done, ScanDone::Bags { first: 1, last: 12, label: 480 });
        let dup = message(scan(&db, id, 1, "7: 480").await, "scan");
        assert_eq!(dup, "Box 1 has a bag 7 already (480 tablets).");
        let next = scan(&db, id, 1, "next").await.unwrap();
        assert_eq!((next.box_no, next.done), (2, ScanDone::Moved));
        scan(&db, id, 2, "bag 3 of 500").await.unwrap();
        let on = scan(&db, id, 2, "2x478").await.unwrap();
        assert_eq!(on.done, ScanDone::Bags { first: 4, last: 5, label: 478 }, "numbered on from the box's highest");
        let r = receive_detail(&db, id).await.unwrap();
        assert_eq!(r.boxes(), [(1, 12, 5760), (2, 3, 1456)]);
        assert_eq!(r.label_total(), 7216);
        let untyped = scan_into(&db, &actor(), id, 3, "", parse_scan("480").unwrap(), now()).await;
        assert_eq!(message(untyped, "tablet_type"), "Choose the bags' tablet type.");
        let unknown = scan_into(&db, &actor(), id, 3, "No such type", parse_scan("480").unwrap(), now()).await;
        assert_eq!(message(unknown, "tablet_type"), "No tablet type has this name.");
        assert_eq!(count_events(&db, "receive.bags_added").await.unwrap(), 3, "moving to a box writes nothing");

        let last = r.bags.last().unwrap().id;
        remove_bag(&db, &actor(), id, last, now()).await.unwrap();
        assert_eq!(receive_detail(&db, id).await.unwrap().bags.len(), 14);
        assert_eq!(count_events(&db, "receive.bag_removed").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_receive_is_published_with_its_bags_fixed_then_closed() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-F").await;
        let (id, _) = receive(&db, "PO-F", "2026-12-05").await;
        let empty = advance_receive(&db, &actor(), id, ReceiveStatus::Published, now()).await;
        assert_eq!(message(empty, ""), "Add its bags before publishing this receive.");
        let skip = advance_receive(&db, &actor(), id, ReceiveStatus::Closed, now()).await;
        assert_eq!(message(skip, ""), "A draft receive cannot be marked closed.");
        scan(&db, id, 1, "480").await.unwrap();
        advance_receive(&db, &actor(), id, ReceiveStatus::Published, now()).await.unwrap();
        assert_eq!(message(scan(&db, id, 1, "480").await, ""), "This receive is published: its bags are fixed.");
        let bag = receive_detail(&db, id).await.unwrap().bags[0].id;
        assert!(message(remove_bag(&db, &actor(), id, bag, now()).await, "").contains("published"));
        po(&db, "PO-G").await;
        let moved = assign_po(&db, &actor(), id, "PO-G", now()).await;
        assert_eq!(message(moved, ""), "This receive is published: its labels carry PO-F's name, so it stays on PO-F.");
        advance_receive(&db, &actor(), id, ReceiveStatus::Closed, now()).await.unwrap();
        assert_eq!(receive_detail(&db, id).await.unwrap().status, ReceiveStatus::Closed);
        assert!(message(assign_po(&db, &actor(), id, "PO-F", now()).await, "").contains("closed"));
    })
    .await;
}

#[tokio::test]
async fn a_receive_whose_po_was_cancelled_takes_no_bags_until_a_manager_moves_it() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-X").await;
        po(&db, "PO-Y").await;
        let (id, _) = receive(&db, "PO-X", "2026-12-05").await;
        scan(&db, id, 1, "480").await.unwrap();
        move_po(&db, &actor(), "PO-X", PoStatus::Cancelled, now()).await.unwrap();
        let refused = "PO-X is cancelled: a manager moves this receive to an open PO.";
        assert_eq!(message(scan(&db, id, 1, "480").await, ""), refused);
        assert_eq!(message(advance_receive(&db, &actor(), id, ReceiveStatus::Published, now()).await, ""), refused);
        let (earlier, _) = receive(&db, "PO-Y", "2026-12-06").await;
        assert_eq!(
            assign_po(&db, &actor(), id, "PO-Y", now()).await.unwrap(),
            1,
            "PO-Y's receive dated later moves up"
        );
        assert_eq!((name(&db, id).await, name(&db, earlier).await), ("PO-Y-1".to_string(), "PO-Y-2".to_string()));
        scan(&db, id, 1, "480").await.unwrap();
        advance_receive(&db, &actor(), id, ReceiveStatus::Published, now()).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_manager_assigns_the_po_and_then_its_labels_carry_qr_codes() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-L").await;
        po(&db, "PO-SHUT").await;
        move_po(&db, &actor(), "PO-SHUT", PoStatus::Cancelled, now()).await.unwrap();
        let (id, _) = receive(&db, "", "2026-12-05").await;
        scan(&db, id, 1, "2 bags of 480").await.unwrap();
        assert!(message(label_sheet(&db, id).await, "").contains("no PO yet"));
        let shut = assign_po(&db, &actor(), id, "PO-SHUT", now()).await;
        assert_eq!(message(shut, "po"), "PO-SHUT is closed: receive against an open PO.");
        assert_eq!(message(assign_po(&db, &actor(), id, "PO-NONE", now()).await, "po"), "No PO has this number.");
        assign_po(&db, &actor(), id, "po-l", now()).await.unwrap();
        assert_eq!(
            message(assign_po(&db, &actor(), id, "PO-L", now()).await, "po"),
            "This receive is on PO-L already."
        );
        let sheet = label_sheet(&db, id).await.unwrap();
        let names: Vec<&str> = sheet.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["PO-L-1-1-1", "PO-L-1-1-2"]);
        assert!(sheet.labels[0].qr_svg.starts_with("<svg") && sheet.labels[0].qr_svg.contains("<path"));
        assert_eq!((sheet.labels[0].tablet_type.as_str(), sheet.labels[0].label_count), (TYPE, 480));
    })
    .await;
}

#[tokio::test]
async fn a_po_page_reads_what_arrived_by_label_its_receives_and_its_timeline() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-T").await;
        move_po(&db, &actor(), "PO-T", PoStatus::Issued, now()).await.unwrap();
        let (id, _) = receive(&db, "PO-T", "2026-12-05").await;
        scan(&db, id, 1, "12 bags of 480").await.unwrap();
        scan(&db, id, 2, "500").await.unwrap();
        assert_eq!(po_detail(&db, "PO-T").await.unwrap().lines[0].received, 0, "a draft is still being scanned");
        advance_receive(&db, &actor(), id, ReceiveStatus::Published, now()).await.unwrap();
        let po = po_detail(&db, "PO-T").await.unwrap();
        assert_eq!(po.lines[0].received, 6260, "12 × 480 + 500 by label");
        assert_eq!(po.receives.len(), 1);
        assert_eq!((po.receives[0].bags, po.receives[0].label_total), (13, 6260));
        let texts: Vec<&str> = po.timeline.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Receive PO-T-1 published",
                "Receive PO-T-1 made, received 2026-12-05",
                "Marked Issued (was Draft)",
                "Created with 1 line"
            ],
            "newest first, bag scans left to the receive's history"
        );
        assert_eq!(po.timeline[0].receive_id, Some(id));
    })
    .await;
}
