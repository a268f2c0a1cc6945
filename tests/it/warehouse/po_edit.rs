//! Editing a PO through the service: lines matched by item (changed, removed, added after the
//! last number), a counted line kept with its item, a name from the tablet type, an edit that
//! changes nothing writes nothing, a closed PO is not edited; one audit row per edit. A line
//! whose item has bags in the PO's receives stays; an edit made over a newer one is refused;
//! once the overs PO exists, the lines' quantities stay.
use backroom::db::engine::{Db, Sql};
use backroom::db::platform::audit::count_events;
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::model::warehouse::receiving::ReceiveForm;
use backroom::model::warehouse::scan::parse_scan;
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::po_detail::po_detail;
use backroom::warehouse::po_edit::edit_po;
use backroom::warehouse::purchase_orders::{close_po, create_overs_po, create_po};
use backroom::warehouse::receive_bags::scan_into;
use backroom::warehouse::receiving::create_receive;
use backroom::warehouse::WarehouseError;

use crate::support::builders::actor;

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T09:00:00Z").expect("a time")
}

fn form(vendor: &str, tablet_type: &str, lines: &[(&str, &str, &str)]) -> PoForm {
    let lines = lines
        .iter()
        .map(|(item, name, quantity)| PoLineForm {
            inventory_item: item.to_string(),
            name: name.to_string(),
            quantity: quantity.to_string(),
        })
        .collect();
    PoForm {
        number: "PO-E".into(),
        vendor: vendor.into(),
        tablet_type: tablet_type.into(),
        lines,
        ..Default::default()
    }
}

/// Edits PO-E as a form drawn just now would.
async fn edit(db: &Db, form: PoForm) -> Result<bool, WarehouseError> {
    let seen = po_detail(db, "PO-E").await.unwrap().edit_token;
    edit_po(db, &actor(), &form.validate_edit().expect("valid"), &seen, now()).await
}

/// (line number, item, name, quantity) of each line of PO-E.
async fn lines(db: &Db) -> Vec<(i64, String, String, i64)> {
    let po = po_detail(db, "PO-E").await.unwrap();
    po.lines.into_iter().map(|l| (l.line_no, l.inventory_item, l.name, l.counts.ordered)).collect()
}

#[tokio::test]
async fn an_edit_changes_removes_and_adds_lines_by_item_in_one_audited_write() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        let first = form("Acme", "", &[("ITEM-A", "A", "600"), ("ITEM-B", "B", "400"), ("ITEM-C", "C", "5")]);
        create_po(&db, &actor(), &first.validate().unwrap(), now()).await.unwrap();
        let second = form(
            "Acme Ltd",
            "18mg 7OH",
            &[("ITEM-C", "C", "5"), ("", "", ""), ("ITEM-A", "A", "700"), ("INV-7OH-18", "", "50")],
        );
        assert!(edit(&db, second.clone()).await.unwrap());
        let want = |n: i64, item: &str, name: &str, q: i64| (n, item.to_string(), name.to_string(), q);
        assert_eq!(
            lines(&db).await,
            [want(1, "ITEM-A", "A", 700), want(3, "ITEM-C", "C", 5), want(4, "INV-7OH-18", "18mg 7OH", 50)],
            "B removed, A changed in place, the new item after the last number, named by its tablet type"
        );
        let po = po_detail(&db, "PO-E").await.unwrap();
        assert_eq!((po.vendor.as_str(), po.tablet_type.as_deref()), ("Acme Ltd", Some("18mg 7OH")));
        assert_eq!(count_events(&db, "po.edited").await.unwrap(), 1);
        assert!(!edit(&db, second).await.unwrap(), "the same edit again changes nothing");
        assert_eq!(count_events(&db, "po.edited").await.unwrap(), 1, "and is not audited");
    })
    .await;
}

#[tokio::test]
async fn a_counted_line_keeps_its_item_and_a_closed_po_is_not_edited() {
    crate::support::each_engine(|db: Db| async move {
        let first = form("Acme", "", &[("ITEM-A", "A", "600"), ("ITEM-B", "B", "400")]);
        create_po(&db, &actor(), &first.validate().unwrap(), now()).await.unwrap();
        let mut tx = db.begin_write().await.unwrap();
        tx.execute(Sql::new("update po_lines set damaged = 3 where line_no = 1")).await.unwrap();
        tx.commit().await.unwrap();
        let moved = edit(&db, form("Acme", "", &[("ITEM-A2", "A", "600"), ("ITEM-B", "B", "400")])).await;
        let message = "Line 1 (ITEM-A) has counted tablets or received bags: it stays on the PO with its item.";
        assert!(matches!(moved, Err(WarehouseError::Invalid(f)) if f["lines"] == message));
        assert!(edit(&db, form("Acme", "", &[("ITEM-A", "A", "100")])).await.unwrap(), "below its count is allowed");
        assert_eq!(lines(&db).await.len(), 1);
        let unknown = edit(&db, form("Acme", "No such type", &[("ITEM-A", "A", "100")])).await;
        assert!(matches!(unknown, Err(WarehouseError::Invalid(f)) if f.contains_key("tablet_type")));
        close_po(&db, &actor(), "PO-E", "Vendor stopped", now()).await.unwrap();
        let closed = edit(&db, form("Other", "", &[("ITEM-A", "A", "100")])).await;
        assert!(
            matches!(closed, Err(WarehouseError::Conflict(m)) if m == "This PO is closed: it is not edited any more.")
        );
        assert_eq!(count_events(&db, "po.edited").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn received_bags_keep_their_line_a_stale_form_is_refused_and_overs_fix_quantities() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        let first = form("Acme", "", &[("INV-7OH-18", "", "100"), ("ITEM-B", "B", "50")]);
        create_po(&db, &actor(), &first.validate().unwrap(), now()).await.unwrap();
        let receive = ReceiveForm {
            po: "PO-E".into(),
            received_on: "2026-12-01".into(),
            received_by: "M".into(),
            ..Default::default()
        };
        let input = receive.validate(now().into_inner().date()).unwrap();
        let (receive_id, _) = create_receive(&db, &actor(), &input, now()).await.unwrap();
        scan_into(&db, &actor(), receive_id, 1, "18mg 7OH", parse_scan("480").unwrap(), now()).await.unwrap();
        let dropped = edit(&db, form("Acme", "", &[("ITEM-B", "B", "50")])).await;
        let message = "Line 1 (INV-7OH-18) has counted tablets or received bags: it stays on the PO with its item.";
        assert!(
            matches!(dropped, Err(WarehouseError::Invalid(f)) if f["lines"] == message),
            "a draft's bags count too"
        );

        let stale = po_detail(&db, "PO-E").await.unwrap().edit_token;
        assert!(edit(&db, form("Other", "", &[("INV-7OH-18", "18mg 7OH", "100"), ("ITEM-B", "B", "60")]))
            .await
            .unwrap());
        let over = form("Third", "", &[("INV-7OH-18", "18mg 7OH", "100")]).validate_edit().unwrap();
        let refused = edit_po(&db, &actor(), &over, &stale, now()).await;
        assert!(
            matches!(refused, Err(WarehouseError::Conflict(m)) if m.starts_with("Another change to this PO was saved"))
        );
        assert_eq!(po_detail(&db, "PO-E").await.unwrap().lines.len(), 2, "the newer edit stands");

        let mut tx = db.begin_write().await.unwrap();
        tx.execute(Sql::new("update po_lines set good = 130 where line_no = 1")).await.unwrap();
        tx.execute(Sql::new("update po_lines set good = 60 where line_no = 2")).await.unwrap();
        tx.commit().await.unwrap();
        create_overs_po(&db, &actor(), "PO-E", now()).await.unwrap();
        let more = edit(&db, form("Other", "", &[("INV-7OH-18", "18mg 7OH", "130"), ("ITEM-B", "B", "60")])).await;
        assert!(matches!(more, Err(WarehouseError::Conflict(m)) if m.starts_with("This PO's overs are on PO-E-OVERS")));
        assert!(edit(&db, form("Renamed", "", &[("INV-7OH-18", "18mg 7OH", "100"), ("ITEM-B", "B", "60")]))
            .await
            .unwrap());
        let nested = create_overs_po(&db, &actor(), "PO-E-OVERS", now()).await;
        assert!(matches!(nested, Err(WarehouseError::Conflict(m)) if m.contains("gets no overs PO of its own")));
    })
    .await;
}
